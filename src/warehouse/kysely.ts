// Typed queries for the meta tables. Kysely only compiles them here; they run on the warehouse's own
// connection, so a query built with Kysely takes part in whatever transaction that connection holds.
//
// Kysely and kysely-duckdb are loaded with require(), as DuckDB is (duckdb.ts): imported as ESM,
// kysely-duckdb imports @duckdb/node-api as ESM, and Node scans DuckDB's 120-odd CommonJS files for their
// export names once more; with Kysely's own ESM modules that made loading this file cost about 0.3 s of
// CPU in a command, where their CommonJS builds cost about 0.08 s. Nothing else loads Kysely at run time,
// so there is one copy of it; its types are the same either way.
//
// Even so, those 0.08 s are not nothing, so it is loaded only where that is small beside the command's
// own work: changing client settings, a build that builds, diff, report, the monthly job, and one query
// each of `lasttouch models` and `status` (about 0.38 and 0.47 s of CPU on the demo warehouse, 0.30 and
// 0.37 s without it). Import, query, upload list, a build with nothing to do and a dry run stay plain SQL.
import { createRequire } from 'node:module';
import type * as KyselyModule from 'kysely';
import type { Compilable, DeleteResult, Dialect, InsertResult, MergeResult, UpdateResult } from 'kysely';
import type * as KyselyDuckDb from 'kysely-duckdb';
import type { DuckDBValue } from '@duckdb/node-api';
import { listValue } from './duckdb.js';
import type { Warehouse } from './db.js';
import type { MetaSchema } from './meta-schema.js';

export type * from './meta-schema.js';

const require = createRequire(import.meta.url);
const { Kysely, sql } = require('kysely') as typeof KyselyModule;
const { DuckDbDialect } = require('kysely-duckdb') as typeof KyselyDuckDb;

/** Kysely's sql template, for what the builder has no word for (now()); it is the Kysely that meta is built with. */
export { sql };

export const meta = new Kysely<MetaSchema>({
  // kysely-duckdb's type declarations point at Kysely's CommonJS typings; the runtime is the same class.
  dialect: new DuckDbDialect({
    database: async () => {
      throw new Error('queries are compiled by Kysely and run on the warehouse by execute() and run()');
    },
  }) as unknown as Dialect,
}).withSchema('meta');

function toParameter(value: unknown): DuckDBValue {
  if (Array.isArray(value)) return listValue(value.map(toParameter));
  return value as DuckDBValue;
}

/** What Kysely types as the result of a statement without RETURNING; DuckDB gives a row of its own for it (Count). */
type StatementResult = InsertResult | UpdateResult | DeleteResult | MergeResult;

// Kysely's compiled query carries its row type O without using it, so any query would be assignable to any
// other: these are checked on the O that Kysely infers for the query given.
type ReturnsRows<O> = [O] extends [StatementResult] ? { 'a statement without RETURNING runs with run()': never } : unknown;
type ReturnsNoRows<O> = [O] extends [StatementResult] ? unknown : { 'a query that returns rows runs with execute()': never };

/**
 * The rows of a query, typed as Kysely types them. Their values are those Warehouse.all gives, which the
 * table types of meta-schema.ts declare (test/integration/meta-schema.test.ts holds them to each other);
 * a raw sql<T> expression's value is what its T says, which only the query's own tests check.
 */
export async function execute<O>(warehouse: Warehouse, query: Compilable<O> & ReturnsRows<O>): Promise<O[]> {
  const compiled = query.compile();
  return (await warehouse.all(compiled.sql, compiled.parameters.map(toParameter))) as O[];
}

/** The first row of a query, or undefined when it has none. */
export async function executeOne<O>(warehouse: Warehouse, query: Compilable<O> & ReturnsRows<O>): Promise<O | undefined> {
  return (await execute(warehouse, query))[0];
}

/** Runs an insert, update or delete without RETURNING. */
export async function run<O>(warehouse: Warehouse, query: Compilable<O> & ReturnsNoRows<O>): Promise<void> {
  const compiled = query.compile();
  // Through the reader, as execute() goes: it is what binds an empty list (a setting cleared to no items).
  await warehouse.reader(compiled.sql, compiled.parameters.map(toParameter));
}
