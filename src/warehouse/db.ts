// The one place that opens DuckDB. Every command goes through openWarehouse so that lock handling,
// read-only access and the meta-schema migrations are the same everywhere.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  DuckDBConnection,
  DuckDBInstance,
  type DuckDBResultReader,
  type DuckDBValue,
} from '@duckdb/node-api';
import { WarehouseBusyError, WarehouseMissingError, WarehouseOutdatedError } from './location.js';
import { migrate, schemaVersion, SCHEMA_VERSION } from './migrations.js';
import { toPlain, type PlainValue } from './values.js';

export type Row = Record<string, PlainValue>;

/** A text as an SQL string literal. */
export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
export { defaultDbPath, WarehouseBusyError, WarehouseMissingError, WarehouseOutdatedError } from './location.js';

export interface OpenOptions {
  readOnly?: boolean;
  waitSeconds?: number;
  /**
   * A read-only command that reads the meta tables of this version: an older warehouse (which only a
   * command that writes can migrate) is refused with a message that says how to upgrade it.
   */
  currentSchema?: boolean;
}

const LOCK_MESSAGES = [/could not set lock/i, /conflicting lock/i, /database is locked/i];

function isLockError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return LOCK_MESSAGES.some((pattern) => pattern.test(message));
}

async function createInstance(path: string, readOnly: boolean, waitSeconds: number): Promise<DuckDBInstance> {
  const deadline = Date.now() + waitSeconds * 1000;
  let delay = 50;
  for (;;) {
    try {
      return await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
    } catch (error) {
      if (!isLockError(error)) throw error;
      if (Date.now() >= deadline) throw new WarehouseBusyError(path, waitSeconds);
      await new Promise((done) => setTimeout(done, Math.min(delay, Math.max(deadline - Date.now(), 1))));
      delay = Math.min(delay * 2, 500);
    }
  }
}

export class Warehouse {
  private constructor(
    readonly path: string,
    readonly readOnly: boolean,
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string, options: OpenOptions = {}): Promise<Warehouse> {
    const fullPath = resolve(path);
    const readOnly = options.readOnly ?? false;
    if (readOnly && !existsSync(fullPath)) throw new WarehouseMissingError(fullPath);
    if (!readOnly) mkdirSync(dirname(fullPath), { recursive: true });
    const instance = await createInstance(fullPath, readOnly, options.waitSeconds ?? 30);
    const connection = await instance.connect();
    const warehouse = new Warehouse(fullPath, readOnly, instance, connection);
    if (!readOnly) await migrate(warehouse);
    else if (options.currentSchema) {
      const version = await schemaVersion(warehouse);
      if (version < SCHEMA_VERSION) {
        warehouse.close();
        throw new WarehouseOutdatedError(fullPath, version, SCHEMA_VERSION);
      }
    }
    return warehouse;
  }

  async run(sql: string, params?: DuckDBValue[]): Promise<void> {
    await this.connection.run(sql, params);
  }

  async reader(sql: string, params?: DuckDBValue[]): Promise<DuckDBResultReader> {
    return this.connection.runAndReadAll(sql, params);
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
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

export async function withWarehouse<T>(
  path: string,
  options: OpenOptions,
  fn: (warehouse: Warehouse) => Promise<T>,
): Promise<T> {
  const warehouse = await Warehouse.open(path, options);
  try {
    return await fn(warehouse);
  } finally {
    warehouse.close();
  }
}
