// Each export format is declared once (src/ingest/formats/): its raw table must hold exactly the columns
// the declaration implies, with their types and NOT NULLs, in a warehouse the migrations made; and the
// table a declaration would create (for a format added after the migrations) must be that table too.
import { afterAll, describe, expect, it } from 'vitest';
import { CLAIM_FIELDS, claimShapeProblems } from '../../src/ingest/claim-shape.js';
import { declarationProblems, rawColumnsOf, rawTableDdl, type FormatDeclaration, type RawColumn } from '../../src/ingest/declaration.js';
import { CLAIM_FORMATS, FORMATS, PLATFORMS } from '../../src/ingest/registry.js';
import postscriptFormat from '../../src/ingest/formats/postscript.js';
import { TestWarehouse } from '../helpers.js';

const warehouse = new TestWarehouse();
afterAll(() => warehouse.cleanup());

async function columnsOf(schema: string, table: string): Promise<RawColumn[]> {
  const rows = await warehouse.query(
    `SELECT column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = '${schema}' AND table_name = '${table}' ORDER BY column_name`,
  );
  return rows.map((row) => ({ name: String(row.column_name), type: String(row.data_type), notNull: row.is_nullable === 'NO' }));
}

const byName = (columns: RawColumn[]): RawColumn[] => [...columns].sort((a, b) => a.name.localeCompare(b.name));

describe('format declarations and their raw tables', () => {
  it.each(Object.values(FORMATS).map((format) => [format.platform, format] as const))(
    '%s: the raw table has the columns its declaration implies',
    async (_platform, format) => {
      const table = await columnsOf('raw', format.rawTable);
      expect(table.length).toBeGreaterThan(5);
      expect(table).toEqual(byName(rawColumnsOf(format)));
    },
  );

  it.each(Object.values(FORMATS).map((format) => [format.platform, format] as const))(
    '%s: the table its declaration creates is the migrated one',
    async (_platform, format) => {
      const ddl = rawTableDdl(format).replace(`raw.${format.rawTable}`, `scratch.${format.rawTable}`);
      await warehouse.with(async (db) => {
        await db.run('CREATE SCHEMA IF NOT EXISTS scratch');
        await db.run(ddl);
      });
      expect(await columnsOf('scratch', format.rawTable)).toEqual(await columnsOf('raw', format.rawTable));
    },
  );

  it('every declared column has aliases, and every choice its meanings', () => {
    for (const format of Object.values(FORMATS)) {
      for (const column of format.columns) {
        expect(column.aliases.length, `${format.platform}.${column.canonical}`).toBeGreaterThan(0);
        if (column.kind === 'choice') expect(Object.keys(column.choices?.meanings ?? {}).length).toBeGreaterThan(1);
      }
      const raw = new Set(rawColumnsOf(format).map((column) => column.name));
      expect(raw.has(format.dateColumn), `${format.platform} dateColumn`).toBe(true);
      expect(raw.has(format.revenueColumn), `${format.platform} revenueColumn`).toBe(true);
    }
  });

  it('finds every format file by itself, claims platforms first', () => {
    expect(PLATFORMS).toEqual(['attentive', 'klaviyo', 'postscript', 'shopify']);
    expect(CLAIM_FORMATS.map((format) => format.platform)).toEqual(['attentive', 'klaviyo', 'postscript']);
  });

  it('raw.claim_rows holds every claims platform in the claim shape, with the types the shape names', async () => {
    const columns = await warehouse.query(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'raw' AND table_name = 'claim_rows' ORDER BY ordinal_position`,
    );
    expect(columns.map((row) => [row.column_name, row.data_type])).toEqual([
      ['platform', 'VARCHAR'],
      ...CLAIM_FIELDS.map((field) => [field.name, field.type]),
      ['row_hash', 'UHUGEINT'],
    ]);
  });

  it('a declaration that does not fit is told what is wrong, column by column', () => {
    const broken: FormatDeclaration = {
      ...postscriptFormat,
      platform: 'Bad Name',
      channel: undefined,
      dateColumn: 'placed_at',
      columns: postscriptFormat.columns.map((column) =>
        column.canonical === 'revenue' ? { ...column, kind: 'text' as const }
        : column.canonical === 'attribution_type'
          ? { ...column, choices: { what: 'attribution type', meanings: { click: ['click'], like: ['like'] } } }
          : column,
      ),
    };
    expect(declarationProblems(broken)).toEqual([
      'platform "Bad Name" is not a lower-case name (a-z, 0-9, _)',
      'column currency: its amount revenue is not a money column',
      'dateColumn placed_at is not a raw column of the format',
    ]);
    expect(claimShapeProblems(broken)).toEqual([
      'its column revenue (VARCHAR) cannot be the claim field revenue (DECIMAL(18,2))',
      "names no channel: a channel column or the export's one channel (channel: 'sms')",
      'touch type "like" is not one of click, open, view, coupon',
    ]);
    for (const format of Object.values(FORMATS)) {
      expect([...declarationProblems(format), ...(format.kind === 'claims' ? claimShapeProblems(format) : [])], format.platform).toEqual([]);
    }
  });
});
