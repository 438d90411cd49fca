// A warehouse written by an earlier version (meta schema 3: raw timestamps stored as instants) upgrades
// in place: every raw timestamp keeps its exact instant (as a UTC wall time with offset 0), a window
// that was computed at import gives way to the models' own, nothing imported is lost, and the marts come
// out the same. A read-only command that needs the new meta tables says how to upgrade instead of failing.
// Uploads then take any platform that has an export format, and a format's raw table exists once declared.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { cli, TestWarehouse } from '../helpers.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/warehouse/migrations.js';
import { FORMATS } from '../../src/ingest/registry.js';

const warehouse = new TestWarehouse();
afterAll(() => warehouse.cleanup());

/** Writes a schema-3 warehouse with one client, one Postscript upload of two claims, as version 3 did. */
async function writeSchema3(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await connection.run(`CREATE SCHEMA meta; CREATE TABLE meta.schema_migrations (
    version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  for (const migration of MIGRATIONS.filter((m) => m.version <= 3)) {
    await connection.run(migration.sql);
    await connection.run(`INSERT INTO meta.schema_migrations (version, description) VALUES (${migration.version}, 'old')`);
  }
  await connection.run(`INSERT INTO meta.clients (client_id, timezone, source_timezone) VALUES ('acme', 'UTC', 'America/New_York')`);
  // Imported naive "2026-07-01 09:00:00" in New York: stored as the instant 13:00Z; the window the
  // importer computed (first and last order dates) stored on the upload.
  await connection.run(`INSERT INTO meta.uploads (upload_id, client_id, platform, file_name, file_sha256, row_count, order_count,
      window_from, window_to, window_explicit, options, source_headers)
    VALUES (1, 'acme', 'postscript', 'old.csv', 'abc', 2, 2, '2026-07-01', '2026-07-02', false, '{}', [])`);
  await connection.run(`INSERT INTO raw.postscript_claims (upload_id, line, order_id, order_created_at, revenue, attribution_type, sent_at, source_cells)
    VALUES (1, 2, '1', '2026-07-01 13:00:00+00', 10.00, 'click', '2026-07-01 12:00:00+00', []),
           (1, 3, '2', '2026-07-02 13:00:00+00', 20.00, 'view', NULL, [])`);
  connection.closeSync();
  instance.closeSync();
}

describe('upgrading a warehouse of meta schema 3', () => {
  const path = join(warehouse.dir, 'old.duckdb');

  it('is refused by status, with how to upgrade it, and left as it was', async () => {
    await writeSchema3(path);
    const status = cli(['--db', path, 'status']);
    expect(status.status).toBe(1);
    expect(status.stderr).toContain(`was written by an earlier lasttouch (schema 3; this version reads ${SCHEMA_VERSION}): run \`lasttouch build\` once to upgrade it`);
  });

  it('keeps every instant, derives the inferred window, and builds the same figures', () => {
    const build = cli(['--db', path, 'build']);
    expect(build.status, build.stderr).toBe(0);
    const query = (sql: string): unknown => JSON.parse(cli(['--db', path, 'query', sql, '--format', 'json']).stdout);
    expect(query('SELECT line, order_created_at, sent_at FROM raw.postscript_claims ORDER BY line')).toEqual([
      { line: 2, order_created_at: { wall: '2026-07-01T13:00:00.000Z', offset_minutes: 0 }, sent_at: { wall: '2026-07-01T12:00:00.000Z', offset_minutes: 0 } },
      { line: 3, order_created_at: { wall: '2026-07-02T13:00:00.000Z', offset_minutes: 0 }, sent_at: null },
    ]);
    // the client's source_timezone (New York) no longer shifts them: they were exact already
    expect(query('SELECT order_id, order_created_at, reported_touch_at FROM staging.stg_claims ORDER BY order_id')).toEqual([
      { order_id: '1', order_created_at: '2026-07-01T13:00:00.000Z', reported_touch_at: '2026-07-01T12:00:00.000Z' },
      { order_id: '2', order_created_at: '2026-07-02T13:00:00.000Z', reported_touch_at: null },
    ]);
    expect(query('SELECT window_from, window_to, window_explicit FROM meta.uploads')).toEqual([
      { window_from: null, window_to: null, window_explicit: false },
    ]);
    expect(query('SELECT window_from, window_to FROM dedup.dedup_upload_windows')).toEqual([
      { window_from: '2026-07-01', window_to: '2026-07-02' },
    ]);
    expect(query('SELECT month, platform_revenue, last_touch_revenue FROM marts.revenue_summary')).toEqual([
      { month: '2026-07-01', platform_revenue: 30, last_touch_revenue: 30 },
    ]);
    expect(cli(['--db', path, 'status']).status).toBe(0);
  });

  it('takes uploads of any declared platform, keeps ids and keys, and creates the tables of formats added since', async () => {
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const rows = async (sql: string): Promise<unknown[]> => (await connection.runAndReadAll(sql)).getRowObjectsJson();
    try {
      expect(await rows('SELECT upload_id, platform, file_name FROM meta.uploads')).toEqual([
        { upload_id: 1, platform: 'postscript', file_name: 'old.csv' },
      ]);
      const insert = (id: number, platform: string, sha: string) =>
        connection.run(`INSERT INTO meta.uploads (upload_id, client_id, platform, file_name, file_sha256, row_count, order_count,
            window_explicit, options) VALUES (${id}, 'acme', '${platform}', 'f.csv', '${sha}', 0, 0, false, '{}')`);
      await insert(2, 'attentive', 'def');
      await expect(insert(3, 'Not A Platform', 'ghi')).rejects.toThrow(/CHECK constraint/i);
      await expect(insert(2, 'klaviyo', 'jkl')).rejects.toThrow(/PRIMARY KEY|duplicate key/i);
      await expect(insert(4, 'attentive', 'def')).rejects.toThrow(/duplicate key|unique/i);
      // Every declared format has its raw table, one without a numbered migration too, and claim_rows reads them.
      const tables = (await rows(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw'`)).map((row) => (row as { table_name: string }).table_name);
      expect(tables.sort()).toEqual(Object.values(FORMATS).map((format) => format.rawTable).sort());
      expect(await rows('SELECT platform, line FROM raw.claim_rows ORDER BY line')).toEqual([
        { platform: 'postscript', line: 2 },
        { platform: 'postscript', line: 3 },
      ]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('records the checksum of every migration, the ones applied before checksums were kept included', async () => {
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    try {
      const rows = (await connection.runAndReadAll('SELECT version, checksum FROM meta.schema_migrations ORDER BY version')).getRowObjectsJson();
      expect(rows).toEqual(MIGRATIONS.map((migration) => ({ version: migration.version, checksum: migration.checksum })));
      // A warehouse that applied a migration other than the file of that number now ships is not written.
      await connection.run(`UPDATE meta.schema_migrations SET checksum = repeat('0', 64) WHERE version = 2`);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const refused = cli(['--db', path, 'client', 'set', 'acme', '--currency', 'EUR']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('migration 2 (migrations/0002_raw_rows_keep_the_cells_of.sql) is not the one this warehouse applied (checksum 000000000000');
    expect(JSON.parse(cli(['--db', path, 'query', 'SELECT currency FROM meta.clients', '--format', 'json']).stdout)).toEqual([{ currency: 'USD' }]);
  });

});
