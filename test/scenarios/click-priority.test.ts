// docs/attribution.md section 4, model `click-priority`: any click or coupon beats any open or view; within one
// group the flat rules apply. Built flat first, then the client setting is changed and rebuilt.
// Client acme: UTC, include. Every order was created 2026-08-12 12:00 UTC.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestWarehouse } from '../helpers.js';
import { csv, expectRevenueIdentity, KLAVIYO_HEADER, orders, POSTSCRIPT_HEADER, revenue, importAndBuild } from './scenario.js';
import { expectShuffleInvariant } from './shuffle.js';

const warehouse = new TestWarehouse();

//   #1401 Klaviyo email click 08:00 (70)     vs Postscript view 11:00 (71)
//   #1402 Postscript click 08:00 (45)        vs Klaviyo email open 11:00 (46)
//   #1403 Postscript coupon 09:00 (25)       vs Klaviyo SMS click 10:00 (26)     (both in the click group)
//   #1404 Postscript view 09:00 (35)         vs Klaviyo email open 10:00 (36)    (both in the open/view group)
//   #1405 Postscript click, no time (33)     vs Klaviyo email open 10:00 (34)
//   #1406 Postscript coupon 08:00 (15)       vs Klaviyo email open 11:00 (16)
const POSTSCRIPT = csv(`
  ${POSTSCRIPT_HEADER}
  2026-08-12T12:00:00Z,#1401,,71.00,USD,view,p1401,2026-08-12T11:00:00Z,,
  2026-08-12T12:00:00Z,#1402,,45.00,USD,click,p1402,2026-08-12T07:00:00Z,2026-08-12T08:00:00Z,
  2026-08-12T12:00:00Z,#1403,,25.00,USD,coupon,p1403,2026-08-12T09:00:00Z,,
  2026-08-12T12:00:00Z,#1404,,35.00,USD,view,p1404,2026-08-12T09:00:00Z,,
  2026-08-12T12:00:00Z,#1405,,33.00,USD,click,p1405,,,
  2026-08-12T12:00:00Z,#1406,,15.00,USD,coupon,p1406,2026-08-12T08:00:00Z,,
`);

const KLAVIYO = csv(`
  ${KLAVIYO_HEADER}
  e1401,,#1401,2026-08-12T12:00:00Z,70.00,USD,email,Clicked Email,k1401,2026-08-12T08:00:00Z,
  e1402,,#1402,2026-08-12T12:00:00Z,46.00,USD,email,Opened Email,k1402,2026-08-12T11:00:00Z,
  e1403,,#1403,2026-08-12T12:00:00Z,26.00,USD,sms,Clicked SMS,k1403,2026-08-12T10:00:00Z,
  e1404,,#1404,2026-08-12T12:00:00Z,36.00,USD,email,Opened Email,k1404,2026-08-12T10:00:00Z,
  e1405,,#1405,2026-08-12T12:00:00Z,34.00,USD,email,Opened Email,k1405,2026-08-12T10:00:00Z,
  e1406,,#1406,2026-08-12T12:00:00Z,16.00,USD,email,Opened Email,k1406,2026-08-12T11:00:00Z,
`);

beforeAll(() => importAndBuild(warehouse, { postscript: POSTSCRIPT, klaviyo: KLAVIYO }));

afterAll(() => warehouse.cleanup());

describe('model flat (default)', () => {
  test('the latest known touch wins whatever its type', async () => {
    expect(await orders(warehouse)).toEqual([
      // view 11:00 > click 08:00
      { order_name: '#1401', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 71 },
      // open 11:00 > click 08:00
      { order_name: '#1402', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'open', last_touch_revenue: 46 },
      // 10:00 > 09:00
      { order_name: '#1403', claims: 2, winner_platform: 'klaviyo', winner_channel: 'sms', winner_touch_type: 'click', last_touch_revenue: 26 },
      { order_name: '#1404', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'open', last_touch_revenue: 36 },
      // known beats unknown
      { order_name: '#1405', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'open', last_touch_revenue: 34 },
      // open 11:00 > coupon 08:00
      { order_name: '#1406', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'open', last_touch_revenue: 16 },
    ]);
    expect(await revenue(warehouse)).toEqual([
      // claims 70 + 46 + 36 + 34 + 16 = 202; won 46 + 36 + 34 + 16 = 132 (4); lost 1401 70
      { month: '2026-08-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 5,
        platform_revenue: 202, view_only_excluded_revenue: 0, double_attribution_removed: 70,
        last_touch_orders: 4, last_touch_revenue: 132 },
      { month: '2026-08-01', platform: 'klaviyo', channel: 'sms', currency: 'USD', platform_orders: 1,
        platform_revenue: 26, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 1, last_touch_revenue: 26 },
      // claims 71 + 45 + 25 + 35 + 33 + 15 = 224; won 1401 71; lost 45 + 25 + 35 + 33 + 15 = 153
      { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 6,
        platform_revenue: 224, view_only_excluded_revenue: 0, double_attribution_removed: 153,
        last_touch_orders: 1, last_touch_revenue: 71 },
    ]);
    // 132 + 26 + 71 = 229 = 71 + 46 + 26 + 36 + 34 + 16
    await expectRevenueIdentity(warehouse);
  });
});

describe("model 'click-priority', set after the build", () => {
  beforeAll(async () => {
    await warehouse.client('acme', { model: 'click-priority' });
    await warehouse.build();
  });

  test('an older click beats a later view or open; within a group the flat rules apply', async () => {
    expect(await orders(warehouse)).toEqual([
      // the click 08:00 beats the later view 11:00 -> Klaviyo 70
      { order_name: '#1401', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'click', last_touch_revenue: 70 },
      // the click 08:00 beats the later open 11:00 -> Postscript 45
      { order_name: '#1402', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'click', last_touch_revenue: 45 },
      // coupon and click are one group: latest, 10:00 -> Klaviyo 26
      { order_name: '#1403', claims: 2, winner_platform: 'klaviyo', winner_channel: 'sms', winner_touch_type: 'click', last_touch_revenue: 26 },
      // view and open are one group: latest, 10:00 -> Klaviyo 36
      { order_name: '#1404', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'open', last_touch_revenue: 36 },
      // "any click beats any open": the click without a time beats the timed open -> Postscript 33
      { order_name: '#1405', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'click', last_touch_revenue: 33 },
      // a coupon is in the click group: the coupon 08:00 beats the later open 11:00 -> Postscript 15
      { order_name: '#1406', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'coupon', last_touch_revenue: 15 },
    ]);
    expect(await revenue(warehouse)).toEqual([
      // won 1401 70 + 1404 36 = 106 (2); lost 1402 46 + 1405 34 + 1406 16 = 96; 202 = 106 + 96
      { month: '2026-08-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 5,
        platform_revenue: 202, view_only_excluded_revenue: 0, double_attribution_removed: 96,
        last_touch_orders: 2, last_touch_revenue: 106 },
      { month: '2026-08-01', platform: 'klaviyo', channel: 'sms', currency: 'USD', platform_orders: 1,
        platform_revenue: 26, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 1, last_touch_revenue: 26 },
      // won 1402 45 + 1405 33 + 1406 15 = 93 (3); lost 1401 71 + 1403 25 + 1404 35 = 131; 224 = 93 + 131
      { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 6,
        platform_revenue: 224, view_only_excluded_revenue: 0, double_attribution_removed: 131,
        last_touch_orders: 3, last_touch_revenue: 93 },
    ]);
    // 106 + 26 + 93 = 225 = 70 + 45 + 26 + 36 + 33 + 15
    await expectRevenueIdentity(warehouse);
  });
});

test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
