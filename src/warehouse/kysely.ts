// Typed queries for the meta tables. Kysely only compiles them here; they run on the warehouse's own
// connection, so a query built with Kysely takes part in whatever transaction that connection holds.
import { Kysely, type Compilable, type Dialect } from 'kysely';
import { DuckDbDialect } from 'kysely-duckdb';
import type { DuckDBValue } from '@duckdb/node-api';
import { listValue } from './duckdb.js';
import type { Warehouse } from './db.js';
import type { MetaSchema } from './meta-schema.js';

export type * from './meta-schema.js';

export const meta = new Kysely<MetaSchema>({
  // kysely-duckdb's type declarations point at Kysely's CommonJS typings; the runtime is the same class.
  dialect: new DuckDbDialect({
    database: async () => {
      throw new Error('queries are compiled by Kysely and run through Warehouse.execute');
    },
  }) as unknown as Dialect,
}).withSchema('meta');

function toParameter(value: unknown): DuckDBValue {
  if (Array.isArray(value)) return listValue(value.map(toParameter));
  return value as DuckDBValue;
}

/**
 * Runs a query Kysely compiled and gives its rows with the type Kysely inferred for them. The rows come
 * from Warehouse.all, whose values are those the table types of meta-schema.ts declare (the tests hold them to it).
 */
export async function execute<O>(warehouse: Warehouse, query: Compilable<O>): Promise<O[]> {
  const compiled = query.compile();
  return (await warehouse.all(compiled.sql, compiled.parameters.map(toParameter))) as O[];
}

/** The first row of a query, or undefined. */
export async function executeOne<O>(warehouse: Warehouse, query: Compilable<O>): Promise<O | undefined> {
  return (await execute(warehouse, query))[0];
}
