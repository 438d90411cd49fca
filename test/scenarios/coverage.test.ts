// docs/attribution.md section 2 and docs/marts.md: the days no upload covers. A month in which a
// platform has no upload at all, while Shopify shows the store selling, must not look complete; a gap
// between two windows given with --from/--to is a warning; a gap beside a window inferred from the
// first and last order dates is only possible (info, with the hint to give --from/--to). Every finding
// names its month, and affected_rows counts the client's Shopify orders on the uncovered days.
// Client acme: UTC, flat, include. Every order at 12:00 UTC.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { TestWarehouse } from '../helpers.js';
import { renderReports } from '../../src/report/render.js';
import { csv, expectRevenueIdentity, KLAVIYO_HEADER, POSTSCRIPT_HEADER, revenue, SHOPIFY_HEADER } from './scenario.js';
import { expectShuffleInvariant } from './shuffle.js';

const warehouse = new TestWarehouse();

// Shopify, one export a month with its window: October #4001 100 (10-05), #4002 50 (10-20);
// November #4003 80 (11-03), #4004 20 (11-10), #4005 40 (11-25).
const SHOPIFY_OCTOBER = csv(`
  ${SHOPIFY_HEADER}
  #4001,7000000004001,2026-10-05T12:00:00Z,USD,100.00,,,Mug
  #4002,7000000004002,2026-10-20T12:00:00Z,USD,50.00,,,Cap
`);
const SHOPIFY_NOVEMBER = csv(`
  ${SHOPIFY_HEADER}
  #4003,7000000004003,2026-11-03T12:00:00Z,USD,80.00,,,Scarf
  #4004,7000000004004,2026-11-10T12:00:00Z,USD,20.00,,,Pin
  #4005,7000000004005,2026-11-25T12:00:00Z,USD,40.00,,,Socks
`);
// Postscript: October with its window 10-01..10-31; then a report with its window 11-08..11-30, so
// that no Postscript upload covers 11-01..11-07 (#4003's day).
const POSTSCRIPT_OCTOBER = csv(`
  ${POSTSCRIPT_HEADER}
  2026-10-05T12:00:00Z,#4001,,100.00,USD,click,p1,2026-10-05T09:00:00Z,2026-10-05T10:00:00Z,
  2026-10-20T12:00:00Z,#4002,,50.00,USD,view,p2,2026-10-20T10:00:00Z,,
`);
const POSTSCRIPT_NOVEMBER = csv(`
  ${POSTSCRIPT_HEADER}
  2026-11-10T12:00:00Z,#4004,,20.00,USD,click,p4,2026-11-10T09:00:00Z,2026-11-10T10:00:00Z,
  2026-11-25T12:00:00Z,#4005,,40.00,USD,view,p5,2026-11-25T09:00:00Z,,
`);
// Klaviyo without --from/--to: its window is its first and last order dates, 10-05..10-20.
const KLAVIYO_OCTOBER = csv(`
  ${KLAVIYO_HEADER}
  e1,,#4001,2026-10-05T12:00:00Z,100.00,USD,email,Clicked Email,k1,2026-10-05T11:00:00Z,
  e2,,#4002,2026-10-20T12:00:00Z,50.00,USD,email,Opened Email,k2,2026-10-20T09:00:00Z,
`);
// Later, Klaviyo's November export arrives, again without a window: one order, 11-25..11-25.
const KLAVIYO_NOVEMBER = csv(`
  ${KLAVIYO_HEADER}
  e5,,#4005,2026-11-25T12:00:00Z,40.00,USD,email,Clicked Email,k5,2026-11-25T10:00:00Z,
`);

const HINT =
  '; a window beside these days was taken from the first and last order dates of its export, so they may be days without orders: give --from/--to at import to say which days an export covers';

function findings() {
  return warehouse.query(`
    SELECT month, check_name, severity, affected_rows, detail FROM marts.data_quality
    WHERE client_id = 'acme' ORDER BY month, check_name, detail`);
}

function store() {
  return warehouse.query(`
    SELECT month, store_revenue, attributed_revenue, attributed_store_revenue, attributed_outside_store_revenue, attributed_share
    FROM marts.store_summary WHERE client_id = 'acme' ORDER BY month`);
}

beforeAll(async () => {
  await warehouse.import({ platform: 'shopify', file: warehouse.file('shopify-10.csv', SHOPIFY_OCTOBER), from: '2026-10-01', to: '2026-10-31' });
  await warehouse.import({ platform: 'shopify', file: warehouse.file('shopify-11.csv', SHOPIFY_NOVEMBER), from: '2026-11-01', to: '2026-11-30' });
  await warehouse.import({ platform: 'postscript', file: warehouse.file('ps-10.csv', POSTSCRIPT_OCTOBER), from: '2026-10-01', to: '2026-10-31' });
  await warehouse.import({ platform: 'postscript', file: warehouse.file('ps-11.csv', POSTSCRIPT_NOVEMBER), from: '2026-11-08', to: '2026-11-30' });
  await warehouse.import({ platform: 'klaviyo', file: warehouse.file('klaviyo-10.csv', KLAVIYO_OCTOBER) });
  await warehouse.build();
});

afterAll(() => warehouse.cleanup());

describe('November: Shopify and Postscript, no Klaviyo upload yet', () => {
  test('every uncovered stretch is a finding of its month', async () => {
    expect(await findings()).toEqual([
      // Klaviyo's inferred window 10-05..10-20 leaves 10-01..10-04 and 10-21..10-31: possibly no orders
      { month: '2026-10-01', check_name: 'month_not_fully_covered', severity: 'info', affected_rows: 0,
        detail: `klaviyo 2026-10: uploads cover 16 of 31 days; none covers 2026-10-01 .. 2026-10-04 (4 days)${HINT}` },
      { month: '2026-10-01', check_name: 'month_not_fully_covered', severity: 'info', affected_rows: 0,
        detail: `klaviyo 2026-10: uploads cover 16 of 31 days; none covers 2026-10-21 .. 2026-10-31 (11 days)${HINT}` },
      // Postscript: both windows given, 11-01..11-07 between them; #4003 (11-03) was sold then
      { month: '2026-11-01', check_name: 'coverage_gap', severity: 'warning', affected_rows: 1,
        detail: 'postscript uploads cover no day from 2026-11-01 to 2026-11-07 (7 days, 7 of them in 2026-11)' },
      // Klaviyo: nothing for November while Shopify has its 3 orders
      { month: '2026-11-01', check_name: 'platform_month_missing', severity: 'warning', affected_rows: 3,
        detail: "no klaviyo upload covers any day of 2026-11 (30 days): the month's klaviyo figures are missing, not zero" },
    ]);
  });

  test('the share of store revenue compares like with like', async () => {
    // October: Klaviyo wins #4001 (click 11:00 > 10:00) 100, Postscript #4002 (view 10:00 > open 09:00) 50
    //   attributed 150, all on store orders: 150 / 150 = 1
    // November: Postscript #4004 20 + #4005 40 = 60 on store orders; store 80 + 20 + 40 = 140; 60 / 140
    expect(await store()).toEqual([
      { month: '2026-10-01', store_revenue: 150, attributed_revenue: 150, attributed_store_revenue: 150,
        attributed_outside_store_revenue: 0, attributed_share: 1 },
      { month: '2026-11-01', store_revenue: 140, attributed_revenue: 60, attributed_store_revenue: 60,
        attributed_outside_store_revenue: 0, attributed_share: 60 / 140 },
    ]);
    await expectRevenueIdentity(warehouse);
  });

  test('the report shows the missing month beside November, not beside October', async () => {
    const out = join(warehouse.dir, 'site');
    await renderReports({ dbPath: warehouse.path, outDir: out });
    const november = readFileSync(join(out, 'acme', '2026-11.html'), 'utf8');
    const october = readFileSync(join(out, 'acme', '2026-10.html'), 'utf8');
    expect(november).toContain('no klaviyo upload covers any day of 2026-11');
    expect(november).toContain('postscript uploads cover no day from 2026-11-01 to 2026-11-07');
    // Both are warnings that the month's figures are incomplete: a notice at the top of the page.
    const notices = [...november.matchAll(/data-testid="notice">([^<]*)</g)].map((match) => match[1]);
    expect(notices).toContain('no klaviyo upload covers any day of 2026-11 (30 days): the month&#x27;s klaviyo figures are missing, not zero');
    expect(notices.some((notice) => notice?.startsWith('postscript uploads cover no day from 2026-11-01 to 2026-11-07'))).toBe(true);
    expect(october).not.toContain('no klaviyo upload covers any day');
    expect(october).not.toContain('data-testid="notice"');
    const onlyNovember = await renderReports({ dbPath: warehouse.path, outDir: join(warehouse.dir, 'nov'), month: '2026-11' });
    expect(onlyNovember.monthPages.map((page) => page.month)).toEqual(['2026-11']);
    const filtered = readFileSync(onlyNovember.monthPages[0]?.path ?? '', 'utf8');
    expect(filtered).toContain('no klaviyo upload covers any day of 2026-11');
    expect(filtered).not.toContain('klaviyo 2026-10: uploads cover 16 of 31 days');
  });
});

describe("Klaviyo's November export arrives, without a window", () => {
  beforeAll(async () => {
    await warehouse.import({ platform: 'klaviyo', file: warehouse.file('klaviyo-11.csv', KLAVIYO_NOVEMBER) });
    await warehouse.build();
  });

  test('the missing month becomes a possible gap beside the inferred windows', async () => {
    expect(await findings()).toEqual([
      { month: '2026-10-01', check_name: 'month_not_fully_covered', severity: 'info', affected_rows: 0,
        detail: `klaviyo 2026-10: uploads cover 16 of 31 days; none covers 2026-10-01 .. 2026-10-04 (4 days)${HINT}` },
      // between 10-20 and 11-25: 10-21..11-24, 35 days, 11 in October (no order) and 24 in November
      { month: '2026-10-01', check_name: 'possible_coverage_gap', severity: 'info', affected_rows: 0,
        detail: `klaviyo uploads cover no day from 2026-10-21 to 2026-11-24 (35 days, 11 of them in 2026-10)${HINT}` },
      { month: '2026-11-01', check_name: 'coverage_gap', severity: 'warning', affected_rows: 1,
        detail: 'postscript uploads cover no day from 2026-11-01 to 2026-11-07 (7 days, 7 of them in 2026-11)' },
      // 11-26..11-30 after the last window: no order on those days
      { month: '2026-11-01', check_name: 'month_not_fully_covered', severity: 'info', affected_rows: 0,
        detail: `klaviyo 2026-11: uploads cover 1 of 30 days; none covers 2026-11-26 .. 2026-11-30 (5 days)${HINT}` },
      // #4003 (11-03) and #4004 (11-10) fall in the gap
      { month: '2026-11-01', check_name: 'possible_coverage_gap', severity: 'info', affected_rows: 2,
        detail: `klaviyo uploads cover no day from 2026-10-21 to 2026-11-24 (35 days, 24 of them in 2026-11)${HINT}` },
    ]);
  });

  test('November: Klaviyo takes #4005 from Postscript', async () => {
    // #4005: Postscript view 09:00 < Klaviyo email click 10:00 -> Klaviyo 40
    // Postscript November 60 = last touch 20 (#4004) + removed 40; Klaviyo email 40 = last touch 40
    expect((await revenue(warehouse)).filter((row) => row.month === '2026-11-01')).toEqual([
      { month: '2026-11-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 1,
        platform_revenue: 40, view_only_excluded_revenue: 0, double_attribution_removed: 0,
        last_touch_orders: 1, last_touch_revenue: 40 },
      { month: '2026-11-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 2,
        platform_revenue: 60, view_only_excluded_revenue: 0, double_attribution_removed: 40,
        last_touch_orders: 1, last_touch_revenue: 20 },
    ]);
    await expectRevenueIdentity(warehouse);
  });
});

test('any shuffle of the rows and columns of every file gives the same marts', () => expectShuffleInvariant(warehouse));
