// The meta and raw schemas change only through these numbered migrations, applied in order, once each,
// each in its own transaction. Append new ones; never edit one that has shipped.
import type { Warehouse } from './db.js';

interface Migration {
  version: number;
  description: string;
  sql: string;
}

const CLAIM_SOURCE_COLUMNS = `
  upload_id INTEGER NOT NULL,
  line INTEGER NOT NULL,
  order_id VARCHAR,
  order_name VARCHAR,
  order_created_at TIMESTAMPTZ NOT NULL,
  revenue DECIMAL(18,2) NOT NULL,
  currency VARCHAR,
  message_id VARCHAR,
  message_name VARCHAR,
  email VARCHAR,
`;

/** Migration 2 rewrites the raw tables; these are their NOT NULL columns besides source_cells. */
const RAW_TABLES = [
  { table: 'postscript_claims', notNull: ['upload_id', 'line', 'order_created_at', 'revenue', 'attribution_type'] },
  { table: 'klaviyo_claims', notNull: ['upload_id', 'line', 'order_created_at', 'revenue', 'channel', 'touch_type'] },
  { table: 'shopify_order_lines', notNull: ['upload_id', 'line', 'order_name', 'is_order_row'] },
] as const;
const asMap = (json: string): string => `json_transform(${json}, '"MAP(VARCHAR, VARCHAR)"')`;

/** Migration 4 keeps timestamps as written; these are the raw tables' timestamp columns. */
const RAW_TIMESTAMPS = [
  { table: 'postscript_claims', columns: ['order_created_at', 'sent_at', 'clicked_at'] },
  { table: 'klaviyo_claims', columns: ['order_created_at', 'touch_at', 'send_ts'] },
  { table: 'shopify_order_lines', columns: ['paid_at', 'cancelled_at', 'created_at'] },
] as const;
/** A timestamp as the export wrote it: its wall-clock time and its offset in minutes (NULL: none given). */
export const WRITTEN_TIMESTAMP = 'STRUCT(wall TIMESTAMP, offset_minutes SMALLINT)';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'clients, uploads, builds and the append-only raw tables',
    sql: `
      CREATE SCHEMA IF NOT EXISTS meta;
      CREATE SCHEMA IF NOT EXISTS raw;

      CREATE TABLE meta.clients (
        client_id VARCHAR PRIMARY KEY,
        view_only VARCHAR NOT NULL DEFAULT 'include' CHECK (view_only IN ('include', 'exclude')),
        model VARCHAR NOT NULL DEFAULT 'flat' CHECK (model IN ('flat', 'click-priority')),
        timezone VARCHAR NOT NULL DEFAULT 'UTC',
        source_timezone VARCHAR NOT NULL DEFAULT 'UTC',
        currency VARCHAR NOT NULL DEFAULT 'USD',
        platform_priority VARCHAR[] NOT NULL DEFAULT [],
        notify VARCHAR,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );

      CREATE SEQUENCE meta.upload_id_seq START 1;
      CREATE TABLE meta.uploads (
        upload_id INTEGER PRIMARY KEY DEFAULT nextval('meta.upload_id_seq'),
        client_id VARCHAR NOT NULL,
        platform VARCHAR NOT NULL CHECK (platform IN ('postscript', 'klaviyo', 'shopify')),
        file_name VARCHAR NOT NULL,
        file_sha256 VARCHAR NOT NULL,
        row_count INTEGER NOT NULL,
        order_count INTEGER NOT NULL,
        window_from DATE,
        window_to DATE,
        window_explicit BOOLEAN NOT NULL,
        options JSON NOT NULL,
        imported_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        UNIQUE (client_id, platform, file_sha256)
      );

      CREATE TABLE raw.postscript_claims (
        ${CLAIM_SOURCE_COLUMNS}
        attribution_type VARCHAR NOT NULL,
        message_type VARCHAR,
        sent_at TIMESTAMPTZ,
        clicked_at TIMESTAMPTZ,
        minutes_from_action DOUBLE,
        subscriber_phone VARCHAR,
        subscriber_phone_e164 VARCHAR,
        subscriber_id VARCHAR,
        customer_id VARCHAR,
        coupon_code VARCHAR,
        source_record JSON NOT NULL
      );

      CREATE TABLE raw.klaviyo_claims (
        ${CLAIM_SOURCE_COLUMNS}
        event_id VARCHAR,
        channel VARCHAR NOT NULL,
        touch_type VARCHAR NOT NULL,
        flow_id VARCHAR,
        flow_name VARCHAR,
        touch_at TIMESTAMPTZ,
        send_ts TIMESTAMPTZ,
        phone VARCHAR,
        phone_e164 VARCHAR,
        source_record JSON NOT NULL
      );

      CREATE TABLE raw.shopify_order_lines (
        upload_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        order_name VARCHAR NOT NULL,
        order_id VARCHAR,
        is_order_row BOOLEAN NOT NULL,
        email VARCHAR,
        phone VARCHAR,
        phone_e164 VARCHAR,
        financial_status VARCHAR,
        paid_at TIMESTAMPTZ,
        cancelled_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ,
        currency VARCHAR,
        subtotal DECIMAL(18,2),
        shipping DECIMAL(18,2),
        taxes DECIMAL(18,2),
        total DECIMAL(18,2),
        discount_code VARCHAR,
        discount_amount DECIMAL(18,2),
        refunded_amount DECIMAL(18,2),
        source VARCHAR,
        tags VARCHAR,
        lineitem_quantity INTEGER,
        lineitem_name VARCHAR,
        lineitem_price DECIMAL(18,2),
        lineitem_sku VARCHAR,
        source_record JSON NOT NULL
      );

      CREATE SEQUENCE meta.build_id_seq START 1;
      CREATE TABLE meta.builds (
        build_id INTEGER PRIMARY KEY DEFAULT nextval('meta.build_id_seq'),
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ NOT NULL,
        models_run INTEGER NOT NULL,
        models_skipped INTEGER NOT NULL,
        tests_run INTEGER NOT NULL,
        selector VARCHAR
      );

      CREATE TABLE meta.model_state (
        model VARCHAR PRIMARY KEY,
        version VARCHAR,
        fingerprint VARCHAR NOT NULL,
        build_id INTEGER NOT NULL,
        built_at TIMESTAMPTZ NOT NULL,
        row_count BIGINT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'raw rows keep the cells of the columns the importer does not read, named once per upload',
    // The bulk loader keeps, of every row, the cells that no raw column holds, as a list in the order of
    // meta.uploads.source_headers. Rows imported before this migration kept all their cells as a JSON
    // object; they move over whole (every header, every cell, in their order), so nothing is lost.
    sql: `
      ALTER TABLE meta.uploads ADD COLUMN source_headers VARCHAR[];
      UPDATE meta.uploads AS u SET source_headers = s.headers
      FROM (
        ${RAW_TABLES.map(
          ({ table }) => `SELECT upload_id, map_keys(${asMap('any_value(source_record)')}) AS headers FROM raw.${table} GROUP BY upload_id`,
        ).join(' UNION ALL ')}
      ) AS s
      WHERE s.upload_id = u.upload_id;
      ${RAW_TABLES.map(
        ({ table, notNull }) => `
      CREATE TABLE raw.${table}_v2 AS
        SELECT * EXCLUDE (source_record), map_values(${asMap('source_record')}) AS source_cells FROM raw.${table} LIMIT 0;
      ${[...notNull, 'source_cells'].map((column) => `ALTER TABLE raw.${table}_v2 ALTER COLUMN ${column} SET NOT NULL;`).join(' ')}
      INSERT INTO raw.${table}_v2
        SELECT * EXCLUDE (source_record), map_values(${asMap('source_record')}) FROM raw.${table} ORDER BY upload_id, line;
      DROP TABLE raw.${table};
      ALTER TABLE raw.${table}_v2 RENAME TO ${table};`,
      ).join('\n')}
    `,
  },
  {
    version: 3,
    description: 'per model and client, the state of the client the model was last built for',
    sql: `
      CREATE TABLE meta.model_client_state (
        model VARCHAR NOT NULL,
        client_id VARCHAR NOT NULL,
        state VARCHAR NOT NULL,
        PRIMARY KEY (model, client_id)
      );
    `,
  },
  {
    version: 4,
    description: 'timestamps kept as written, removable uploads, windows only where given, clients held back by a build',
    // Raw timestamps were instants, naive ones read in the client's source_timezone at import; they are
    // now kept as written and every build reads them (sql/macros/time.sql). Rows imported before this
    // migration no longer know which of their times were naive: each keeps its instant exactly, as a UTC
    // wall time with offset 0, so no figure changes; a later change of source_timezone applies to them
    // after a re-import. A window computed from first and last order dates is the models' to derive, so
    // only a window given with --from/--to stays on the upload.
    sql: `
      ${RAW_TIMESTAMPS.flatMap(({ table, columns }) =>
        columns.map(
          (column) =>
            `ALTER TABLE raw.${table} ALTER COLUMN ${column} SET DATA TYPE ${WRITTEN_TIMESTAMP}
               USING CASE WHEN ${column} IS NOT NULL THEN struct_pack(wall := timezone('UTC', ${column}), offset_minutes := CAST(0 AS SMALLINT)) END;`,
        ),
      ).join('\n      ')}
      UPDATE meta.uploads SET window_from = NULL, window_to = NULL WHERE NOT window_explicit;

      CREATE TABLE meta.upload_removals (
        upload_id INTEGER NOT NULL,
        removed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        restored_at TIMESTAMPTZ
      );

      CREATE TABLE meta.build_failures (
        build_id INTEGER NOT NULL,
        client_id VARCHAR NOT NULL,
        test VARCHAR NOT NULL,
        failing_rows BIGINT NOT NULL,
        PRIMARY KEY (build_id, client_id, test)
      );
    `,
  },
  {
    version: 5,
    description: 'e-mail notifications: one row per message and recipient, with its delivery status',
    // One row per recipient, so that a refused address is retried alone. The message is kept whole, so
    // that a retry sends what the import or the monthly run said at the time. Status: pending (queued in
    // the same write as what it announces; a command that ends before delivering leaves it so), sent
    // (accepted by the SMTP server), written (an .eml file in the outbox), failed (last_error says why).
    sql: `
      CREATE SEQUENCE meta.notification_id_seq START 1;
      CREATE TABLE meta.notifications (
        notification_id INTEGER PRIMARY KEY DEFAULT nextval('meta.notification_id_seq'),
        client_id VARCHAR NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('import-complete', 'monthly-report')),
        upload_id INTEGER,
        month DATE,
        recipient VARCHAR NOT NULL,
        subject VARCHAR NOT NULL,
        body_text VARCHAR NOT NULL,
        body_html VARCHAR NOT NULL,
        status VARCHAR NOT NULL CHECK (status IN ('pending', 'sent', 'written', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error VARCHAR,
        delivered_to VARCHAR,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        attempted_at TIMESTAMPTZ,
        delivered_at TIMESTAMPTZ
      );
    `,
  },
  {
    version: 6,
    description: 'uploads of any platform that has an export format',
    // The platforms were a fixed list in a CHECK; a platform is now any export format declared under
    // src/ingest/formats/, whose raw table is created from its declaration (format-tables.ts). DuckDB
    // cannot drop a constraint, so the table is rebuilt with its rows, ids and keys as they are.
    sql: `
      CREATE TABLE meta.uploads_v6 (
        upload_id INTEGER PRIMARY KEY DEFAULT nextval('meta.upload_id_seq'),
        client_id VARCHAR NOT NULL,
        platform VARCHAR NOT NULL CHECK (regexp_full_match(platform, '[a-z][a-z0-9_]*')),
        file_name VARCHAR NOT NULL,
        file_sha256 VARCHAR NOT NULL,
        row_count INTEGER NOT NULL,
        order_count INTEGER NOT NULL,
        window_from DATE,
        window_to DATE,
        window_explicit BOOLEAN NOT NULL,
        options JSON NOT NULL,
        imported_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        source_headers VARCHAR[],
        UNIQUE (client_id, platform, file_sha256)
      );
      INSERT INTO meta.uploads_v6 BY NAME SELECT * FROM meta.uploads ORDER BY upload_id;
      DROP TABLE meta.uploads;
      ALTER TABLE meta.uploads_v6 RENAME TO uploads;
    `,
  },
];

/** The schema version this build of lasttouch reads and writes. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((migration) => migration.version));

/** The newest migration applied to a warehouse (0 when none). */
export async function schemaVersion(warehouse: Warehouse): Promise<number> {
  const row = await warehouse
    .one('SELECT coalesce(max(version), 0) AS version FROM meta.schema_migrations')
    .catch(() => undefined);
  return Number(row?.version ?? 0);
}

export async function migrate(warehouse: Warehouse): Promise<void> {
  await warehouse.run(`CREATE SCHEMA IF NOT EXISTS meta;
    CREATE TABLE IF NOT EXISTS meta.schema_migrations (
      version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  const applied = new Set(
    (await warehouse.all('SELECT version FROM meta.schema_migrations')).map((row) => Number(row.version)),
  );
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await warehouse.transaction(async () => {
      await warehouse.run(migration.sql);
      await warehouse.run('INSERT INTO meta.schema_migrations (version, description) VALUES ($1, $2)', [
        migration.version,
        migration.description,
      ]);
    });
  }
}
