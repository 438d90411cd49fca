// @duckdb/node-api, loaded with require(). It is CommonJS, and its index re-exports its 120-odd files:
// imported as ESM, Node first scans every one of them for the names it exports (cjs-module-lexer), which
// costs about 0.25 s of CPU in every process, more than loading them. require() skips the scan.
//
// It is loaded from dist/vendor/duckdb-node-api.cjs, the same client in one file (made by `npm run build`,
// scripts/bundle-duckdb.mjs), which loads in about half the time, when that file was made from the client
// installed here and finds the same native bindings; else from the package itself. Either way it is then
// the module every require('@duckdb/node-api') gives (Node's CommonJS cache), so that instanceof agrees
// with kysely-duckdb's and any other import of it.
// Import DuckDB's classes and functions from here; its types, from '@duckdb/node-api' with `import type`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as DuckDB from '@duckdb/node-api';
import { projectRoot } from '../project.js';

const require = createRequire(import.meta.url);

/** Where the client came from: its file in one (`bundle`), or its package. */
export type DuckDBSource = 'bundle' | 'package';

function versionIn(file: string): string | null {
  try {
    const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}

/** The client, from the bundle in dir when it was made from the installed package, else from the package. */
export function loadDuckDB(dir = join(projectRoot(), 'dist', 'vendor')): { duckdb: typeof DuckDB; source: DuckDBSource } {
  const main = require.resolve('@duckdb/node-api');
  const bundle = join(dir, 'duckdb-node-api.cjs');
  const fits = (): boolean => {
    if (require.cache[main] !== undefined) return false;
    const installed = versionIn(require.resolve('@duckdb/node-api/package.json'));
    if (installed === null || versionIn(join(dir, 'duckdb-node-api.json')) !== installed) return false;
    try {
      return createRequire(bundle).resolve('@duckdb/node-bindings') === createRequire(main).resolve('@duckdb/node-bindings');
    } catch {
      return false;
    }
  };
  if (!fits()) return { duckdb: require(main) as typeof DuckDB, source: 'package' };
  const duckdb = require(bundle) as typeof DuckDB;
  require.cache[main] = require.cache[bundle];
  return { duckdb, source: 'bundle' };
}

const loaded = loadDuckDB();
const duckdb = loaded.duckdb;
/** Where this process's DuckDB client came from (tested: the built command line loads the bundle). */
export const duckdbSource: DuckDBSource = loaded.source;

export const {
  DuckDBArrayValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  LIST,
  StatementType,
  VARCHAR,
  dateValue,
  listValue,
} = duckdb;
export type DuckDBArrayValue = DuckDB.DuckDBArrayValue;
export type DuckDBBlobValue = DuckDB.DuckDBBlobValue;
export type DuckDBDateValue = DuckDB.DuckDBDateValue;
export type DuckDBDecimalValue = DuckDB.DuckDBDecimalValue;
export type DuckDBInstance = DuckDB.DuckDBInstance;
export type DuckDBListValue = DuckDB.DuckDBListValue;
export type DuckDBMapValue = DuckDB.DuckDBMapValue;
export type DuckDBStructValue = DuckDB.DuckDBStructValue;
export type DuckDBTimestampMillisecondsValue = DuckDB.DuckDBTimestampMillisecondsValue;
export type DuckDBTimestampNanosecondsValue = DuckDB.DuckDBTimestampNanosecondsValue;
export type DuckDBTimestampSecondsValue = DuckDB.DuckDBTimestampSecondsValue;
export type DuckDBTimestampTZValue = DuckDB.DuckDBTimestampTZValue;
export type DuckDBTimestampValue = DuckDB.DuckDBTimestampValue;
export type StatementType = DuckDB.StatementType;
