// The check every scenario makes after every build (docs/attribution.md section 6).
import { expect } from 'vitest';
import { revenueIdentityViolations, type TestWarehouse } from '../helpers.js';
import type { Row } from '../../src/warehouse/db.js';

/**
 * docs/attribution.md section 6, on every build of every scenario: the identity holds on each revenue_summary
 * row, and summed over platforms last_touch_revenue (and last_touch_orders) equals what
 * marts.order_attribution gives, per client, month and currency.
 */
export async function expectRevenueIdentity(warehouse: TestWarehouse): Promise<void> {
  expect(await revenueIdentityViolations(warehouse)).toEqual([]);
  const bySummary = await warehouse.query(`
    SELECT client_id, month, currency, sum(last_touch_revenue) AS revenue, sum(last_touch_orders) AS orders
    FROM marts.revenue_summary GROUP BY ALL ORDER BY ALL`);
  const byOrders = await warehouse.query(`
    SELECT client_id, month, currency, sum(last_touch_revenue) AS revenue, count(winner_platform) AS orders
    FROM marts.order_attribution GROUP BY ALL ORDER BY ALL`);
  const normalise = (rows: Row[]) =>
    rows.map((row) => ({ ...row, revenue: Number(row.revenue), orders: Number(row.orders) }));
  expect(normalise(bySummary)).toEqual(normalise(byOrders));
}
