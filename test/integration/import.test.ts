// Good imports, against a real DuckDB file: what lands in the raw tables and in meta.uploads, re-imports,
// header aliases, --columns, Shopify line items, client settings and time zones. Some go through the
// compiled CLI (run `npm run build` first).
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, instant, TestWarehouse } from '../helpers.js';
import type { Row } from '../../src/warehouse/db.js';

const json = (value: unknown): Record<string, unknown> =>
  (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

let warehouse: TestWarehouse;
beforeEach(() => {
  warehouse = new TestWarehouse();
});
afterEach(() => warehouse.cleanup());

// Timestamps as the instants a build reads them (naive ones in UTC, the default source_timezone).
const CLAIM_COLUMNS = `order_id, order_name, ${instant('order_created_at')}, revenue, currency, attribution_type, message_type, message_name, message_id, ${instant('sent_at')}, ${instant('clicked_at')}, minutes_from_action, subscriber_phone, subscriber_phone_e164, coupon_code, email`;

function claims(uploadId: number): Promise<Row[]> {
  return warehouse.query(`SELECT ${CLAIM_COLUMNS} FROM raw.postscript_claims WHERE upload_id = ${uploadId} ORDER BY line`);
}

/** The kept cells of an upload's rows, in line order, as header -> cell. */
async function keptCells(uploadId: number, table: string): Promise<Record<string, unknown>[]> {
  const rows = await warehouse.query(
    `SELECT u.source_headers AS headers, r.source_cells AS cells
     FROM raw.${table} AS r JOIN meta.uploads AS u USING (upload_id) WHERE upload_id = ${uploadId} ORDER BY line`,
  );
  return rows.map((row) => {
    const headers = row.headers as string[];
    const cells = row.cells as unknown[];
    return Object.fromEntries(headers.map((header, index) => [header, cells[index]]));
  });
}

describe('Postscript: CSV quoting, CRLF and a BOM', () => {
  const text =
    '\uFEFFOrder Date,Order Number,Order ID,Revenue,Currency,Attribution Type,Message Type,Message Name,Message ID,Sent At,Clicked At,Minutes From Action,Subscriber Phone,Coupon Code\r\n' +
    '2026-07-03T08:51:42Z,#1004,7410991464717,80.82,USD,view,campaign,"Fourth of July, Flash Sale",ps-cmp-102,2026-07-02T17:45:00Z,,906,+14155550161,\r\n' +
    '2026-07-08 21:13:50,#1014,7410991464727,"$1,081.41",USD,Click-Through,automation,"Abandoned ""Cart"" 1",ps-aut-201,2026-07-08 01:01:50,2026-07-08 02:00:00,1212,(323) 555-0135,\r\n' +
    '2026-07-09 10:00:00 +0200,#1015,7410991464728,(12.00),usd,coupon used,campaign,"Two-line\r\nmessage, with comma",ps-cmp-103,,,,\'+33610826417,SUMMER10\r\n' +
    '2026-07-10T10:00:00Z,#1016,,USD 5.00,,Viewed,,Plain,,,,,,\r\n';

  it('reads every field, whatever the quoting', async () => {
    const file = warehouse.file('postscript_revenue.csv', text);
    const summary = await warehouse.import({ platform: 'postscript', file });
    expect(summary.status).toBe('imported');
    expect(summary.rows).toBe(4);
    expect(summary.orders).toBe(4);
    expect(summary.revenue).toEqual([{ currency: 'USD', amount: '1155.23' }]);
    const rows = await claims(summary.uploadId);
    expect(rows).toEqual([
      {
        order_id: '7410991464717',
        order_name: '#1004',
        order_created_at: '2026-07-03T08:51:42.000Z',
        revenue: 80.82,
        currency: 'USD',
        attribution_type: 'view',
        message_type: 'campaign',
        message_name: 'Fourth of July, Flash Sale',
        message_id: 'ps-cmp-102',
        sent_at: '2026-07-02T17:45:00.000Z',
        clicked_at: null,
        minutes_from_action: 906,
        subscriber_phone: '+14155550161',
        subscriber_phone_e164: '+14155550161',
        coupon_code: null,
        email: null,
      },
      {
        order_id: '7410991464727',
        order_name: '#1014',
        order_created_at: '2026-07-08T21:13:50.000Z',
        revenue: 1081.41,
        currency: 'USD',
        attribution_type: 'click',
        message_type: 'automation',
        message_name: 'Abandoned "Cart" 1',
        message_id: 'ps-aut-201',
        sent_at: '2026-07-08T01:01:50.000Z',
        clicked_at: '2026-07-08T02:00:00.000Z',
        minutes_from_action: 1212,
        subscriber_phone: '(323) 555-0135',
        subscriber_phone_e164: '+13235550135',
        coupon_code: null,
        email: null,
      },
      {
        order_id: '7410991464728',
        order_name: '#1015',
        order_created_at: '2026-07-09T08:00:00.000Z',
        revenue: -12,
        currency: 'USD',
        attribution_type: 'coupon',
        message_type: 'campaign',
        message_name: 'Two-line\r\nmessage, with comma',
        message_id: 'ps-cmp-103',
        sent_at: null,
        clicked_at: null,
        minutes_from_action: null,
        subscriber_phone: '+33610826417',
        subscriber_phone_e164: '+33610826417',
        coupon_code: 'SUMMER10',
        email: null,
      },
      {
        order_id: null,
        order_name: '#1016',
        order_created_at: '2026-07-10T10:00:00.000Z',
        revenue: 5,
        currency: 'USD',
        attribution_type: 'view',
        message_type: null,
        message_name: 'Plain',
        message_id: null,
        sent_at: null,
        clicked_at: null,
        minutes_from_action: null,
        subscriber_phone: null,
        subscriber_phone_e164: null,
        coupon_code: null,
        email: null,
      },
    ]);
  });

  it('records the line each row starts on; every column is read, so no cell is kept beside them', async () => {
    const file = warehouse.file('postscript_revenue.csv', text);
    const summary = await warehouse.import({ platform: 'postscript', file });
    const rows = await warehouse.query(`SELECT line, source_cells FROM raw.postscript_claims WHERE upload_id = ${summary.uploadId} ORDER BY line`);
    expect(rows.map((row) => row.line)).toEqual([2, 3, 4, 6]);
    expect(rows.map((row) => row.source_cells)).toEqual([[], [], [], []]);
    expect(await keptCells(summary.uploadId, 'postscript_claims')).toEqual([{}, {}, {}, {}]);
  });

  it('reads a file with LF endings and no BOM the same', async () => {
    const crlf = await warehouse.import({ platform: 'postscript', file: warehouse.file('crlf.csv', text) });
    const lf = await warehouse.import({
      platform: 'postscript',
      file: warehouse.file('lf.csv', text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n')),
    });
    expect(lf.status).toBe('imported');
    const lfRows = (await claims(lf.uploadId)).map((row) => ({
      ...row,
      message_name: String(row.message_name).replace(/\r\n/g, '\n'),
    }));
    const crlfRows = (await claims(crlf.uploadId)).map((row) => ({
      ...row,
      message_name: String(row.message_name).replace(/\r\n/g, '\n'),
    }));
    expect(lfRows).toEqual(crlfRows);
  });
});

const PS_FILE = [
  'Order Date,Order Number,Order ID,Revenue,Currency,Attribution Type,Message Type,Message Name,Message ID,Sent At,Subscriber Phone,Coupon Code',
  '2026-08-04T09:15:43Z,#1078,7410991464791,147.74,USD,view,automation,Abandoned Cart 1,ps-aut-201,2026-08-03T23:15:43Z,(206) 555-0127,',
  '2026-08-04T14:06:14Z,#1079,7410991464792,38.77,CAD,coupon,automation,Abandoned Cart 1,ps-aut-201,2026-08-03T15:39:30Z,(647) 555-0109,PS-QBVOKO',
  '2026-08-20T10:00:00Z,#1090,7410991464801,20.00,USD,click,campaign,Back to School,ps-cmp-110,2026-08-20T09:00:00Z,+14155550100,',
].join('\n');

// The same rows under the other aliases, another column order, and other spellings of the same values.
const PS_FILE_ALIASES = [
  'Created At,Order Name,Shopify Order ID,Attributed Revenue,Currency,Attribution,Source,Campaign Name,Campaign ID,Message Sent At,Phone Number,Coupon Used',
  '2026-08-04 09:15:43,#1078,7410991464791,$147.74,USD,Received,automation,Abandoned Cart 1,ps-aut-201,2026-08-03 23:15:43,2065550127,',
  '2026-08-04 14:06:14,#1079,7410991464792,CAD 38.77,,COUPON,automation,Abandoned Cart 1,ps-aut-201,2026-08-03 15:39:30,(647) 555-0109,PS-QBVOKO',
  '2026-08-20 10:00:00,#1090,7410991464801,20,USD,clicked,campaign,Back to School,ps-cmp-110,2026-08-20 09:00:00,+1 415 555 0100,',
].join('\n');

describe('re-importing the same bytes', () => {
  it('is a no-op that says so', async () => {
    const file = warehouse.file('revenue.csv', PS_FILE);
    const first = await warehouse.import({ platform: 'postscript', file });
    expect(first.status).toBe('imported');
    const before = await warehouse.query(`SELECT (SELECT count(*) FROM meta.uploads) AS uploads, (SELECT count(*) FROM raw.postscript_claims) AS claims`);
    expect(before).toEqual([{ uploads: 1, claims: 3 }]);

    const again = await warehouse.import({ platform: 'postscript', file });
    expect(again.status).toBe('already-imported');
    expect(again.uploadId).toBe(first.uploadId);
    expect(again.rows).toBe(3);
    const renamed = await warehouse.import({ platform: 'postscript', file: warehouse.file('revenue (1).csv', PS_FILE) });
    expect(renamed.status).toBe('already-imported');
    expect(renamed.uploadId).toBe(first.uploadId);
    expect(renamed.fileName).toBe('revenue (1).csv');

    const result = cli(['--db', warehouse.path, 'import', 'postscript', file, '--client', 'acme']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/already imported/);
    expect(result.stdout).toContain(`as upload ${first.uploadId}`);
    expect(result.stdout).not.toMatch(/^upload \d+:/m);

    const after = await warehouse.query(`SELECT (SELECT count(*) FROM meta.uploads) AS uploads, (SELECT count(*) FROM raw.postscript_claims) AS claims`);
    expect(after).toEqual(before);
  });

  it('imports the same bytes again for another client, and as another platform is not the same upload', async () => {
    const file = warehouse.file('revenue.csv', PS_FILE);
    const acme = await warehouse.import({ platform: 'postscript', file });
    const globex = await warehouse.import({ platform: 'postscript', file, clientId: 'globex' });
    expect(globex.status).toBe('imported');
    expect(globex.uploadId).not.toBe(acme.uploadId);
    const rows = await warehouse.query(`SELECT client_id, count(*) AS n FROM raw.postscript_claims JOIN meta.uploads USING (upload_id) GROUP BY 1 ORDER BY 1`);
    expect(rows).toEqual([
      { client_id: 'acme', n: 3 },
      { client_id: 'globex', n: 3 },
    ]);
  });
});

describe('header aliases', () => {
  it('reads the same rows under a different alias header set to the same claims', async () => {
    const canonical = await warehouse.import({ platform: 'postscript', file: warehouse.file('a.csv', PS_FILE) });
    const aliased = await warehouse.import({ platform: 'postscript', file: warehouse.file('b.csv', PS_FILE_ALIASES) });
    expect(aliased.status).toBe('imported');
    expect(aliased.uploadId).not.toBe(canonical.uploadId);
    const a = await claims(canonical.uploadId);
    const b = await claims(aliased.uploadId);
    expect(a).toHaveLength(3);
    // The phone is kept as written; everything read from it is the same.
    const withoutRawPhone = (rows: Row[]) => rows.map(({ subscriber_phone: _phone, ...rest }) => rest);
    expect(withoutRawPhone(b)).toEqual(withoutRawPhone(a));
    expect(b.map((row) => row.subscriber_phone)).toEqual(['2065550127', '(647) 555-0109', '+1 415 555 0100']);
    expect(aliased.revenue).toEqual(canonical.revenue);
    expect(canonical.revenue).toEqual([
      { currency: 'CAD', amount: '38.77' },
      { currency: 'USD', amount: '167.74' },
    ]);
  });

  it('reads an Amount In Cents column as cents', async () => {
    const summary = await warehouse.import({
      platform: 'postscript',
      file: warehouse.file(
        'cents.csv',
        'order_id,order_created_at,Amount In Cents,Conversion Type\n7410991464791,2026-08-04,14774,click\n7410991464792,2026-08-05,-99,view\n',
      ),
    });
    const rows = await warehouse.query(`SELECT order_id, revenue, ${instant('order_created_at')} FROM raw.postscript_claims WHERE upload_id = ${summary.uploadId} ORDER BY line`);
    expect(rows).toEqual([
      { order_id: '7410991464791', revenue: 147.74, order_created_at: '2026-08-04T00:00:00.000Z' },
      { order_id: '7410991464792', revenue: -0.99, order_created_at: '2026-08-05T00:00:00.000Z' },
    ]);
  });

  it('reads a Klaviyo export: $event_id, channels, touch types and an epoch $send_ts', async () => {
    const file = warehouse.file(
      'klaviyo.csv',
      [
        '$event_id,Order ID,Order Name,Datetime,$value,$currency,$attributed_channel,Attributed Event,$attributed_message,Message Name,$attributed_flow,Flow Name,Touch At,$send_ts,$email,$phone_number',
        '5fzB81LFGxx,7410991464714,#1001,2026-07-01T05:37:25-04:00,56.75,USD,$sms_channel,Received SMS,MlKHJ5,Upsell SMS 1,SeiqlO,Upsell,2026-07-01T08:58:31Z,1782896224,m@example.com,+15125550195',
        '5du9AyCfP1C,7410991464717,#1004,2026-07-03T04:51:42-04:00,80.82,USD,email,Clicked Email,Pic99X,Checkout Email 1,,,,2026-07-03 01:42:16,r@example.com,',
      ].join('\n'),
    );
    const summary = await warehouse.import({ platform: 'klaviyo', file });
    expect(summary).toMatchObject({ status: 'imported', platform: 'klaviyo', rows: 2, orders: 2 });
    const rows = await warehouse.query(
      `SELECT event_id, order_id, order_name, ${instant('order_created_at')}, revenue, channel, touch_type, message_id, flow_id, ${instant('touch_at')}, ${instant('send_ts')}, phone_e164
       FROM raw.klaviyo_claims WHERE upload_id = ${summary.uploadId} ORDER BY line`,
    );
    expect(rows).toEqual([
      {
        event_id: '5fzB81LFGxx',
        order_id: '7410991464714',
        order_name: '#1001',
        order_created_at: '2026-07-01T09:37:25.000Z',
        revenue: 56.75,
        channel: 'sms',
        touch_type: 'view',
        message_id: 'MlKHJ5',
        flow_id: 'SeiqlO',
        touch_at: '2026-07-01T08:58:31.000Z',
        send_ts: new Date(1782896224 * 1000).toISOString(),
        phone_e164: '+15125550195',
      },
      {
        event_id: '5du9AyCfP1C',
        order_id: '7410991464717',
        order_name: '#1004',
        order_created_at: '2026-07-03T08:51:42.000Z',
        revenue: 80.82,
        channel: 'email',
        touch_type: 'click',
        message_id: 'Pic99X',
        flow_id: null,
        touch_at: null,
        send_ts: '2026-07-03T01:42:16.000Z',
        phone_e164: null,
      },
    ]);
  });
});

describe('--columns MAP.json', () => {
  const custom = [
    'Placed,Shop Order,Gross Sales $,How It Converted,Kind,Store',
    '2026-08-04T09:15:43Z,#1078,147.74,click,Source A,EU',
    '2026-08-05T09:15:43Z,#1079,"1,038.77",view,Source B,US',
  ].join('\n');
  const mapping = {
    order_created_at: 'Placed',
    order_name: 'shop_order',
    revenue: 'Gross Sales $',
    attribution_type: 'How It Converted',
    message_type: 'Kind',
  };

  it('maps custom headers to canonical columns', async () => {
    const file = warehouse.file('custom.csv', custom);
    const map = warehouse.file('map.json', JSON.stringify(mapping));
    const summary = await warehouse.import({ platform: 'postscript', file, columnsFile: map });
    expect(summary.rows).toBe(2);
    const rows = await warehouse.query(
      `SELECT order_name, ${instant('order_created_at')}, revenue, attribution_type, message_type FROM raw.postscript_claims WHERE upload_id = ${summary.uploadId} ORDER BY line`,
    );
    expect(rows).toEqual([
      { order_name: '#1078', order_created_at: '2026-08-04T09:15:43.000Z', revenue: 147.74, attribution_type: 'click', message_type: 'Source A' },
      { order_name: '#1079', order_created_at: '2026-08-05T09:15:43.000Z', revenue: 1038.77, attribution_type: 'view', message_type: 'Source B' },
    ]);
    expect((await keptCells(summary.uploadId, 'postscript_claims'))[0]?.Store).toBe('EU');
    const [upload] = await warehouse.query(`SELECT options FROM meta.uploads WHERE upload_id = ${summary.uploadId}`);
    expect(json(upload?.options).columns).toEqual(mapping);
  });

  it('maps through the CLI, and without the mapping the file is refused', async () => {
    const file = warehouse.file('custom.csv', custom);
    const map = warehouse.file('map.json', JSON.stringify(mapping));
    const refused = cli(['--db', warehouse.path, 'import', 'postscript', file, '--client', 'acme']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/custom\.csv:1: column "/);
    const result = cli(['--db', warehouse.path, 'import', 'postscript', file, '--client', 'acme', '--columns', map]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/rows: 2, orders: 2/);
    expect(result.stdout).toMatch(/revenue USD: 1186\.51/);
  });
});

describe('Shopify line items', () => {
  const header =
    'Name,Email,Financial Status,Paid at,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Cancelled at,Refunded Amount,Id,Tags,Source,Phone,Billing Phone,Vendor';
  const text = [
    header,
    '#1001,a@example.com,paid,2026-07-01 05:37:35 -0400,USD,46.00,6.95,3.80,56.75,,0.00,2026-07-01 05:37:25 -0400,1,"Socks 3-Pack, Assorted",22.00,DB-SOX-3PK,,0.00,7410991464714,vip,web,,+15125550195,Demo Brand',
    '#1001,,,,,,,,,,,,2,Sample Pack,12.00,HL-SMP-3,,,,,,,,Hearth & Loom',
    '#1002,b@example.com,refunded,2026-07-02 10:00:00 -0400,USD,30.00,0.00,0.00,30.00,WELCOME,5.00,2026-07-02 10:00:00 -0400,1,Candle,35.00,HL-CDL,,30.00,7410991464715,,pos,(512) 555-0100,,Hearth & Loom',
    '#1003,c@example.com,paid,2026-07-03 12:00:00 +0200,EUR,100.00,10.00,19.00,129.00,,0.00,2026-07-03 12:00:00 +0200,1,Blanket,50.00,HL-BLK,,0.00,7410991464716,,web,,,Hearth & Loom',
    '#1003,,,,,,,,,,,,1,Throw,30.00,HL-THR,,,,,,,,Hearth & Loom',
    '#1003,,,,,,,,,,,,2,Pillow,10.00,HL-PIL,,,,,,,,Hearth & Loom',
  ].join('\n');

  it('keeps one row per line item and takes the Total once per order', async () => {
    const file = warehouse.file('orders_export.csv', text);
    const summary = await warehouse.import({ platform: 'shopify', file });
    expect(summary).toMatchObject({ status: 'imported', platform: 'shopify', rows: 6, orders: 3 });
    expect(summary.revenue).toEqual([
      { currency: 'EUR', amount: '129.00' },
      { currency: 'USD', amount: '86.75' },
    ]);
    const [totals] = await warehouse.query(
      `SELECT sum(total) FILTER (WHERE is_order_row) AS order_total, count(*) FILTER (WHERE is_order_row) AS order_rows,
              count(*) AS lines, count(DISTINCT order_name) AS orders, sum(lineitem_quantity) AS units,
              count(total) AS totals_present
       FROM raw.shopify_order_lines WHERE upload_id = ${summary.uploadId}`,
    );
    expect(totals).toEqual({ order_total: 215.75, order_rows: 3, lines: 6, orders: 3, units: 8, totals_present: 3 });
    const [sum] = await warehouse.query(`SELECT sum(total) AS total FROM raw.shopify_order_lines WHERE is_order_row`);
    expect(sum?.total).toBe(215.75);
  });

  it('reads the order fields of the first row and the line fields of every row', async () => {
    const summary = await warehouse.import({ platform: 'shopify', file: warehouse.file('orders_export.csv', text) });
    const rows = await warehouse.query(
      `SELECT line, order_name, order_id, is_order_row, ${instant('created_at')}, currency, total, lineitem_name, lineitem_price, phone, phone_e164,
              financial_status, refunded_amount, discount_code, tags, source
       FROM raw.shopify_order_lines WHERE upload_id = ${summary.uploadId} ORDER BY line`,
    );
    expect(rows.map((row) => [row.line, row.order_name, row.is_order_row, row.lineitem_name, row.lineitem_price])).toEqual([
      [2, '#1001', true, 'Socks 3-Pack, Assorted', 22],
      [3, '#1001', false, 'Sample Pack', 12],
      [4, '#1002', true, 'Candle', 35],
      [5, '#1003', true, 'Blanket', 50],
      [6, '#1003', false, 'Throw', 30],
      [7, '#1003', false, 'Pillow', 10],
    ]);
    expect(rows[0]).toMatchObject({
      order_id: '7410991464714',
      created_at: '2026-07-01T09:37:25.000Z',
      currency: 'USD',
      total: 56.75,
      phone: '+15125550195',
      phone_e164: '+15125550195',
      tags: 'vip',
      source: 'web',
    });
    expect(rows[1]).toMatchObject({ order_id: null, created_at: null, currency: null, total: null });
    expect(rows[2]).toMatchObject({
      financial_status: 'refunded',
      refunded_amount: 30,
      discount_code: 'WELCOME',
      phone: '(512) 555-0100',
      phone_e164: '+15125550100',
    });
    expect(rows[3]).toMatchObject({ created_at: '2026-07-03T10:00:00.000Z', currency: 'EUR', total: 129 });
  });
});

describe('the uploads row', () => {
  it('records client, platform, file, sha256, counts, window and options', async () => {
    const file = warehouse.file('postscript_revenue_2026-08-31.csv', PS_FILE);
    const summary = await warehouse.import({ platform: 'postscript', file });
    const uploads = await warehouse.query(
      `SELECT upload_id, client_id, platform, file_name, file_sha256, row_count, order_count, window_from, window_to, window_explicit, options, imported_at
       FROM meta.uploads`,
    );
    expect(uploads).toHaveLength(1);
    const upload = uploads[0]!;
    expect(upload).toMatchObject({
      upload_id: summary.uploadId,
      client_id: 'acme',
      platform: 'postscript',
      file_name: 'postscript_revenue_2026-08-31.csv',
      file_sha256: sha256(PS_FILE),
      row_count: 3,
      order_count: 3,
      // a window from the rows' first and last order dates is the models' (dedup.dedup_upload_windows)
      window_from: null,
      window_to: null,
      window_explicit: false,
    });
    expect(json(upload.options)).toEqual({
      exclude_view_only: false,
      include_view_only: false,
      columns: {},
      source_timezone: 'UTC',
      client_timezone: 'UTC',
      bytes: Buffer.byteLength(PS_FILE),
      reader: 'bulk',
    });
    expect(Math.abs(Date.parse(String(upload.imported_at)) - Date.now())).toBeLessThan(5 * 60_000);
    expect(summary.window).toEqual({ from: '2026-08-04', to: '2026-08-20', explicit: false });
    const [count] = await warehouse.query(`SELECT count(*) AS n FROM raw.postscript_claims WHERE upload_id = ${summary.uploadId}`);
    expect(count?.n).toBe(3);
  });

  it('records an explicit --from/--to window and warns about rows outside it', async () => {
    const file = warehouse.file('revenue.csv', PS_FILE);
    const summary = await warehouse.import({ platform: 'postscript', file, from: '2026-08-01', to: '2026-08-15' });
    expect(summary.window).toEqual({ from: '2026-08-01', to: '2026-08-15', explicit: true });
    expect(summary.warnings).toEqual(['1 row falls outside the coverage window 2026-08-01 .. 2026-08-15 given with --from/--to']);
    const [upload] = await warehouse.query(`SELECT window_from, window_to, window_explicit FROM meta.uploads`);
    expect(upload).toEqual({ window_from: '2026-08-01', window_to: '2026-08-15', window_explicit: true });
  });

  it('counts an order once when several rows claim it', async () => {
    const file = warehouse.file(
      'dupes.csv',
      'Order ID,Order Date,Revenue,Attribution Type\n7410991464791,2026-08-04,10.00,click\n7410991464791,2026-08-04,10.00,view\n7410991464792,2026-08-05,5.00,click\n',
    );
    const summary = await warehouse.import({ platform: 'postscript', file });
    expect(summary.rows).toBe(3);
    expect(summary.orders).toBe(2);
    const [upload] = await warehouse.query(`SELECT row_count, order_count FROM meta.uploads`);
    expect(upload).toEqual({ row_count: 3, order_count: 2 });
  });

  it('prints the summary on the command line and names what a later upload supersedes', async () => {
    const first = warehouse.file('first.csv', PS_FILE);
    const one = cli(['--db', warehouse.path, 'import', 'postscript', first, '--client', 'acme']);
    expect(one.status, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/^upload 1: postscript first\.csv for client acme$/m);
    expect(one.stdout).toMatch(/^ {2}rows: 3, orders: 3$/m);
    expect(one.stdout).toMatch(/^ {2}revenue CAD: 38\.77$/m);
    expect(one.stdout).toMatch(/^ {2}revenue USD: 167\.74$/m);
    expect(one.stdout).toMatch(
      /^ {2}coverage window: 2026-08-04 \.\. 2026-08-20 \(first and last order dates; give --from\/--to when the export covers more days\)$/m,
    );
    expect(one.stdout).toMatch(/supersedes: nothing/);

    const second = warehouse.file(
      'second.csv',
      'Order ID,Order Date,Revenue,Attribution Type\n7410991464900,2026-08-10,10.00,click\n7410991464901,2026-08-25,5.00,click\n',
    );
    const two = cli(['--db', warehouse.path, 'import', 'postscript', second, '--client', 'acme']);
    expect(two.status, two.stderr).toBe(0);
    expect(two.stdout).toMatch(/^upload 2: postscript second\.csv/m);
    expect(two.stdout).toMatch(/supersedes: 1 row of upload 1 on the dates this window covers/);
  });
});

describe('client settings', () => {
  it('--exclude-view-only sets the client view_only to exclude', async () => {
    await warehouse.import({ platform: 'postscript', file: warehouse.file('a.csv', PS_FILE) });
    expect(await warehouse.query(`SELECT client_id, view_only FROM meta.clients`)).toEqual([
      { client_id: 'acme', view_only: 'include' },
    ]);
    const summary = await warehouse.import({
      platform: 'postscript',
      file: warehouse.file('b.csv', PS_FILE_ALIASES),
      excludeViewOnly: true,
    });
    expect(await warehouse.query(`SELECT client_id, view_only FROM meta.clients`)).toEqual([
      { client_id: 'acme', view_only: 'exclude' },
    ]);
    const [upload] = await warehouse.query(`SELECT options FROM meta.uploads WHERE upload_id = ${summary.uploadId}`);
    expect(json(upload?.options).exclude_view_only).toBe(true);
  });

  it('--exclude-view-only on the command line creates the client with view_only exclude', async () => {
    const result = cli(['--db', warehouse.path, 'import', 'postscript', warehouse.file('a.csv', PS_FILE), '--client', 'newco', '--exclude-view-only']);
    expect(result.status, result.stderr).toBe(0);
    expect(await warehouse.query(`SELECT client_id, view_only FROM meta.clients`)).toEqual([
      { client_id: 'newco', view_only: 'exclude' },
    ]);
  });

  it('keeps naive timestamps as written, and reads them in the source_timezone of the build', async () => {
    await warehouse.client('acme', { source_timezone: 'America/New_York' });
    const file = warehouse.file(
      'naive.csv',
      [
        'Order ID,Order Date,Revenue,Attribution Type,Sent At',
        '1,2026-07-01 09:00:00,1.00,click,2026-06-30 23:30:00',
        '2,2026-01-15 09:00:00,1.00,click,2026-01-15T09:00:00Z',
        '3,2026-07-02,1.00,click,2026-07-01 09:00:00 +0200',
        '4,10/07/2025 9:50 PM,1.00,click,',
      ].join('\n'),
    );
    const summary = await warehouse.import({ platform: 'postscript', file });
    // raw: the wall time as written, and the offset when the export gave one
    const raw = await warehouse.query(
      `SELECT order_id, order_created_at, sent_at FROM raw.postscript_claims WHERE upload_id = ${summary.uploadId} ORDER BY line`,
    );
    expect(raw).toEqual([
      { order_id: '1', order_created_at: { wall: '2026-07-01T09:00:00.000Z', offset_minutes: null }, sent_at: { wall: '2026-06-30T23:30:00.000Z', offset_minutes: null } },
      { order_id: '2', order_created_at: { wall: '2026-01-15T09:00:00.000Z', offset_minutes: null }, sent_at: { wall: '2026-01-15T09:00:00.000Z', offset_minutes: 0 } },
      { order_id: '3', order_created_at: { wall: '2026-07-02T00:00:00.000Z', offset_minutes: null }, sent_at: { wall: '2026-07-01T09:00:00.000Z', offset_minutes: 120 } },
      { order_id: '4', order_created_at: { wall: '2025-10-07T21:50:00.000Z', offset_minutes: null }, sent_at: null },
    ]);
    const [upload] = await warehouse.query(`SELECT options FROM meta.uploads WHERE upload_id = ${summary.uploadId}`);
    expect(json(upload?.options).source_timezone).toBe('America/New_York');

    // the build reads the naive ones in the client's source_timezone (New York: -4 in summer, -5 in winter)
    await warehouse.build();
    const staged = `SELECT order_id, order_created_at, reported_touch_at FROM staging.stg_claims ORDER BY order_id`;
    expect(await warehouse.query(staged)).toEqual([
      { order_id: '1', order_created_at: '2026-07-01T13:00:00.000Z', reported_touch_at: '2026-07-01T03:30:00.000Z' },
      { order_id: '2', order_created_at: '2026-01-15T14:00:00.000Z', reported_touch_at: '2026-01-15T09:00:00.000Z' },
      { order_id: '3', order_created_at: '2026-07-02T04:00:00.000Z', reported_touch_at: '2026-07-01T07:00:00.000Z' },
      { order_id: '4', order_created_at: '2025-10-08T01:50:00.000Z', reported_touch_at: null },
    ]);

    // a changed source_timezone applies at the next build, without a re-import; exact times stay
    await warehouse.client('acme', { source_timezone: 'UTC' });
    await warehouse.build();
    expect(await warehouse.query(staged)).toEqual([
      { order_id: '1', order_created_at: '2026-07-01T09:00:00.000Z', reported_touch_at: '2026-06-30T23:30:00.000Z' },
      { order_id: '2', order_created_at: '2026-01-15T09:00:00.000Z', reported_touch_at: '2026-01-15T09:00:00.000Z' },
      { order_id: '3', order_created_at: '2026-07-02T00:00:00.000Z', reported_touch_at: '2026-07-01T07:00:00.000Z' },
      { order_id: '4', order_created_at: '2025-10-07T21:50:00.000Z', reported_touch_at: null },
    ]);
    expect(await warehouse.query(`SELECT count(*) AS n FROM meta.uploads`)).toEqual([{ n: 1 }]);
  });

  it('reads the same naive timestamps in UTC for a client without a source_timezone', async () => {
    await warehouse.client('acme', { source_timezone: 'America/New_York' });
    const file = warehouse.file('naive.csv', 'Order ID,Order Date,Revenue,Attribution Type\n1,2026-07-01 09:00:00,1.00,click\n');
    await warehouse.import({ platform: 'postscript', file, clientId: 'globex' });
    await warehouse.import({ platform: 'postscript', file });
    await warehouse.build();
    const rows = await warehouse.query(`SELECT client_id, order_created_at FROM staging.stg_claims ORDER BY client_id`);
    expect(rows).toEqual([
      { client_id: 'acme', order_created_at: '2026-07-01T13:00:00.000Z' },
      { client_id: 'globex', order_created_at: '2026-07-01T09:00:00.000Z' },
    ]);
  });
});

describe('unknown extra columns', () => {
  it('are kept as text, named once per upload, and otherwise ignored', async () => {
    const file = warehouse.file(
      'extra.csv',
      [
        '\uFEFFStore,Order ID,Order Date,Revenue,Attribution Type,Internal Note,',
        'EU-1,7410991464791,2026-08-04,10.00,click,"called, twice",blank header',
        'EU-2,7410991464792,2026-08-05,11.00,click,,',
      ].join('\n'),
    );
    const summary = await warehouse.import({ platform: 'postscript', file });
    const rows = await warehouse.query(
      `SELECT order_id, revenue FROM raw.postscript_claims WHERE upload_id = ${summary.uploadId} ORDER BY line`,
    );
    expect(rows).toEqual([
      { order_id: '7410991464791', revenue: 10 },
      { order_id: '7410991464792', revenue: 11 },
    ]);
    const [upload] = await warehouse.query(`SELECT source_headers FROM meta.uploads WHERE upload_id = ${summary.uploadId}`);
    expect(upload?.source_headers).toEqual(['Store', 'Internal Note', 'column_7']);
    expect(await keptCells(summary.uploadId, 'postscript_claims')).toEqual([
      { Store: 'EU-1', 'Internal Note': 'called, twice', column_7: 'blank header' },
      { Store: 'EU-2', 'Internal Note': null, column_7: null },
    ]);
  });
});
