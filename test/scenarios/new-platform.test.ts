// A platform added as one declaration file (src/ingest/formats/attentive.ts) and nothing else: it is
// imported, checked and refused like the others, its claims meet Postscript's and Klaviyo's in the same
// last-touch rules, and the marts, the platforms seed and the command line know it.
// Client acme: UTC, flat, include. Every order was created 2026-08-12 12:00 UTC.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { detectPlatform } from '../../src/monthly/inbox.js';
import { cli, TestWarehouse } from '../helpers.js';
import { csv, expectRevenueIdentity, KLAVIYO_HEADER, orders, POSTSCRIPT_HEADER, revenue, SHOPIFY_HEADER } from './scenario.js';

const warehouse = new TestWarehouse();

const SHOPIFY = csv(`
  ${SHOPIFY_HEADER}
  #1301,7000000001301,2026-08-12T12:00:00Z,USD,60.00,,,Tote bag
  #1302,7000000001302,2026-08-12T12:00:00Z,USD,80.00,,,Jacket
  #1303,7000000001303,2026-08-12T12:00:00Z,USD,45.00,,,Cap
  #1304,7000000001304,2026-08-12T12:00:00Z,USD,30.00,,,Socks
  #1305,7000000001305,2026-08-12T12:00:00Z,USD,25.00,,,Scarf
`);

// Attentive's touch times, by the same rules as every platform's (staging.stg_claims):
//   #1301 SMS click, sent 09:00, clicked 09:30   -> 09:30 (loses to Postscript's click at 10:00)
//   #1302 email click, sent 10:00, clicked 11:00 -> 11:00 (beats Klaviyo's open at 10:00)
//   #1303 SMS view, no time                      -> unknown (the only claim: it wins)
//   #1304 SMS click, sent 08:00, no click time   -> 08:00 (loses to Klaviyo's click at 09:00)
//   #1305 email open, sent 07:00                 -> 07:00 (the only claim)
const ATTENTIVE_HEADER =
  'Order Number,Conversion Timestamp,Order Revenue,Currency,Message Channel,Attribution Type,Message ID,Message Name,Message Sent At,Clicked At';
const ATTENTIVE = csv(`
  ${ATTENTIVE_HEADER}
  #1301,2026-08-12T12:00:00Z,60.00,USD,SMS,Click,a1301,Back to school,2026-08-12T09:00:00Z,2026-08-12T09:30:00Z
  #1302,2026-08-12T12:00:00Z,80.00,USD,Email,Click,a1302,Jackets are back,2026-08-12T10:00:00Z,2026-08-12T11:00:00Z
  #1303,2026-08-12T12:00:00Z,45.00,USD,sms,View-through,a1303,Caps,,
  #1304,2026-08-12T12:00:00Z,30.00,USD,Text,Clicked,a1304,Socks,2026-08-12T08:00:00Z,
  #1305,2026-08-12T12:00:00Z,25.00,USD,email,Opened,a1305,Scarves,2026-08-12T07:00:00Z,
`);

const POSTSCRIPT = csv(`
  ${POSTSCRIPT_HEADER}
  2026-08-12T12:00:00Z,#1301,,60.00,USD,click,p1301,2026-08-12T09:00:00Z,2026-08-12T10:00:00Z,
`);

const KLAVIYO = csv(`
  ${KLAVIYO_HEADER}
  e1302,,#1302,2026-08-12T12:00:00Z,80.00,USD,email,Opened Email,k1302,2026-08-12T10:00:00Z,
  e1304,,#1304,2026-08-12T12:00:00Z,30.00,USD,email,Clicked Email,k1304,2026-08-12T09:00:00Z,
`);

beforeAll(async () => {
  await warehouse.import({ platform: 'shopify', file: warehouse.file('shopify.csv', SHOPIFY) });
  await warehouse.import({ platform: 'attentive', file: warehouse.file('attentive.csv', ATTENTIVE) });
  await warehouse.import({ platform: 'postscript', file: warehouse.file('postscript.csv', POSTSCRIPT) });
  await warehouse.import({ platform: 'klaviyo', file: warehouse.file('klaviyo.csv', KLAVIYO) });
  await warehouse.build();
});

afterAll(() => warehouse.cleanup());

test('Attentive claims take part in last touch like every platform', async () => {
  expect(await orders(warehouse)).toEqual([
    { order_name: '#1301', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'click', last_touch_revenue: 60 },
    { order_name: '#1302', claims: 2, winner_platform: 'attentive', winner_channel: 'email', winner_touch_type: 'click', last_touch_revenue: 80 },
    { order_name: '#1303', claims: 1, winner_platform: 'attentive', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 45 },
    { order_name: '#1304', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'click', last_touch_revenue: 30 },
    { order_name: '#1305', claims: 1, winner_platform: 'attentive', winner_channel: 'email', winner_touch_type: 'open', last_touch_revenue: 25 },
  ]);
  const touched = await warehouse.query(`
    SELECT order_name, strftime(winner_touch_at AT TIME ZONE 'UTC', '%H:%M') AS at FROM marts.order_attribution ORDER BY order_name`);
  expect(touched).toEqual([
    { order_name: '#1301', at: '10:00' },
    { order_name: '#1302', at: '11:00' },
    { order_name: '#1303', at: null },
    { order_name: '#1304', at: '09:00' },
    { order_name: '#1305', at: '07:00' },
  ]);
});

test('the revenue summary has a line per Attentive channel, and the identity holds', async () => {
  const line = (platform: string, channel: string, orders: number, claimed: number, removed: number, won: number, wonRevenue: number) => ({
    month: '2026-08-01', platform, channel, currency: 'USD', platform_orders: orders, platform_revenue: claimed,
    view_only_excluded_revenue: 0, double_attribution_removed: removed, last_touch_orders: won, last_touch_revenue: wonRevenue,
  });
  expect(await revenue(warehouse)).toEqual([
    // sms: #1301 60 + #1303 45 + #1304 30 claimed; #1301 and #1304 won by others
    line('attentive', 'email', 2, 105, 0, 2, 105),
    line('attentive', 'sms', 3, 135, 90, 1, 45),
    line('klaviyo', 'email', 2, 110, 80, 1, 30),
    line('postscript', 'sms', 1, 60, 0, 1, 60),
  ]);
  await expectRevenueIdentity(warehouse);
  // every order of the store counted once: 60 + 80 + 45 + 30 + 25
  const [total] = await warehouse.query(`SELECT sum(last_touch_revenue)::DOUBLE AS revenue FROM marts.revenue_summary`);
  expect(total?.revenue).toBe(240);
  expect(await warehouse.query(`SELECT label, kind, engagement_tracked FROM seeds.platforms WHERE platform = 'attentive'`)).toEqual([
    { label: 'Attentive', kind: 'claims', engagement_tracked: false },
  ]);
});

test('an Attentive file is refused cell by cell like any export, and known to the command line', async () => {
  const bad = warehouse.file(
    'attentive-bad.csv',
    csv(`
      ${ATTENTIVE_HEADER}
      #1306,2026-08-13T12:00:00Z,12.00,USD,Fax,Click,a1306,Fax blast,,
      #1307,2026-08-13T12:00:00Z,twelve,USD,SMS,Click,a1307,Texts,,
    `),
  );
  const refused = cli(['--db', warehouse.path, 'import', 'attentive', bad, '--client', 'acme']);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain(
    'attentive-bad.csv:2: column "Message Channel", value "Fax": is not a known channel (accepted: sms, text, mms, email)\n' +
      'attentive-bad.csv:3: column "Order Revenue", value "twelve": is not an amount\n' +
      'nothing was imported',
  );
  const [uploads] = await warehouse.query(`SELECT count(*)::INTEGER AS n FROM meta.uploads WHERE platform = 'attentive'`);
  expect(uploads?.n).toBe(1);

  const help = cli(['import', '--help']);
  expect(help.stdout).toContain('attentive | klaviyo | postscript | shopify');
  const priority = cli(['--db', warehouse.path, 'client', 'set', 'acme', '--platform-priority', 'attentive,klaviyo']);
  expect(priority.status, priority.stderr).toBe(0);

  // the monthly inbox tells an Attentive file from the others by its header alone
  expect(await detectPlatform(warehouse.file('a.csv', ATTENTIVE), {})).toBe('attentive');
  expect(await detectPlatform(warehouse.file('p.csv', POSTSCRIPT), {})).toBe('postscript');
  expect(await detectPlatform(warehouse.file('k.csv', KLAVIYO), {})).toBe('klaviyo');
});
