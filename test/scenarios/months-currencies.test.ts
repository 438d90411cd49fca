// docs/attribution.md sections 6 and 7: months in the client's time zone, currencies never added together,
// and the store's own revenue as the denominator of the attributed share.
// Client acme: timezone America/New_York (set before the imports), flat, include.
// Client noshop: UTC, no Shopify file.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestWarehouse } from '../helpers.js';
import { csv, expectRevenueIdentity, finding, KLAVIYO_HEADER, POSTSCRIPT_HEADER, revenue, SHOPIFY_HEADER } from './scenario.js';
import { expectShuffleInvariant } from './shuffle.js';

const warehouse = new TestWarehouse();

//   #2001 USD 100  2026-08-01 02:30Z = New York 2026-07-31 22:30 -> July
//   #2002 USD 200  08-10, 20.00 refunded, two line items
//   #2003 USD  60  08-11, cancelled 08-12 (no claims)
//   #2004 CAD 130  08-12
//   #2005 CAD  70  08-13 (no claims)
//   #2006 USD  40  08-14 (no claims)
const SHOPIFY = csv(`
  ${SHOPIFY_HEADER}
  #2001,7000000002001,2026-08-01T02:30:00Z,USD,100.00,,,Mug
  #2002,7000000002002,2026-08-10T15:00:00Z,USD,200.00,20.00,,Hoodie
  #2002,7000000002002,,,,,,Socks
  #2003,7000000002003,2026-08-11T15:00:00Z,USD,60.00,,2026-08-12T10:00:00Z,Cap
  #2004,7000000002004,2026-08-12T15:00:00Z,CAD,130.00,,,Scarf
  #2005,7000000002005,2026-08-13T15:00:00Z,CAD,70.00,,,Gloves
  #2006,7000000002006,2026-08-14T15:00:00Z,USD,40.00,,,Pin
`);

//   #2001 Postscript click 01:00Z (USD 100)
//   #2002 Postscript view 12:00Z (USD 200)  vs Klaviyo email click 13:00Z (USD 200)  -> Klaviyo
//   #2004 Postscript click 14:00Z (CAD 130) vs Klaviyo email open 13:00Z (CAD 130)   -> Postscript
const POSTSCRIPT = csv(`
  ${POSTSCRIPT_HEADER}
  2026-08-01T02:30:00Z,#2001,,100.00,USD,click,p1,2026-08-01T00:30:00Z,2026-08-01T01:00:00Z,
  2026-08-10T15:00:00Z,#2002,,200.00,USD,view,p2,2026-08-10T12:00:00Z,,
  2026-08-12T15:00:00Z,#2004,,130.00,CAD,click,p4,2026-08-12T13:30:00Z,2026-08-12T14:00:00Z,
`);

const KLAVIYO = csv(`
  ${KLAVIYO_HEADER}
  e2,,#2002,2026-08-10T15:00:00Z,200.00,USD,email,Clicked Email,k2,2026-08-10T13:00:00Z,
  e4,,#2004,2026-08-12T15:00:00Z,130.00,CAD,email,Opened Email,k4,2026-08-12T13:00:00Z,
`);

const NOSHOP_POSTSCRIPT = csv(`
  ${POSTSCRIPT_HEADER}
  2026-08-20T12:00:00Z,#3001,,25.00,USD,click,p1,2026-08-20T10:00:00Z,2026-08-20T11:00:00Z,
`);

function store(clientId = 'acme') {
  return warehouse.query(`
    SELECT month, currency, store_revenue, refunded_revenue, attributed_revenue, attributed_share
    FROM marts.store_summary WHERE client_id = '${clientId}' ORDER BY month, currency`);
}

beforeAll(async () => {
  await warehouse.client('acme', { timezone: 'America/New_York' });
  await warehouse.import({ platform: 'shopify', file: warehouse.file('shopify.csv', SHOPIFY) });
  await warehouse.import({ platform: 'postscript', file: warehouse.file('postscript.csv', POSTSCRIPT) });
  await warehouse.import({ platform: 'klaviyo', file: warehouse.file('klaviyo.csv', KLAVIYO) });
  await warehouse.import({ platform: 'postscript', clientId: 'noshop', file: warehouse.file('noshop.csv', NOSHOP_POSTSCRIPT) });
  await warehouse.build();
});

afterAll(() => warehouse.cleanup());

describe('client time zone America/New_York', () => {
  test('an order at 2026-08-01 02:30 UTC is in July', async () => {
    const rows = await warehouse.query(`
      SELECT order_name, order_created_at, month, currency, winner_platform, last_touch_revenue
      FROM marts.order_attribution WHERE client_id = 'acme' ORDER BY order_name`);
    expect(rows).toEqual([
      { order_name: '#2001', order_created_at: '2026-08-01T02:30:00.000Z', month: '2026-07-01', currency: 'USD',
        winner_platform: 'postscript', last_touch_revenue: 100 },
      // click 13:00 > view 12:00
      { order_name: '#2002', order_created_at: '2026-08-10T15:00:00.000Z', month: '2026-08-01', currency: 'USD',
        winner_platform: 'klaviyo', last_touch_revenue: 200 },
      // click 14:00 > open 13:00
      { order_name: '#2004', order_created_at: '2026-08-12T15:00:00.000Z', month: '2026-08-01', currency: 'CAD',
        winner_platform: 'postscript', last_touch_revenue: 130 },
    ]);
  });

  test('revenue_summary: one row per month and currency, USD and CAD apart', async () => {
    expect(await revenue(warehouse)).toEqual([
      { month: '2026-07-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 1,
        platform_revenue: 100, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 1, last_touch_revenue: 100 },
      // #2004 lost to Postscript
      { month: '2026-08-01', platform: 'klaviyo', channel: 'email', currency: 'CAD', platform_orders: 1,
        platform_revenue: 130, view_only_excluded_revenue: 0, double_attribution_removed: 130,
        last_touch_orders: 0, last_touch_revenue: 0 },
      { month: '2026-08-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 1,
        platform_revenue: 200, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 1, last_touch_revenue: 200 },
      { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'CAD', platform_orders: 1,
        platform_revenue: 130, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 1, last_touch_revenue: 130 },
      // #2002 lost to Klaviyo (and never 200 USD + 130 CAD = 330 in one row)
      { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 1,
        platform_revenue: 200, view_only_excluded_revenue: 0, double_attribution_removed: 200,
        last_touch_orders: 0, last_touch_revenue: 0 },
    ]);
    await expectRevenueIdentity(warehouse);
  });

  test('store_summary: cancelled orders out of store revenue, refunds apart, share = attributed / store', async () => {
    const rows = await store();
    expect(rows).toEqual([
      // July USD: #2001 100; attributed #2001 100; 100 / 100 = 1
      { month: '2026-07-01', currency: 'USD', store_revenue: 100, refunded_revenue: 0, attributed_revenue: 100,
        attributed_share: expect.closeTo(1, 6) },
      // August CAD: #2004 130 + #2005 70 = 200; attributed #2004 130; 130 / 200 = 0.65
      { month: '2026-08-01', currency: 'CAD', store_revenue: 200, refunded_revenue: 0, attributed_revenue: 130,
        attributed_share: expect.closeTo(0.65, 6) },
      // August USD: #2002 200 + #2006 40 = 240 (#2003 60 cancelled, left out); refunded #2002 20;
      // attributed #2002 200; 200 / 240 = 0.833333
      { month: '2026-08-01', currency: 'USD', store_revenue: 240, refunded_revenue: 20, attributed_revenue: 200,
        attributed_share: expect.closeTo(200 / 240, 6) },
    ]);
  });

  test('store_summary without Shopify data: attributed revenue, share NULL', async () => {
    const rows = await warehouse.query(`
      SELECT month, currency, attributed_revenue, attributed_share
      FROM marts.store_summary WHERE client_id = 'noshop' ORDER BY month, currency`);
    expect(rows).toEqual([{ month: '2026-08-01', currency: 'USD', attributed_revenue: 25, attributed_share: null }]);
    // the one claim matches no Shopify order (none is loaded for noshop)
    expect(await finding(warehouse, 'unmatched_claims', 'noshop')).toBe(1);
    expect(await finding(warehouse, 'unmatched_claims', 'acme')).toBeNull();
  });
});

describe('the same data with the client time zone changed to UTC, rebuilt without re-importing', () => {
  beforeAll(async () => {
    await warehouse.client('acme', { timezone: 'UTC' });
    await warehouse.build();
  });

  test('#2001 moves to August', async () => {
    const rows = await warehouse.query(`
      SELECT order_name, month FROM marts.order_attribution WHERE client_id = 'acme' ORDER BY order_name`);
    expect(rows).toEqual([
      { order_name: '#2001', month: '2026-08-01' },
      { order_name: '#2002', month: '2026-08-01' },
      { order_name: '#2004', month: '2026-08-01' },
    ]);
    expect(await revenue(warehouse)).toEqual([
      { month: '2026-08-01', platform: 'klaviyo', channel: 'email', currency: 'CAD', platform_orders: 1,
        platform_revenue: 130, view_only_excluded_revenue: 0, double_attribution_removed: 130,
        last_touch_orders: 0, last_touch_revenue: 0 },
      { month: '2026-08-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 1,
        platform_revenue: 200, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 1, last_touch_revenue: 200 },
      { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'CAD', platform_orders: 1,
        platform_revenue: 130, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 1, last_touch_revenue: 130 },
      // #2001 100 won + #2002 200 lost = 300; 300 = 100 + 200
      { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 2,
        platform_revenue: 300, view_only_excluded_revenue: 0, double_attribution_removed: 200,
        last_touch_orders: 1, last_touch_revenue: 100 },
    ]);
    expect(await store()).toEqual([
      { month: '2026-08-01', currency: 'CAD', store_revenue: 200, refunded_revenue: 0, attributed_revenue: 130,
        attributed_share: expect.closeTo(0.65, 6) },
      // 100 + 200 + 40 = 340 (not the cancelled 60); attributed 100 + 200 = 300; 300 / 340
      { month: '2026-08-01', currency: 'USD', store_revenue: 340, refunded_revenue: 20, attributed_revenue: 300,
        attributed_share: expect.closeTo(300 / 340, 6) },
    ]);
    await expectRevenueIdentity(warehouse);
  });
});

test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
