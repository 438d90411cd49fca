// docs/attribution.md section 1 without Shopify data: every claim keeps its own key, and two claims are on the
// same order when they resolve to the same key. A claim giving both a name and an id lends its name to
// claims that give only that id, so one sale is not counted as two orders.
// Client acme: UTC, flat, include; no Shopify file.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TestWarehouse } from '../helpers.js';
import { csv, expectRevenueIdentity, finding, KLAVIYO_HEADER, POSTSCRIPT_HEADER, importAndBuild } from './scenario.js';
import { expectShuffleInvariant } from './shuffle.js';

const warehouse = new TestWarehouse();

//   #1001 with Id 7410991464714, click at 10:00  -> key 1001
//   #1002 with no Id, view at 09:00              -> key 1002
const POSTSCRIPT = csv(`
  ${POSTSCRIPT_HEADER}
  2026-08-05T12:00:00Z,#1001,7410991464714,120.00,USD,click,p1,2026-08-05T09:00:00Z,2026-08-05T10:00:00Z,
  2026-08-06T12:00:00Z,#1002,,60.00,USD,view,p2,2026-08-06T09:00:00Z,,
`);

//   Id 7410991464714 only, email open at 11:00  -> the name Postscript gave that Id: key 1001
//   Id 7410991469999 only, nobody names it       -> key 7410991469999
const KLAVIYO = csv(`
  ${KLAVIYO_HEADER}
  e1,7410991464714,,2026-08-05T12:00:00Z,120.00,USD,email,Opened Email,k1,2026-08-05T11:00:00Z,
  e2,7410991469999,,2026-08-07T12:00:00Z,30.00,USD,email,Clicked Email,k2,2026-08-07T10:00:00Z,
`);

beforeAll(() => importAndBuild(warehouse, { postscript: POSTSCRIPT, klaviyo: KLAVIYO }));

afterAll(() => warehouse.cleanup());

test('an id-only claim joins the order another claim names with that id', async () => {
  const rows = await warehouse.query(`
    SELECT order_key, order_id, order_name, claims, winner_platform, winner_touch_type, last_touch_revenue, shopify_matched
    FROM marts.order_attribution WHERE client_id = 'acme' ORDER BY order_key`);
  expect(rows).toEqual([
    // One order, two claims: Klaviyo's open at 11:00 is later than Postscript's click at 10:00.
    { order_key: '1001', order_id: '7410991464714', order_name: '#1001', claims: 2, winner_platform: 'klaviyo', winner_touch_type: 'open', last_touch_revenue: 120, shopify_matched: false },
    { order_key: '1002', order_id: null, order_name: '#1002', claims: 1, winner_platform: 'postscript', winner_touch_type: 'view', last_touch_revenue: 60, shopify_matched: false },
    { order_key: '7410991469999', order_id: '7410991469999', order_name: null, claims: 1, winner_platform: 'klaviyo', winner_touch_type: 'click', last_touch_revenue: 30, shopify_matched: false },
  ]);
  // Last touch: 120 + 60 + 30 = 210, the sale of #1001 counted once.
  const [total] = await warehouse.query(`SELECT sum(last_touch_revenue) AS revenue FROM marts.revenue_summary`);
  expect(total?.revenue).toBe(210);
  // Without Shopify data every claim is unmatched (4 claims) and the finding is informational.
  expect(await finding(warehouse, 'unmatched_claims')).toBe(4);
  const [severity] = await warehouse.query(`SELECT severity FROM marts.data_quality WHERE check_name = 'unmatched_claims'`);
  expect(severity?.severity).toBe('info');
  const [store] = await warehouse.query(`SELECT store_revenue, attributed_revenue, attributed_share FROM marts.store_summary`);
  expect(store).toEqual({ store_revenue: null, attributed_revenue: 210, attributed_share: null });
  await expectRevenueIdentity(warehouse);
});

test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
