// The report site in a real headless Chromium, over the demo site (`lasttouch demo`) and a two-client site
// built here: every figure a reader sees equals what `lasttouch query` reads from the marts, subtotals add
// up, charts carry one mark per datum, nothing is requested from outside the page's folder, tables print
// whole on A4 and Letter, a phone never scrolls sideways, an export's text stays text, a partial re-render
// keeps every other page byte for byte, and a user's own page renders (or fails, naming its line).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { cli, cliQuery, ROOT, tempDir, TestWarehouse } from '../helpers.js';
import { renderReports } from '../../src/report/render.js';
import { ReportFailedError } from '../../src/errors.js';
import { launchChromium } from './chromium.js';
import { ACME_POSTSCRIPT as POSTSCRIPT, ACME_SHOPIFY as SHOPIFY } from '../report-exports.js';

const EXAMPLES = join(ROOT, 'reports', 'examples');
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const XSS = '<script>alert(1)</script>';

// ---------------------------------------------------------------------------------------------------
// Test data: two clients. acme's exports are the ones test/integration/report.test.ts computes by hand;
// beta gets the same orders with view-only claims excluded, Postscript in two uploads with a gap
// between them, and a message named like a script in its Postscript and Klaviyo exports.

const KLAVIYO = `$event_id,Order ID,Datetime,$value,$attributed_channel,Attributed Event,$attributed_message,Message Name,Touch At,$send_ts
ev-1,5001,2026-07-05T10:00:00Z,1200.00,email,Clicked Email,k-1,July newsletter & sale,2026-07-05T09:30:00Z,2026-07-05T07:00:00Z
ev-2,5002,2026-07-10T12:00:00Z,80.50,email,Opened Email,k-2,Welcome series,2026-07-10T10:00:00Z,2026-07-10T09:00:00Z
ev-4,5004,2026-08-02T15:00:00Z,99.99,sms,Clicked SMS,k-4,August SMS flash,2026-08-02T13:00:00Z,2026-08-02T12:00:00Z
`;
const BETA_POSTSCRIPT_JULY = `Order Date,Order Number,Order ID,Revenue,Attribution Type,Message Name,Message ID,Sent At,Clicked At
2026-07-05T10:00:00Z,#1001,5001,1200.00,click,Summer drop,ps-1,2026-07-05T08:00:00Z,2026-07-05T09:00:00Z
2026-07-10T12:00:00Z,#1002,5002,80.50,view,${XSS},ps-2,2026-07-10T11:00:00Z,
2026-07-20T09:00:00Z,#1003,5003,45.25,click,${XSS},ps-3,2026-07-19T09:00:00Z,2026-07-19T10:00:00Z
`;
const BETA_POSTSCRIPT_AUGUST = `Order Date,Order Number,Order ID,Revenue,Attribution Type,Message Name,Message ID,Sent At,Clicked At
2026-08-02T15:00:00Z,#1004,5004,99.99,view,Back in stock,ps-4,2026-08-02T14:00:00Z,
`;
const BETA_KLAVIYO = KLAVIYO.replace('Welcome series', XSS);

/*
 * Hand-computed (flat model, UTC; the figures of test/integration/report.test.ts), acme, July 2026:
 *   Postscript SMS  platform 1,325.75 = LT 125.75 (2 orders) + DAR 1,200.00; claimed 3
 *   Klaviyo Email   platform 1,280.50 = LT 1,200.00 (1 order) + DAR 80.50; claimed 2
 *   Total           platform 2,606.25, LT 1,325.75, DAR 1,280.50, claimed 5, LT orders 3
 *   Store 1,580.50 in 3 orders, refunded 10.00; attributed 1,325.75 = 1,280.50 on store orders + 45.25
 *   outside (#1003, cancelled); share 1,280.50 / 1,580.50 = 81.0%.
 * beta, July (view-only excluded): Postscript SMS platform 1,325.75 = LT 45.25 + DAR 1,200.00 + VOE 80.50.
 */

// ---------------------------------------------------------------------------------------------------
// Money and counts as the pages write them, computed here on exact cents.

function cents(value: unknown): bigint {
  const text = String(value ?? '0');
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new Error(`not an amount: ${text}`);
  const amount = BigInt(match[2] ?? '0') * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -amount : amount;
}

const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function money(currency: string, amount: bigint): string {
  const sign = amount < 0n ? '-' : '';
  const abs = amount < 0n ? -amount : amount;
  return `${currency} ${sign}${group(String(abs / 100n))}.${String(abs % 100n).padStart(2, '0')}`;
}

function parseMoney(text: string): { currency: string; amount: bigint } {
  const match = /^([A-Z]{3}) (-?)([\d,]+)\.(\d{2})$/.exec(text.trim());
  if (!match) throw new Error(`not money as a page writes it: "${text}"`);
  const amount = BigInt((match[3] ?? '').replace(/,/g, '')) * 100n + BigInt(match[4] ?? '0');
  return { currency: match[1] ?? '', amount: match[2] === '-' ? -amount : amount };
}

const count = (value: unknown): string => group(String(Number(value ?? 0)));
const parseCount = (text: string): number => Number(text.replace(/,/g, ''));

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const monthTitle = (month: string): string => `${MONTHS[Number(month.slice(5, 7)) - 1] ?? '?'} ${month.slice(0, 4)}`;

// ---------------------------------------------------------------------------------------------------
// The marts, read through the real CLI (`lasttouch query`), amounts as exact decimal text.

type Row = Record<string, unknown>;

interface Marts {
  clients: Map<string, string>;
  revenue: Row[];
  store: Row[];
  messages: Row[];
  uploads: Row[];
  gaps: Row[];
}

/** The rows of each query, all read by one `lasttouch query` (one process): a list of rows per column. */
function queryLists(db: string, queries: Record<string, string>): Record<string, Row[]> {
  const columns = Object.entries(queries).map(([name, sql]) => `(SELECT list(q) FROM (${sql}) AS q) AS ${name}`);
  const result = cliQuery(db, `SELECT ${columns.join(',\n')}`);
  if (!Array.isArray(result) || result.length !== 1) throw new Error(`lasttouch query gave no row: ${JSON.stringify(result)}`);
  const row = result[0] as Record<string, unknown>;
  return Object.fromEntries(Object.keys(queries).map((name) => [name, Array.isArray(row[name]) ? (row[name] as Row[]) : []]));
}

function readMartsViaCli(db: string): Marts {
  const lists = queryLists(db, {
    clients: `SELECT client_id, upper(currency) AS currency FROM meta.clients ORDER BY client_id`,
    revenue: `SELECT r.client_id, strftime(r.month, '%Y-%m') AS month, r.currency,
              coalesce(ch.label, r.channel) AS channel, coalesce(p.label, r.platform) AS platform,
              CAST(r.platform_revenue AS VARCHAR) AS platform_revenue, CAST(r.last_touch_revenue AS VARCHAR) AS last_touch_revenue,
              CAST(r.double_attribution_removed AS VARCHAR) AS removed, CAST(r.view_only_excluded_revenue AS VARCHAR) AS view_only,
              r.platform_orders, r.last_touch_orders
       FROM marts.revenue_summary AS r
       LEFT JOIN seeds.channels AS ch ON ch.channel = r.channel
       LEFT JOIN seeds.platforms AS p ON p.platform = r.platform`,
    store: `SELECT client_id, strftime(month, '%Y-%m') AS month, currency, store_orders,
              CAST(store_revenue AS VARCHAR) AS store_revenue, CAST(refunded_revenue AS VARCHAR) AS refunded_revenue,
              CAST(attributed_revenue AS VARCHAR) AS attributed_revenue, CAST(attributed_store_revenue AS VARCHAR) AS attributed_store_revenue,
              CAST(attributed_outside_store_revenue AS VARCHAR) AS attributed_outside_store_revenue, attributed_share
       FROM marts.store_summary`,
    messages: `SELECT m.client_id, strftime(m.month, '%Y-%m') AS month, strftime(m.day, '%Y-%m-%d') AS day, m.currency,
              m.channel AS channel_code, coalesce(ch.label, m.channel) AS channel, coalesce(p.label, m.platform) AS platform,
              coalesce(m.touch_type, 'unknown') AS touch_type, m.message_id, m.message_name,
              CAST(m.platform_revenue AS VARCHAR) AS platform_revenue, CAST(m.last_touch_revenue AS VARCHAR) AS last_touch_revenue,
              m.last_touch_orders
       FROM marts.message_revenue AS m
       LEFT JOIN seeds.channels AS ch ON ch.channel = m.channel
       LEFT JOIN seeds.platforms AS p ON p.platform = m.platform`,
    uploads: `SELECT u.client_id, u.upload_id,
              coalesce(w.window_from, u.window_from) IS NOT NULL AND coalesce(w.window_to, u.window_to) IS NOT NULL AS has_window
       FROM meta.uploads AS u LEFT JOIN dedup.dedup_upload_windows AS w ON w.upload_id = u.upload_id`,
    gaps: `SELECT client_id, platform, strftime(gap_from, '%Y-%m-%d') AS gap_from FROM dedup.dedup_coverage_gaps`,
  });
  return {
    clients: new Map((lists.clients ?? []).map((row): [string, string] => [String(row.client_id), String(row.currency)]).sort((a, b) => a[0].localeCompare(b[0]))),
    revenue: lists.revenue ?? [],
    store: lists.store ?? [],
    messages: lists.messages ?? [],
    uploads: lists.uploads ?? [],
    gaps: lists.gaps ?? [],
  };
}

const of = (list: readonly Row[], client: string, month?: string): Row[] =>
  list.filter((row) => row.client_id === client && (month === undefined || row.month === month));

/** Sums amounts (cents) and counts of rows per key. */
function sumBy(list: readonly Row[], key: (row: Row) => string, money: readonly string[], counts: readonly string[] = []): Map<string, Record<string, bigint>> {
  const sums = new Map<string, Record<string, bigint>>();
  for (const row of list) {
    const entry = sums.get(key(row)) ?? Object.fromEntries([...money, ...counts].map((field) => [field, 0n]));
    for (const field of money) entry[field] = (entry[field] ?? 0n) + cents(row[field]);
    for (const field of counts) entry[field] = (entry[field] ?? 0n) + BigInt(Number(row[field] ?? 0));
    sums.set(key(row), entry);
  }
  return sums;
}

function monthsOf(marts: Marts, client: string): string[] {
  return [...new Set([...of(marts.revenue, client), ...of(marts.store, client)].map((row) => String(row.month)))].sort();
}

/** The currency a client's charts and index line are in: its own when it has claims in it, else its largest. */
function chartCurrency(marts: Marts, client: string): string {
  const revenue = of(marts.revenue, client);
  const own = marts.clients.get(client) ?? '';
  if (revenue.some((row) => row.currency === own)) return own;
  const totals = [...sumBy(revenue, (row) => `${String(row.month)}|${String(row.currency)}`, ['platform_revenue'])];
  totals.sort((a, b) => (b[1].platform_revenue ?? 0n) > (a[1].platform_revenue ?? 0n) ? 1 : -1);
  return totals[0]?.[0].split('|')[1] ?? own;
}

// ---------------------------------------------------------------------------------------------------
// The sites.

type Kind = 'index' | 'overview' | 'month' | 'coverage' | 'user';
interface SitePage { path: string; kind: Kind; client: string | null; month: string | null }
interface Site { name: string; dir: string; db: string; marts: Marts; pages: SitePage[] }

function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder)) {
      const full = join(folder, entry);
      if (statSync(full).isDirectory()) walk(full);
      else found.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

function snapshot(dir: string): Map<string, Buffer> {
  return new Map(filesUnder(dir).map((name) => [name, readFileSync(join(dir, name))]));
}

function sitePages(marts: Marts, userPages: boolean, only?: Kind[]): SitePage[] {
  const pages: SitePage[] = [{ path: 'index.html', kind: 'index', client: null, month: null }];
  for (const client of marts.clients.keys()) {
    pages.push({ path: `${client}.html`, kind: 'overview', client, month: null });
    pages.push({ path: `${client}/coverage.html`, kind: 'coverage', client, month: null });
    for (const month of monthsOf(marts, client)) {
      pages.push({ path: `${client}/${month}.html`, kind: 'month', client, month });
      if (userPages) pages.push({ path: `${client}/${month}-sms.html`, kind: 'user', client, month });
    }
  }
  return only === undefined ? pages : pages.filter((page) => only.includes(page.kind));
}

const url = (site: Site, page: SitePage): string => pathToFileURL(join(site.dir, page.path)).href;

// ---------------------------------------------------------------------------------------------------
// What a page shows, read in the browser. The functions run in the page, so they use nothing from here.

interface Cells { kind: string; currency: string; channel: string; platform: string; cells: Record<string, string> }
interface ChartMarks { id: string; marks: number; rects: number; lines: number; title: string; desc: string }
interface MonthDom {
  revenue: Cells[];
  totals: Cells[];
  store: Cells[];
  cards: Cells[];
  messages: { currency: string; rank: string; name: string; title: string | null; platform: string; channel: string; lt: string; orders: string; pr: string }[];
  touch: { currency: string; type: string; lt: string; orders: string; pr: string }[];
  charts: ChartMarks[];
  viewOnlyHeading: boolean;
}

function readMonthDom(): MonthDom {
  const text = (el: Element | null | undefined): string => (el?.textContent ?? '').trim();
  const cells = (row: Element): Cells => ({
    kind: row.getAttribute('data-testid') ?? '',
    currency: row.getAttribute('data-currency') ?? '',
    channel: row.getAttribute('data-channel') ?? '',
    platform: row.getAttribute('data-platform') ?? '',
    cells: Object.fromEntries([...row.querySelectorAll('[data-testid]')].map((cell) => [cell.getAttribute('data-testid') ?? '', text(cell)])),
  });
  const all = (selector: string): Element[] => [...document.querySelectorAll(selector)];
  return {
    revenue: all('[data-testid="revenue-table"] tbody tr').map(cells),
    totals: all('[data-testid="total-row"]').map(cells),
    store: all('[data-testid="store-row"]').map(cells),
    cards: all('[data-testid="channel-card"]').map(cells),
    messages: all('[data-testid="messages-table"]').flatMap((table) =>
      [...table.querySelectorAll('[data-testid="message-row"]')].map((row) => {
        const c = row.children;
        return {
          currency: table.getAttribute('data-currency') ?? '',
          rank: text(c[0]), name: c[1]?.textContent ?? '', title: c[1]?.getAttribute('title') ?? null,
          platform: text(c[2]), channel: text(c[3]), lt: text(c[4]), orders: text(c[5]), pr: text(c[6]),
        };
      }),
    ),
    touch: all('[data-testid="touch-table"]').flatMap((table) =>
      [...table.querySelectorAll('[data-testid="touch-row"]')].map((row) => {
        const c = row.children;
        return { currency: table.getAttribute('data-currency') ?? '', type: row.getAttribute('data-touch-type') ?? '', lt: text(c[1]), orders: text(c[2]), pr: text(c[3]) };
      }),
    ),
    charts: all('svg[data-chart]').map((svg) => ({
      id: svg.getAttribute('data-chart') ?? '',
      marks: Number(svg.getAttribute('data-marks')),
      rects: svg.querySelectorAll('g.mark-rect.role-mark > path').length,
      lines: svg.querySelectorAll('g.mark-line.role-mark > path').length,
      title: text(svg.querySelector('title')),
      desc: text(svg.querySelector('desc')),
    })),
    viewOnlyHeading: all('[data-testid="revenue-table"] thead th').some((th) => text(th) === 'View-Only Excluded'),
  };
}

function readCharts(): ChartMarks[] {
  return [...document.querySelectorAll('svg[data-chart]')].map((svg) => ({
    id: svg.getAttribute('data-chart') ?? '',
    marks: Number(svg.getAttribute('data-marks')),
    rects: svg.querySelectorAll('g.mark-rect.role-mark > path').length,
    lines: svg.querySelectorAll('g.mark-line.role-mark > path').length,
    title: (svg.querySelector('title')?.textContent ?? '').trim(),
    desc: (svg.querySelector('desc')?.textContent ?? '').trim(),
  }));
}

/** Print layout problems: table parts that lost their table display, tables wider than their box, cells past the page. */
function printProblems(): string[] {
  const problems: string[] = [];
  const where = (el: Element): string => {
    const table = el.closest('table');
    return `${table?.getAttribute('data-testid') ?? table?.className ?? '?'} ${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
  };
  const expectDisplay = (selector: string, display: string): void => {
    for (const el of document.querySelectorAll(selector)) {
      const shown = getComputedStyle(el).display;
      if (shown !== display) problems.push(`${where(el)}: display ${shown}, not ${display}`);
    }
  };
  expectDisplay('thead th', 'table-cell');
  expectDisplay('tbody tr', 'table-row');
  expectDisplay('td', 'table-cell');
  const pageWidth = document.documentElement.clientWidth;
  for (const table of document.querySelectorAll('table')) {
    if (getComputedStyle(table).display === 'none' || table.closest('.visually-hidden')) continue;
    const box = table.parentElement;
    if (box !== null && table.scrollWidth > box.clientWidth + 1) {
      problems.push(`table ${table.getAttribute('data-testid') ?? table.className}: ${table.scrollWidth}px wide in a ${box.clientWidth}px box`);
    }
    for (const cell of table.querySelectorAll('th, td')) {
      const right = cell.getBoundingClientRect().right;
      if (right > pageWidth + 1) problems.push(`${where(cell)}: right edge ${Math.round(right)}px past the page's ${pageWidth}px`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------

// The two clients' warehouse, built once for the file; the tests that build again work on a copy.
const warehouse = new TestWarehouse();

beforeAll(async () => {
  const file = (name: string, text: string): string => warehouse.file(name, text);
  const shopify = file('orders_export.csv', SHOPIFY);
  await warehouse.import({ clientId: 'acme', platform: 'shopify', file: shopify, from: '2026-07-01', to: '2026-08-31' });
  await warehouse.import({ clientId: 'acme', platform: 'postscript', file: file('postscript.csv', POSTSCRIPT), from: '2026-07-01', to: '2026-08-31' });
  await warehouse.import({ clientId: 'acme', platform: 'klaviyo', file: file('klaviyo.csv', KLAVIYO) });
  await warehouse.import({ clientId: 'beta', platform: 'shopify', file: shopify, from: '2026-07-01', to: '2026-08-31' });
  await warehouse.import({ clientId: 'beta', platform: 'postscript', file: file('ps-july.csv', BETA_POSTSCRIPT_JULY), excludeViewOnly: true, from: '2026-07-01', to: '2026-07-25' });
  await warehouse.import({ clientId: 'beta', platform: 'postscript', file: file('ps-august.csv', BETA_POSTSCRIPT_AUGUST), from: '2026-08-01', to: '2026-08-31' });
  await warehouse.import({ clientId: 'beta', platform: 'klaviyo', file: file('klaviyo-beta.csv', BETA_KLAVIYO) });
  await warehouse.build();
});

afterAll(() => warehouse.cleanup());

describe('the report site in a browser', () => {
  const demoOut = tempDir('lasttouch-site-demo-');
  let two: Site;
  let demo: Site;
  let demoPages: Site;
  let sites: Site[];
  let browser: Browser | undefined;
  let noBrowser: unknown;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The demo as a user runs it: the CLI builds its warehouse and renders its site.
    const run = cli(['demo', '--out', demoOut]);
    expect(run.status, run.stderr).toBe(0);
    const demoDb = join(demoOut, 'demo.duckdb');

    const twoDir = join(warehouse.dir, 'site');
    await renderReports({ dbPath: warehouse.path, outDir: twoDir, pagesDir: EXAMPLES });
    const demoPagesDir = join(demoOut, 'with-pages');
    await renderReports({ dbPath: demoDb, outDir: demoPagesDir, pagesDir: EXAMPLES });

    const twoMarts = readMartsViaCli(warehouse.path);
    const demoMarts = readMartsViaCli(demoDb);
    two = { name: 'two-clients', dir: twoDir, db: warehouse.path, marts: twoMarts, pages: sitePages(twoMarts, true) };
    demo = { name: 'demo', dir: join(demoOut, 'reports'), db: demoDb, marts: demoMarts, pages: sitePages(demoMarts, false) };
    demoPages = { name: 'demo-pages', dir: demoPagesDir, db: demoDb, marts: demoMarts, pages: sitePages(demoMarts, true, ['user']) };
    sites = [two, demo, demoPages];

    try {
      browser = await launchChromium();
    } catch (error) {
      // No browser: every test below fails with the reason (a failing beforeAll would only mark them skipped).
      noBrowser = error;
    }
  });

  beforeEach(() => {
    if (noBrowser) throw noBrowser;
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(demoOut, { recursive: true, force: true });
  });

  /** A fresh page (own context) with a listener for everything a page must not do. */
  async function newPage(width = 1280, height = 900): Promise<{ page: Page; problems: string[]; requests: string[] }> {
    if (browser === undefined) throw new Error('no browser');
    const page = await browser.newPage({ viewport: { width, height } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`dialog on ${page.url()}: ${dialog.type()} ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('requestfailed', (request) => problems.push(`request failed on ${page.url()}: ${request.url()}`));
    page.on('request', (request) => requests.push(request.url()));
    return { page, problems, requests };
  }

  async function visit(page: Page, site: Site, sitePage: SitePage): Promise<void> {
    expect(existsSync(join(site.dir, sitePage.path)), `${site.name} ${sitePage.path} exists`).toBe(true);
    await page.goto(url(site, sitePage), { waitUntil: 'load' });
  }

  const monthPages = (site: Site): SitePage[] => site.pages.filter((page) => page.kind === 'month');

  it('publishes every page the marts call for, and no other page', () => {
    for (const site of [two, demo]) {
      const expected = site.pages.map((page) => page.path).sort();
      const published = filesUnder(site.dir).filter((name) => name.endsWith('.html'));
      expect(published, site.name).toEqual(expected);
    }
    expect(two.pages.filter((page) => page.kind === 'month').map((page) => page.path)).toEqual([
      'acme/2026-07.html', 'acme/2026-08.html', 'beta/2026-07.html', 'beta/2026-08.html',
    ]);
    expect(filesUnder(demoPages.dir).filter((name) => name.endsWith('-sms.html')).length).toBe(demoPages.pages.length);
    expect(demoPages.pages.length).toBeGreaterThan(0);
  });

  it('shows the hand-computed figures of acme in July 2026 in their cells', async () => {
    const { page, problems } = await newPage();
    await visit(page, two, { path: 'acme/2026-07.html', kind: 'month', client: 'acme', month: '2026-07' });
    const dom = await page.evaluate(readMonthDom);
    const row = (channel: string, platform: string): Record<string, string> =>
      dom.revenue.find((line) => line.channel === channel && line.platform === platform)?.cells ?? {};
    expect(row('SMS', 'Postscript')).toMatchObject({
      'platform-revenue': 'USD 1,325.75', 'last-touch-revenue': 'USD 125.75', 'double-attribution-removed': 'USD 1,200.00',
      'claimed-orders': '3', 'last-touch-orders': '2',
    });
    expect(row('Email', 'Klaviyo')).toMatchObject({
      'platform-revenue': 'USD 1,280.50', 'last-touch-revenue': 'USD 1,200.00', 'double-attribution-removed': 'USD 80.50',
      'claimed-orders': '2', 'last-touch-orders': '1',
    });
    expect(dom.totals.map((line) => line.cells)).toEqual([expect.objectContaining({
      'total-platform-revenue': 'USD 2,606.25', 'total-last-touch-revenue': 'USD 1,325.75', 'total-double-attribution-removed': 'USD 1,280.50',
      'total-claimed-orders': '5', 'total-last-touch-orders': '3',
    })]);
    expect(dom.store.map((line) => line.cells)).toEqual([{
      'store-orders': '3', 'store-revenue': 'USD 1,580.50', 'refunded-revenue': 'USD 10.00', 'attributed-revenue': 'USD 1,325.75',
      'attributed-store-revenue': 'USD 1,280.50', 'attributed-outside-store-revenue': 'USD 45.25', 'attributed-share': '81.0%',
    }]);
    // SMS (seed sort order 1) before Email (2); acme includes view-only claims, so no View-Only Excluded column.
    expect(dom.revenue.map((line) => `${line.channel}/${line.platform}`)).toEqual(['SMS/Postscript', 'SMS total/all platforms', 'Email/Klaviyo', 'Email total/all platforms']);
    expect(dom.viewOnlyHeading).toBe(false);
    // No source of these figures tracks engagement: no Sends and Clicks columns, a note says so instead.
    expect(await page.getByTestId('sends').count()).toBe(0);
    expect(await page.getByTestId('revenue-only').innerText()).toContain('report revenue only');
    expect(await page.getByTestId('client-settings').innerText()).toMatch(/flat[\s\S]*included[\s\S]*UTC[\s\S]*USD/);
    expect(await page.getByTestId('as-of').innerText()).toMatch(/^Figures as of build 1, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\.$/);
    expect(await page.getByTestId('how-to-read').innerText()).toContain('Platform Revenue = Last-Touch Revenue + Double Attribution Removal');
    // The findings beside the figures: #1003 is claimed but cancelled in Shopify.
    const finding = page.getByTestId('month-data-quality').getByTestId('dq-row').filter({ hasText: 'claims on cancelled orders' });
    expect(await finding.getByTestId('dq-severity').innerText()).toBe('info');
    expect(await finding.getByTestId('dq-affected-rows').innerText()).toBe('1');

    await visit(page, two, { path: 'beta/2026-07.html', kind: 'month', client: 'beta', month: '2026-07' });
    const beta = await page.evaluate(readMonthDom);
    expect(beta.viewOnlyHeading).toBe(true);
    expect(beta.revenue.find((line) => line.channel === 'SMS' && line.platform === 'Postscript')?.cells).toMatchObject({
      'platform-revenue': 'USD 1,325.75', 'last-touch-revenue': 'USD 45.25', 'double-attribution-removed': 'USD 1,200.00', 'view-only-excluded': 'USD 80.50',
    });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows on every month page exactly the figures `lasttouch query` reads from the marts', async () => {
    const { page, problems } = await newPage();
    for (const site of [two, demo]) {
      const { marts } = site;
      for (const sitePage of monthPages(site)) {
        const client = sitePage.client ?? '';
        const month = sitePage.month ?? '';
        const label = `${site.name} ${sitePage.path}`;
        await visit(page, site, sitePage);
        const dom = await page.evaluate(readMonthDom);
        const revenue = of(marts.revenue, client, month);
        const viewOnly = dom.viewOnlyHeading;

        // Every platform row once, with the mart row's figures.
        const lines = dom.revenue.filter((line) => line.kind === 'revenue-row');
        expect(lines.map((line) => `${line.currency}|${line.channel}|${line.platform}`).sort(), label).toEqual(
          revenue.map((row) => `${String(row.currency)}|${String(row.channel)}|${String(row.platform)}`).sort(),
        );
        for (const row of revenue) {
          const currency = String(row.currency);
          const line = lines.find((item) => item.currency === currency && item.channel === row.channel && item.platform === row.platform);
          const expected: Record<string, string> = {
            'platform-revenue': money(currency, cents(row.platform_revenue)),
            'last-touch-revenue': money(currency, cents(row.last_touch_revenue)),
            'double-attribution-removed': money(currency, cents(row.removed)),
            'claimed-orders': count(row.platform_orders),
            'last-touch-orders': count(row.last_touch_orders),
          };
          if (viewOnly) expected['view-only-excluded'] = money(currency, cents(row.view_only));
          expect(line?.cells, `${label} ${currency} ${String(row.channel)} ${String(row.platform)}`).toMatchObject(expected);
        }
        // A View-Only Excluded column whenever the month has view-only revenue left out.
        if (revenue.some((row) => cents(row.view_only) !== 0n)) expect(viewOnly, `${label} view-only column`).toBe(true);

        // One total row per currency: the sum of the mart rows in that currency.
        const totals = sumBy(revenue, (row) => String(row.currency), ['platform_revenue', 'last_touch_revenue', 'removed', 'view_only'], ['platform_orders', 'last_touch_orders']);
        expect(dom.totals.map((line) => line.currency).sort(), `${label} total rows`).toEqual([...totals.keys()].sort());
        for (const [currency, sum] of totals) {
          const expected: Record<string, string> = {
            'total-platform-revenue': money(currency, sum.platform_revenue ?? 0n),
            'total-last-touch-revenue': money(currency, sum.last_touch_revenue ?? 0n),
            'total-double-attribution-removed': money(currency, sum.removed ?? 0n),
            'total-claimed-orders': count(sum.platform_orders),
            'total-last-touch-orders': count(sum.last_touch_orders),
          };
          if (viewOnly) expected['total-view-only-excluded'] = money(currency, sum.view_only ?? 0n);
          expect(dom.totals.find((line) => line.currency === currency)?.cells, `${label} total ${currency}`).toMatchObject(expected);
        }

        // The store table: one row per currency of marts.store_summary.
        const store = of(marts.store, client, month);
        expect(dom.store.map((line) => line.currency).sort(), `${label} store rows`).toEqual(store.map((row) => String(row.currency)).sort());
        for (const row of store) {
          const currency = String(row.currency);
          const cells = dom.store.find((line) => line.currency === currency)?.cells ?? {};
          const shopify = row.store_revenue !== null;
          expect(cells, `${label} store ${currency}`).toMatchObject({
            'store-orders': row.store_orders === null ? '—' : count(row.store_orders),
            'store-revenue': shopify ? money(currency, cents(row.store_revenue)) : 'no Shopify data',
            'refunded-revenue': row.refunded_revenue === null ? '—' : money(currency, cents(row.refunded_revenue)),
            'attributed-revenue': money(currency, cents(row.attributed_revenue)),
            'attributed-store-revenue': money(currency, cents(row.attributed_store_revenue)),
            'attributed-outside-store-revenue': money(currency, cents(row.attributed_outside_store_revenue)),
          });
          const share = cells['attributed-share'] ?? '';
          if (row.attributed_share === null) {
            expect(share, `${label} store ${currency} share`).toBe(shopify ? 'n/a' : 'no Shopify data');
          } else {
            expect(share, `${label} store ${currency} share`).toMatch(/^-?[\d,]+\.\d%$/);
            expect(Math.abs(Number(share.replace(/[,%]/g, '')) - Number(row.attributed_share) * 100), `${label} share ${share}`).toBeLessThanOrEqual(0.05 + 1e-9);
          }
        }

        // Top messages: marts.message_revenue summed per message; the ten best by last-touch revenue, in order.
        const messageRows = of(marts.messages, client, month);
        const byMessage = sumBy(messageRows, (row) => JSON.stringify([row.currency, row.platform, row.channel, row.message_id]), ['platform_revenue', 'last_touch_revenue'], ['last_touch_orders']);
        const currencies = [...new Set(messageRows.map((row) => String(row.currency)))].sort();
        expect([...new Set(dom.messages.map((line) => line.currency))].sort(), `${label} message tables`).toEqual(currencies);
        for (const currency of currencies) {
          const shown = dom.messages.filter((line) => line.currency === currency);
          const all = [...byMessage].filter(([key]) => JSON.parse(key)[0] === currency);
          expect(shown.length, `${label} ${currency} messages`).toBe(Math.min(10, all.length));
          expect(shown.map((line) => line.rank), `${label} ranks`).toEqual(shown.map((_, index) => String(index + 1)));
          const seen = new Set<string>();
          for (const line of shown) {
            const messageId = line.title === null ? null : line.title.replace(/^message id /, '');
            const key = JSON.stringify([currency, line.platform, line.channel, messageId]);
            const sum = byMessage.get(key);
            expect(sum, `${label} message ${key} in the marts`).toBeDefined();
            seen.add(key);
            expect({ lt: line.lt, pr: line.pr, orders: line.orders }, `${label} message ${key}`).toEqual({
              lt: money(currency, sum?.last_touch_revenue ?? 0n), pr: money(currency, sum?.platform_revenue ?? 0n), orders: count(sum?.last_touch_orders),
            });
            const names = new Set(messageRows.filter((row) => row.currency === currency && row.platform === line.platform && row.channel === line.channel && row.message_id === messageId && row.message_name !== null).map((row) => String(row.message_name)));
            if (names.size > 0) expect([...names], `${label} message ${key} name`).toContain(line.name);
            else expect(line.name, `${label} message ${key} name`).toBe(messageId ?? '(no message named in the export)');
          }
          const shownRevenue = shown.map((line) => parseMoney(line.lt).amount);
          for (let index = 1; index < shownRevenue.length; index++) {
            expect((shownRevenue[index] ?? 0n) <= (shownRevenue[index - 1] ?? 0n), `${label} messages in order`).toBe(true);
          }
          const lowest = shownRevenue.at(-1) ?? 0n;
          for (const [key, sum] of all) {
            if (!seen.has(key)) expect((sum.last_touch_revenue ?? 0n) <= lowest, `${label} ${key} left out of the top ten`).toBe(true);
          }
        }

        // Touch types: the same rows summed per touch type.
        const byTouch = sumBy(messageRows, (row) => `${String(row.currency)}|${String(row.touch_type)}`, ['platform_revenue', 'last_touch_revenue'], ['last_touch_orders']);
        expect(dom.touch.map((line) => `${line.currency}|${line.type}`).sort(), `${label} touch types`).toEqual([...byTouch.keys()].sort());
        for (const line of dom.touch) {
          const sum = byTouch.get(`${line.currency}|${line.type}`);
          expect({ lt: line.lt, orders: line.orders, pr: line.pr }, `${label} touch ${line.type}`).toEqual({
            lt: money(line.currency, sum?.last_touch_revenue ?? 0n), orders: count(sum?.last_touch_orders), pr: money(line.currency, sum?.platform_revenue ?? 0n),
          });
        }
      }
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it('shows on the index and the overview the figures of the marts', async () => {
    const { page, problems } = await newPage();
    for (const site of [two, demo]) {
      const { marts } = site;
      await visit(page, site, { path: 'index.html', kind: 'index', client: null, month: null });
      const index = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="index-row"]')].map((row) => ({
          client: row.getAttribute('data-client') ?? '',
          currency: row.getAttribute('data-currency') ?? '',
          month: (row.querySelector('[data-testid="index-month"]')?.textContent ?? '').trim(),
          channels: [...row.querySelectorAll('[data-testid="index-channel"]')].map((cell) => ({
            lt: (cell.firstChild?.textContent ?? '').trim(),
            claimed: (cell.querySelector('.claimed')?.textContent ?? '').trim(),
          })),
          cells: Object.fromEntries([...row.querySelectorAll('[data-testid]')].map((cell) => [cell.getAttribute('data-testid') ?? '', (cell.textContent ?? '').trim()])),
          headings: [...document.querySelectorAll('[data-testid="index-channel-heading"]')].map((th) => (th.textContent ?? '').trim()),
        })),
      );
      expect(index.map((row) => row.client), site.name).toEqual([...marts.clients.keys()]);
      for (const row of index) {
        const currency = chartCurrency(marts, row.client);
        expect(row.currency, `${site.name} ${row.client} currency`).toBe(currency);
        const months = [...new Set(of(marts.revenue, row.client).map((item) => String(item.month)))].sort();
        const headline = months.at(-1) ?? monthsOf(marts, row.client).at(-1) ?? '';
        expect(row.month, `${site.name} ${row.client} headline month`).toBe(monthTitle(headline));
        const revenue = of(marts.revenue, row.client, headline).filter((item) => item.currency === currency);
        const channels = sumBy(revenue, (item) => String(item.channel), ['platform_revenue', 'last_touch_revenue']);
        expect(row.channels.length, `${site.name} ${row.client} channel cells`).toBe(row.headings.length);
        row.headings.forEach((heading, position) => {
          const sum = channels.get(heading.replace(/ \(Last-Touch\)$/, ''));
          expect(row.channels[position], `${site.name} ${row.client} ${heading}`).toEqual(
            sum === undefined ? { lt: '—', claimed: '' } : { lt: money(currency, sum.last_touch_revenue ?? 0n), claimed: `claimed ${money(currency, sum.platform_revenue ?? 0n)}` },
          );
        });
        const total = sumBy(revenue, () => 'all', ['platform_revenue', 'last_touch_revenue', 'removed']).get('all');
        expect(row.cells, `${site.name} ${row.client} index totals`).toMatchObject({
          'index-last-touch-revenue': money(currency, total?.last_touch_revenue ?? 0n),
          'index-platform-revenue': money(currency, total?.platform_revenue ?? 0n),
          'index-double-attribution-removed': money(currency, total?.removed ?? 0n),
        });
        const store = of(marts.store, row.client, headline).find((item) => item.currency === currency);
        expect(row.cells['index-store-revenue'], `${site.name} ${row.client} store revenue`).toBe(
          store === undefined || store.store_revenue === null ? 'no Shopify data' : money(currency, cents(store.store_revenue)),
        );
      }

      for (const client of marts.clients.keys()) {
        await visit(page, site, { path: `${client}.html`, kind: 'overview', client, month: null });
        const shown = await page.evaluate(() =>
          [...document.querySelectorAll('[data-testid="month-row"]')].map((row) => ({
            key: `${row.getAttribute('data-month') ?? ''}|${row.getAttribute('data-currency') ?? ''}`,
            href: row.querySelector('a')?.getAttribute('href') ?? '',
            cells: Object.fromEntries([...row.querySelectorAll('[data-testid]')].map((cell) => [cell.getAttribute('data-testid') ?? '', (cell.textContent ?? '').trim()])),
          })),
        );
        const keys = [...new Set([...of(marts.revenue, client), ...of(marts.store, client)].map((row) => `${String(row.month)}|${String(row.currency)}`))];
        expect(shown.map((row) => row.key).sort(), `${site.name} ${client} overview months`).toEqual(keys.sort());
        const totals = sumBy(of(marts.revenue, client), (row) => `${String(row.month)}|${String(row.currency)}`, ['platform_revenue', 'last_touch_revenue', 'removed']);
        for (const row of shown) {
          const [month = '', currency = ''] = row.key.split('|');
          const total = totals.get(row.key);
          const store = of(marts.store, client, month).find((item) => item.currency === currency);
          expect(row.href, `${site.name} ${client} ${row.key} link`).toBe(`${client}/${month}.html`);
          expect(row.cells, `${site.name} ${client} ${row.key}`).toMatchObject({
            'month-platform-revenue': money(currency, total?.platform_revenue ?? 0n),
            'month-last-touch-revenue': money(currency, total?.last_touch_revenue ?? 0n),
            'month-double-attribution-removed': money(currency, total?.removed ?? 0n),
            'month-store-revenue': store === undefined || store.store_revenue === null ? 'no Shopify data' : money(currency, cents(store.store_revenue)),
          });
        }
      }
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it("adds up each channel's platform rows in its subtotal row, and shows the subtotals on the channel cards", async () => {
    const { page, problems } = await newPage();
    let subtotals = 0;
    for (const site of [two, demo]) {
      for (const sitePage of monthPages(site)) {
        const label = `${site.name} ${sitePage.path}`;
        await visit(page, site, sitePage);
        const dom = await page.evaluate(readMonthDom);
        const fields = ['platform-revenue', 'last-touch-revenue', 'double-attribution-removed', 'view-only-excluded'];
        const orderFields = ['claimed-orders', 'last-touch-orders'];
        // Rows in order: each channel's platform rows, then its subtotal.
        let pending: Cells[] = [];
        for (const line of dom.revenue) {
          if (line.kind === 'revenue-row') {
            pending.push(line);
            continue;
          }
          expect(line.kind, label).toBe('subtotal-row');
          subtotals += 1;
          const channel = line.channel.replace(/ total$/, '');
          expect(line.platform, label).toBe('all platforms');
          expect(pending.length, `${label} ${channel}: platform rows before its subtotal`).toBeGreaterThan(0);
          expect(pending.every((item) => item.channel === channel && item.currency === line.currency), `${label} ${channel} rows`).toBe(true);
          for (const field of fields) {
            if (line.cells[field] === undefined) continue;
            const sum = pending.reduce((total, item) => total + parseMoney(item.cells[field] ?? '').amount, 0n);
            expect(parseMoney(line.cells[field] ?? ''), `${label} ${line.currency} ${channel} ${field}`).toEqual({ currency: line.currency, amount: sum });
          }
          for (const field of orderFields) {
            const sum = pending.reduce((total, item) => total + parseCount(item.cells[field] ?? ''), 0);
            expect(parseCount(line.cells[field] ?? ''), `${label} ${line.currency} ${channel} ${field}`).toBe(sum);
          }
          // Its channel card: the same three figures.
          const card = dom.cards.find((item) => item.channel === channel && item.currency === line.currency);
          expect(card?.cells, `${label} card ${line.currency} ${channel}`).toEqual({
            'channel-last-touch': line.cells['last-touch-revenue'],
            'channel-platform': line.cells['platform-revenue'],
            'channel-removed': line.cells['double-attribution-removed'],
          });
          pending = [];
        }
        expect(pending, `${label}: platform rows after the last subtotal`).toEqual([]);
        expect(dom.cards.length, `${label} one card per subtotal`).toBe(dom.revenue.filter((line) => line.kind === 'subtotal-row').length);
        // The totals are the subtotals added up.
        for (const total of dom.totals) {
          const rowsOf = dom.revenue.filter((line) => line.kind === 'subtotal-row' && line.currency === total.currency);
          const sum = rowsOf.reduce((acc, line) => acc + parseMoney(line.cells['last-touch-revenue'] ?? '').amount, 0n);
          expect(parseMoney(total.cells['total-last-touch-revenue'] ?? '').amount, `${label} total ${total.currency}`).toBe(sum);
        }
      }
    }
    expect(subtotals).toBeGreaterThan(4);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('draws every chart with one mark per datum: month, overview, index and coverage', async () => {
    const { page, problems } = await newPage();
    const check = (label: string, chart: ChartMarks | undefined, selector: 'rects' | 'lines', expected: number): void => {
      expect(chart, `${label}: chart present`).toBeDefined();
      expect({ marks: chart?.marks, drawn: chart?.[selector] }, `${label}: data-marks and drawn marks`).toEqual({ marks: expected, drawn: expected });
      expect(chart?.title, `${label} title`).not.toBe('');
      expect(chart?.desc, `${label} desc`).not.toBe('');
    };
    for (const site of [two, demo]) {
      const { marts } = site;
      for (const client of marts.clients.keys()) {
        const months = monthsOf(marts, client);
        const recent = new Set(months.slice(-12));
        const currency = chartCurrency(marts, client);

        // Month pages: one bar per (day, channel) with last-touch revenue, a chart per currency.
        for (const month of months) {
          await visit(page, site, { path: `${client}/${month}.html`, kind: 'month', client, month });
          const charts = await page.evaluate(readCharts);
          const daily = sumBy(of(marts.messages, client, month), (row) => `${String(row.currency)}|${String(row.day)}|${String(row.channel)}`, ['last_touch_revenue']);
          const perCurrency = new Map<string, number>();
          for (const [key, sum] of daily) {
            const cur = key.split('|')[0] ?? '';
            if (!perCurrency.has(cur)) perCurrency.set(cur, 0);
            if ((sum.last_touch_revenue ?? 0n) !== 0n) perCurrency.set(cur, (perCurrency.get(cur) ?? 0) + 1);
          }
          const withRevenue = [...perCurrency].filter(([, marks]) => marks > 0);
          const dailyCharts = charts.filter((chart) => chart.id.startsWith('daily-'));
          expect(dailyCharts.length, `${site.name} ${client} ${month} daily charts`).toBe(withRevenue.length);
          for (const [cur, marks] of withRevenue) {
            check(`${site.name} ${client} ${month} daily ${cur}`, dailyCharts.find((chart) => chart.desc.includes(` in ${cur}, `)), 'rects', marks);
          }
        }

        // Overview: four charts over the last twelve months in the chart currency.
        await visit(page, site, { path: `${client}.html`, kind: 'overview', client, month: null });
        const overview = await page.evaluate(readCharts);
        const revenue = of(marts.revenue, client).filter((row) => row.currency === currency && recent.has(String(row.month)));
        const store = of(marts.store, client).filter((row) => row.currency === currency && recent.has(String(row.month)) && row.store_revenue !== null);
        const nonZero = (sums: Map<string, Record<string, bigint>>, field: string): number => [...sums.values()].filter((sum) => (sum[field] ?? 0n) !== 0n).length;
        const label = `${site.name} ${client} overview`;
        check(`${label} comparison`, overview.find((chart) => chart.id === 'trend-comparison'), 'lines', (revenue.length > 0 ? 2 : 0) + (store.length > 0 ? 1 : 0));
        check(`${label} channels`, overview.find((chart) => chart.id === 'trend-channels'), 'rects',
          nonZero(sumBy(revenue, (row) => `${String(row.month)}|${String(row.channel)}`, ['last_touch_revenue']), 'last_touch_revenue'));
        check(`${label} platforms`, overview.find((chart) => chart.id === 'trend-platforms'), 'rects',
          nonZero(sumBy(revenue, (row) => `${String(row.month)}|${String(row.platform)}`, ['last_touch_revenue']), 'last_touch_revenue'));
        const perMonth = sumBy(revenue, (row) => String(row.month), ['platform_revenue', 'removed']);
        const removedBars = [...perMonth.values()].filter((sum) => {
          const platform = Number(sum.platform_revenue ?? 0n);
          return platform !== 0 && Math.abs(Math.round((Number(sum.removed ?? 0n) * 1000) / platform)) >= 1;
        }).length;
        check(`${label} double attribution`, overview.find((chart) => chart.id === 'trend-double-attribution'), 'rects', removedBars);
        expect(overview.length, `${label} chart count`).toBe(4);

        // Coverage: one bar per upload with a window, and one per gap.
        await visit(page, site, { path: `${client}/coverage.html`, kind: 'coverage', client, month: null });
        const coverage = await page.evaluate(readCharts);
        const uploads = of(marts.uploads, client);
        const gaps = of(marts.gaps, client);
        check(`${site.name} ${client} coverage`, coverage.find((chart) => chart.id === 'coverage'), 'rects', uploads.filter((row) => row.has_window === true).length + gaps.length);
        expect(await page.getByTestId('upload-row').count(), `${site.name} ${client} upload rows`).toBe(uploads.length);
        expect(await page.getByTestId('gap-row').count(), `${site.name} ${client} gap rows`).toBe(gaps.length);
      }

      // Index: a sparkline per client, one line per channel with claims in the chart currency.
      await visit(page, site, { path: 'index.html', kind: 'index', client: null, month: null });
      const sparks = await page.evaluate(readCharts);
      expect(sparks.length, `${site.name} sparklines`).toBe(marts.clients.size);
      for (const client of marts.clients.keys()) {
        const recent = new Set(monthsOf(marts, client).slice(-12));
        const currency = chartCurrency(marts, client);
        const channels = new Set(of(marts.revenue, client).filter((row) => row.currency === currency && recent.has(String(row.month))).map((row) => String(row.channel)));
        check(`${site.name} ${client} sparkline`, sparks.find((chart) => chart.id === `trend-${client}`), 'lines', channels.size);
      }
    }
    // Something was drawn: the two-client site has a coverage gap (beta's Postscript, July 26-31).
    expect(two.marts.gaps.length).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  /** Every SMS user page (reports/examples/sms.hbs) of both sites, with the marts' SMS rows of its month. */
  async function eachUserPage(check: (page: Page, label: string, sms: Row[], site: Site, sitePage: SitePage) => Promise<void>): Promise<void> {
    const { page, problems } = await newPage();
    let checked = 0;
    for (const site of [two, demoPages]) {
      for (const sitePage of site.pages.filter((item) => item.kind === 'user')) {
        await visit(page, site, sitePage);
        const sms = of(site.marts.revenue, sitePage.client ?? '', sitePage.month ?? '').filter((row) => row.channel === 'SMS');
        await check(page, `${site.name} ${sitePage.path}`, sms, site, sitePage);
        checked += 1;
      }
    }
    expect(checked).toBe(4 + demoPages.pages.length);
    expect(problems).toEqual([]);
    await page.close();
  }

  const SMS_SUMS = ['platform_revenue', 'last_touch_revenue', 'removed'] as const;

  it('renders the user page of reports/examples for every client and month, with its chart and SMS card', async () => {
    await eachUserPage(async (page, label, sms, site, sitePage) => {
      // Its chart: a bar per day and platform with SMS last-touch revenue.
      const charts = await page.evaluate(readCharts);
      const days = sumBy(of(site.marts.messages, sitePage.client ?? '', sitePage.month ?? '').filter((row) => row.channel_code === 'sms'), (row) => `${String(row.day)}|${String(row.platform)}`, ['last_touch_revenue']);
      const bars = [...days.values()].filter((sum) => (sum.last_touch_revenue ?? 0n) !== 0n).length;
      const chart = charts.find((item) => item.id === 'sms-daily');
      expect(chart, `${label} chart`).toBeDefined();
      expect({ marks: chart?.marks, drawn: chart?.rects }, `${label} chart marks`).toEqual({ marks: bars, drawn: bars });
      // The built-in partial on it: the month page's SMS card, one per currency, with the SMS sums.
      const cards = await page.getByTestId('channel-card').evaluateAll((items) =>
        items.map((item) => ({
          currency: item.getAttribute('data-currency') ?? '',
          lt: (item.querySelector('[data-testid="channel-last-touch"]')?.textContent ?? '').trim(),
          pr: (item.querySelector('[data-testid="channel-platform"]')?.textContent ?? '').trim(),
          removed: (item.querySelector('[data-testid="channel-removed"]')?.textContent ?? '').trim(),
        })),
      );
      const perCurrency = sumBy(sms, (row) => String(row.currency), [...SMS_SUMS]);
      expect(cards.sort((x, y) => x.currency.localeCompare(y.currency)), `${label} SMS cards`).toEqual(
        [...perCurrency].sort((x, y) => x[0].localeCompare(y[0])).map(([currency, sum]) => ({
          currency, lt: money(currency, sum.last_touch_revenue ?? 0n), pr: money(currency, sum.platform_revenue ?? 0n), removed: money(currency, sum.removed ?? 0n),
        })),
      );
    });
  }, 120_000);

  it("shows on the user page each SMS platform's figures and the channel's total (\"All SMS\") as the marts have them", async () => {
    await eachUserPage(async (page, label, sms) => {
      const shown = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="sms-row"]')].map((row) => ({
          key: `${row.getAttribute('data-currency') ?? ''}|${row.getAttribute('data-platform') ?? ''}`,
          total: row.classList.contains('subtotal'),
          cells: [...row.children].map((cell) => (cell.textContent ?? '').trim()),
        })),
      );
      const perPlatform = sumBy(sms, (row) => `${String(row.currency)}|${String(row.platform)}`, [...SMS_SUMS], ['last_touch_orders']);
      const perCurrency = sumBy(sms, (row) => `${String(row.currency)}|All SMS`, [...SMS_SUMS], ['last_touch_orders']);
      const expected = [...perPlatform, ...perCurrency].map(([key, sum]) => {
        const [currency = '', platform = ''] = key.split('|');
        return {
          key,
          total: platform === 'All SMS',
          cells: [platform, money(currency, sum.platform_revenue ?? 0n), money(currency, sum.last_touch_revenue ?? 0n), money(currency, sum.removed ?? 0n), count(sum.last_touch_orders)],
        };
      });
      const byKey = (x: { key: string }, y: { key: string }): number => x.key.localeCompare(y.key);
      expect([...shown].sort(byKey), label).toEqual(expected.sort(byKey));
    });
  }, 120_000);

  it('requests nothing from outside the page folder and logs no error, on every page', async () => {
    let visited = 0;
    for (const site of sites) {
      for (const sitePage of site.pages) {
        const { page, problems, requests } = await newPage();
        await visit(page, site, sitePage);
        const folder = dirname(join(site.dir, sitePage.path));
        const outside = requests.filter((request) => {
          if (request.startsWith('data:')) return false;
          if (!request.startsWith('file:')) return true;
          const path = fileURLToPath(request);
          return relative(folder, path).startsWith('..') || !path.startsWith(site.dir);
        });
        expect(outside, `${site.name} ${sitePage.path} requests`).toEqual([]);
        expect(requests[0], `${site.name} ${sitePage.path} loads itself`).toBe(url(site, sitePage));
        expect(problems, `${site.name} ${sitePage.path}`).toEqual([]);
        visited += 1;
        await page.close();
      }
    }
    expect(visited).toBe(two.pages.length + demo.pages.length + demoPages.pages.length);
  }, 180_000);

  const printGroups: { label: string; kinds: Kind[] }[] = [
    { label: 'the index', kinds: ['index'] },
    { label: 'the overview, month, coverage and user pages', kinds: ['overview', 'month', 'coverage', 'user'] },
  ];
  for (const paper of [{ name: 'A4', width: 794 }, { name: 'Letter', width: 816 }]) {
    for (const group of printGroups) {
      it(`prints ${group.label} on ${paper.name} (${paper.width}px) with whole tables: no cell loses its table layout, no column cut off`, async () => {
        const { page, problems: errors } = await newPage(paper.width, 1123);
        await page.emulateMedia({ media: 'print' });
        const problems: string[] = [];
        let tables = 0;
        for (const site of sites) {
          for (const sitePage of site.pages.filter((item) => group.kinds.includes(item.kind))) {
            await visit(page, site, sitePage);
            expect(await page.evaluate(() => matchMedia('print').matches)).toBe(true);
            tables += await page.locator('table').count();
            problems.push(...(await page.evaluate(printProblems)).map((problem) => `${site.name} ${sitePage.path}: ${problem}`));
          }
        }
        expect(tables).toBeGreaterThanOrEqual(group.kinds.length === 1 ? 2 : 20);
        expect(problems).toEqual([]);
        expect(errors).toEqual([]);
        await page.close();
      }, 180_000);
    }
  }

  it('never scrolls a month page sideways on a 390px phone: its wide tables scroll inside their wrappers', async () => {
    const { page, problems } = await newPage(390, 844);
    for (const site of [two, demo]) {
      for (const sitePage of monthPages(site)) {
        await visit(page, site, sitePage);
        const layout = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          wrappers: [...document.querySelectorAll('.table-wrap')].map((wrap) => ({ scroll: wrap.scrollWidth, client: wrap.clientWidth })),
        }));
        expect(layout.scrollWidth, `${site.name} ${sitePage.path} page width`).toBeLessThanOrEqual(390);
        expect(layout.wrappers.some((wrap) => wrap.scroll > wrap.client), `${site.name} ${sitePage.path}: a table scrolls in its wrapper`).toBe(true);
      }
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('never scrolls the other pages sideways on a 390px phone either', async () => {
    const { page, problems } = await newPage(390, 844);
    const wide: string[] = [];
    for (const site of sites) {
      for (const sitePage of site.pages.filter((item) => item.kind !== 'month')) {
        await visit(page, site, sitePage);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 390) wide.push(`${site.name} ${sitePage.path}: ${width}px`);
      }
    }
    expect(wide).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('shows a message named <script>alert(1)</script> as text, and no page has a script or opens a dialog', async () => {
    const { page, problems } = await newPage();
    let shownAsText = 0;
    for (const site of sites) {
      for (const sitePage of site.pages) {
        await visit(page, site, sitePage);
        expect(await page.evaluate(() => document.querySelectorAll('script').length), `${site.name} ${sitePage.path} scripts`).toBe(0);
        if (site === two && sitePage.path === 'beta/2026-07.html') {
          const names = await page.getByTestId('message-name').evaluateAll((cells) => cells.map((cell) => cell.textContent ?? ''));
          expect(names.filter((name) => name === XSS), `${sitePage.path} message names`).toHaveLength(3);
          shownAsText += 1;
        }
      }
    }
    // beta's July names it, in Postscript (ps-2, ps-3) and in Klaviyo (k-2).
    expect(shownAsText).toBe(1);
    const named = two.marts.messages.filter((row) => row.message_name === XSS).map((row) => `${String(row.platform)} ${String(row.message_id)}`);
    expect([...new Set(named)].sort()).toEqual(['Klaviyo k-2', 'Postscript ps-2', 'Postscript ps-3']);
    const raw = readFileSync(join(two.dir, 'beta', '2026-07.html'), 'utf8');
    expect(raw).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(raw).not.toContain(XSS);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('saves a screenshot of every page type under test/artifacts/', async () => {
    const saved: string[] = [];
    for (const site of [two, demo]) {
      const client = site.marts.clients.keys().next().value ?? '';
      const month = monthsOf(site.marts, client).find((item) => of(site.marts.revenue, client, item).length > 0) ?? '';
      const shots: { name: string; page: SitePage; width?: number; print?: boolean }[] = [
        { name: 'index', page: { path: 'index.html', kind: 'index', client: null, month: null } },
        { name: 'overview', page: { path: `${client}.html`, kind: 'overview', client, month: null } },
        { name: 'month', page: { path: `${client}/${month}.html`, kind: 'month', client, month } },
        { name: 'coverage', page: { path: `${client}/coverage.html`, kind: 'coverage', client, month: null } },
        { name: 'month-print-a4', page: { path: `${client}/${month}.html`, kind: 'month', client, month }, width: 794, print: true },
        { name: 'month-phone-390', page: { path: `${client}/${month}.html`, kind: 'month', client, month }, width: 390 },
      ];
      const userSite = site === two ? two : demoPages;
      const userPage = userSite.pages.find((item) => item.kind === 'user' && item.month === month);
      if (userPage !== undefined) shots.push({ name: 'user-sms', page: userPage });
      for (const shot of shots) {
        const { page, problems } = await newPage(shot.width ?? 1280, 900);
        if (shot.print === true) await page.emulateMedia({ media: 'print' });
        await visit(page, shot.name === 'user-sms' ? userSite : site, shot.page);
        const path = join(ARTIFACTS, `${site.name}-${shot.name}.png`);
        rmSync(path, { force: true });
        await page.screenshot({ path, fullPage: true });
        const png = readFileSync(path);
        expect(png.subarray(1, 4).toString('latin1'), path).toBe('PNG');
        expect(png.length, path).toBeGreaterThan(5_000);
        expect(problems).toEqual([]);
        saved.push(basename(path));
        await page.close();
      }
    }
    expect(saved).toHaveLength(14);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------------
// Rendering part of a site, and failing: no browser needed, the files are compared byte for byte.

describe('re-rendering part of the site, and a broken user page', () => {
  // A copy of the two clients' warehouse: builds here must not change the figures the browser tests read.
  const copy = new TestWarehouse();

  beforeAll(() => {
    for (const suffix of ['', '.wal']) {
      if (existsSync(warehouse.path + suffix)) cpSync(warehouse.path + suffix, copy.path + suffix);
    }
  });

  afterAll(() => copy.cleanup());

  const changed = (before: Map<string, Buffer>, after: Map<string, Buffer>): string[] =>
    [...after.keys()].filter((name) => !before.get(name)?.equals(after.get(name) ?? Buffer.alloc(0))).sort();
  const asOf = (dir: string, name: string): string => /Figures as of build (\d+)/.exec(readFileSync(join(dir, name), 'utf8'))?.[1] ?? 'none';

  it('re-renders one client, then one month, then one month of one client, and keeps every other page byte for byte', async () => {
    const out = join(copy.dir, 'site');
    await renderReports({ dbPath: copy.path, outDir: out, pagesDir: EXAMPLES });
    const full = snapshot(out);
    const names = [...full.keys()];
    expect(names).toEqual([
      '.lasttouch-report', 'acme.html', 'acme/2026-07-sms.html', 'acme/2026-07.html', 'acme/2026-08-sms.html', 'acme/2026-08.html', 'acme/coverage.html',
      'beta.html', 'beta/2026-07-sms.html', 'beta/2026-07.html', 'beta/2026-08-sms.html', 'beta/2026-08.html', 'beta/coverage.html', 'index.html',
    ]);
    const pages = names.filter((name) => name.endsWith('.html') && name !== 'index.html');
    expect(pages.every((name) => asOf(out, name) === '1')).toBe(true);

    // A new build: every page rendered from now on says build 2, so a page re-rendered shows it.
    await copy.build();
    const acme = await renderReports({ dbPath: copy.path, outDir: out, clientId: 'acme', pagesDir: EXAMPLES });
    const afterClient = snapshot(out);
    const acmeFiles = pages.filter((name) => name === 'acme.html' || name.startsWith('acme/'));
    expect([...afterClient.keys()]).toEqual(names);
    expect(acme.pages.map((path) => relative(out, path).split(sep).join('/')).sort()).toEqual(acmeFiles);
    expect(changed(full, afterClient).filter((name) => name !== 'index.html')).toEqual(acmeFiles);
    expect(acmeFiles.map((name) => asOf(out, name))).toEqual(acmeFiles.map(() => '2'));
    for (const name of pages.filter((item) => !acmeFiles.includes(item))) expect(asOf(out, name), name).toBe('1');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('href="beta.html"');

    await copy.build();
    const july = await renderReports({ dbPath: copy.path, outDir: out, month: '2026-07', pagesDir: EXAMPLES });
    const afterMonth = snapshot(out);
    const julyFiles = ['acme/2026-07-sms.html', 'acme/2026-07.html', 'beta/2026-07-sms.html', 'beta/2026-07.html'];
    expect([...afterMonth.keys()]).toEqual(names);
    expect(july.pages.map((path) => relative(out, path).split(sep).join('/')).sort()).toEqual(julyFiles);
    expect(changed(afterClient, afterMonth).filter((name) => name !== 'index.html')).toEqual(julyFiles);
    expect(julyFiles.map((name) => asOf(out, name))).toEqual(julyFiles.map(() => '3'));
    expect(july.monthPages.map((page) => `${page.clientId} ${page.month}`)).toEqual(['acme 2026-07', 'beta 2026-07']);

    await copy.build();
    await renderReports({ dbPath: copy.path, outDir: out, clientId: 'beta', month: '2026-08', pagesDir: EXAMPLES });
    const afterBoth = snapshot(out);
    expect([...afterBoth.keys()]).toEqual(names);
    expect(changed(afterMonth, afterBoth).filter((name) => name !== 'index.html')).toEqual(['beta/2026-08-sms.html', 'beta/2026-08.html']);
    expect(asOf(out, 'beta/2026-08.html')).toBe('4');
    expect(asOf(out, 'acme/2026-08.html')).toBe('2');
  }, 120_000);

  /** A copy of reports/examples with one line of a file replaced; returns the folder and the 1-based line. */
  function brokenExamples(file: string, find: string, replace: string): { dir: string; line: number } {
    const dir = tempDir('lasttouch-broken-pages-');
    cpSync(EXAMPLES, dir, { recursive: true });
    const text = readFileSync(join(dir, file), 'utf8');
    const at = text.indexOf(find);
    expect(at, `${find} in ${file}`).toBeGreaterThanOrEqual(0);
    writeFileSync(join(dir, file), text.slice(0, at) + replace + text.slice(at + find.length));
    return { dir, line: text.slice(0, at).split('\n').length };
  }

  const breaks: { what: string; file: string; find: string; replace: string }[] = [
    { what: 'a template syntax error', file: 'sms.hbs', find: '{{count last_touch_orders}}', replace: '{{count last_touch_orders}' },
    { what: 'a misspelt field in the body', file: 'sms.hbs', find: '<h2>SMS by platform</h2>', replace: '<h2>SMS by {{platfrom}}</h2>' },
    // Strict mode covers a helper's arguments too: a misspelt amount must not print as USD 0.00.
    { what: 'a misspelt field given to the money helper', file: 'sms.hbs', find: '{{money platform_revenue currency}}', replace: '{{money platform_revenu currency}}' },
    { what: 'a query naming a column that does not exist', file: 'sms.hbs', find: 'SELECT strftime(day,', replace: 'SELECT strftime(dayy,' },
  ];

  for (const broken of breaks) {
    it(`rejects a user page with ${broken.what}, naming the page file and line, and publishes nothing`, async () => {
      const out = join(copy.dir, `site-${breaks.indexOf(broken)}`);
      await renderReports({ dbPath: copy.path, outDir: out, pagesDir: EXAMPLES });
      const before = snapshot(out);
      const siblingsBefore = readdirSync(dirname(out)).sort();
      const { dir, line } = brokenExamples(broken.file, broken.find, broken.replace);
      try {
        const error: unknown = await renderReports({ dbPath: copy.path, outDir: out, pagesDir: dir }).then(
          () => null,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(ReportFailedError);
        expect((error as Error).message).toContain(`${join(dir, broken.file)}:${line}:`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const after = snapshot(out);
      expect([...after.keys()]).toEqual([...before.keys()]);
      expect(changed(before, after)).toEqual([]);
      // No staging folder left beside the site.
      expect(readdirSync(dirname(out)).sort()).toEqual(siblingsBefore);
    });
  }
});
