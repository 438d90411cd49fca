// Where the warehouse is and why it could not be opened: light enough for the command line to load
// before it knows whether DuckDB is needed at all.

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
