// The typed warehouse boundary: every meta table is declared (src/warehouse/meta-schema.ts) as the
// migrations leave it, and the values a query reads, after the product's own imports and builds wrote
// them, have the types the declarations give them. A migration that adds, drops or renames a column
// without the declaration following fails here; the table types are derived from the list of columns,
// and this test holds the list to the warehouse (meta-schema.test.ts holds their types, NULLs and defaults).
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { SETTINGS } from '../../src/client-settings.js';
import { execute, executeOne, meta, type MetaSchema } from '../../src/warehouse/kysely.js';
import { META_COLUMNS, type MetaTableName } from '../../src/warehouse/meta-schema.js';
import { ONE_ORDER, TestWarehouse } from '../helpers.js';

let warehouse: TestWarehouse;

beforeAll(async () => {
  warehouse = new TestWarehouse();
  await warehouse.client('acme', { timezone: 'America/New_York', platform_priority: ['postscript'] });
  // A column no format reads, kept with each row: its name is listed in meta.uploads.source_headers.
  await warehouse.import({ platform: 'shopify', file: warehouse.file('shopify.csv', ONE_ORDER.shopify.replace('Total\n', 'Total,Note\n').replace('80.00\n', '80.00,gift\n')) });
  const claims = await warehouse.import({
    platform: 'postscript',
    file: warehouse.file('postscript.csv', ONE_ORDER.postscript),
    from: '2026-08-01',
    to: '2026-08-31',
  });
  await warehouse.build();
  await warehouse.removeUpload(claims.uploadId);
  await warehouse.restoreUpload(claims.uploadId);
  await warehouse.build();
});

afterAll(() => warehouse.cleanup());

interface Column {
  table_name: string;
  column_name: string;
  data_type: string;
}

const columns = async (): Promise<Column[]> =>
  (await warehouse.query(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_catalog = current_database() AND table_schema = 'meta' ORDER BY table_name, ordinal_position`,
  )) as unknown as Column[];

/** What a value of a DuckDB type must look like once read (src/warehouse/values.ts). */
function readAs(type: string, value: unknown): boolean {
  if (value === null) return true;
  if (type === 'INTEGER' || type === 'BIGINT') return Number.isSafeInteger(value);
  if (type === 'BOOLEAN') return typeof value === 'boolean';
  if (type === 'DATE') return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  if (type === 'TIMESTAMP WITH TIME ZONE') return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value);
  if (type === 'VARCHAR' || type === 'JSON') return typeof value === 'string';
  if (type === 'VARCHAR[]') return Array.isArray(value) && value.every((item) => typeof item === 'string');
  throw new Error(`no reading declared for ${type}`);
}

/** The columns of a meta table as declared, in order: the client settings (the catalogue's) follow client_id. */
function declaredNames(table: MetaTableName): string[] {
  const names = Object.keys(META_COLUMNS[table]);
  return table === 'clients' ? [...names.slice(0, 1), ...SETTINGS.map((setting) => setting.key), ...names.slice(1)] : names;
}

describe('the meta tables, declared', () => {
  it('declares every meta table, with its columns in the order the migrations create them', async () => {
    const found = new Map<string, string[]>();
    for (const column of await columns()) found.set(column.table_name, [...(found.get(column.table_name) ?? []), column.column_name]);
    expect([...found.keys()].sort()).toEqual(Object.keys(META_COLUMNS).sort());
    for (const [table, names] of found) expect(names, table).toEqual(declaredNames(table as MetaTableName));
  });

  it('reads every value with the type its declaration gives', async () => {
    const byTable = new Map<string, Column[]>();
    for (const column of await columns()) byTable.set(column.table_name, [...(byTable.get(column.table_name) ?? []), column]);
    const withRows: string[] = [];
    for (const [table, tableColumns] of byTable) {
      const rows = await warehouse.with((db) => execute(db, meta.selectFrom(table as keyof MetaSchema).selectAll().limit(5)));
      if (rows.length > 0) withRows.push(table);
      for (const row of rows as Record<string, unknown>[]) {
        for (const column of tableColumns) {
          expect(readAs(column.data_type, row[column.column_name]), `${table}.${column.column_name} (${column.data_type}): ${JSON.stringify(row[column.column_name])}`).toBe(true);
        }
      }
    }
    // Rows of most tables were read (the notifications and build failures of this warehouse are none).
    expect(withRows.sort()).toEqual(
      expect.arrayContaining(['build_runs', 'builds', 'clients', 'model_client_state', 'model_runs', 'model_state', 'schema_migrations', 'upload_removals', 'uploads']),
    );
  });

  it('gives a query its row type, and the rows hold what the type says', async () => {
    const query = meta.selectFrom('model_runs').select(['model', 'row_count', 'clients', 'status']).orderBy('run_id', 'desc');
    const rows = await warehouse.with((db) => execute(db, query));
    expectTypeOf(rows).toEqualTypeOf<{ model: string; row_count: number | null; clients: string[] | null; status: 'built' | 'failed' | 'rolled back' }[]>();
    const claims = rows.find((row) => row.model === 'staging.stg_claims');
    expect(claims?.row_count).toBe(1);
    expect(claims?.status).toBe('built');
    const uploads = await warehouse.with((db) =>
      execute(db, meta.selectFrom('uploads').select(['platform', 'window_from', 'source_headers']).orderBy('upload_id')),
    );
    expectTypeOf(uploads).toEqualTypeOf<{ platform: string; window_from: string | null; source_headers: string[] | null }[]>();
    expect(uploads).toEqual([
      { platform: 'shopify', window_from: null, source_headers: ['Note'] },
      { platform: 'postscript', window_from: '2026-08-01', source_headers: [] },
    ]);
    const settings = await warehouse.with((db) => executeOne(db, meta.selectFrom('clients').select(['platform_priority', 'updated_at'])));
    expectTypeOf(settings?.platform_priority).toEqualTypeOf<string[] | undefined>();
    expect(settings?.platform_priority).toEqual(['postscript']);
  });
});
