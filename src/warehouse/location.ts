// Where the warehouse is and why it could not be opened: light enough for the command line to load
// before it knows whether DuckDB is needed at all.
import { basename } from 'node:path';
import { UsageError } from '../errors.js';

export class WarehouseBusyError extends Error {
  constructor(path: string, waitSeconds: number) {
    super(
      `the warehouse ${path} is busy: another process (named above when it was known) holds its lock and did not release it within ${waitSeconds} s (use --wait to wait longer)`,
    );
  }
}

export class WarehouseMissingError extends Error {
  constructor(path: string) {
    super(`no warehouse at ${path}: import a file first, or pass --db PATH (or set LASTTOUCH_DB)`);
  }
}

/** A read-only command met a warehouse whose meta schema an earlier version wrote. */
/** A warehouse whose applied migration differs from the file of the same number that ships now: exit code 1. */
export class MigrationChangedError extends Error {}

export class WarehouseOutdatedError extends Error {
  constructor(path: string, version: number, current: number) {
    super(
      `the warehouse ${path} was written by an earlier lasttouch (schema ${version}; this version reads ${current}): ` +
        'run `lasttouch build` once to upgrade it (nothing imported is lost), then try again',
    );
  }
}

export function defaultDbPath(): string {
  return process.env.LASTTOUCH_DB && process.env.LASTTOUCH_DB !== ''
    ? process.env.LASTTOUCH_DB
    : './warehouse.duckdb';
}

/**
 * The schemas a warehouse holds, and DuckDB's own: the model layers, the sources, seeds, the partitioned
 * models' tables, the previous versions kept for diff, and DuckDB's main, temp and catalogues.
 */
export const SCHEMA_NAMES: readonly string[] = [
  'staging', 'dedup', 'attribution', 'marts', 'raw', 'meta', 'seeds', 'partitions', 'previous',
  'main', 'temp', 'system', 'memory', 'information_schema', 'pg_catalog',
];

/**
 * Refuses a warehouse file that DuckDB would name like one of its schemas. DuckDB names a database after
 * its file, up to the first dot (marts.duckdb is the database "marts"), and `marts.revenue_summary` would
 * then name a database and a schema at once: the models could not run.
 */
export function refuseSchemaName(path: string): void {
  const name = basename(path).split('.')[0] ?? '';
  if (SCHEMA_NAMES.includes(name.toLowerCase())) {
    throw new UsageError(
      `the warehouse file ${path} would be the database "${name}", the name of one of its schemas (DuckDB names a database ` +
        `after its file, up to the first dot): name the file otherwise, e.g. ${name}-warehouse.duckdb`,
    );
  }
}
