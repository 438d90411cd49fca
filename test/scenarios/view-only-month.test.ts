// docs/attribution.md section 5: a month whose orders are all view-only, with view-only excluded, is valid
// data like any other. It builds: the order has no winner, and its whole claimed revenue is reported
// as view-only excluded. The earlier view-only scenarios always had some winning claim in the same
// month and currency, so the data test comparing last-touch totals never met a month with no winner
// on the order side (it compared NULL with 0 and failed every build); this scenario is that month.
// Client quiet: UTC, imported with --exclude-view-only. Client acme: an ordinary click in the same month.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestWarehouse } from '../helpers.js';
import { csv, expectRevenueIdentity, orders, revenue } from './scenario.js';
import { expectShuffleInvariant } from './shuffle.js';

const warehouse = new TestWarehouse();

const QUIET = csv(`
  Order ID,Order Date,Revenue,Attribution Type,Message ID,Sent At
  9001,2025-10-07 12:00:00,25.00,view,m1,2025-10-07 10:00:00
`);

const ACME = csv(`
  Order ID,Order Date,Revenue,Attribution Type,Message ID,Sent At
  7001,2025-10-08 12:00:00,40.00,click,m2,2025-10-08 10:00:00
`);

beforeAll(async () => {
  await warehouse.import({ platform: 'postscript', clientId: 'quiet', excludeViewOnly: true, file: warehouse.file('quiet.csv', QUIET) });
  await warehouse.import({ platform: 'postscript', clientId: 'acme', file: warehouse.file('acme.csv', ACME) });
  await warehouse.build();
});

afterAll(() => warehouse.cleanup());

describe('a month of view-only orders only, view-only excluded', () => {
  test('order 9001 has no winner and 0 last-touch revenue', async () => {
    expect(await orders(warehouse, 'quiet')).toEqual([
      { order_name: null, claims: 1, winner_platform: null, winner_channel: null, winner_touch_type: null, last_touch_revenue: 0 },
    ]);
  });

  test('revenue_summary: platform 25 = last touch 0 + removed 0 + view-only excluded 25', async () => {
    expect(await revenue(warehouse, 'quiet')).toEqual([
      { month: '2025-10-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 1,
        platform_revenue: 25, view_only_excluded_revenue: 25, double_attribution_removed: 0,
        last_touch_orders: 0, last_touch_revenue: 0 },
    ]);
    await expectRevenueIdentity(warehouse);
  });

  test('store_summary: nothing attributed that month', async () => {
    const rows = await warehouse.query(
      `SELECT month, currency, store_revenue, attributed_revenue, attributed_share FROM marts.store_summary WHERE client_id = 'quiet'`,
    );
    expect(rows).toEqual([{ month: '2025-10-01', currency: 'USD', store_revenue: null, attributed_revenue: 0, attributed_share: null }]);
  });

  test('the other client built in the same build', async () => {
    expect(await revenue(warehouse, 'acme')).toEqual([
      { month: '2025-10-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 1,
        platform_revenue: 40, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 1, last_touch_revenue: 40 },
    ]);
  });
});

test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
