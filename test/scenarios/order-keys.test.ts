// docs/attribution.md section 1: claims matched to Shopify orders by numeric Id, then by normalised name; a
// claim matching no order keeps its own key, still counts, and is counted in data quality.
// Client acme: UTC, flat, include.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TestWarehouse } from '../helpers.js';
import { csv, expectRevenueIdentity, finding, KLAVIYO_HEADER, POSTSCRIPT_HEADER, revenue, SHOPIFY_HEADER, importAndBuild } from './scenario.js';
import { expectShuffleInvariant } from './shuffle.js';

const warehouse = new TestWarehouse();

// #1001 has two line items: the order fields only on its first row.
const SHOPIFY = csv(`
  ${SHOPIFY_HEADER}
  #1001,7410991464714,2026-08-05T12:00:00Z,USD,120.00,,,Hoodie
  #1001,7410991464714,,,,,,Socks
  EU-1001,7410991464999,2026-08-06T12:00:00Z,USD,90.00,,,Cap
  #1002,7410991465000,2026-08-07T12:00:00Z,USD,50.00,,,Mug
  #1003,7410991465111,2026-08-07T15:00:00Z,USD,75.00,,,Scarf
`);

//   #1001     only the Order Number "#1001"                       -> Shopify #1001 by name
//   " #1002 " spaces around the name                              -> Shopify #1002
//   eu-1001   another case, store prefix kept                     -> Shopify EU-1001 (not #1001)
//   #1002 with Order ID 7410991465111 (the Id of #1003)          -> the Id comes first: Shopify #1003
//   #9999     no such order                                       -> unmatched, its own key
const POSTSCRIPT = csv(`
  ${POSTSCRIPT_HEADER}
  2026-08-05T12:00:00Z,#1001,,120.00,USD,click,p1,2026-08-05T09:00:00Z,2026-08-05T10:00:00Z,
  2026-08-07T12:00:00Z," #1002 ",,50.00,USD,view,p2,2026-08-07T09:00:00Z,,
  2026-08-06T12:00:00Z,eu-1001,,90.00,USD,view,p3,2026-08-06T11:00:00Z,,
  2026-08-07T15:00:00Z,#1002,7410991465111,75.00,USD,click,p4,2026-08-07T13:00:00Z,2026-08-07T14:00:00Z,
  2026-08-08T12:00:00Z,#9999,,35.00,USD,view,p5,2026-08-08T10:00:00Z,,
`);

//   Order ID 7410991464714 only (no name)  -> Shopify #1001 by Id, the same order as Postscript's "#1001"
//   Order Name "1002" (no #)               -> Shopify #1002
//   Order Name "EU-1001"                   -> Shopify EU-1001
//   Order Name "EU-1002"                   -> no such order (there is #1002): unmatched
const KLAVIYO = csv(`
  ${KLAVIYO_HEADER}
  e1,7410991464714,,2026-08-05T12:00:00Z,120.00,USD,email,Opened Email,k1,2026-08-05T11:00:00Z,
  e2,,1002,2026-08-07T12:00:00Z,50.00,USD,email,Clicked Email,k2,2026-08-07T08:00:00Z,
  e3,,EU-1001,2026-08-06T12:00:00Z,90.00,USD,email,Clicked Email,k3,2026-08-06T10:00:00Z,
  e4,,EU-1002,2026-08-08T13:00:00Z,44.00,USD,email,Opened Email,k4,2026-08-08T10:00:00Z,
`);

beforeAll(() => importAndBuild(warehouse, { shopify: SHOPIFY, postscript: POSTSCRIPT, klaviyo: KLAVIYO }));

afterAll(() => warehouse.cleanup());

test('claims land on the Shopify order by Id, then by normalised name; the rest keep their own key', async () => {
  const rows = await warehouse.query(`
    SELECT order_name, order_id, claims, winner_platform, winner_channel, winner_touch_type, last_touch_revenue, shopify_matched
    FROM marts.order_attribution WHERE client_id = 'acme' ORDER BY order_name`);
  expect(rows).toEqual([
    // Postscript "#1001" (click 10:00) and Klaviyo Id 7410991464714 (open 11:00): one order; 11:00 wins
    { order_name: '#1001', order_id: '7410991464714', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email',
      winner_touch_type: 'open', last_touch_revenue: 120, shopify_matched: true },
    // " #1002 " (view 09:00) and "1002" (click 08:00): one order; 09:00 wins
    { order_name: '#1002', order_id: '7410991465000', claims: 2, winner_platform: 'postscript', winner_channel: 'sms',
      winner_touch_type: 'view', last_touch_revenue: 50, shopify_matched: true },
    // by Id, although its Order Number says #1002
    { order_name: '#1003', order_id: '7410991465111', claims: 1, winner_platform: 'postscript', winner_channel: 'sms',
      winner_touch_type: 'click', last_touch_revenue: 75, shopify_matched: true },
    // unmatched: still counts with its own 35.00
    { order_name: '#9999', order_id: null, claims: 1, winner_platform: 'postscript', winner_channel: 'sms',
      winner_touch_type: 'view', last_touch_revenue: 35, shopify_matched: false },
    // "eu-1001" (view 11:00) and "EU-1001" (click 10:00): one order, apart from #1001; 11:00 wins
    { order_name: 'EU-1001', order_id: '7410991464999', claims: 2, winner_platform: 'postscript', winner_channel: 'sms',
      winner_touch_type: 'view', last_touch_revenue: 90, shopify_matched: true },
    // unmatched: not #1002
    { order_name: 'EU-1002', order_id: null, claims: 1, winner_platform: 'klaviyo', winner_channel: 'email',
      winner_touch_type: 'open', last_touch_revenue: 44, shopify_matched: false },
  ]);
});

test('revenue_summary counts matched and unmatched claims alike', async () => {
  expect(await revenue(warehouse)).toEqual([
    // 120 + 50 + 90 + 44 = 304 (4); won #1001 120 + EU-1002 44 = 164 (2); lost #1002 50 + EU-1001 90 = 140
    { month: '2026-08-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 4,
      platform_revenue: 304, view_only_excluded_revenue: 0, double_attribution_removed: 140,
      last_touch_orders: 2, last_touch_revenue: 164 },
    // 120 + 50 + 90 + 75 + 35 = 370 (5); won 50 + 90 + 75 + 35 = 250 (4); lost #1001 120
    { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 5,
      platform_revenue: 370, view_only_excluded_revenue: 0, double_attribution_removed: 120,
      last_touch_orders: 4, last_touch_revenue: 250 },
  ]);
  // 164 + 250 = 414 = 120 + 50 + 75 + 35 + 90 + 44
  await expectRevenueIdentity(warehouse);
});

test("data quality: 'unmatched_claims' counts #9999 and EU-1002", async () => {
  expect(await finding(warehouse, 'unmatched_claims')).toBe(2);
  // #1003's claim went to #1003 by Id, so #1002 has one Postscript claim, not two
  expect(await finding(warehouse, 'several_rows_one_order')).toBeNull();
});

test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
