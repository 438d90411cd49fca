// Typed queries for the meta tables. Kysely only compiles them here; they run on the warehouse's own
// connection, so a query built with Kysely takes part in whatever transaction that connection holds.
import { Kysely, type Compilable, type Dialect, type Generated } from 'kysely';
import { DuckDbDialect } from 'kysely-duckdb';
import type { DuckDBValue } from '@duckdb/node-api';
import { listValue } from './duckdb.js';
import type { Warehouse } from './db.js';
import { SETTINGS, type SettingValues } from '../client-settings.js';

/** The settings of one client, as read: their types come from the catalogue of settings. */
export type ClientSettingsRow = { client_id: string } & SettingValues;

// Every setting has a database default, so an insert needs only the client id.
type WithDefaults<T> = { [K in keyof T]: K extends 'client_id' ? T[K] : Generated<T[K]> };

export interface ClientsTable extends WithDefaults<ClientSettingsRow> {
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

// Every meta table as the numbered migrations leave it (migrations/), with its values as a query reads
// them (values.ts toPlain): INTEGER and BIGINT as numbers, TIMESTAMPTZ as ISO 8601 text in UTC, DATE as
// YYYY-MM-DD, JSON as its text, VARCHAR[] as string arrays. META_COLUMNS below lists the same columns at run
// time; test/integration/meta-types.test.ts holds both against a migrated warehouse.

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
  /** JSON: the import's options. */
  options: string;
  imported_at: string;
  /** The names of the file's columns no raw column reads, whose cells each raw row keeps (source_cells). */
  source_headers: string[] | null;
}

export interface UploadRemovalsTable {
  upload_id: number;
  removed_at: string;
  restored_at: string | null;
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

export interface BuildFailuresTable {
  build_id: number;
  client_id: string;
  test: string;
  failing_rows: number;
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

export interface ModelClientStateTable {
  model: string;
  client_id: string;
  /** The client's state the model's rows were built from (models/plan.ts), or a reason to rebuild them. */
  state: string;
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
  /** The data tests the build ran (models/history.ts testsFingerprint). */
  tests_fingerprint: string | null;
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

export interface PreviousVersionsTable {
  model: string;
  /** previous.<layer>__<name>: the output a rule change replaced, for `lasttouch diff`. */
  table_name: string;
  fingerprint: string;
  version: string | null;
  build_id: number;
  kept_at: string;
}

export interface NotificationsTable {
  notification_id: Generated<number>;
  client_id: string;
  kind: string;
  upload_id: number | null;
  month: string | null;
  recipient: string;
  subject: string;
  body_text: string;
  body_html: string;
  status: string;
  attempts: number;
  last_error: string | null;
  delivered_to: string | null;
  created_at: Generated<string>;
  attempted_at: string | null;
  delivered_at: string | null;
}

export interface SchemaMigrationsTable {
  version: number;
  description: string;
  applied_at: string;
  /** SHA-256 of the migration file; null never after migration 7 (older ones are backfilled). */
  checksum: string | null;
}

export interface MetaSchema {
  clients: ClientsTable;
  uploads: UploadsTable;
  upload_removals: UploadRemovalsTable;
  builds: BuildsTable;
  build_failures: BuildFailuresTable;
  model_state: ModelStateTable;
  model_client_state: ModelClientStateTable;
  build_runs: BuildRunsTable;
  model_runs: ModelRunsTable;
  previous_versions: PreviousVersionsTable;
  notifications: NotificationsTable;
  schema_migrations: SchemaMigrationsTable;
}

/** The columns of every meta table, at run time, in the order the migrations create them. */
export const META_COLUMNS = {
  clients: ['client_id', ...SETTINGS.map((setting) => setting.key), 'created_at', 'updated_at'],
  uploads: [
    'upload_id',
    'client_id',
    'platform',
    'file_name',
    'file_sha256',
    'row_count',
    'order_count',
    'window_from',
    'window_to',
    'window_explicit',
    'options',
    'imported_at',
    'source_headers',
  ],
  upload_removals: ['upload_id', 'removed_at', 'restored_at'],
  builds: ['build_id', 'started_at', 'finished_at', 'models_run', 'models_skipped', 'tests_run', 'selector'],
  build_failures: ['build_id', 'client_id', 'test', 'failing_rows'],
  model_state: ['model', 'version', 'fingerprint', 'build_id', 'built_at', 'row_count', 'basis'],
  model_client_state: ['model', 'client_id', 'state'],
  build_runs: ['run_id', 'build_id', 'started_at', 'finished_at', 'status', 'selector', 'full_refresh', 'tests_fingerprint', 'error'],
  model_runs: ['run_id', 'model', 'action', 'clients', 'fingerprint', 'version', 'started_at', 'finished_at', 'row_count', 'status', 'error'],
  previous_versions: ['model', 'table_name', 'fingerprint', 'version', 'build_id', 'kept_at'],
  notifications: [
    'notification_id',
    'client_id',
    'kind',
    'upload_id',
    'month',
    'recipient',
    'subject',
    'body_text',
    'body_html',
    'status',
    'attempts',
    'last_error',
    'delivered_to',
    'created_at',
    'attempted_at',
    'delivered_at',
  ],
  schema_migrations: ['version', 'description', 'applied_at', 'checksum'],
} as const satisfies { readonly [T in keyof MetaSchema]: readonly string[] };

// The compiler holds each interface to its list: a column in one and not the other fails the build. (The
// settings' columns of meta.clients come from the catalogue of settings in both, so only the test checks
// them against the table.)
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type ColumnsAgree = {
  [T in Exclude<keyof MetaSchema, 'clients'>]: SameKeys<keyof MetaSchema[T], (typeof META_COLUMNS)[T][number]>;
};
const columnsAgree: false extends ColumnsAgree[keyof ColumnsAgree] ? never : true = true;
void columnsAgree;

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
 * from Warehouse.all, whose values are those the interfaces above declare (the test holds them to it).
 */
export async function execute<O>(warehouse: Warehouse, query: Compilable<O>): Promise<O[]> {
  const compiled = query.compile();
  return (await warehouse.all(compiled.sql, compiled.parameters.map(toParameter))) as O[];
}

/** The first row of a query, or undefined. */
export async function executeOne<O>(warehouse: Warehouse, query: Compilable<O>): Promise<O | undefined> {
  return (await execute(warehouse, query))[0];
}
