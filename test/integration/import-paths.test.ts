// The importer splits a file into cells with DuckDB's CSV reader where it can ('bulk'), and with its own
// tokenizer otherwise ('cells'); either way the same SQL, with the macros of sql/ingest/values.sql, types
// and checks every cell. Both ways must give the same rows, byte for byte, and the same refusals: each
// file here is imported both ways into two real warehouses and every column of every raw row compared.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BulkLoadDeclined } from '../../src/ingest/load.js';
import { ImportRefusedError, InputError, type Platform } from '../../src/ingest/format.js';
import { TestWarehouse } from '../helpers.js';

let bulk: TestWarehouse;
let cells: TestWarehouse;

beforeEach(() => {
  bulk = new TestWarehouse();
  cells = new TestWarehouse();
});

afterEach(() => {
  bulk.cleanup();
  cells.cleanup();
});

const RAW_TABLE: Record<Platform, string> = {
  postscript: 'postscript_claims',
  klaviyo: 'klaviyo_claims',
  shopify: 'shopify_order_lines',
};

interface Imported {
  reader: string;
  rows: unknown[];
  upload: unknown;
}

async function importBoth(
  platform: Platform,
  name: string,
  text: string,
  options: { sourceTimezone?: string; requireBulk?: boolean } = {},
): Promise<{ bulk: Imported; cells: Imported }> {
  const results: Imported[] = [];
  for (const [warehouse, reader] of [
    [bulk, options.requireBulk === false ? 'auto' : 'bulk'],
    [cells, 'cells'],
  ] as const) {
    if (options.sourceTimezone) await warehouse.client('acme', { source_timezone: options.sourceTimezone });
    const summary = await warehouse.import({ platform, file: warehouse.file(name, text), reader });
    const rows = await warehouse.query(
      `SELECT * EXCLUDE (upload_id) FROM raw.${RAW_TABLE[platform]} WHERE upload_id = ${summary.uploadId} ORDER BY line`,
    );
    const [upload] = await warehouse.query(
      `SELECT row_count, order_count, window_from, window_to, source_headers, options->>'reader' AS reader
       FROM meta.uploads WHERE upload_id = ${summary.uploadId}`,
    );
    const { reader: used, ...rest } = upload ?? {};
    results.push({ reader: String(used), rows, upload: rest });
  }
  const [viaBulk, viaCells] = results as [Imported, Imported];
  expect(viaCells.reader).toBe('cells');
  return { bulk: viaBulk, cells: viaCells };
}

async function expectSameRows(platform: Platform, name: string, text: string, sourceTimezone?: string): Promise<number> {
  const both = await importBoth(platform, name, text, sourceTimezone ? { sourceTimezone } : {});
  expect(both.bulk.reader).toBe('bulk');
  expect(both.bulk.rows).toEqual(both.cells.rows);
  expect(both.bulk.upload).toEqual(both.cells.upload);
  return both.bulk.rows.length;
}

async function expectDeclined(platform: Platform, name: string, text: string, sourceTimezone?: string): Promise<void> {
  if (sourceTimezone) await bulk.client('acme', { source_timezone: sourceTimezone });
  // Declined by DuckDB's CSV reader, or refused before it starts (a header read that already fails).
  const error = await bulk.import({ platform, file: bulk.file(name, text), reader: 'bulk' }).then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error instanceof BulkLoadDeclined || error instanceof InputError || error instanceof ImportRefusedError, String(error)).toBe(true);
  expect(await bulk.query(`SELECT count(*) AS n FROM raw.${RAW_TABLE[platform]}`)).toEqual([{ n: 0 }]);
  expect(await bulk.query('SELECT count(*) AS n FROM meta.uploads')).toEqual([{ n: 0 }]);
}

const DEMO = join(import.meta.dirname, '..', '..', 'seeds', 'demo');

describe('the demo exports', () => {
  it.each([
    ['shopify', 'shopify_orders.csv'],
    ['postscript', 'postscript_revenue_2026-09-15.csv'],
    ['postscript', 'postscript_revenue_2026-11-01.csv'],
    ['klaviyo', 'klaviyo_attributed_orders.csv'],
  ] as const)('%s %s: DuckDB\'s reader and the tokenizer give the same rows', async (platform, file) => {
    const rows = await expectSameRows(platform, file, readFileSync(join(DEMO, file), 'utf8'), 'America/New_York');
    expect(rows).toBeGreaterThan(50);
  });
});

const PS_HEADER = 'Order Date,Order Number,Order ID,Revenue,Attribution Type,Sent At,Clicked At,Minutes From Action,Subscriber Phone,Currency,Note';

function postscript(rows: string[][]): string {
  return [PS_HEADER, ...rows.map((row) => row.join(','))].join('\n') + '\n';
}

describe('values in their common forms, split either way', () => {
  it('money, phones, numbers and text in their common forms', async () => {
    const rows = [
      ['2026-07-01 10:00:00', '#1', '', '1234.56', 'click', '', '', '12', '+15551234567', 'USD', 'plain'],
      ['2026-07-01 10:00:00', '#2', '', '"1,234.56"', 'Click-Through', '', '', '0.5', '(555) 123-4567', 'usd', ' padded '],
      ['2026-07-01 10:00:00', '#3', '', '"$1,234,567.89"', 'VIEWED', '', '', '-3', "'+33610826417", '', "'0042"],
      ['2026-07-01 10:00:00', '#4', '', '-12.00', 'coupon used', '', '', '.25', '555-123-4567', '', '"quoted, with comma"'],
      ['2026-07-01 10:00:00', '#5', '', '$5', 'received', '', '', '', '06 10 82 64 17', '', '\u00a0nbsp\u00a0'],
      ['2026-07-01 10:00:00', '#6', '', '12.', 'delivered', '', '', '7.', '1 555 123 4567', '', 'Zoë ☕'],
      ['2026-07-01 10:00:00', '#7', '', '.5', 'view_through', '', '', '', '+1 (555) 123-4567', '', ''],
      ['2026-07-01 10:00:00', '#8', '', '0', 'click', '', '', '', 'n/a', '', '""'],
      ['2026-07-01 10:00:00', '#9', '', '"1,234"', 'click', '', '', '', '+44 20 7946 0958', '', '"a ""quote"""'],
    ];
    expect(await expectSameRows('postscript', 'values.csv', postscript(rows))).toBe(rows.length);
  });

  it('timestamps with offsets, naive ones in the source time zone (daylight-saving gap and overlap too), US dates and epochs', async () => {
    const stamps = [
      ['2026-07-01 10:00:00', '2026-07-01T09:00:00Z', '2026-07-01 09:30:00 +0200'],
      ['2026-07-01T10:00:00.123456Z', '2026-07-01 09:00:00 -05:00', '2026-07-01 09:30:00 +02'],
      ['2026-07-01', '2026-06-30 23:59:59.5', '2026-07-01 9:05'],
      ['2025-11-02 01:30:00', '2025-03-09 02:30:00', '2025-11-02 01:30:00 UTC'],
      ['10/07/2025 9:50 AM', '10/07/2025 12:05 am', '1/2/2026 23:15'],
      ['2026-07-01t10:00:00z', '2026-07-01 10:00:00 GMT', '2026-07-01 10:00:00.1,'],
    ];
    const rows = stamps.map(([order, sent, clicked], index) => [
      order ?? '',
      `#${index + 1}`,
      '',
      '10.00',
      'click',
      sent ?? '',
      (clicked ?? '').replace(/,$/, ''),
      '',
      '',
      '',
      '',
    ]);
    expect(await expectSameRows('postscript', 'times.csv', postscript(rows), 'America/New_York')).toBe(rows.length);
  });

  it('Klaviyo epochs and channels', async () => {
    const text = [
      'Event ID,Order ID,Order Name,Datetime,Value,Currency,Attributed Channel,Attributed Event,Touch At,Send Time,Phone',
      'e1,7410991464714,#1001,2026-07-01T10:00:00Z,56.75,USD,email,Clicked Email,2026-07-01T09:00:00Z,1782896400,+15125550195',
      'e2,,#1002,2026-07-02 10:00:00,30.00,,$sms_channel,Received SMS,,1782896400.25,',
      'e3,7410991464716,,2026-07-03T12:00:00+02:00,129.00,EUR,SMS,opened sms,2026-07-03T09:00:00Z,,(512) 555-0100',
    ].join('\r\n');
    expect(await expectSameRows('klaviyo', 'klaviyo.csv', text)).toBe(3);
  });

  it('Shopify line items, quoted line breaks, a BOM and empty lines number the lines alike', async () => {
    const header =
      'Name,Email,Financial Status,Paid at,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Notes,Refunded Amount,Id,Tags,Source,Phone,Billing Phone,Vendor';
    const text =
      '\uFEFF' +
      [
        header,
        '#1001,a@example.com,paid,2026-07-01 05:37:35 -0400,USD,46.00,6.95,3.80,56.75,,0.00,2026-07-01 05:37:25 -0400,1,"Socks 3-Pack, Assorted",22.00,DB-SOX-3PK,"two\nlines",0.00,7410991464714,vip,web,,+15125550195,Demo Brand',
        '#1001,,,,,,,,,,,,2,Sample Pack,12.00,HL-SMP-3,,,,,,,,Hearth & Loom',
        '',
        '#1002,b@example.com,refunded,2026-07-02 10:00:00 -0400,USD,30.00,0.00,0.00,30.00,WELCOME,5.00,2026-07-02 10:00:00 -0400,1,Candle,35.00,HL-CDL,"three\nlines\nhere",30.00,7410991464715,,pos,(512) 555-0100,,Hearth & Loom',
        '#1003,c@example.com,paid,2026-07-03 12:00:00 +0200,EUR,100.00,10.00,19.00,129.00,,0.00,2026-07-03 12:00:00 +0200,1,Blanket,50.00,HL-BLK,,0.00,7410991464716,,web,,,Hearth & Loom',
      ].join('\n') +
      '\n\n';
    const both = await importBoth('shopify', 'orders.csv', text);
    expect(both.bulk.reader).toBe('bulk');
    expect(both.bulk.rows).toEqual(both.cells.rows);
    expect(both.bulk.upload).toEqual(both.cells.upload);
    expect(both.bulk.rows.map((row) => (row as { line: number }).line)).toEqual([2, 4, 6, 9]);
  });
});

describe('forms beyond the common ones: read alike by both ways of splitting the file', () => {
  it('an amount in parentheses, with a currency code, or with a float artefact', async () => {
    const rows = [
      ['2026-07-01 10:00:00', '#1', '', '(12.00)', 'click', '', '', '', '', '', ''],
      ['2026-07-01 10:00:00', '#2', '', 'USD 5.00', 'click', '', '', '', '', 'usd', ''],
      ['2026-07-01 10:00:00', '#3', '', '54.990000000001', 'click', '', '', '', '', '', ''],
      ['2026-07-01 10:00:00', '#4', '', '"($1,234.56)"', 'click', '', '', '', '', '', ''],
      ['2026-07-01 10:00:00', '#5', '', '12.00 EUR', 'click', '', '', '', '', '', ''],
    ];
    expect(await expectSameRows('postscript', 'money.csv', postscript(rows))).toBe(rows.length);
    const revenue = await bulk.query('SELECT revenue::VARCHAR AS revenue, currency FROM raw.postscript_claims ORDER BY line');
    expect(revenue).toEqual([
      { revenue: '-12.00', currency: null },
      { revenue: '5.00', currency: 'USD' },
      { revenue: '54.99', currency: null },
      { revenue: '-1234.56', currency: null },
      { revenue: '12.00', currency: 'EUR' },
    ]);
  });
});

/** The file is refused the same way whichever way it was split, and nothing of it lands. */
async function expectSameRefusal(platform: Platform, name: string, text: string, pattern: RegExp): Promise<void> {
  const messages: string[] = [];
  for (const [warehouse, reader] of [
    [bulk, 'bulk'],
    [cells, 'cells'],
  ] as const) {
    const error = await warehouse.import({ platform, file: warehouse.file(name, text), reader }).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error instanceof ImportRefusedError, String(error)).toBe(true);
    messages.push((error as Error).message);
    expect(await warehouse.query(`SELECT count(*) AS n FROM raw.${RAW_TABLE[platform]}`)).toEqual([{ n: 0 }]);
    expect(await warehouse.query('SELECT count(*) AS n FROM meta.uploads')).toEqual([{ n: 0 }]);
  }
  expect(messages[0]).toMatch(pattern);
  expect(messages[1]).toBe(messages[0]);
}

describe('bad values: refused alike by both ways of splitting the file', () => {
  it.each([
    ['a decimal comma', '"1.234,56"', /value "1\.234,56": is ambiguous/],
    ['a comma that is not a thousands separator', '"12,34"', /value "12,34": is ambiguous/],
    ['words', 'n/a', /value "n\/a": is not an amount/],
  ])('%s: %s', async (_what, revenue, pattern) => {
    const text = postscript([['2026-07-01 10:00:00', '#1', '', revenue, 'click', '', '', '', '', '', '']]);
    await expectSameRefusal('postscript', 'money.csv', text, pattern);
  });

  it.each([
    ['no such day', '2026-02-30 10:00:00', /has no such day/],
    ['no such month', '2026-13-01', /has no such month/],
    ['an hour that does not fit AM/PM', '10/07/2025 13:50 PM', /has an hour that does not fit AM\/PM/],
    ['not a timestamp', 'yesterday', /is not a timestamp/],
  ])('a timestamp with %s: %s', async (_what, stamp, pattern) => {
    const text = postscript([[stamp, '#1', '', '1.00', 'click', '', '', '', '', '', '']]);
    await expectSameRefusal('postscript', 'time.csv', text, pattern);
  });

  it.each([
    ['an unknown attribution type', ['2026-07-01', '#1', '', '1.00', 'clicky', '', '', '', '', '', ''], /is not a known attribution type/],
    ['no order id or name', ['2026-07-01', '', '', '1.00', 'click', '', '', '', '', '', ''], /an order id or order name is required/],
    ['a missing amount', ['2026-07-01', '#1', '', '', 'click', '', '', '', '', '', ''], /column "Revenue", value "": is empty; a value is required/],
    ['a currency that is not a code', ['2026-07-01', '#1', '', '1.00', 'click', '', '', '', '', 'dollars', ''], /is not a three-letter currency code/],
    ['a number that is not one', ['2026-07-01', '#1', '', '1.00', 'click', '', '', 'soon', '', '', ''], /value "soon": is not a number/],
  ])('%s', async (_what, row, pattern) => {
    await expectSameRefusal('postscript', 'row.csv', postscript([row]), pattern);
  });

  it('a Shopify order whose first row lacks the order fields', async () => {
    const text = ['Name,Created at,Total,Currency,Lineitem name', '#1,,,,Socks', '#1,2026-07-01 10:00:00 -0400,10.00,USD,Hat'].join('\n');
    await expectSameRefusal('shopify', 'orders.csv', text, /orders\.csv:2: column "Created at", value "": is empty on the first row of order #1/);
  });

  it('every bad cell of every row, in file order, and within a row in the order of the format', async () => {
    const text = postscript([
      ['2026-02-30', '#1', '', '"1.234,56"', 'clicky', '', '', '', '', '', ''],
      ['2026-07-01', '#2', '', '1.00', 'click', '', '', '', '', '', ''],
      ['2026-07-01', '#3', '', 'EUR 12.00', 'click', '', '', '', '', 'USD', ''],
    ]);
    await expectSameRefusal(
      'postscript',
      'rows.csv',
      text,
      new RegExp(
        [
          'rows\\.csv:2: column "Order Date", value "2026-02-30": has no such day',
          'rows\\.csv:2: column "Revenue", value "1\\.234,56": is ambiguous.*',
          'rows\\.csv:2: column "Attribution Type", value "clicky": is not a known attribution type.*',
          'rows\\.csv:4: column "Currency", value "USD": disagrees with the currency written in the amount \\(EUR\\)',
          'nothing was imported',
        ].join('\n'),
      ),
    );
  });
});

describe('files DuckDB\'s CSV reader does not split: the tokenizer does', () => {
  it.each([
    ['a quote inside an unquoted cell', `${PS_HEADER}\n2026-07-01,#1,,1.00,click,,,,,,5" screen\n`],
    ['a line ended by a bare CR', `${PS_HEADER}\r2026-07-01,#1,,1.00,click,,,,,,\r`],
    ['a row with more fields than the header', `${PS_HEADER}\n2026-07-01,#1,,1.00,click,,,,,,,extra\n`],
    ['an unterminated quote', `${PS_HEADER}\n2026-07-01,#1,,1.00,click,,,,,,"open\n`],
  ])('%s', async (_what, text) => {
    await expectDeclined('postscript', 'csv.csv', text);
  });

  it('a file with bare CRs is still imported whole, its values read by the same rules', async () => {
    const text = [PS_HEADER, '2026-07-01 10:00:00,#1,,(12.00),click,,,,,,', '2026-07-01 10:00:00,#2,,5.00,click,,,,,,'].join('\r') + '\r';
    const both = await importBoth('postscript', 'mixed.csv', text, { requireBulk: false });
    expect(both.bulk.reader).toBe('cells');
    expect(both.bulk.rows).toEqual(both.cells.rows);
    expect(both.bulk.rows.map((row) => (row as { revenue: number }).revenue)).toEqual([-12, 5]);
  });
});

describe('a row into its raw record', () => {
  it('a Postscript row: cents, a closed list, a phone kept as written beside its E.164, a naive time', async () => {
    const text = ['Order Date,Order Name,Amount In Cents,Attribution Type,Phone,Coupon', `2026-07-01 09:00:00, #1001 ,5675,View-Through,'(555) 123-4567,`].join('\n');
    await expectSameRows('postscript', 'cents.csv', text);
    expect(
      await bulk.query(
        `SELECT order_name, order_id, revenue::VARCHAR AS revenue, attribution_type, subscriber_phone, subscriber_phone_e164,
                coupon_code, currency, order_created_at.wall::VARCHAR AS wall, order_created_at.offset_minutes AS offset_minutes
         FROM raw.postscript_claims`,
      ),
    ).toEqual([
      {
        order_name: '#1001',
        order_id: null,
        revenue: '56.75',
        attribution_type: 'view',
        subscriber_phone: '(555) 123-4567',
        subscriber_phone_e164: '+15551234567',
        coupon_code: null,
        currency: null,
        wall: '2026-07-01 09:00:00',
        offset_minutes: null,
      },
    ]);
  });

  it('a Klaviyo row: an epoch $send_ts (offset 0), a $sms_channel, an offset kept as written', async () => {
    const text = [
      'Order ID,Datetime,$value,$attributed_channel,Attributed Event,$send_ts',
      '7410991464714,2026-07-01T05:37:25-04:00,56.75,$sms_channel,Clicked SMS,1782896224',
    ].join('\n');
    await expectSameRows('klaviyo', 'epoch.csv', text);
    expect(
      await bulk.query(
        `SELECT channel, touch_type, send_ts.wall::VARCHAR AS send_wall, send_ts.offset_minutes AS send_offset,
                order_created_at.wall::VARCHAR AS wall, order_created_at.offset_minutes AS offset_minutes
         FROM raw.klaviyo_claims`,
      ),
    ).toEqual([
      { channel: 'sms', touch_type: 'click', send_wall: '2026-07-01 08:57:04', send_offset: 0, wall: '2026-07-01 05:37:25', offset_minutes: -240 },
    ]);
  });

  it('a Shopify follow-up line: no order fields of its own, and not an order row', async () => {
    const text = ['Name,Created at,Total,Currency,Lineitem name', '#1001,2026-07-01 10:00:00 -0400,10.00,USD,Hat', '#1001,,,,Socks'].join('\n');
    await expectSameRows('shopify', 'lines.csv', text);
    expect(await bulk.query('SELECT order_name, is_order_row, total::VARCHAR AS total, currency, lineitem_name FROM raw.shopify_order_lines ORDER BY line')).toEqual([
      { order_name: '#1001', is_order_row: true, total: '10.00', currency: 'USD', lineitem_name: 'Hat' },
      { order_name: '#1001', is_order_row: false, total: null, currency: null, lineitem_name: 'Socks' },
    ]);
  });
});
