// docs/attribution.md section 2: for each date the latest upload whose window covers it is authoritative. A
// newer upload that lists an order dated outside its own window is not authoritative for that date: the
// older upload that covers it keeps the order's claim.
// Client acme: UTC, flat, include.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TestWarehouse } from '../helpers.js';
import { csv, expectRevenueIdentity, orders, POSTSCRIPT_HEADER, SHOPIFY_HEADER } from './scenario.js';
import { expectShuffleInvariant } from './shuffle.js';

const warehouse = new TestWarehouse();

const SHOPIFY = csv(`
  ${SHOPIFY_HEADER}
  #1001,7410991464714,2026-08-05T12:00:00Z,USD,100.00,,,Hoodie
  #1002,7410991464715,2026-08-20T12:00:00Z,USD,80.00,,,Cap
`);

// Upload 2, window 08-01..08-15: #1001 at 100.00, a click.
const OLDER = csv(`
  ${POSTSCRIPT_HEADER}
  2026-08-05T12:00:00Z,#1001,,100.00,USD,click,p1,2026-08-05T09:00:00Z,2026-08-05T10:00:00Z,
`);

// Upload 3, window 08-16..08-31: #1002, and #1001 again (dated 08-05, outside this window) at 70.00.
const NEWER = csv(`
  ${POSTSCRIPT_HEADER}
  2026-08-20T12:00:00Z,#1002,,80.00,USD,view,p2,2026-08-20T09:00:00Z,,
  2026-08-05T12:00:00Z,#1001,,70.00,USD,view,p3,2026-08-05T11:00:00Z,,
`);

beforeAll(async () => {
  await warehouse.import({ platform: 'shopify', file: warehouse.file('shopify.csv', SHOPIFY) });
  await warehouse.import({ platform: 'postscript', file: warehouse.file('older.csv', OLDER), from: '2026-08-01', to: '2026-08-15' });
  const newer = await warehouse.import({
    platform: 'postscript',
    file: warehouse.file('newer.csv', NEWER),
    from: '2026-08-16',
    to: '2026-08-31',
  });
  expect(newer.warnings).toEqual(['1 row falls outside the coverage window 2026-08-16 .. 2026-08-31 given with --from/--to']);
  await warehouse.build();
});

afterAll(() => warehouse.cleanup());

test('the upload whose window covers the date keeps the claim; the other row is set aside', async () => {
  expect(await orders(warehouse)).toEqual([
    // #1001: the older upload covers 08-05, so its click at 100.00 is the claim, not the newer 70.00 view.
    { order_name: '#1001', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'click', last_touch_revenue: 100 },
    { order_name: '#1002', claims: 1, winner_platform: 'postscript', winner_channel: 'sms', winner_touch_type: 'view', last_touch_revenue: 80 },
  ]);
  // Platform revenue counts #1001 once: 100 + 80 = 180.
  const [summary] = await warehouse.query(`SELECT platform_revenue, platform_orders FROM marts.revenue_summary`);
  expect(summary).toEqual({ platform_revenue: 180, platform_orders: 2 });
  await expectRevenueIdentity(warehouse);
});

test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
