// Ad-hoc SQL that can read the warehouse and nothing else. The warehouse is opened read-only (its tables
// cannot change), DuckDB's access to files is switched off (no COPY TO, EXPORT DATABASE, ATTACH, INSTALL,
// LOAD or read_csv of an arbitrary path) and the configuration is locked so that the statement cannot switch
// it back on. Only one statement runs, and only a statement that reads (SELECT and its forms: FROM, WITH,
// VALUES, DESCRIBE, SHOW, SUMMARIZE, PRAGMA table_info; EXPLAIN): a folder a user lets the statement read
// with --allow-read is open to reading only, since no statement that writes runs at all.
import type { DuckDBPreparedStatement, DuckDBResultReader } from '@duckdb/node-api';
import { StatementType } from './duckdb.js';
import { QueryRefusedError, UsageError } from '../errors.js';
import { shown } from '../ingest/errors.js';
import { sqlLiteral, type Warehouse } from './db.js';

export interface SandboxOptions {
  /** Absolute folders whose files the statement may read (read_csv, read_parquet, ...). */
  allowRead?: readonly string[];
  /** The one file the statement's result may be written to, by copyResult. */
  writeTo?: string;
}

const READING = new Set<number>([StatementType.SELECT, StatementType.EXPLAIN]);

/** What a statement of a refused kind would have done, and what to do instead. */
function refusal(type: number, sql: string): string {
  const statement = shorten(sql);
  switch (type) {
    case StatementType.COPY:
    case StatementType.EXPORT:
    case StatementType.COPY_DATABASE:
      return `query does not write files: "${statement}" is refused. To save a result, run its SELECT with --output FILE (--format csv, json or parquet)`;
    case StatementType.LOAD:
    case StatementType.EXTENSION:
    case StatementType.UPDATE_EXTENSIONS:
      return `query does not install or load DuckDB extensions: "${statement}" is refused`;
    case StatementType.ATTACH:
    case StatementType.DETACH:
      return `query reads this warehouse only: "${statement}" is refused (open another database file with --db)`;
    case StatementType.SET:
    case StatementType.VARIABLE_SET:
      return `query does not change settings: "${statement}" is refused`;
    case StatementType.CREATE:
      return `query does not create anything: "${statement}" is refused` +
        (/^\s*pivot\b/i.test(sql) ? ' (a PIVOT without IN (...) creates a type: list its values with ON column IN (...))' : '');
    default:
      return `query is read-only and runs one statement that reads (SELECT, FROM, WITH, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN): "${statement}" is refused; the warehouse changes only through lasttouch's own commands`;
  }
}

/** The statement on one line, cut to length as every value a message quotes (shown()). */
function shorten(sql: string): string {
  return shown(sql.trim().replace(/\s+/g, ' '));
}

/** Locks the warehouse's connection down; from here on nothing can change its settings. */
export async function lockDown(warehouse: Warehouse, options: SandboxOptions): Promise<void> {
  const folders = (options.allowRead ?? []).map((dir) => sqlLiteral(dir.endsWith('/') ? dir : `${dir}/`));
  if (folders.length > 0) await warehouse.run(`SET allowed_directories = [${folders.join(', ')}]`);
  if (options.writeTo !== undefined) await warehouse.run(`SET allowed_paths = [${sqlLiteral(options.writeTo)}]`);
  await warehouse.run('SET enable_external_access = false');
  await warehouse.run('SET lock_configuration = true');
}

/** The one statement of sql, checked to be a statement that reads, or a refusal. */
async function readingStatement(warehouse: Warehouse, sql: string) {
  if (sql.trim() === '') throw new UsageError('query: no SQL statement given');
  const statements = await warehouse.connection.extractStatements(sql).catch((error: unknown) => {
    throw new QueryRefusedError(describe(error, sql));
  });
  if (statements.count === 0) throw new UsageError('query: no SQL statement given');
  if (statements.count > 1) {
    if (/^\s*pivot\b/i.test(sql)) throw new QueryRefusedError(refusal(StatementType.CREATE, sql));
    throw new UsageError(`query runs one statement per call; this SQL holds ${statements.count} ("${shorten(sql)}")`);
  }
  const prepared = await statements.prepare(0).catch((error: unknown) => {
    throw new QueryRefusedError(describe(error, sql));
  });
  if (!READING.has(prepared.statementType)) throw new QueryRefusedError(refusal(prepared.statementType, sql));
  return prepared;
}

/** DuckDB's message, its first line, with what a permission error means here. */
function describe(error: unknown, sql: string): string {
  const message = ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').replace(/^Failed to extract statements: /, '');
  const file = /Permission Error: Cannot access (?:file|directory) "([^"]*)"/.exec(message);
  if (file) {
    return (
      `query may not access ${file[1]}: it reads the warehouse, and files only inside a folder given with --allow-read DIR; ` +
      `it writes nothing (to save a result, use --output FILE) ("${shorten(sql)}")`
    );
  }
  if (/Loading external extensions is disabled|extension/i.test(message) && /Permission Error/.test(message)) {
    return `query does not install or load DuckDB extensions ("${shorten(sql)}")`;
  }
  return `${message} ("${shorten(sql)}")`;
}

/**
 * Runs the one reading statement of sql on a locked-down warehouse and reads all of its rows. bind, when
 * given, binds the statement's parameters after the statement passed the checks and before it runs (the
 * report's own pages: $client, $month).
 */
export async function readQuery(
  warehouse: Warehouse,
  sql: string,
  bind?: (prepared: DuckDBPreparedStatement) => void,
): Promise<DuckDBResultReader> {
  const prepared = await readingStatement(warehouse, sql);
  bind?.(prepared);
  return prepared.runAndReadAll().catch((error: unknown) => {
    throw new QueryRefusedError(describe(error, sql));
  });
}

/** Writes the result of the one reading statement of sql to options.writeTo, as Parquet. */
export async function copyResult(warehouse: Warehouse, sql: string, file: string): Promise<void> {
  await readingStatement(warehouse, sql);
  // The statement is one SELECT, so it cannot close the parenthesis early; a trailing comment ends at the
  // line break.
  await warehouse.run(`COPY (${sql}\n) TO ${sqlLiteral(file)} (FORMAT parquet)`).catch((error: unknown) => {
    throw new QueryRefusedError(describe(error, sql));
  });
}

/** Which published state a reader reads: the last build, and what was imported after it. */
export async function publishedState(warehouse: Warehouse): Promise<string | undefined> {
  const row = await warehouse
    .one(
      `SELECT b.build_id, strftime(b.finished_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') AS finished,
         (SELECT count(*) FROM meta.uploads u WHERE b.build_id IS NULL OR u.imported_at > b.finished_at) AS since
       FROM (SELECT 1) LEFT JOIN (SELECT * FROM meta.builds ORDER BY build_id DESC LIMIT 1) b ON true`,
    )
    .catch(() => undefined);
  if (row === undefined) return undefined;
  const since = Number(row.since);
  const pending = since === 0 ? '' : `; ${since} upload${since === 1 ? '' : 's'} imported since ${since === 1 ? 'is' : 'are'} not built yet`;
  return row.build_id === null ? `no build yet${pending}` : `build ${row.build_id} of ${row.finished} UTC${pending}`;
}
