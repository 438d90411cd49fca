// docs/attribution.md section 4: which claim wins an order, one order per tie-break step, and the client's
// platform priority changed afterwards without re-importing (section 4 step 4).
// Client acme: UTC, flat model, view_only include, no Shopify file (claims keep their own keys, and the
// Postscript and Klaviyo claims of one order meet on the normalised order name).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestWarehouse } from '../helpers.js';
import { csv, expectRevenueIdentity, finding, KLAVIYO_HEADER, orders, POSTSCRIPT_HEADER, revenue, importAndBuild } from './scenario.js';
import { expectShuffleInvariant } from './shuffle.js';

const warehouse = new TestWarehouse();

// One order a row of the table below; every order was created at 12:00 UTC on its day of August 2026.
//   #1101 rule 1  Postscript click with no time at all (unknown) vs Klaviyo email open on 08-01
//   #1102 rule 2  Klaviyo email click 08:00, then a Postscript text received (view) 10:00
//   #1103 rule 2  Postscript text received 08:00, then a Klaviyo email click 11:00
//   #1104 rule 3  both at 10:00: Postscript click vs Klaviyo email open
//   #1105 rule 3  both at 10:00: Postscript coupon vs Klaviyo email open
//   #1106 rule 3  both at 10:00: Postscript coupon vs Klaviyo SMS click
//   #1107 rule 3  both at 10:00: Postscript view vs Klaviyo email open
//   #1108 rule 4  both at 10:00, both view: Postscript received vs Klaviyo Received SMS
//   #1109 rule 4  both at 10:00, both click: Postscript click vs Klaviyo email click
//   #1110 rule 5  two Postscript rows, both view at 10:00: message 305 (first line), message 201
//   #1111 rule 5  two Postscript rows, both view at 10:00, both message 305: revenue 90 (first line), 95
//   #1112 rule 3 within one upload: two Postscript rows at 10:00: coupon (first line), click
//   #1113 rule 5  two Postscript rows, both view at 10:00: message 10 (first line), message 9
//   #1114 rule 5  two Postscript rows, both view at 10:00: message 9 (first line), message 10a
//   #1115 rule 5  two Postscript rows, both view at 10:00: no message id (first line), message z9
const POSTSCRIPT = csv(`
  ${POSTSCRIPT_HEADER}
  2026-08-03T12:00:00Z,#1101,,51.00,USD,click,p1101,,,
  2026-08-05T12:00:00Z,#1102,,82.00,USD,received,p1102,2026-08-05T10:00:00Z,,
  2026-08-06T12:00:00Z,#1103,,60.00,USD,received,p1103,2026-08-06T08:00:00Z,,
  2026-08-07T12:00:00Z,#1104,,44.00,USD,click,p1104,2026-08-07T09:00:00Z,2026-08-07T10:00:00Z,
  2026-08-08T12:00:00Z,#1105,,33.00,USD,coupon,p1105,2026-08-08T10:00:00Z,,
  2026-08-09T12:00:00Z,#1106,,23.00,USD,coupon,p1106,2026-08-09T10:00:00Z,,
  2026-08-10T12:00:00Z,#1107,,67.00,USD,view,p1107,2026-08-10T10:00:00Z,,
  2026-08-11T12:00:00Z,#1108,,40.00,USD,received,p1108,2026-08-11T10:00:00Z,,
  2026-08-12T12:00:00Z,#1109,,90.00,USD,click,p1109,2026-08-12T09:00:00Z,2026-08-12T10:00:00Z,
  2026-08-13T12:00:00Z,#1110,,70.00,USD,view,305,2026-08-13T10:00:00Z,,
  2026-08-13T12:00:00Z,#1110,,71.00,USD,view,201,2026-08-13T10:00:00Z,,
  2026-08-14T12:00:00Z,#1111,,90.00,USD,view,305,2026-08-14T10:00:00Z,,
  2026-08-14T12:00:00Z,#1111,,95.00,USD,view,305,2026-08-14T10:00:00Z,,
  2026-08-15T12:00:00Z,#1112,,30.00,USD,coupon,p1112a,2026-08-15T10:00:00Z,,
  2026-08-15T12:00:00Z,#1112,,31.00,USD,click,p1112b,2026-08-15T09:00:00Z,2026-08-15T10:00:00Z,
  2026-08-16T12:00:00Z,#1113,,20.00,USD,view,10,2026-08-16T10:00:00Z,,
  2026-08-16T12:00:00Z,#1113,,21.00,USD,view,9,2026-08-16T10:00:00Z,,
  2026-08-17T12:00:00Z,#1114,,23.00,USD,view,9,2026-08-17T10:00:00Z,,
  2026-08-17T12:00:00Z,#1114,,22.00,USD,view,10a,2026-08-17T10:00:00Z,,
  2026-08-18T12:00:00Z,#1115,,24.00,USD,view,,2026-08-18T10:00:00Z,,
  2026-08-18T12:00:00Z,#1115,,25.00,USD,view,z9,2026-08-18T10:00:00Z,,
`);

const KLAVIYO = csv(`
  ${KLAVIYO_HEADER}
  e1101,,#1101,2026-08-03T12:00:00Z,50.00,USD,email,Opened Email,k1101,2026-08-01T09:00:00Z,
  e1102,,#1102,2026-08-05T12:00:00Z,80.00,USD,email,Clicked Email,k1102,2026-08-05T08:00:00Z,
  e1103,,#1103,2026-08-06T12:00:00Z,61.00,USD,email,Clicked Email,k1103,2026-08-06T11:00:00Z,
  e1104,,#1104,2026-08-07T12:00:00Z,45.00,USD,email,Opened Email,k1104,2026-08-07T10:00:00Z,
  e1105,,#1105,2026-08-08T12:00:00Z,34.00,USD,email,Opened Email,k1105,2026-08-08T10:00:00Z,
  e1106,,#1106,2026-08-09T12:00:00Z,22.00,USD,sms,Clicked SMS,k1106,2026-08-09T10:00:00Z,
  e1107,,#1107,2026-08-10T12:00:00Z,66.00,USD,email,Opened Email,k1107,2026-08-10T10:00:00Z,
  e1108,,#1108,2026-08-11T12:00:00Z,41.00,USD,sms,Received SMS,k1108,2026-08-11T10:00:00Z,
  e1109,,#1109,2026-08-12T12:00:00Z,91.00,USD,email,Clicked Email,k1109,2026-08-12T10:00:00Z,
`);

beforeAll(() => importAndBuild(warehouse, { postscript: POSTSCRIPT, klaviyo: KLAVIYO }));

afterAll(() => warehouse.cleanup());

describe('default platform priority (alphabetical: klaviyo before postscript)', () => {
  test('each order goes to the claim the tie-break steps pick', async () => {
    const winners = await warehouse.query(`
      SELECT order_name, claims, winner_platform, winner_channel, winner_touch_type, winner_touch_at,
             winner_message_id, last_touch_revenue
      FROM marts.order_attribution WHERE client_id = 'acme' ORDER BY order_name`);
    expect(winners).toEqual([
      // rule 1: Postscript's click has no clicked_at, sent_at nor minutes -> unknown; Klaviyo's open is
      // known (08-01 09:00) -> Klaviyo wins although a click would beat an open: 50.00
      { order_name: '#1101', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'open',
        winner_touch_at: '2026-08-01T09:00:00.000Z', winner_message_id: 'k1101', last_touch_revenue: 50 },
      // rule 2: text received 10:00 > email click 08:00 -> Postscript view wins with its own 82.00
      { order_name: '#1102', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view',
        winner_touch_at: '2026-08-05T10:00:00.000Z', winner_message_id: 'p1102', last_touch_revenue: 82 },
      // rule 2: email click 11:00 > text received 08:00 -> Klaviyo click wins with its own 61.00
      { order_name: '#1103', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'click',
        winner_touch_at: '2026-08-06T11:00:00.000Z', winner_message_id: 'k1103', last_touch_revenue: 61 },
      // rule 3: 10:00 = 10:00 (the click's time is clicked_at, not sent_at 09:00); click > open, decided
      // before platform priority (which would pick klaviyo) -> Postscript 44.00
      { order_name: '#1104', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'click',
        winner_touch_at: '2026-08-07T10:00:00.000Z', winner_message_id: 'p1104', last_touch_revenue: 44 },
      // rule 3: coupon (sent_at 10:00) = open 10:00; coupon > open -> Postscript 33.00
      { order_name: '#1105', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'coupon',
        winner_touch_at: '2026-08-08T10:00:00.000Z', winner_message_id: 'p1105', last_touch_revenue: 33 },
      // rule 3: click > coupon at equal 10:00 -> Klaviyo SMS click 22.00
      { order_name: '#1106', claims: 2, winner_platform: 'klaviyo', winner_channel: 'sms', winner_touch_type: 'click',
        winner_touch_at: '2026-08-09T10:00:00.000Z', winner_message_id: 'k1106', last_touch_revenue: 22 },
      // rule 3: open > view at equal 10:00 -> Klaviyo email open 66.00
      { order_name: '#1107', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'open',
        winner_touch_at: '2026-08-10T10:00:00.000Z', winner_message_id: 'k1107', last_touch_revenue: 66 },
      // rule 4: view = view at 10:00; alphabetical 'klaviyo' < 'postscript' -> Klaviyo SMS view 41.00
      { order_name: '#1108', claims: 2, winner_platform: 'klaviyo', winner_channel: 'sms', winner_touch_type: 'view',
        winner_touch_at: '2026-08-11T10:00:00.000Z', winner_message_id: 'k1108', last_touch_revenue: 41 },
      // rule 4: click = click at 10:00 -> Klaviyo email click 91.00
      { order_name: '#1109', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'click',
        winner_touch_at: '2026-08-12T10:00:00.000Z', winner_message_id: 'k1109', last_touch_revenue: 91 },
      // rule 5 (within the upload, section 2): same time, same type; message 201 < 305 although 305 is on
      // the earlier line -> one Postscript claim, message 201, 71.00
      { order_name: '#1110', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view',
        winner_touch_at: '2026-08-13T10:00:00.000Z', winner_message_id: '201', last_touch_revenue: 71 },
      // rule 5: same time, type and message, one upload -> the larger claimed revenue: 95.00 (not the
      // 90.00 of the earlier line: where a row stands in the file never decides)
      { order_name: '#1111', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view',
        winner_touch_at: '2026-08-14T10:00:00.000Z', winner_message_id: '305', last_touch_revenue: 95 },
      // rule 3 within the upload: click (clicked_at 10:00) = coupon (sent_at 10:00); click wins although
      // the coupon is on the earlier line -> 31.00
      { order_name: '#1112', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'click',
        winner_touch_at: '2026-08-15T10:00:00.000Z', winner_message_id: 'p1112b', last_touch_revenue: 31 },
      // rule 5: both ids whole numbers -> compared as numbers, 9 < 10 (as text '10' < '9') -> 21.00
      { order_name: '#1113', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view',
        winner_touch_at: '2026-08-16T10:00:00.000Z', winner_message_id: '9', last_touch_revenue: 21 },
      // rule 5: '10a' is not a whole number -> compared as text, '10a' < '9' -> 22.00
      { order_name: '#1114', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view',
        winner_touch_at: '2026-08-17T10:00:00.000Z', winner_message_id: '10a', last_touch_revenue: 22 },
      // rule 5: a missing id comes last -> z9, 25.00
      { order_name: '#1115', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view',
        winner_touch_at: '2026-08-18T10:00:00.000Z', winner_message_id: 'z9', last_touch_revenue: 25 },
    ]);
  });

  test('revenue_summary: each platform keeps its claims, last touch gives each order once', async () => {
    expect(await revenue(warehouse)).toEqual([
      // Klaviyo email claims: 1101 50 + 1102 80 + 1103 61 + 1104 45 + 1105 34 + 1107 66 + 1109 91 = 427 (7 orders)
      //   won: 1101 50 + 1103 61 + 1107 66 + 1109 91 = 268 (4); lost: 1102 80 + 1104 45 + 1105 34 = 159
      //   427 = 268 + 159 + 0
      { month: '2026-08-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 7,
        platform_revenue: 427, view_only_excluded_revenue: 0, double_attribution_removed: 159,
        last_touch_orders: 4, last_touch_revenue: 268 },
      // Klaviyo SMS claims: 1106 22 + 1108 41 = 63, both won
      { month: '2026-08-01', platform: 'klaviyo', channel: 'sms', currency: 'USD', platform_orders: 2,
        platform_revenue: 63, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 2, last_touch_revenue: 63 },
      // Postscript claims after section 2 (one a order; 1110 -> 71, 1111 -> 95, 1112 -> 31, 1113 -> 21,
      // 1114 -> 22, 1115 -> 25):
      //   51 + 82 + 60 + 44 + 33 + 23 + 67 + 40 + 90 + 71 + 95 + 31 + 21 + 22 + 25 = 755 (15 orders)
      //   won: 1102 82 + 1104 44 + 1105 33 + 1110 71 + 1111 95 + 1112 31 + 21 + 22 + 25 = 424 (9)
      //   lost: 1101 51 + 1103 60 + 1106 23 + 1107 67 + 1108 40 + 1109 90 = 331; 755 = 424 + 331
      { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 15,
        platform_revenue: 755, view_only_excluded_revenue: 0, double_attribution_removed: 331,
        last_touch_orders: 9, last_touch_revenue: 424 },
    ]);
    // 268 + 63 + 424 = 755 = the sum of the 15 orders' last-touch revenue above
    await expectRevenueIdentity(warehouse);
  });

  test('data quality: the unknown touch and the several rows of one order are counted', async () => {
    // #1101's Postscript claim has no touch time
    expect(await finding(warehouse, 'unknown_touch_time')).toBe(1);
    // #1110 to #1115 each had 2 different Postscript rows: 1 set aside each -> 6
    expect(await finding(warehouse, 'several_rows_one_order')).toBe(6);
    expect(await finding(warehouse, 'touch_after_order')).toBeNull();
  });
});

describe("platform_priority ['postscript','klaviyo'], set after the build, without re-importing", () => {
  beforeAll(async () => {
    await warehouse.client('acme', { platform_priority: ['postscript', 'klaviyo'] });
    await warehouse.build();
  });

  test('only the orders decided by step 4 change hands', async () => {
    expect(await orders(warehouse)).toEqual([
      // steps 1-3 decide before the platform priority: unchanged
      { order_name: '#1101', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'open', last_touch_revenue: 50 },
      { order_name: '#1102', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 82 },
      { order_name: '#1103', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'click', last_touch_revenue: 61 },
      { order_name: '#1104', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'click', last_touch_revenue: 44 },
      { order_name: '#1105', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'coupon', last_touch_revenue: 33 },
      // click > coupon still beats the priority of postscript
      { order_name: '#1106', claims: 2, winner_platform: 'klaviyo', winner_channel: 'sms', winner_touch_type: 'click', last_touch_revenue: 22 },
      // open > view still beats the priority of postscript
      { order_name: '#1107', claims: 2, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'open', last_touch_revenue: 66 },
      // step 4 flipped: postscript first -> Postscript's own revenue, 40.00 and 90.00
      { order_name: '#1108', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 40 },
      { order_name: '#1109', claims: 2, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'click', last_touch_revenue: 90 },
      { order_name: '#1110', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 71 },
      { order_name: '#1111', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 95 },
      { order_name: '#1112', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'click', last_touch_revenue: 31 },
      { order_name: '#1113', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 21 },
      { order_name: '#1114', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 22 },
      { order_name: '#1115', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 25 },
    ]);
  });

  test('revenue_summary moves #1108 and #1109 from Klaviyo to Postscript', async () => {
    expect(await revenue(warehouse)).toEqual([
      // email: won 268 - 1109 91 = 177 (3); lost 159 + 91 = 250; 427 = 177 + 250
      { month: '2026-08-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 7,
        platform_revenue: 427, view_only_excluded_revenue: 0, double_attribution_removed: 250,
        last_touch_orders: 3, last_touch_revenue: 177 },
      // sms: 1106 22 won, 1108 41 lost; 63 = 22 + 41
      { month: '2026-08-01', platform: 'klaviyo', channel: 'sms', currency: 'USD', platform_orders: 2,
        platform_revenue: 63, view_only_excluded_revenue: 0, double_attribution_removed: 41,
        last_touch_orders: 1, last_touch_revenue: 22 },
      // postscript: won 424 + 1108 40 + 1109 90 = 554 (11); lost 331 - 40 - 90 = 201; 755 = 554 + 201
      { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 15,
        platform_revenue: 755, view_only_excluded_revenue: 0, double_attribution_removed: 201,
        last_touch_orders: 11, last_touch_revenue: 554 },
    ]);
    // 177 + 22 + 554 = 753 = 755 - 41 - 91 + 40 + 90
    await expectRevenueIdentity(warehouse);
  });
});

test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
