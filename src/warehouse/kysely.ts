// Typed queries for the meta tables. Kysely only compiles them here; they run on the warehouse's own
// connection, so a query built with Kysely takes part in whatever transaction that connection holds.
import { Kysely, type Compilable, type Dialect, type Generated } from 'kysely';
import { DuckDbDialect } from 'kysely-duckdb';
import type { DuckDBValue } from '@duckdb/node-api';
import { listValue } from './duckdb.js';
import type { Row, Warehouse } from './db.js';
import type { SettingValues } from '../client-settings.js';

/** The settings of one client, as read: their types come from the catalogue of settings. */
export type ClientSettingsRow = { client_id: string } & SettingValues;

// Every setting has a database default, so an insert needs only the client id.
type WithDefaults<T> = { [K in keyof T]: K extends 'client_id' ? T[K] : Generated<T[K]> };

export interface ClientsTable extends WithDefaults<ClientSettingsRow> {
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface UploadsTable {
  upload_id: number;
  client_id: string;
  platform: string;
  file_name: string;
  file_sha256: string;
  row_count: number;
  order_count: number;
  window_from: string | null;
  window_to: string | null;
  window_explicit: boolean;
  options: string;
  imported_at: string;
}

export interface BuildsTable {
  build_id: number;
  started_at: string;
  finished_at: string;
  models_run: number;
  models_skipped: number;
  tests_run: number;
  selector: string | null;
}

export interface ModelStateTable {
  model: string;
  version: string | null;
  fingerprint: string;
  build_id: number;
  built_at: string;
  row_count: number;
  /** JSON: what the fingerprint was made of (models/plan.ts Basis); null when recorded before migration 7. */
  basis: string | null;
}

export interface BuildRunsTable {
  run_id: Generated<number>;
  /** The published build; null for a build that failed. */
  build_id: number | null;
  started_at: string;
  finished_at: string;
  status: 'built' | 'held back' | 'failed';
  selector: string | null;
  full_refresh: boolean;
  error: string | null;
}

export interface ModelRunsTable {
  run_id: number;
  model: string;
  action: 'build' | 'update';
  clients: string[] | null;
  fingerprint: string;
  version: string | null;
  started_at: string;
  finished_at: string;
  row_count: number | null;
  status: 'built' | 'failed' | 'rolled back';
  error: string | null;
}

export interface MetaSchema {
  clients: ClientsTable;
  uploads: UploadsTable;
  builds: BuildsTable;
  model_state: ModelStateTable;
  build_runs: BuildRunsTable;
  model_runs: ModelRunsTable;
}

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

export async function execute(warehouse: Warehouse, query: Compilable): Promise<Row[]> {
  const compiled = query.compile();
  return warehouse.all(compiled.sql, compiled.parameters.map(toParameter));
}
