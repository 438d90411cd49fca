// Shared plumbing of the scenario tests: fixture text, the marts read back in a stable order, and the two
// checks every scenario makes after every build (docs/attribution.md section 6).
import { expect } from 'vitest';
import { revenueIdentityViolations, type TestWarehouse } from '../helpers.js';
import type { Row } from '../../src/warehouse/db.js';

/** A CSV fixture written inline: each line trimmed (so it can be indented in the test), LF-terminated. */
export function csv(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .map((line) => line.trim())
      .join('\n') + '\n'
  );
}

export const POSTSCRIPT_HEADER =
  'Order Date,Order Number,Order ID,Revenue,Currency,Attribution Type,Message ID,Sent At,Clicked At,Minutes From Action';
export const KLAVIYO_HEADER =
  '$event_id,Order ID,Order Name,Datetime,$value,$currency,$attributed_channel,Attributed Event,$attributed_message,Touch At,$send_ts';
export const SHOPIFY_HEADER = 'Name,Id,Created at,Currency,Total,Refunded Amount,Cancelled at,Lineitem name';

/** Imports the exports given for client acme (Shopify, then Postscript, then Klaviyo), then builds. */
export async function importAndBuild(
  warehouse: TestWarehouse,
  exports: { shopify?: string; postscript?: string; klaviyo?: string },
): Promise<void> {
  for (const platform of ['shopify', 'postscript', 'klaviyo'] as const) {
    const text = exports[platform];
    if (text !== undefined) await warehouse.import({ platform, file: warehouse.file(`${platform}.csv`, text) });
  }
  await warehouse.build();
}

/** marts.order_attribution of one client, the columns a scenario states, by order name. */
export function orders(warehouse: TestWarehouse, clientId = 'acme'): Promise<Row[]> {
  return warehouse.query(`
    SELECT order_name, claims, winner_platform, winner_channel, winner_touch_type, last_touch_revenue
    FROM marts.order_attribution WHERE client_id = '${clientId}' ORDER BY order_name`);
}

/** marts.revenue_summary of one client, the revenue columns, by grain. */
export function revenue(warehouse: TestWarehouse, clientId = 'acme'): Promise<Row[]> {
  return warehouse.query(`
    SELECT month, platform, channel, currency, platform_orders, platform_revenue, view_only_excluded_revenue,
           double_attribution_removed, last_touch_orders, last_touch_revenue
    FROM marts.revenue_summary WHERE client_id = '${clientId}' ORDER BY month, platform, channel, currency`);
}

/** affected_rows of one data-quality finding of one client, or null when the finding is absent. */
export async function finding(warehouse: TestWarehouse, checkName: string, clientId = 'acme'): Promise<number | null> {
  const rows = await warehouse.query(`
    SELECT sum(affected_rows) AS n FROM marts.data_quality WHERE client_id = '${clientId}' AND check_name = '${checkName}'`);
  const value = rows[0]?.n;
  return value === null || value === undefined ? null : Number(value);
}

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
