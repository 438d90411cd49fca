// docs/attribution.md section 2: one claim per platform and order, across overlapping uploads (with explicit
// windows and without) and within one upload.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestWarehouse } from '../helpers.js';
import type { ImportSummary } from '../../src/ingest/summary.js';
import { csv, expectRevenueIdentity, finding, KLAVIYO_HEADER, orders, POSTSCRIPT_HEADER, revenue, importAndBuild } from './scenario.js';
import { expectShuffleInvariant } from './shuffle.js';

describe('two Postscript uploads with explicit, overlapping windows', () => {
  const warehouse = new TestWarehouse();

  // The older upload, window 2026-07-01 .. 2026-07-31. Each order 12:00 UTC, a view sent at 10:00.
  const JULY = csv(`
    ${POSTSCRIPT_HEADER}
    2026-07-05T12:00:00Z,#1501,,10.00,USD,view,p1,2026-07-05T10:00:00Z,,
    2026-07-20T12:00:00Z,#1502,,20.00,USD,view,p1,2026-07-20T10:00:00Z,,
    2026-07-25T12:00:00Z,#1503,,30.00,USD,view,p1,2026-07-25T10:00:00Z,,
    2026-07-28T12:00:00Z,#1504,,40.00,USD,view,p1,2026-07-28T10:00:00Z,,
  `);
  // The newer upload, window 2026-07-15 .. 2026-08-15, overlapping 07-15 .. 07-31:
  //   #1502 (07-20) is no longer listed: withdrawn; #1503 (07-25) revised 30.00 -> 33.00;
  //   #1504 (07-28) listed again unchanged; #1505 (08-03) is new. #1501 (07-05) lies outside: it stays.
  const ROLLING = csv(`
    ${POSTSCRIPT_HEADER}
    2026-07-25T12:00:00Z,#1503,,33.00,USD,view,p1,2026-07-25T10:00:00Z,,
    2026-07-28T12:00:00Z,#1504,,40.00,USD,view,p1,2026-07-28T10:00:00Z,,
    2026-08-03T12:00:00Z,#1505,,50.00,USD,view,p1,2026-08-03T10:00:00Z,,
  `);
  // Klaviyo still claims #1502: a Postscript upload supersedes Postscript claims only.
  const KLAVIYO = csv(`
    ${KLAVIYO_HEADER}
    e1502,,#1502,2026-07-20T12:00:00Z,20.00,USD,email,Clicked Email,k1,2026-07-20T09:00:00Z,
  `);

  let july: ImportSummary;
  let rolling: ImportSummary;
  let again: ImportSummary;

  beforeAll(async () => {
    july = await warehouse.import({
      platform: 'postscript', file: warehouse.file('postscript-july.csv', JULY), from: '2026-07-01', to: '2026-07-31',
    });
    await warehouse.import({ platform: 'klaviyo', file: warehouse.file('klaviyo.csv', KLAVIYO) });
    rolling = await warehouse.import({
      platform: 'postscript', file: warehouse.file('postscript-rolling.csv', ROLLING), from: '2026-07-15', to: '2026-08-15',
    });
    await warehouse.build();
  });

  afterAll(() => warehouse.cleanup());

  test('the newer upload says which older claims it supersedes', () => {
    expect(july.window).toEqual({ from: '2026-07-01', to: '2026-07-31', explicit: true });
    expect(rolling.window).toEqual({ from: '2026-07-15', to: '2026-08-15', explicit: true });
    // rows of the July upload dated 07-15 .. 08-15: #1502, #1503, #1504; #1502 is not in the newer file
    expect(rolling.supersedes).toEqual([{ uploadId: july.uploadId, claims: 3, withdrawn: 1 }]);
  });

  const EXPECTED_ORDERS = [
    // outside the newer window: the July claim stays, 10.00
    { order_name: '#1501', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 10 },
    // withdrawn by Postscript: only Klaviyo's claim is left, 20.00
    { order_name: '#1502', claims: 1, winner_platform: 'klaviyo', winner_channel: 'email', winner_touch_type: 'click', last_touch_revenue: 20 },
    // revised: the new 33.00 counts, once
    { order_name: '#1503', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 33 },
    // listed by both uploads: one claim, 40.00
    { order_name: '#1504', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 40 },
    { order_name: '#1505', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 50 },
  ];

  const EXPECTED_REVENUE = [
    { month: '2026-07-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 1,
      platform_revenue: 20, view_only_excluded_revenue: 0, double_attribution_removed: 0,
      last_touch_orders: 1, last_touch_revenue: 20 },
    // July Postscript: 10 + 33 + 40 = 83 (not 10 + 20 + 30 + 40 + 33 + 40 = 173)
    { month: '2026-07-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 3,
      platform_revenue: 83, view_only_excluded_revenue: 0, double_attribution_removed: 0,
      last_touch_orders: 3, last_touch_revenue: 83 },
    { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 1,
      platform_revenue: 50, view_only_excluded_revenue: 0, double_attribution_removed: 0,
      last_touch_orders: 1, last_touch_revenue: 50 },
  ];

  test('withdrawn claims are gone, revised claims count once with the new value, the rest stays', async () => {
    expect(await orders(warehouse)).toEqual(EXPECTED_ORDERS);
    expect(await revenue(warehouse)).toEqual(EXPECTED_REVENUE);
    await expectRevenueIdentity(warehouse);
  });

  test('re-importing the July bytes is a no-op: it does not become the newest upload', async () => {
    again = await warehouse.import({
      platform: 'postscript', file: warehouse.file('postscript-july-again.csv', JULY), from: '2026-07-01', to: '2026-07-31',
    });
    expect(again.status).toBe('already-imported');
    expect(again.uploadId).toBe(july.uploadId);
    const uploads = await warehouse.query(`SELECT count(*) AS n FROM meta.uploads WHERE client_id = 'acme'`);
    expect(uploads).toEqual([{ n: 3 }]);
    await warehouse.build();
    // had it become the newest, #1502 20 and #1503 30 would be back
    expect(await orders(warehouse)).toEqual(EXPECTED_ORDERS);
    expect(await revenue(warehouse)).toEqual(EXPECTED_REVENUE);
    await expectRevenueIdentity(warehouse);
  });

  test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
});

describe('two Postscript uploads without explicit windows, client time zone America/New_York', () => {
  const warehouse = new TestWarehouse();

  // Window of the older upload = first .. last order date in New York: 07-02 .. 07-20.
  //   #1601 07-02 15:00Z (NY 07-02 11:00)   #1606 07-09 16:00Z (NY 07-09 12:00)
  //   #1602 07-10 15:00Z (NY 07-10 11:00)   #1603 07-20 15:00Z (NY 07-20 11:00)
  const OLDER = csv(`
    ${POSTSCRIPT_HEADER}
    2026-07-02T15:00:00Z,#1601,,11.00,USD,view,p1,2026-07-02T14:00:00Z,,
    2026-07-09T16:00:00Z,#1606,,17.00,USD,view,p1,2026-07-09T15:00:00Z,,
    2026-07-10T15:00:00Z,#1602,,12.00,USD,view,p1,2026-07-10T14:00:00Z,,
    2026-07-20T15:00:00Z,#1603,,13.00,USD,view,p1,2026-07-20T14:00:00Z,,
  `);
  // Window of the newer upload in New York: 07-09 (#1605, 07-10 03:00Z = NY 07-09 23:00) .. 07-31
  // (#1604, 08-01 03:00Z = NY 07-31 23:00). In UTC it would have been 07-10 .. 08-01.
  //   covered older rows: #1606 (07-09) and #1602 (07-10) withdrawn, #1603 (07-20) revised 13 -> 14;
  //   #1601 (07-02) stays. #1606 tells the New York window from a UTC one (07-09 is outside 07-10 .. 08-01).
  const NEWER = csv(`
    ${POSTSCRIPT_HEADER}
    2026-07-10T03:00:00Z,#1605,,16.00,USD,view,p1,2026-07-10T02:00:00Z,,
    2026-07-20T15:00:00Z,#1603,,14.00,USD,view,p1,2026-07-20T14:00:00Z,,
    2026-08-01T03:00:00Z,#1604,,15.00,USD,view,p1,2026-08-01T02:00:00Z,,
  `);

  let older: ImportSummary;
  let newer: ImportSummary;

  beforeAll(async () => {
    await warehouse.client('acme', { timezone: 'America/New_York' });
    older = await warehouse.import({ platform: 'postscript', file: warehouse.file('older.csv', OLDER) });
    newer = await warehouse.import({ platform: 'postscript', file: warehouse.file('newer.csv', NEWER) });
    await warehouse.build();
  });

  afterAll(() => warehouse.cleanup());

  test('the windows are the first and last order dates in the client time zone', () => {
    expect(older.window).toEqual({ from: '2026-07-02', to: '2026-07-20', explicit: false });
    expect(newer.window).toEqual({ from: '2026-07-09', to: '2026-07-31', explicit: false });
    // older rows dated 07-09 .. 07-31 in New York: #1606, #1602, #1603; the newer file lists #1603 only
    expect(newer.supersedes).toEqual([{ uploadId: older.uploadId, claims: 3, withdrawn: 2 }]);
  });

  test('the newer upload is authoritative on its window, the older one before it', async () => {
    expect(await orders(warehouse)).toEqual([
      { order_name: '#1601', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 11 },
      { order_name: '#1603', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 14 },
      { order_name: '#1604', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 15 },
      { order_name: '#1605', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 16 },
    ]);
    expect(await revenue(warehouse)).toEqual([
      // all four in July in New York (#1604 is NY 07-31 23:00): 11 + 14 + 15 + 16 = 56
      { month: '2026-07-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 4,
        platform_revenue: 56, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 4, last_touch_revenue: 56 },
    ]);
    await expectRevenueIdentity(warehouse);
  });

  test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
});

describe('within one upload', () => {
  const warehouse = new TestWarehouse();

  // Every order 2026-08-04 12:00 UTC.
  //   #1701 the same row twice                                            -> one claim, 25.00
  //   #1702 view sent 09:00 (60.00), then click clicked 11:00 (62.00)      -> the later touch: click 62.00
  //   #1704 view sent 11:00 (81.00), then click clicked 10:00 (80.00)      -> the later touch: view 81.00
  const POSTSCRIPT = csv(`
    ${POSTSCRIPT_HEADER}
    2026-08-04T12:00:00Z,#1701,,25.00,USD,view,p1701,2026-08-04T10:00:00Z,,
    2026-08-04T12:00:00Z,#1701,,25.00,USD,view,p1701,2026-08-04T10:00:00Z,,
    2026-08-04T12:00:00Z,#1702,,60.00,USD,view,m1,2026-08-04T09:00:00Z,,
    2026-08-04T12:00:00Z,#1702,,62.00,USD,click,m2,2026-08-04T10:30:00Z,2026-08-04T11:00:00Z,
    2026-08-04T12:00:00Z,#1704,,81.00,USD,view,m3,2026-08-04T11:00:00Z,,
    2026-08-04T12:00:00Z,#1704,,80.00,USD,click,m4,2026-08-04T09:30:00Z,2026-08-04T10:00:00Z,
  `);
  //   #1703 the same Klaviyo row twice -> one claim, 15.00
  const KLAVIYO = csv(`
    ${KLAVIYO_HEADER}
    e1703,,#1703,2026-08-04T12:00:00Z,15.00,USD,email,Opened Email,k1703,2026-08-04T10:00:00Z,
    e1703,,#1703,2026-08-04T12:00:00Z,15.00,USD,email,Opened Email,k1703,2026-08-04T10:00:00Z,
  `);

  beforeAll(() => importAndBuild(warehouse, { postscript: POSTSCRIPT, klaviyo: KLAVIYO }));

  afterAll(() => warehouse.cleanup());

  test('identical rows count once; of different rows the later touch wins', async () => {
    const winners = await warehouse.query(`
      SELECT order_name, claims, winner_platform, winner_touch_type, winner_touch_at, winner_message_id, last_touch_revenue
      FROM marts.order_attribution WHERE client_id = 'acme' ORDER BY order_name`);
    expect(winners).toEqual([
      { order_name: '#1701', claims: 1, winner_platform: 'postscript', winner_touch_type: 'view',
        winner_touch_at: '2026-08-04T10:00:00.000Z', winner_message_id: 'p1701', last_touch_revenue: 25 },
      { order_name: '#1702', claims: 1, winner_platform: 'postscript', winner_touch_type: 'click',
        winner_touch_at: '2026-08-04T11:00:00.000Z', winner_message_id: 'm2', last_touch_revenue: 62 },
      { order_name: '#1703', claims: 1, winner_platform: 'klaviyo', winner_touch_type: 'open',
        winner_touch_at: '2026-08-04T10:00:00.000Z', winner_message_id: 'k1703', last_touch_revenue: 15 },
      { order_name: '#1704', claims: 1, winner_platform: 'postscript', winner_touch_type: 'view',
        winner_touch_at: '2026-08-04T11:00:00.000Z', winner_message_id: 'm3', last_touch_revenue: 81 },
    ]);
    expect(await revenue(warehouse)).toEqual([
      // 15 once, not 30
      { month: '2026-08-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 1,
        platform_revenue: 15, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 1, last_touch_revenue: 15 },
      // 25 + 62 + 81 = 168 (not 25 + 25 + 60 + 62 + 81 + 80 = 333)
      { month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 3,
        platform_revenue: 168, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 3, last_touch_revenue: 168 },
    ]);
    await expectRevenueIdentity(warehouse);
  });

  test("data quality: 'several_rows_one_order' counts the rows set aside for #1702 and #1704", async () => {
    // 1 row set aside for #1702 + 1 for #1704; identical rows are not "different rows"
    expect(await finding(warehouse, 'several_rows_one_order')).toBe(2);
  });

  test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
});

describe('an export with a header and no rows, imported with its window', () => {
  const warehouse = new TestWarehouse();

  // July, window 07-01..07-31: #1601 (07-05) 10.00, #1602 (07-20) 20.00, both a click at 10:00.
  const JULY = csv(`
    ${POSTSCRIPT_HEADER}
    2026-07-05T12:00:00Z,#1601,,10.00,USD,click,p1,2026-07-05T09:00:00Z,2026-07-05T10:00:00Z,
    2026-07-20T12:00:00Z,#1602,,20.00,USD,click,p1,2026-07-20T09:00:00Z,2026-07-20T10:00:00Z,
  `);
  // A correction for 07-15..07-31: Postscript no longer claims anything in those days.
  const EMPTY = csv(`
    ${POSTSCRIPT_HEADER}
  `);

  let empty: ImportSummary;

  beforeAll(async () => {
    await warehouse.import({ platform: 'postscript', file: warehouse.file('july.csv', JULY), from: '2026-07-01', to: '2026-07-31' });
    empty = await warehouse.import({ platform: 'postscript', file: warehouse.file('empty.csv', EMPTY), from: '2026-07-15', to: '2026-07-31' });
    await warehouse.build();
  });

  afterAll(() => warehouse.cleanup());

  test('is a valid upload that says what it withdraws', () => {
    expect(empty).toMatchObject({ status: 'imported', rows: 0, orders: 0, revenue: [] });
    expect(empty.window).toEqual({ from: '2026-07-15', to: '2026-07-31', explicit: true });
    // #1602 (07-20) lies in the window and is not listed: withdrawn
    expect(empty.supersedes).toEqual([{ uploadId: 1, claims: 1, withdrawn: 1 }]);
    expect(empty.notices).toEqual([
      'the export has no rows: for 2026-07-15 .. 2026-07-31 it withdraws every older Postscript Revenue Report claim of client acme',
    ]);
  });

  test('withdraws every claim in its window; the claims before it stay', async () => {
    expect(await orders(warehouse)).toEqual([
      { order_name: '#1601', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'click', last_touch_revenue: 10 },
    ]);
    // July Postscript: 10 (not 10 + 20)
    expect(await revenue(warehouse)).toEqual([
      { month: '2026-07-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 1,
        platform_revenue: 10, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 1, last_touch_revenue: 10 },
    ]);
    expect(await finding(warehouse, 'superseded_rows')).toBe(1);
    await expectRevenueIdentity(warehouse);
  });

  test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
});
