// @duckdb/node-api, loaded with require(). It is CommonJS, and its index re-exports its 120-odd files:
// imported as ESM, Node first scans every one of them for the names it exports (cjs-module-lexer), which
// costs about 0.25 s of CPU in every process, more than loading them. require() skips the scan. It is the
// same module either way (Node's CommonJS cache), so instanceof agrees with an `import` of it elsewhere.
// Import DuckDB's classes and functions from here; its types, from '@duckdb/node-api' with `import type`.
import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';

const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDB;

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
