// The tables of schema meta as the numbered migrations leave them, listed once: each column with its
// DuckDB type, whether it takes NULL, whether it has a default, and the value Warehouse.all gives for it.
// The Kysely table types (MetaSchema) are derived from this list, and
// test/integration/meta-schema.test.ts holds the list to information_schema.columns of a migrated
// warehouse, so a migration that adds, drops or retypes a column fails that test until it is listed here.
// Modules that only need the types import them with `import type`: this file is then never loaded.
//
// What Warehouse.all gives for each DuckDB type is fixed by toPlain (values.ts), and the same test pins it:
// INTEGER and BIGINT as a number (a BIGINT beyond 2^53 would come back as its digits; no count kept here
// comes near), BOOLEAN as a boolean, VARCHAR as a string, VARCHAR[] as an array of strings, DATE as
// YYYY-MM-DD, TIMESTAMPTZ as ISO 8601 in UTC (2026-08-03T10:00:00.000Z, with microseconds when it has
// them), and JSON as its text, unparsed.
import type { Generated } from 'kysely';
import type { SettingValues } from '../client-settings.js';

/** A column type as information_schema.columns names it (data_type). */
export type DuckDBTypeName = 'INTEGER' | 'BIGINT' | 'BOOLEAN' | 'VARCHAR' | 'VARCHAR[]' | 'DATE' | 'TIMESTAMP WITH TIME ZONE' | 'JSON';

/** One column of a meta table. T is the value Warehouse.all gives for it when it is not NULL. */
export class MetaColumn<T, Nullable extends boolean = false, HasDefault extends boolean = false> {
  // Only a type: it carries T for the derived table types and is never set.
  declare readonly value: T;

  constructor(
    readonly type: DuckDBTypeName,
    /** Whether a value read is one of T: what the test of this list checks every value read against. */
    readonly is: (value: unknown) => value is T,
    readonly nullable: Nullable,
    readonly hasDefault: HasDefault,
    /** The values a CHECK (column IN (...)) allows, when it has one: T is their union. */
    readonly values: readonly string[] | null = null,
  ) {}

  orNull(): MetaColumn<T, true, HasDefault> {
    return new MetaColumn(this.type, this.is, true, this.hasDefault, this.values);
  }

  withDefault(): MetaColumn<T, Nullable, true> {
    return new MetaColumn(this.type, this.is, this.nullable, true, this.values);
  }
}

const isNumber = (value: unknown): value is number => typeof value === 'number';
const isString = (value: unknown): value is string => typeof value === 'string';

const integer = () => new MetaColumn('INTEGER', isNumber, false, false);
const bigint = () => new MetaColumn('BIGINT', isNumber, false, false);
const boolean = () => new MetaColumn('BOOLEAN', (value): value is boolean => typeof value === 'boolean', false, false);
const varchar = () => new MetaColumn('VARCHAR', isString, false, false);
/** A VARCHAR that a CHECK holds to a list of values. */
const oneOf = <const V extends string>(...values: V[]) =>
  new MetaColumn('VARCHAR', (value): value is V => (values as unknown[]).includes(value), false, false, values);
const varcharList = () =>
  new MetaColumn('VARCHAR[]', (value): value is string[] => Array.isArray(value) && value.every(isString), false, false);
const date = () => new MetaColumn('DATE', (value): value is string => isString(value) && /^\d{4}-\d{2}-\d{2}$/.test(value), false, false);
const timestamptz = () =>
  new MetaColumn(
    'TIMESTAMP WITH TIME ZONE',
    (value): value is string => isString(value) && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(\d{3})?Z$/.test(value),
    false,
    false,
  );
/** A JSON column: its text, to JSON.parse. */
const json = () => new MetaColumn('JSON', isString, false, false);

export const META_COLUMNS = {
  /** The columns of meta.clients besides the settings, which come from the catalogue (client-settings.ts). */
  clients: {
    client_id: varchar(),
    created_at: timestamptz().withDefault(),
    updated_at: timestamptz().withDefault(),
  },
  uploads: {
    upload_id: integer().withDefault(),
    client_id: varchar(),
    platform: varchar(),
    file_name: varchar(),
    file_sha256: varchar(),
    row_count: integer(),
    order_count: integer(),
    /** Only a window given with --from/--to is kept; the models derive the others. */
    window_from: date().orNull(),
    window_to: date().orNull(),
    window_explicit: boolean(),
    options: json(),
    imported_at: timestamptz().withDefault(),
    /** The headers of the file's cells that no raw column holds, in their order; null before migration 2 backfilled it. */
    source_headers: varcharList().orNull(),
  },
  upload_removals: {
    upload_id: integer(),
    removed_at: timestamptz().withDefault(),
    /** Set when the upload is brought back. */
    restored_at: timestamptz().orNull(),
  },
  builds: {
    build_id: integer().withDefault(),
    started_at: timestamptz(),
    finished_at: timestamptz(),
    models_run: integer(),
    models_skipped: integer(),
    tests_run: integer(),
    selector: varchar().orNull(),
  },
  build_failures: {
    build_id: integer(),
    client_id: varchar(),
    test: varchar(),
    failing_rows: bigint(),
  },
  model_state: {
    model: varchar(),
    version: varchar().orNull(),
    fingerprint: varchar(),
    build_id: integer(),
    built_at: timestamptz(),
    row_count: bigint(),
    /** What the fingerprint was made of (models/plan.ts Basis); null when recorded before migration 7. */
    basis: json().orNull(),
  },
  model_client_state: {
    model: varchar(),
    client_id: varchar(),
    state: varchar(),
  },
  build_runs: {
    run_id: integer().withDefault(),
    /** The published build; null for a build that failed. */
    build_id: integer().orNull(),
    started_at: timestamptz(),
    finished_at: timestamptz(),
    status: oneOf('built', 'held back', 'failed'),
    selector: varchar().orNull(),
    full_refresh: boolean(),
    /** A hash of the SQL of the data tests the build ran. */
    tests_fingerprint: varchar().orNull(),
    error: varchar().orNull(),
  },
  model_runs: {
    run_id: integer(),
    model: varchar(),
    action: oneOf('build', 'update'),
    /** The clients an update rebuilt; null for a build of every client. */
    clients: varcharList().orNull(),
    fingerprint: varchar(),
    version: varchar().orNull(),
    started_at: timestamptz(),
    finished_at: timestamptz(),
    row_count: bigint().orNull(),
    status: oneOf('built', 'failed', 'rolled back'),
    error: varchar().orNull(),
  },
  previous_versions: {
    model: varchar(),
    /** Where the previous output is kept: previous.<layer>__<name>. */
    table_name: varchar(),
    fingerprint: varchar(),
    version: varchar().orNull(),
    build_id: integer(),
    kept_at: timestamptz(),
  },
  notifications: {
    notification_id: integer().withDefault(),
    client_id: varchar(),
    kind: oneOf('import-complete', 'monthly-report'),
    upload_id: integer().orNull(),
    /** The first day of the month a monthly report is for. */
    month: date().orNull(),
    recipient: varchar(),
    subject: varchar(),
    body_text: varchar(),
    body_html: varchar(),
    status: oneOf('pending', 'sent', 'written', 'failed'),
    attempts: integer().withDefault(),
    last_error: varchar().orNull(),
    delivered_to: varchar().orNull(),
    created_at: timestamptz().withDefault(),
    attempted_at: timestamptz().orNull(),
    delivered_at: timestamptz().orNull(),
  },
  schema_migrations: {
    version: integer(),
    description: varchar(),
    applied_at: timestamptz().withDefault(),
    /** SHA-256 of the migration file; null only in a warehouse opened before migration 7 was applied. */
    checksum: varchar().orNull(),
  },
} as const;

export type MetaTableName = keyof typeof META_COLUMNS;

/** A column as Kysely takes it: the value read (null when the column takes NULL), optional in an insert when it has a default. */
type Declared<C> =
  C extends MetaColumn<infer T, infer Nullable, infer HasDefault>
    ? HasDefault extends true
      ? Generated<Nullable extends true ? T | null : T>
      : Nullable extends true
        ? T | null
        : T
    : never;

/** The Kysely table type of a list of columns. */
export type TableOf<Columns> = { -readonly [K in keyof Columns]: Declared<Columns[K]> };

/** The settings of one client, as read: their types come from the catalogue of settings. */
export type ClientSettingsRow = { client_id: string } & SettingValues;

// Every setting has a database default, or takes NULL, so an insert needs only the client id.
type Defaulted<T> = { [K in keyof T]: Generated<T[K]> };

export interface ClientsTable extends TableOf<typeof META_COLUMNS.clients>, Defaulted<SettingValues> {}
export interface UploadsTable extends TableOf<typeof META_COLUMNS.uploads> {}
export interface UploadRemovalsTable extends TableOf<typeof META_COLUMNS.upload_removals> {}
export interface BuildsTable extends TableOf<typeof META_COLUMNS.builds> {}
export interface BuildFailuresTable extends TableOf<typeof META_COLUMNS.build_failures> {}
export interface ModelStateTable extends TableOf<typeof META_COLUMNS.model_state> {}
export interface ModelClientStateTable extends TableOf<typeof META_COLUMNS.model_client_state> {}
export interface BuildRunsTable extends TableOf<typeof META_COLUMNS.build_runs> {}
export interface ModelRunsTable extends TableOf<typeof META_COLUMNS.model_runs> {}
export interface PreviousVersionsTable extends TableOf<typeof META_COLUMNS.previous_versions> {}
export interface NotificationsTable extends TableOf<typeof META_COLUMNS.notifications> {}
export interface SchemaMigrationsTable extends TableOf<typeof META_COLUMNS.schema_migrations> {}

/** Schema meta, table by table, as Kysely types its queries (see kysely.ts). */
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
