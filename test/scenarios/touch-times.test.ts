// docs/attribution.md section 3: the touch time of a claim, and a touch later than the order counting as
// unknown. Each Postscript-only or Klaviyo-only order shows the computed time as winner_touch_at.
// Client acme: UTC, flat, include. Every order was created 2026-08-10 12:00 UTC, except #1212 (below).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TestWarehouse } from '../helpers.js';
import { csv, expectRevenueIdentity, finding, KLAVIYO_HEADER, POSTSCRIPT_HEADER, revenue, SHOPIFY_HEADER, importAndBuild } from './scenario.js';
import { expectShuffleInvariant } from './shuffle.js';

const warehouse = new TestWarehouse();

//   #1201 click, sent 09:00, clicked 09:30                  -> clicked_at 09:30
//   #1202 click, sent 08:00, no clicked_at                  -> sent_at 08:00
//   #1203 view, sent 09:00, clicked_at 09:30 (not a click)  -> sent_at 09:00
//   #1204 view, only Minutes From Action 90                 -> 12:00 - 90 min = 10:30
//   #1205 click, only Minutes From Action 45                -> 12:00 - 45 min = 11:15
//   #1206 coupon, no time at all                            -> unknown
//   #1210 view, only Minutes From Action 30 (-> 11:30), against a Klaviyo click at 11:00
//   #1211 view, sent 08:00, against a Klaviyo click at 13:00, after the 12:00 order
//   #1212 view, sent 11:30; both platforms' rows say the order is 12:00 but Shopify says 11:00: after it
//   #1214 view, sent 09:00 and Minutes From Action 30       -> sent_at 09:00 (the minutes are a fallback)
//   #1215 view, sent 11:00, against a Klaviyo click at 12:00, exactly the order's time (not later)
//   #1216 click, no time at all, against a Klaviyo open at 13:00, after the order: both unknown
const POSTSCRIPT = csv(`
  ${POSTSCRIPT_HEADER}
  2026-08-10T12:00:00Z,#1201,,10.00,USD,click,p1201,2026-08-10T09:00:00Z,2026-08-10T09:30:00Z,
  2026-08-10T12:00:00Z,#1202,,11.00,USD,click,p1202,2026-08-10T08:00:00Z,,
  2026-08-10T12:00:00Z,#1203,,12.00,USD,view,p1203,2026-08-10T09:00:00Z,2026-08-10T09:30:00Z,
  2026-08-10T12:00:00Z,#1204,,13.00,USD,view,p1204,,,90
  2026-08-10T12:00:00Z,#1205,,14.00,USD,click,p1205,,,45
  2026-08-10T12:00:00Z,#1206,,15.00,USD,coupon,p1206,,,
  2026-08-10T12:00:00Z,#1210,,20.00,USD,view,p1210,,,30
  2026-08-10T12:00:00Z,#1211,,30.00,USD,view,p1211,2026-08-10T08:00:00Z,,
  2026-08-10T12:00:00Z,#1212,,40.00,USD,view,p1212,2026-08-10T11:30:00Z,,
  2026-08-10T12:00:00Z,#1214,,22.00,USD,view,p1214,2026-08-10T09:00:00Z,,30
  2026-08-10T12:00:00Z,#1215,,23.00,USD,view,p1215,2026-08-10T11:00:00Z,,
  2026-08-10T12:00:00Z,#1216,,25.00,USD,click,p1216,,,
`);

//   #1207 touch_at 10:00, send_ts 09:00   -> 10:00
//   #1208 send_ts 09:00 only              -> 09:00
//   #1209 neither                         -> unknown
//   #1213 send_ts as epoch seconds 1786352400 = 2026-08-10 09:00 UTC -> 09:00
const KLAVIYO = csv(`
  ${KLAVIYO_HEADER}
  e1207,,#1207,2026-08-10T12:00:00Z,16.00,USD,email,Opened Email,k1207,2026-08-10T10:00:00Z,2026-08-10T09:00:00Z
  e1208,,#1208,2026-08-10T12:00:00Z,17.00,USD,email,Opened Email,k1208,,2026-08-10T09:00:00Z
  e1209,,#1209,2026-08-10T12:00:00Z,18.00,USD,email,Opened Email,k1209,,
  e1210,,#1210,2026-08-10T12:00:00Z,21.00,USD,email,Clicked Email,k1210,2026-08-10T11:00:00Z,
  e1211,,#1211,2026-08-10T12:00:00Z,31.00,USD,email,Clicked Email,k1211,2026-08-10T13:00:00Z,
  e1212,,#1212,2026-08-10T12:00:00Z,41.00,USD,email,Opened Email,k1212,2026-08-10T10:00:00Z,
  e1213,,#1213,2026-08-10T12:00:00Z,19.00,USD,email,Clicked Email,k1213,,1786352400
  e1215,,#1215,2026-08-10T12:00:00Z,24.00,USD,email,Clicked Email,k1215,2026-08-10T12:00:00Z,
  e1216,,#1216,2026-08-10T12:00:00Z,26.00,USD,email,Opened Email,k1216,2026-08-10T13:00:00Z,
`);

const SHOPIFY = csv(`
  ${SHOPIFY_HEADER}
  #1212,7000000001212,2026-08-10T11:00:00Z,USD,41.00,,,Tote bag
`);

beforeAll(() => importAndBuild(warehouse, { shopify: SHOPIFY, postscript: POSTSCRIPT, klaviyo: KLAVIYO }));

afterAll(() => warehouse.cleanup());

test('Postscript and Klaviyo touch time fallbacks, and touches after the order', async () => {
  const winners = await warehouse.query(`
    SELECT order_name, claims, winner_platform, winner_touch_type, winner_touch_at, last_touch_revenue
    FROM marts.order_attribution WHERE client_id = 'acme' ORDER BY order_name`);
  expect(winners).toEqual([
    { order_name: '#1201', claims: 1, winner_platform: 'postscript', winner_touch_type: 'click', winner_touch_at: '2026-08-10T09:30:00.000Z', last_touch_revenue: 10 },
    { order_name: '#1202', claims: 1, winner_platform: 'postscript', winner_touch_type: 'click', winner_touch_at: '2026-08-10T08:00:00.000Z', last_touch_revenue: 11 },
    { order_name: '#1203', claims: 1, winner_platform: 'postscript', winner_touch_type: 'view', winner_touch_at: '2026-08-10T09:00:00.000Z', last_touch_revenue: 12 },
    { order_name: '#1204', claims: 1, winner_platform: 'postscript', winner_touch_type: 'view', winner_touch_at: '2026-08-10T10:30:00.000Z', last_touch_revenue: 13 },
    { order_name: '#1205', claims: 1, winner_platform: 'postscript', winner_touch_type: 'click', winner_touch_at: '2026-08-10T11:15:00.000Z', last_touch_revenue: 14 },
    // unknown, and the only claim: it still wins its order
    { order_name: '#1206', claims: 1, winner_platform: 'postscript', winner_touch_type: 'coupon', winner_touch_at: null, last_touch_revenue: 15 },
    { order_name: '#1207', claims: 1, winner_platform: 'klaviyo', winner_touch_type: 'open', winner_touch_at: '2026-08-10T10:00:00.000Z', last_touch_revenue: 16 },
    { order_name: '#1208', claims: 1, winner_platform: 'klaviyo', winner_touch_type: 'open', winner_touch_at: '2026-08-10T09:00:00.000Z', last_touch_revenue: 17 },
    { order_name: '#1209', claims: 1, winner_platform: 'klaviyo', winner_touch_type: 'open', winner_touch_at: null, last_touch_revenue: 18 },
    // Postscript 12:00 - 30 min = 11:30 > Klaviyo click 11:00 -> Postscript 20.00
    { order_name: '#1210', claims: 2, winner_platform: 'postscript', winner_touch_type: 'view', winner_touch_at: '2026-08-10T11:30:00.000Z', last_touch_revenue: 20 },
    // Klaviyo's 13:00 is after the 12:00 order -> unknown; known (08:00) beats unknown -> Postscript 30.00
    { order_name: '#1211', claims: 2, winner_platform: 'postscript', winner_touch_type: 'view', winner_touch_at: '2026-08-10T08:00:00.000Z', last_touch_revenue: 30 },
    // Shopify's 11:00 is the order's creation: Postscript's 11:30 -> unknown; Klaviyo's 10:00 wins: 41.00
    { order_name: '#1212', claims: 2, winner_platform: 'klaviyo', winner_touch_type: 'open', winner_touch_at: '2026-08-10T10:00:00.000Z', last_touch_revenue: 41 },
    { order_name: '#1213', claims: 1, winner_platform: 'klaviyo', winner_touch_type: 'click', winner_touch_at: '2026-08-10T09:00:00.000Z', last_touch_revenue: 19 },
    { order_name: '#1214', claims: 1, winner_platform: 'postscript', winner_touch_type: 'view', winner_touch_at: '2026-08-10T09:00:00.000Z', last_touch_revenue: 22 },
    // 12:00 is not later than the 12:00 order: known, and 12:00 > 11:00 -> Klaviyo 24.00
    { order_name: '#1215', claims: 2, winner_platform: 'klaviyo', winner_touch_type: 'click', winner_touch_at: '2026-08-10T12:00:00.000Z', last_touch_revenue: 24 },
    // both unknown (none; 13:00 after the order): rule 3, click > open -> Postscript 25.00
    { order_name: '#1216', claims: 2, winner_platform: 'postscript', winner_touch_type: 'click', winner_touch_at: null, last_touch_revenue: 25 },
  ]);
});

test('data quality counts the touches after the order and the claims without a time', async () => {
  // #1211 Klaviyo (13:00 > 12:00), #1212 Postscript (11:30 > Shopify 11:00), #1216 Klaviyo (13:00 > 12:00)
  expect(await finding(warehouse, 'touch_after_order')).toBe(3);
  // #1206 Postscript, #1209 Klaviyo and #1216 Postscript carry no time in the export
  expect(await finding(warehouse, 'unknown_touch_time')).toBe(3);
});

test('revenue_summary and the revenue identity', async () => {
  expect(await revenue(warehouse)).toEqual([
    // 16 + 17 + 18 + 21 + 31 + 41 + 19 + 24 + 26 = 213 (9)
    // won 1207 16 + 1208 17 + 1209 18 + 1212 41 + 1213 19 + 1215 24 = 135 (6)
    // lost 1210 21 + 1211 31 + 1216 26 = 78; 213 = 135 + 78
    { month: '2026-08-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 9,
      platform_revenue: 213, view_only_excluded_revenue: 0, double_attribution_removed: 78,
      last_touch_orders: 6, last_touch_revenue: 135 },
    // 10 + 11 + 12 + 13 + 14 + 15 + 20 + 30 + 40 + 22 + 23 + 25 = 235 (12)
    // lost 1212 40 + 1215 23 = 63; won 235 - 63 = 172 (10); 235 = 172 + 63
    { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 12,
      platform_revenue: 235, view_only_excluded_revenue: 0, double_attribution_removed: 63,
      last_touch_orders: 10, last_touch_revenue: 172 },
  ]);
  await expectRevenueIdentity(warehouse);
});

test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
