// The one place that opens DuckDB. Every command goes through withWarehouse so that lock handling,
// read-only access, publishing (see publish.ts) and the meta-schema migrations are the same everywhere.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DuckDBConnection, DuckDBResultReader, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { DuckDBInstance, DuckDBListValue, LIST, VARCHAR } from './duckdb.js';
import { refuseSchemaName, WarehouseBusyError, WarehouseMissingError, WarehouseOutdatedError } from './location.js';
import { ensureFormatTables } from './format-tables.js';
import { migrate, schemaVersion, SCHEMA_VERSION } from './migrations.js';
import { memoryLimit } from './memory.js';
import { prepareNext, publishNext, removeDatabase, warehouseFiles } from './publish.js';
import { sqlLiteral, sqlName } from './sql-literal.js';
import { toPlain, type PlainValue } from './values.js';

export type Row = Record<string, PlainValue>;

export { sqlLiteral } from './sql-literal.js';
export { defaultDbPath, WarehouseBusyError, WarehouseMissingError, WarehouseOutdatedError } from './location.js';

export interface OpenOptions {
  readOnly?: boolean;
  waitSeconds?: number;
  /**
   * A read-only command that reads the meta tables of this version: an older warehouse (which only a
   * command that writes can migrate) is refused with a message that says how to upgrade it.
   */
  currentSchema?: boolean;
  /** A command that writes: start from an empty warehouse instead of the published one (the demo). */
  fresh?: boolean;
  /**
   * Told once, at the first lock conflict of an open that is going to wait for it (waitSeconds > 0), who
   * holds the lock as DuckDB names it. The warehouse prints nothing; the command line says so.
   */
  onWait?: (holder: LockHolder, waitSeconds: number) => void;
  /**
   * Stops the wait for a lock when it aborts (its reason is thrown): a command that opens the warehouse
   * while it compiles the models gives up on the lock when they do not compile.
   */
  signal?: AbortSignal;
}

/** The process holding a DuckDB file's lock, as DuckDB's message names it; null where it does not. */
export interface LockHolder {
  pid: number | null;
  /** The holder's program, e.g. /usr/bin/node. */
  program: string | null;
}

const LOCK_MESSAGES = [/could not set lock/i, /conflicting lock/i, /database is locked/i];

function isLockError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return LOCK_MESSAGES.some((pattern) => pattern.test(message));
}

/** The holder of a lock, from DuckDB's "Conflicting lock is held in /usr/bin/node (PID 12345) by user x". */
function lockHolder(error: unknown): LockHolder {
  const message = error instanceof Error ? error.message : String(error);
  const match = /conflicting lock is held in (.*?) \(PID (\d+)\)/i.exec(message);
  return { pid: match?.[2] === undefined ? null : Number(match[2]), program: match?.[1] ?? null };
}

/**
 * Opens the DuckDB file at path, waiting up to waitSeconds for another process's lock on it (on `shown`);
 * onWait hears of the first conflict it waits on; signal stops the wait.
 */
async function createInstance(
  path: string,
  readOnly: boolean,
  waitSeconds: number,
  shown = path,
  onWait?: OpenOptions['onWait'],
  signal?: AbortSignal,
): Promise<DuckDBInstance> {
  const deadline = Date.now() + waitSeconds * 1000;
  let delay = 50;
  let told = false;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const memory = { memory_limit: memoryLimit() };
      return await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY', ...memory } : memory);
    } catch (error) {
      if (!isLockError(error)) throw error;
      if (Date.now() >= deadline) throw new WarehouseBusyError(shown, waitSeconds);
      if (!told) {
        told = true;
        onWait?.(lockHolder(error), waitSeconds);
      }
      await new Promise((done) => setTimeout(done, Math.min(delay, Math.max(deadline - Date.now(), 1))));
      delay = Math.min(delay * 2, 500);
    }
  }
}

export class Warehouse {
  private constructor(
    readonly path: string,
    readonly readOnly: boolean,
    /** null for a file attached to another warehouse's instance (WriterLock.readPublished), which close leaves open. */
    private readonly instance: DuckDBInstance | null,
    readonly connection: DuckDBConnection,
  ) {}

  /**
   * Opens one database file as it is. Commands go through withWarehouse, which opens the published file
   * read-only, or a writer's own copy of it.
   */
  static async open(path: string, options: OpenOptions = {}): Promise<Warehouse> {
    const fullPath = resolve(path);
    refuseSchemaName(fullPath);
    const readOnly = options.readOnly ?? false;
    if (readOnly && !existsSync(fullPath)) throw new WarehouseMissingError(fullPath);
    if (!readOnly) mkdirSync(dirname(fullPath), { recursive: true });
    const instance = await createInstance(fullPath, readOnly, options.waitSeconds ?? 30, fullPath, options.onWait, options.signal);
    const connection = await instance.connect();
    const warehouse = new Warehouse(fullPath, readOnly, instance, connection);
    if (!readOnly) {
      await migrate(warehouse);
      await ensureFormatTables(warehouse);
    }
    else if (options.currentSchema) await warehouse.refuseOutdated();
    return warehouse;
  }

  /**
   * The DuckDB file at path, read-only, attached to an instance already open, on a connection of its own
   * whose default database it is: starting a second DuckDB instance costs more than attaching the file to
   * one. fn must not close it; it is detached when fn is done.
   */
  static async attached<T>(instance: DuckDBInstance, path: string, options: { currentSchema?: boolean }, fn: (warehouse: Warehouse) => Promise<T>): Promise<T> {
    const fullPath = resolve(path);
    if (!existsSync(fullPath)) throw new WarehouseMissingError(fullPath);
    const connection = await instance.connect();
    try {
      // Where the connection was, database and schema both: `USE name` alone would take a schema of the
      // attached file by that name (a warehouse file named marts.duckdb has its lock's database "marts").
      const [home = '', homeSchema = 'main'] = ((await connection.runAndReadAll('SELECT current_database(), current_schema()')).getRows()[0] ?? []).map(String);
      const alias = home === 'lasttouch_attached' ? 'lasttouch_attached_2' : 'lasttouch_attached';
      try {
        await connection.run(`ATTACH ${sqlLiteral(fullPath)} AS ${alias} (READ_ONLY)`);
      } catch (error) {
        if (isLockError(error)) throw new WarehouseBusyError(fullPath, 0);
        throw error;
      }
      let result: T;
      try {
        await connection.run(`USE ${alias}`);
        const warehouse = new Warehouse(fullPath, true, null, connection);
        if (options.currentSchema) await warehouse.refuseOutdated();
        result = await fn(warehouse);
      } catch (error) {
        // fn's error is the one that matters; the file is let go all the same.
        await Warehouse.detach(connection, home, homeSchema, alias).catch(() => undefined);
        throw error;
      }
      await Warehouse.detach(connection, home, homeSchema, alias);
      return result;
    } finally {
      connection.closeSync();
    }
  }

  /** Lets an attached file go: a transaction fn left open is rolled back, and the connection goes home. */
  private static async detach(connection: DuckDBConnection, home: string, schema: string, alias: string): Promise<void> {
    await connection.run('ROLLBACK').catch(() => undefined);
    await connection.run(`USE ${sqlName(home)}.${sqlName(schema)}; DETACH ${alias}`);
  }

  /** Refuses a warehouse whose meta schema is older than this version's (only a command that writes migrates). */
  private async refuseOutdated(): Promise<void> {
    const version = await schemaVersion(this);
    if (version < SCHEMA_VERSION) {
      this.close();
      throw new WarehouseOutdatedError(this.path, version, SCHEMA_VERSION);
    }
  }

  async run(sql: string, params?: DuckDBValue[]): Promise<void> {
    await this.connection.run(sql, params);
  }

  async reader(sql: string, params?: DuckDBValue[]): Promise<DuckDBResultReader> {
    // An empty list has no item to tell its type by, and DuckDB binds no list of unknown type: it is bound
    // as a list of text (a setting cleared to no items, e.g. --platform-priority "").
    const types = params?.map((value): DuckDBType | undefined =>
      value instanceof DuckDBListValue && value.items.length === 0 ? LIST(VARCHAR) : undefined,
    );
    return types?.some((type) => type !== undefined) === true
      ? this.connection.runAndReadAll(sql, params, types as DuckDBType[])
      : this.connection.runAndReadAll(sql, params);
  }

  async all(sql: string, params?: DuckDBValue[]): Promise<Row[]> {
    const reader = await this.reader(sql, params);
    return reader.getRowObjects().map((row) => {
      const plain: Row = {};
      for (const [key, value] of Object.entries(row)) plain[key] = toPlain(value);
      return plain;
    });
  }

  async one(sql: string, params?: DuckDBValue[]): Promise<Row | undefined> {
    return (await this.all(sql, params))[0];
  }

  /** Runs fn inside one transaction: all of it lands, or none of it. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const result = await fn();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      // A failed COMMIT has already rolled back; the error that matters is the first one.
      await this.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  close(): void {
    if (this.instance === null) return;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * Runs fn on the warehouse at path. A reader opens the published file read-only and never waits for a
 * writer. A writer takes the writer lock, works on its own copy and publishes it when fn returns; when fn
 * throws, the copy is discarded and the published file is untouched (a refused import into a new path
 * leaves no file behind).
 */
export async function withWarehouse<T>(
  path: string,
  options: OpenOptions,
  fn: (warehouse: Warehouse) => Promise<T>,
): Promise<T> {
  if (options.readOnly) {
    const warehouse = await Warehouse.open(path, options);
    try {
      return await fn(warehouse);
    } finally {
      warehouse.close();
    }
  }
  return withWriterLock(path, options, (writer) => writer.write(fn));
}

/** The writer lock, held: each write works on its own copy and publishes it when it succeeds. */
export interface WriterLock {
  write<T>(fn: (warehouse: Warehouse) => Promise<T>): Promise<T>;
  /**
   * fn on the published warehouse, read-only, as it stands with this lock held (no write half-way);
   * null when there is none yet, or its meta schema is older and only a write can migrate it.
   */
  readPublished<T>(fn: (warehouse: Warehouse) => Promise<T>): Promise<T | null>;
}

/**
 * Holds the writer lock while fn runs, so that a command can publish several writes (the monthly job:
 * its imports and build, then the record of its mail) with no other writer in between.
 */
export async function withWriterLock<T>(path: string, options: OpenOptions, fn: (writer: WriterLock) => Promise<T>): Promise<T> {
  refuseSchemaName(resolve(path));
  const files = warehouseFiles(resolve(path));
  const createdDir = mkdirSync(dirname(files.published), { recursive: true });
  const hadWarehouse = existsSync(files.published);
  const lock = await createInstance(files.lock, false, options.waitSeconds ?? 30, files.published, options.onWait, options.signal);
  let fresh = options.fresh === true;
  const writer: WriterLock = {
    async readPublished<R>(work: (warehouse: Warehouse) => Promise<R>): Promise<R | null> {
      // A write-ahead log is a change not yet in the file: only a write replays it.
      if (!existsSync(files.published) || existsSync(`${files.published}.wal`)) return null;
      try {
        return await Warehouse.attached(lock, files.published, { currentSchema: true }, work);
      } catch (error) {
        if (error instanceof WarehouseOutdatedError) return null;
        throw error;
      }
    },
    async write<R>(work: (warehouse: Warehouse) => Promise<R>): Promise<R> {
      let published = false;
      try {
        // A write-ahead log beside the published file is a change that its writer committed but did not
        // checkpoint (an earlier version of lasttouch, or an outside client that opened the file for
        // writing, then crashed): DuckDB replays it into the file first, so the copy starts from it.
        // A fresh start has no use for it, but it must not outlive the file it belongs to.
        if (existsSync(`${files.published}.wal`)) {
          if (fresh) rmSync(`${files.published}.wal`);
          else (await Warehouse.open(files.published, { ...options, fresh: false })).close();
        }
        prepareNext(files, fresh);
        const warehouse = await Warehouse.open(files.next, { waitSeconds: 0 });
        let result: R;
        try {
          result = await work(warehouse);
          await warehouse.run('CHECKPOINT');
        } finally {
          warehouse.close();
        }
        publishNext(files);
        published = true;
        // Only the first write starts afresh; the ones after it build on what it published.
        fresh = false;
        return result;
      } finally {
        if (!published) removeDatabase(files.next);
      }
    },
  };
  try {
    return await fn(writer);
  } finally {
    // Nothing of a warehouse that never landed stays behind: not its lock file, not the folder made for it.
    lock.closeSync();
    if (!hadWarehouse && !existsSync(files.published)) {
      removeDatabase(files.lock);
      if (createdDir !== undefined) rmSync(createdDir, { recursive: true, force: true });
    }
  }
}
