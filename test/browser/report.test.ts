// The report page in a real browser: the figures a reader sees in the cells they belong to, tooltips,
// no console errors, and nothing requested from anywhere but the page's own folder.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { TestWarehouse } from '../helpers.js';
import { renderReports } from '../../src/report/render.js';
import { launchChromium } from './chromium.js';

const SHOPIFY = `Name,Id,Created at,Currency,Total,Lineitem name,Cancelled at,Refunded Amount
#1001,5001,2026-07-05T10:00:00Z,USD,1200.00,Candle,,
#1001,,,,,Soap,,
#1002,5002,2026-07-10T12:00:00Z,USD,80.50,Candle,,10.00
#1003,5003,2026-07-20T09:00:00Z,USD,45.25,Soap,2026-07-21T09:00:00Z,
`;
const POSTSCRIPT = `Order Date,Order Number,Order ID,Revenue,Attribution Type,Message ID,Sent At,Clicked At
2026-07-05T10:00:00Z,#1001,5001,1200.00,click,ps-1,2026-07-05T08:00:00Z,2026-07-05T09:00:00Z
2026-07-10T12:00:00Z,#1002,5002,80.50,view,ps-2,2026-07-10T11:00:00Z,
2026-07-20T09:00:00Z,#1003,5003,45.25,click,ps-3,2026-07-19T09:00:00Z,2026-07-19T10:00:00Z
`;
const KLAVIYO = `$event_id,Order ID,Datetime,$value,$attributed_channel,Attributed Event,$attributed_message,Touch At,$send_ts
ev-1,5001,2026-07-05T10:00:00Z,1200.00,email,Clicked Email,k-1,2026-07-05T09:30:00Z,2026-07-05T07:00:00Z
ev-2,5002,2026-07-10T12:00:00Z,80.50,email,Opened Email,k-2,2026-07-10T10:00:00Z,2026-07-10T09:00:00Z
`;

/*
 * Hand-computed (flat model, view-only included, UTC), July 2026:
 *   #1001 1,200.00: Postscript click 09:00 < Klaviyo email click 09:30 -> Klaviyo email.
 *   #1002 80.50:    Klaviyo open 10:00 < Postscript view 11:00      -> Postscript SMS.
 *   #1003 45.25:    Postscript click only (cancelled in Shopify)     -> Postscript SMS.
 *   Postscript SMS: platform 1,325.75 = last touch 125.75 (2 orders) + removed 1,200.00; claimed 3.
 *   Klaviyo Email:  platform 1,280.50 = last touch 1,200.00 (1 order) + removed 80.50; claimed 2.
 *   Total:          platform 2,606.25, last touch 1,325.75, removed 1,280.50.
 *   Store: #1001 + #1002 = 1,280.50 (#1003 cancelled); refunded 10.00;
 *   attributed 1,325.75 = 1,280.50 on store orders (#1001, #1002) + 45.25 outside (#1003, cancelled);
 *   the share compares like with like: 1,280.50 / 1,280.50 = 100.0%.
 */

describe('report page in a browser', () => {
  const warehouse = new TestWarehouse();
  let browser: Browser;
  let noBrowser: unknown;
  let page: Page;
  let clientUrl: string;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    await warehouse.import({ platform: 'shopify', file: warehouse.file('shopify.csv', SHOPIFY), from: '2026-07-01', to: '2026-07-31' });
    await warehouse.import({ platform: 'postscript', file: warehouse.file('postscript.csv', POSTSCRIPT), from: '2026-07-01', to: '2026-07-31' });
    await warehouse.import({ platform: 'klaviyo', file: warehouse.file('klaviyo.csv', KLAVIYO), from: '2026-07-01', to: '2026-07-31' });
    await warehouse.build();
    const result = await renderReports({ dbPath: warehouse.path, outDir: join(warehouse.dir, 'site') });
    clientUrl = pathToFileURL(join(warehouse.dir, 'site', 'acme.html')).href;

    try {
      browser = await launchChromium();
    } catch (error) {
      // No browser: every test below fails with the reason (a failing beforeAll would only mark them skipped).
      noBrowser = error;
      return;
    }
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(result.indexPath).href);
    await page.getByTestId('client-link').filter({ hasText: 'acme' }).click();
    await page.waitForURL(clientUrl);
  });

  beforeEach(() => {
    if (noBrowser) throw noBrowser;
  });

  afterAll(async () => {
    await browser?.close();
    warehouse.cleanup();
  });

  const july = (): ReturnType<Page['locator']> => page.locator('[data-testid="month-section"][data-month="2026-07"]');
  const row = (channel: string, platform: string): ReturnType<Page['locator']> =>
    july().locator(`[data-testid="revenue-row"][data-channel="${channel}"][data-platform="${platform}"]`);
  const text = async (locator: ReturnType<Page['locator']>): Promise<string> => {
    expect(await locator.isVisible()).toBe(true);
    return (await locator.innerText()).trim();
  };

  it('shows the client, its settings and the build', async () => {
    expect(await text(page.getByTestId('client-id'))).toBe('acme');
    const settings = await text(page.getByTestId('client-settings'));
    expect(settings).toContain('flat');
    expect(settings).toContain('included');
    expect(settings).toContain('UTC');
    expect(settings).toContain('USD');
    expect(await text(page.getByTestId('built-at'))).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(build 1\)$/);
  });

  it('shows every platform row with its figures', async () => {
    const postscript = row('SMS', 'Postscript');
    expect(await text(postscript.getByTestId('platform-revenue'))).toBe('USD 1,325.75');
    expect(await text(postscript.getByTestId('last-touch-revenue'))).toBe('USD 125.75');
    expect(await text(postscript.getByTestId('double-attribution-removed'))).toBe('USD 1,200.00');
    expect(await text(postscript.getByTestId('claimed-orders'))).toBe('3');
    expect(await text(postscript.getByTestId('last-touch-orders'))).toBe('2');
    const klaviyo = row('Email', 'Klaviyo');
    expect(await text(klaviyo.getByTestId('platform-revenue'))).toBe('USD 1,280.50');
    expect(await text(klaviyo.getByTestId('last-touch-revenue'))).toBe('USD 1,200.00');
    expect(await text(klaviyo.getByTestId('double-attribution-removed'))).toBe('USD 80.50');
    // SMS (sort order 1) comes before Email (2).
    expect(await july().getByTestId('revenue-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-platform')))).toEqual([
      'Postscript',
      'Klaviyo',
    ]);
    // view_only is include and nothing was excluded: no View-Only Excluded column.
    expect(await page.getByTestId('view-only-excluded').count()).toBe(0);
  });

  it('marks engagement a source does not track instead of showing 0', async () => {
    const sends = row('SMS', 'Postscript').getByTestId('sends');
    expect(await text(sends)).toBe('not tracked');
    expect(await sends.getAttribute('title')).toBe('this source reports revenue only');
    expect(await text(row('Email', 'Klaviyo').getByTestId('clicks'))).toBe('not tracked');
  });

  it('shows the totals, store revenue and the attributed share', async () => {
    expect(await text(july().getByTestId('total-platform-revenue'))).toBe('USD 2,606.25');
    expect(await text(july().getByTestId('total-last-touch-revenue'))).toBe('USD 1,325.75');
    expect(await text(july().getByTestId('total-double-attribution-removed'))).toBe('USD 1,280.50');
    expect(await text(july().getByTestId('store-revenue'))).toBe('USD 1,280.50');
    expect(await text(july().getByTestId('refunded-revenue'))).toBe('USD 10.00');
    expect(await text(july().getByTestId('attributed-revenue'))).toBe('USD 1,325.75');
    expect(await text(july().getByTestId('attributed-store-revenue'))).toBe('USD 1,280.50');
    expect(await text(july().getByTestId('attributed-outside-store-revenue'))).toBe('USD 45.25');
    expect(await text(july().getByTestId('attributed-share'))).toBe('100.0%');
  });

  it('lists the data-quality findings and explains how to read the table', async () => {
    const finding = page.getByTestId('dq-row').filter({ hasText: 'claims on cancelled orders' });
    expect(await text(finding.getByTestId('dq-severity'))).toBe('info');
    expect(await text(finding.getByTestId('dq-affected-rows'))).toBe('1');
    expect(await text(page.getByTestId('how-to-read'))).toContain(
      'Platform Revenue = Last-Touch Revenue + Double Attribution Removal',
    );
  });

  it('has no console errors and loads nothing from outside its folder', async () => {
    await page.screenshot({ path: '/tmp/report.png', fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file://') && !url.startsWith('data:'))).toEqual([]);
  });
});
