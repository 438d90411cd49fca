// docs/attribution.md section 5: view-only claims included (default), then excluded by a client setting and
// rebuilt WITHOUT re-importing, then included again; and the upload-time choice (--exclude-view-only).
// Client acme: UTC, flat. Every order was created 2026-08-20 12:00 UTC.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestWarehouse } from '../helpers.js';
import { csv, expectRevenueIdentity, KLAVIYO_HEADER, orders, POSTSCRIPT_HEADER, revenue, importAndBuild } from './scenario.js';
import { expectShuffleInvariant } from './shuffle.js';

const warehouse = new TestWarehouse();

//   #1301 Postscript view 10:00 (100)      vs Klaviyo email click 09:00 (100)
//   #1302 Postscript view 10:00 (40) alone
//   #1303 Postscript click 10:00 (55)      vs Klaviyo Received SMS (view) 11:00 (55)
//   #1304 Postscript click 10:00 (20)      vs Klaviyo email open 11:00 (20)   (no view: never changes)
//   #1305 Postscript view 10:00 (30)       vs Klaviyo Received SMS (view) 11:00 (30)   (views only)
const POSTSCRIPT = csv(`
  ${POSTSCRIPT_HEADER}
  2026-08-20T12:00:00Z,#1301,,100.00,USD,view,p1301,2026-08-20T10:00:00Z,,
  2026-08-20T12:00:00Z,#1302,,40.00,USD,view-through,p1302,2026-08-20T10:00:00Z,,
  2026-08-20T12:00:00Z,#1303,,55.00,USD,click,p1303,2026-08-20T09:30:00Z,2026-08-20T10:00:00Z,
  2026-08-20T12:00:00Z,#1304,,20.00,USD,clicked,p1304,2026-08-20T09:30:00Z,2026-08-20T10:00:00Z,
  2026-08-20T12:00:00Z,#1305,,30.00,USD,delivered,p1305,2026-08-20T10:00:00Z,,
`);

const KLAVIYO = csv(`
  ${KLAVIYO_HEADER}
  e1301,,#1301,2026-08-20T12:00:00Z,100.00,USD,email,Clicked Email,k1301,2026-08-20T09:00:00Z,
  e1303,,#1303,2026-08-20T12:00:00Z,55.00,USD,sms,Received SMS,k1303,2026-08-20T11:00:00Z,
  e1304,,#1304,2026-08-20T12:00:00Z,20.00,USD,email,Opened Email,k1304,2026-08-20T11:00:00Z,
  e1305,,#1305,2026-08-20T12:00:00Z,30.00,USD,sms,Received SMS,k1305,2026-08-20T11:00:00Z,
`);

// view_only = include (default): the latest touch wins whatever its type.
const INCLUDED_ORDERS = [
  // Postscript view 10:00 > Klaviyo click 09:00
  { order_name: '#1301', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 100 },
  { order_name: '#1302', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 40 },
  // Klaviyo SMS view 11:00 > Postscript click 10:00
  { order_name: '#1303', claims: 2, winner_platform: 'klaviyo', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 55 },
  { order_name: '#1304', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'open', last_touch_revenue: 20 },
  // Klaviyo view 11:00 > Postscript view 10:00
  { order_name: '#1305', claims: 2, winner_platform: 'klaviyo', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 30 },
];

const INCLUDED_REVENUE = [
  // claims 1301 100 + 1304 20 = 120; won 1304 20; lost 1301 100
  { month: '2026-08-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 2,
    platform_revenue: 120, view_only_excluded_revenue: 0, double_attribution_removed: 100,
    last_touch_orders: 1, last_touch_revenue: 20 },
  // claims 1303 55 + 1305 30 = 85, both won
  { month: '2026-08-01', platform: 'klaviyo', channel: 'sms', currency: 'USD', platform_orders: 2,
    platform_revenue: 85, view_only_excluded_revenue: 0, double_attribution_removed: 0,
    last_touch_orders: 2, last_touch_revenue: 85 },
  // claims 100 + 40 + 55 + 20 + 30 = 245; won 1301 100 + 1302 40 = 140; lost 55 + 20 + 30 = 105
  { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 5,
    platform_revenue: 245, view_only_excluded_revenue: 0, double_attribution_removed: 105,
    last_touch_orders: 2, last_touch_revenue: 140 },
];
// 20 + 85 + 140 = 245 = 100 + 40 + 55 + 20 + 30, the five orders' last-touch revenue

// view_only = exclude: every view leaves the competition first.
const EXCLUDED_ORDERS = [
  // Postscript view out -> Klaviyo click 100
  { order_name: '#1301', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'click', last_touch_revenue: 100 },
  // only a view -> no winner, 0
  { order_name: '#1302', claims: 1, winner_platform: null, winner_channel: null, winner_touch_type: null, last_touch_revenue: 0 },
  // Klaviyo view out -> Postscript click 55
  { order_name: '#1303', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'click', last_touch_revenue: 55 },
  { order_name: '#1304', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'open', last_touch_revenue: 20 },
  // both claims are views -> no winner, 0
  { order_name: '#1305', claims: 2, winner_platform: null, winner_channel: null, winner_touch_type: null, last_touch_revenue: 0 },
];

const EXCLUDED_REVENUE = [
  // 1301 click won 100 + 1304 open won 20 = 120; nothing lost
  { month: '2026-08-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 2,
    platform_revenue: 120, view_only_excluded_revenue: 0, double_attribution_removed: 0,
    last_touch_orders: 2, last_touch_revenue: 120 },
  // both views: 55 + 30 = 85 excluded; 85 = 0 + 0 + 85
  { month: '2026-08-01', platform: 'klaviyo', channel: 'sms', currency: 'USD', platform_orders: 2,
    platform_revenue: 85, view_only_excluded_revenue: 85, double_attribution_removed: 0,
    last_touch_orders: 0, last_touch_revenue: 0 },
  // views 1301 100 + 1302 40 + 1305 30 = 170 excluded; 1303 click won 55; 1304 click lost 20
  // 245 = 55 + 20 + 170
  { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 5,
    platform_revenue: 245, view_only_excluded_revenue: 170, double_attribution_removed: 20,
    last_touch_orders: 1, last_touch_revenue: 55 },
];
// 120 + 0 + 55 = 175 = 100 + 0 + 55 + 20 + 0

beforeAll(() => importAndBuild(warehouse, { postscript: POSTSCRIPT, klaviyo: KLAVIYO }));

afterAll(() => warehouse.cleanup());

describe('view_only include (default)', () => {
  test('order_attribution', async () => {
    expect(await orders(warehouse)).toEqual(INCLUDED_ORDERS);
  });

  test('revenue_summary and the identity', async () => {
    expect(await revenue(warehouse)).toEqual(INCLUDED_REVENUE);
    await expectRevenueIdentity(warehouse);
  });
});

describe("client setting view_only 'exclude', rebuilt on the same uploads", () => {
  beforeAll(async () => {
    await warehouse.client('acme', { view_only: 'exclude' });
    await warehouse.build();
  });

  test('nothing was re-imported: still the same two uploads', async () => {
    const uploads = await warehouse.query(`SELECT platform, row_count FROM meta.uploads ORDER BY upload_id`);
    expect(uploads).toEqual([
      { platform: 'postscript', row_count: 5 },
      { platform: 'klaviyo', row_count: 4 },
    ]);
  });

  test('order_attribution: view-only orders have no winner and 0', async () => {
    expect(await orders(warehouse)).toEqual(EXCLUDED_ORDERS);
  });

  test('revenue_summary: the views move to view_only_excluded_revenue', async () => {
    expect(await revenue(warehouse)).toEqual(EXCLUDED_REVENUE);
    await expectRevenueIdentity(warehouse);
  });
});

describe("client setting back to 'include'", () => {
  beforeAll(async () => {
    await warehouse.client('acme', { view_only: 'include' });
    await warehouse.build();
  });

  test('the marts are those of the first build again', async () => {
    expect(await orders(warehouse)).toEqual(INCLUDED_ORDERS);
    expect(await revenue(warehouse)).toEqual(INCLUDED_REVENUE);
    await expectRevenueIdentity(warehouse);
  });
});

describe('the upload-time choice: import --exclude-view-only', () => {
  beforeAll(async () => {
    // the same bytes for another client are a new upload (the no-op is per client and platform)
    await warehouse.import({
      platform: 'postscript',
      clientId: 'beta',
      excludeViewOnly: true,
      file: warehouse.file('postscript-beta.csv', POSTSCRIPT),
    });
    await warehouse.import({ platform: 'klaviyo', clientId: 'beta', file: warehouse.file('klaviyo-beta.csv', KLAVIYO) });
    await warehouse.build();
  });

  test('sets the client to exclude: beta has the excluded marts, acme keeps its include', async () => {
    const settings = await warehouse.query(`SELECT client_id, view_only FROM meta.clients ORDER BY client_id`);
    expect(settings).toEqual([
      { client_id: 'acme', view_only: 'include' },
      { client_id: 'beta', view_only: 'exclude' },
    ]);
    expect(await orders(warehouse, 'beta')).toEqual(EXCLUDED_ORDERS);
    expect(await revenue(warehouse, 'beta')).toEqual(EXCLUDED_REVENUE);
    expect(await orders(warehouse, 'acme')).toEqual(INCLUDED_ORDERS);
    expect(await revenue(warehouse, 'acme')).toEqual(INCLUDED_REVENUE);
    await expectRevenueIdentity(warehouse);
  });
});

test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
