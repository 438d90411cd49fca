// The list of the meta tables (src/warehouse/meta-schema.ts), from which their Kysely types derive, is the
// schema the numbered migrations leave: the same tables, the same columns with the same DuckDB types,
// NULLs, defaults and CHECKed values; and every value Warehouse.all gives for a column is the one its
// type declares.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { Insertable, Selectable, UpdateResult } from 'kysely';
import { SETTINGS } from '../../src/client-settings.js';
import { Warehouse } from '../../src/warehouse/db.js';
import { execute, executeOne, meta, run } from '../../src/warehouse/kysely.js';
import { META_COLUMNS, type MetaColumn, type MetaSchema, type MetaTableName } from '../../src/warehouse/meta-schema.js';
import { TestWarehouse } from '../helpers.js';

const warehouse = new TestWarehouse();
let db: Warehouse;
beforeAll(async () => {
  // Opened once, and so migrated: every test reads the schema a fresh warehouse was migrated to.
  db = await Warehouse.open(warehouse.path);
});
afterAll(() => {
  db.close();
  warehouse.cleanup();
});

type AnyColumn = MetaColumn<unknown, boolean, boolean>;

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every column of a meta table as declared, the client settings (the catalogue's) included. */
function declaredColumns(table: MetaTableName): Map<string, { type: string; nullable: boolean; hasDefault: boolean; values: readonly string[] | null }> {
  const columns = new Map(Object.entries(META_COLUMNS[table] as Record<string, AnyColumn>));
  const declared = new Map([...columns].map(([name, column]) => [name, { type: column.type, nullable: column.nullable, hasDefault: column.hasDefault, values: column.values }]));
  if (table === 'clients') {
    for (const setting of SETTINGS) {
      // A setting with no default in the warehouse is one that may be unset (NULL).
      declared.set(setting.key, {
        type: Array.isArray(setting.default) ? 'VARCHAR[]' : 'VARCHAR',
        nullable: setting.default === null,
        hasDefault: setting.default !== null,
        values: null,
      });
    }
  }
  return declared;
}

interface InformationColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
}

describe('the meta tables as declared', () => {
  it('are the tables of schema meta after the last migration', async () => {
    const tables = await db.all(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'meta'`);
    expect(tables.map((row) => String(row.table_name)).sort(byName)).toEqual(Object.keys(META_COLUMNS).sort(byName));
  });

  it.each(Object.keys(META_COLUMNS) as MetaTableName[])('declare every column of meta.%s with its type, NULLs and default', async (table) => {
    const actual = (await db.all(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'meta' AND table_name = $1`,
      [table],
    )) as unknown as InformationColumn[];
    actual.sort((a, b) => byName(a.column_name, b.column_name));
    const declared = declaredColumns(table);
    expect(actual.map((column) => column.column_name)).toEqual([...declared.keys()].sort(byName));
    expect(
      actual.map((column) => ({ column: column.column_name, type: column.data_type, nullable: column.is_nullable === 'YES', hasDefault: column.column_default !== null })),
    ).toEqual([...declared].sort(([a], [b]) => byName(a, b)).map(([column, { type, nullable, hasDefault }]) => ({ column, type, nullable, hasDefault })));
  });

  it('declare as a union of values exactly the columns that a CHECK holds to a list, with its values', async () => {
    const checks = await db.all(
      `SELECT table_name, constraint_column_names[1] AS column_name, expression FROM duckdb_constraints()
       WHERE schema_name = 'meta' AND constraint_type = 'CHECK' AND len(constraint_column_names) = 1`,
    );
    const lists = new Map<string, string[]>();
    for (const check of checks) {
      const list = /\bIN \((.*)\)\)$/.exec(String(check.expression))?.[1];
      if (list === undefined) continue;
      lists.set(`${check.table_name}.${check.column_name}`, [...list.matchAll(/'((?:[^']|'')*)'/g)].map((match) => (match[1] ?? '').replaceAll("''", "'")));
    }
    const declared = new Map<string, readonly string[]>();
    for (const table of Object.keys(META_COLUMNS) as MetaTableName[]) {
      for (const [name, column] of declaredColumns(table)) if (column.values !== null) declared.set(`${table}.${name}`, column.values);
    }
    // The settings' closed lists are the catalogue's, held to these CHECKs by client-settings.test.ts.
    for (const setting of SETTINGS) lists.delete(`clients.${setting.key}`);
    expect(Object.fromEntries(declared)).toEqual(Object.fromEntries(lists));
  });
});

describe('the types of the meta tables', () => {
  it('type every table listed, and a row as Warehouse.all reads it', () => {
    expectTypeOf<keyof MetaSchema>().toEqualTypeOf<MetaTableName>();
    expectTypeOf<Selectable<MetaSchema['model_runs']>>().toEqualTypeOf<{
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
    }>();
    expectTypeOf<Selectable<MetaSchema['clients']>>().toMatchTypeOf<{ client_id: string; view_only: 'include' | 'exclude'; notify: string | null; created_at: string }>();
  });

  it('leave out of an insert only what has a default or takes NULL', () => {
    expectTypeOf<Insertable<MetaSchema['upload_removals']>>().branded.toEqualTypeOf<{ upload_id: number; removed_at?: string; restored_at?: string | null }>();
    expectTypeOf<Insertable<MetaSchema['clients']>>().toMatchTypeOf<{ client_id: string }>();
  });
});

/** A row of every meta table with a value in every column, so that each column's value is read back. */
const SAMPLES: { [T in MetaTableName]: Insertable<MetaSchema[T]> } = {
  clients: {
    client_id: 'acme',
    view_only: 'exclude',
    model: 'click-priority',
    timezone: 'America/New_York',
    source_timezone: 'UTC',
    currency: 'EUR',
    platform_priority: ['postscript', 'klaviyo'],
    notify: 'ops@example.com',
    created_at: '2026-08-03 10:00:00+00',
    updated_at: '2026-08-03 10:00:00.123456+00',
  },
  uploads: {
    upload_id: 1,
    client_id: 'acme',
    platform: 'shopify',
    file_name: 'orders.csv',
    file_sha256: 'ab'.repeat(32),
    row_count: 2,
    order_count: 1,
    window_from: '2026-08-01',
    window_to: '2026-08-31',
    window_explicit: true,
    options: '{"from":"2026-08-01"}',
    imported_at: '2026-08-03T10:00:00Z',
    source_headers: ['Note'],
  },
  upload_removals: { upload_id: 1, removed_at: '2026-08-04T10:00:00Z', restored_at: '2026-08-05T10:00:00Z' },
  builds: { build_id: 1, started_at: '2026-08-03T10:00:00Z', finished_at: '2026-08-03T10:01:00Z', models_run: 20, models_skipped: 0, tests_run: 9, selector: 'marts' },
  build_failures: { build_id: 1, client_id: 'acme', test: 'unique_orders', failing_rows: 3 },
  model_state: {
    model: 'marts.revenue_summary',
    version: '2',
    fingerprint: 'f1',
    build_id: 1,
    built_at: '2026-08-03T10:01:00Z',
    row_count: 12,
    basis: '{"definition":"d"}',
  },
  model_client_state: { model: 'staging.stg_claims', client_id: 'acme', state: 's1' },
  build_runs: {
    // Beside the ids the sequence gives (a later test takes one).
    run_id: 1000,
    build_id: 1,
    started_at: '2026-08-03T10:00:00Z',
    finished_at: '2026-08-03T10:01:00Z',
    status: 'held back',
    selector: 'marts',
    full_refresh: false,
    tests_fingerprint: 't1',
    error: 'a data test failed',
  },
  model_runs: {
    run_id: 1,
    model: 'staging.stg_claims',
    action: 'update',
    clients: ['acme'],
    fingerprint: 'f1',
    version: '1',
    started_at: '2026-08-03T10:00:00Z',
    finished_at: '2026-08-03T10:00:01Z',
    row_count: 2,
    status: 'rolled back',
    error: 'the build failed',
  },
  previous_versions: {
    model: 'marts.revenue_summary',
    table_name: 'previous.marts__revenue_summary',
    fingerprint: 'f0',
    version: '1',
    build_id: 1,
    kept_at: '2026-08-03T10:01:00Z',
  },
  notifications: {
    notification_id: 1,
    client_id: 'acme',
    kind: 'monthly-report',
    upload_id: 1,
    month: '2026-08-01',
    recipient: 'ops@example.com',
    subject: 'Your report',
    body_text: 'text',
    body_html: '<p>html</p>',
    status: 'failed',
    attempts: 1,
    last_error: 'refused',
    delivered_to: 'smtp.example.com',
    created_at: '2026-08-03T10:00:00Z',
    attempted_at: '2026-08-03T10:00:01Z',
    delivered_at: '2026-08-03T10:00:02Z',
  },
  schema_migrations: { version: 1000, description: 'a sample', applied_at: '2026-08-03T10:00:00Z', checksum: 'c1' },
};

describe('the values of the meta tables as read', () => {
  beforeAll(async () => {
    // SAMPLES is typed table by table; in this loop the table is any of them, which Kysely cannot tie a row to.
    for (const table of Object.keys(SAMPLES) as MetaTableName[]) await run(db, meta.insertInto(table).values(SAMPLES[table] as never));
  });

  it.each(Object.keys(META_COLUMNS) as MetaTableName[])('of meta.%s are of the declared types', async (table) => {
    const rows = await execute(db, meta.selectFrom(table).selectAll());
    expect(rows.length).toBeGreaterThan(0);
    const columns = META_COLUMNS[table] as Record<string, AnyColumn>;
    for (const row of rows) {
      for (const [name, value] of Object.entries(row as Record<string, unknown>)) {
        const column = columns[name];
        if (column === undefined) {
          // A client setting: its value is read as the catalogue's default is typed.
          const setting = SETTINGS.find((entry) => entry.key === name);
          expect(setting, `meta.${table}.${name}`).toBeDefined();
          expect(Array.isArray(value) ? 'list' : typeof value, `meta.${table}.${name}`).toBe(Array.isArray(setting?.default) ? 'list' : 'string');
          continue;
        }
        expect(value, `meta.${table}.${name} of the sample is set`).not.toBeNull();
        expect(column.is(value), `meta.${table}.${name} (${column.type}) read as ${JSON.stringify(value)}`).toBe(true);
      }
    }
  });

  it('are plain: a number for BIGINT, ISO 8601 in UTC for TIMESTAMPTZ, YYYY-MM-DD for DATE, text for JSON', async () => {
    expect(await db.all('SELECT failing_rows FROM meta.build_failures')).toEqual([{ failing_rows: 3 }]);
    expect(await db.all('SELECT created_at, updated_at, platform_priority FROM meta.clients')).toEqual([
      { created_at: '2026-08-03T10:00:00.000Z', updated_at: '2026-08-03T10:00:00.123456Z', platform_priority: ['postscript', 'klaviyo'] },
    ]);
    expect(await db.all('SELECT window_from, options, source_headers, window_explicit FROM meta.uploads')).toEqual([
      { window_from: '2026-08-01', options: '{"from":"2026-08-01"}', source_headers: ['Note'], window_explicit: true },
    ]);
    // A BIGINT beyond 2^53 would come back as its digits: none of the counts kept in meta comes near.
    expect(await db.all('SELECT 9007199254740993::BIGINT AS big, count(*) AS n FROM meta.model_state')).toEqual([{ big: '9007199254740993', n: 1 }]);
  });
});

describe('a typed query', () => {
  it('returns its rows as Kysely types them, with the values the warehouse has', async () => {
    const uploads = await execute(db, meta.selectFrom('uploads').select(['upload_id', 'window_from', 'source_headers']).where('client_id', '=', 'acme'));
    expectTypeOf(uploads).toEqualTypeOf<{ upload_id: number; window_from: string | null; source_headers: string[] | null }[]>();
    expect(uploads).toEqual([{ upload_id: 1, window_from: '2026-08-01', source_headers: ['Note'] }]);

    const state = await executeOne(db, meta.selectFrom('model_state').select(['row_count', 'basis', 'built_at']).where('model', '=', 'marts.revenue_summary'));
    expectTypeOf(state).toEqualTypeOf<{ row_count: number; basis: string | null; built_at: string } | undefined>();
    expect(state).toEqual({ row_count: 12, basis: '{"definition":"d"}', built_at: '2026-08-03T10:01:00.000Z' });
    expect(await executeOne(db, meta.selectFrom('model_state').select('model').where('model', '=', 'nowhere'))).toBeUndefined();
  });

  it('counts as a number, which countAll is told it is', async () => {
    const counted = await executeOne(db, meta.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')));
    expectTypeOf(counted).toEqualTypeOf<{ n: number } | undefined>();
    expect(counted).toEqual({ n: 1 });
  });

  it('returns what an insert with RETURNING gives back', async () => {
    const inserted = await executeOne(
      db,
      meta
        .insertInto('build_runs')
        .values({ started_at: '2026-08-04T10:00:00Z', finished_at: '2026-08-04T10:01:00Z', status: 'built', full_refresh: true })
        .returning(['run_id', 'build_id']),
    );
    expectTypeOf(inserted).toEqualTypeOf<{ run_id: number; build_id: number | null } | undefined>();
    expect(inserted).toEqual({ run_id: 1, build_id: null });
  });

  it('binds a list as a parameter, an empty one too', async () => {
    for (const platforms of [['klaviyo'], []]) {
      await run(db, meta.updateTable('clients').set({ platform_priority: platforms }).where('client_id', '=', 'acme'));
      expect(await executeOne(db, meta.selectFrom('clients').select('platform_priority').where('client_id', '=', 'acme'))).toEqual({ platform_priority: platforms });
    }
  });

  it('is refused by the type checker where it would lie: rows from a statement without RETURNING, or none from a query', () => {
    const update = meta.updateTable('notifications').set({ attempts: 2 }).where('notification_id', '=', 1);
    const select = meta.selectFrom('notifications').select('attempts');
    // Only type-checked: neither statement runs.
    const wouldLie = (): unknown[] => [
      // @ts-expect-error DuckDB gives a row of its own (Count) for an update, not Kysely's UpdateResult.
      execute(db, update),
      // @ts-expect-error A select's rows would be thrown away.
      run(db, select),
    ];
    expectTypeOf(wouldLie).toBeFunction();
    expectTypeOf(run<UpdateResult>).returns.resolves.toBeVoid();
  });
});
