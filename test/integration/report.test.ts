// The report as a user gets it: a real warehouse built from three small exports, pages rendered from the
// marts, and the figures read back out of the HTML in the cells they belong to.
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir, TestWarehouse } from '../helpers.js';
import { renderReports } from '../../src/report/render.js';
import { pageFileNames } from '../../src/report/format.js';
import { NotFoundError, ReportFailedError, UsageError } from '../../src/errors.js';
import { ACME_POSTSCRIPT as POSTSCRIPT, ACME_SHOPIFY as SHOPIFY } from '../report-exports.js';

const KLAVIYO = `$event_id,Order ID,Datetime,$value,$attributed_channel,Attributed Event,$attributed_message,Touch At,$send_ts
ev-1,5001,2026-07-05T10:00:00Z,1200.00,email,Clicked Email,k-1,2026-07-05T09:30:00Z,2026-07-05T07:00:00Z
ev-2,5002,2026-07-10T12:00:00Z,80.50,email,Opened Email,k-2,2026-07-10T10:00:00Z,2026-07-10T09:00:00Z
ev-4,5004,2026-08-02T15:00:00Z,99.99,sms,Clicked SMS,k-4,2026-08-02T13:00:00Z,2026-08-02T12:00:00Z
`;

/*
 * Hand-computed figures (flat model, UTC; docs/attribution.md sections 4-7).
 *
 * acme (view-only included):
 *   #1001 USD 1,200.00: Postscript click 09:00, Klaviyo email click 09:30 -> Klaviyo email wins.
 *   #1002 USD 80.50:    Postscript view (sent 11:00), Klaviyo email open 10:00 -> Postscript wins.
 *   #1003 USD 45.25:    Postscript click only (cancelled in Shopify) -> Postscript wins.
 *   #1004 USD 99.99:    Postscript view 14:00, Klaviyo sms click 13:00 -> Postscript wins (flat: latest).
 *   July:  Postscript SMS  platform 1,325.75 = LT 125.75 (2 orders) + DAR 1,200.00; claimed 3
 *          Klaviyo Email   platform 1,280.50 = LT 1,200.00 (1 order) + DAR 80.50; claimed 2
 *          Total           platform 2,606.25, LT 1,325.75, DAR 1,280.50, claimed 5, LT orders 3
 *          Store: #1001 + #1002 + #1005 (not #1003, cancelled) = 1,580.50 in 3 orders, refunded 10.00
 *          Attributed 1,325.75 = on store orders 1,280.50 (#1001 1,200.00 + #1002 80.50)
 *                              + outside store revenue 45.25 (#1003, cancelled)
 *          Share like with like: 1,280.50 / 1,580.50 = 81.02% -> 81.0%
 *   August: Postscript SMS platform 99.99 = LT 99.99; Klaviyo SMS platform 99.99 = DAR 99.99
 *          Total platform 199.98, LT 99.99, DAR 99.99; store 99.99 -> 100.0%
 *
 * beta (the same files, imported with --exclude-view-only): the view claims leave the competition.
 *   July:  Postscript SMS platform 1,325.75 = LT 45.25 (#1003) + DAR 1,200.00 + VOE 80.50
 *          Klaviyo Email  platform 1,280.50 = LT 1,280.50 (#1001, #1002), DAR 0.00
 *          Total platform 2,606.25, LT 1,325.75, DAR 1,200.00, VOE 80.50
 *   August: Postscript SMS platform 99.99 = VOE 99.99; Klaviyo SMS LT 99.99. Total VOE 99.99.
 *
 * gamma (Postscript only, no Shopify): July LT 1,325.75, store "no Shopify data".
 */

/** The text of the first element carrying data-testid="id" after the given HTML marker. */
function cellAfter(html: string, marker: string, testId: string): string {
  const start = html.indexOf(marker);
  expect(start, `marker ${marker}`).toBeGreaterThanOrEqual(0);
  const match = new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html.slice(start));
  expect(match, `${testId} after ${marker}`).not.toBeNull();
  return (match?.[1] ?? '').trim();
}

/** The figures of one row of a month page's revenue table, keyed by test id. */
function revenueRow(html: string, channel: string, platform: string): Record<string, string> {
  const rowStart = html.indexOf(`data-channel="${channel}" data-platform="${platform}"`);
  expect(rowStart, `${channel} ${platform}`).toBeGreaterThanOrEqual(0);
  const row = html.slice(rowStart, html.indexOf('</tr>', rowStart));
  return Object.fromEntries([...row.matchAll(/data-testid="([a-z-]+)"[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]?.trim()]));
}

function ensureCliBuilt(): void {
  // The CLI runs from dist/; compile when the report sources are newer (npm test does it in pretest).
  const compiled = join(ROOT, 'dist', 'report', 'render.js');
  const sources = readdirSync(join(ROOT, 'src', 'report')).map((file) => join(ROOT, 'src', 'report', file));
  sources.push(join(ROOT, 'src', 'cli', 'report.ts'));
  if (existsSync(compiled) && sources.every((file) => statSync(file).mtimeMs <= statSync(compiled).mtimeMs)) return;
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT], { encoding: 'utf8' });
}

/** Every file of a site folder (sub-folders included) with its content. */
function siteFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string, prefix: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(folder, entry.name), `${prefix}${entry.name}/`);
      else files.set(`${prefix}${entry.name}`, readFileSync(join(folder, entry.name), 'utf8'));
    }
  };
  walk(dir, '');
  return files;
}

describe('lasttouch report', () => {
  const warehouse = new TestWarehouse();
  let out: string;
  let acmeJuly: string;
  let acmeAugust: string;
  let betaJuly: string;
  let index: string;

  const page = (path: string): string => readFileSync(join(out, path), 'utf8');

  beforeAll(async () => {
    ensureCliBuilt();
    const files = {
      shopify: warehouse.file('orders_export.csv', SHOPIFY),
      postscript: warehouse.file('postscript.csv', POSTSCRIPT),
      klaviyo: warehouse.file('klaviyo.csv', KLAVIYO),
    };
    for (const clientId of ['acme', 'beta']) {
      const excludeViewOnly = clientId === 'beta';
      await warehouse.import({ platform: 'shopify', file: files.shopify, clientId, from: '2026-07-01', to: '2026-08-31' });
      await warehouse.import({ platform: 'postscript', file: files.postscript, clientId, excludeViewOnly, from: '2026-07-01', to: '2026-08-31' });
      await warehouse.import({ platform: 'klaviyo', file: files.klaviyo, clientId });
    }
    await warehouse.import({ platform: 'postscript', file: files.postscript, clientId: 'gamma' });
    await warehouse.build();
    out = join(warehouse.dir, 'site');
    const result = await renderReports({ dbPath: warehouse.path, outDir: out });
    expect(result.pages.map((path) => path.slice(out.length + 1)).sort()).toEqual([
      'acme.html', 'acme/2026-07.html', 'acme/2026-08.html', 'acme/coverage.html',
      'beta.html', 'beta/2026-07.html', 'beta/2026-08.html', 'beta/coverage.html',
      'gamma.html', 'gamma/2026-07.html', 'gamma/2026-08.html', 'gamma/coverage.html',
    ]);
    expect(result.stale).toEqual([]);
    acmeJuly = page('acme/2026-07.html');
    acmeAugust = page('acme/2026-08.html');
    betaJuly = page('beta/2026-07.html');
    index = readFileSync(result.indexPath, 'utf8');
  });

  afterAll(() => warehouse.cleanup());

  it('shows each platform row with the hand-computed figures, and a subtotal per channel', () => {
    expect(revenueRow(acmeJuly, 'SMS', 'Postscript')).toMatchObject({
      'platform-revenue': 'USD 1,325.75',
      'last-touch-revenue': 'USD 125.75',
      'double-attribution-removed': 'USD 1,200.00',
      'claimed-orders': '3',
      'last-touch-orders': '2',
    });
    expect(revenueRow(acmeJuly, 'Email', 'Klaviyo')).toMatchObject({
      'platform-revenue': 'USD 1,280.50',
      'last-touch-revenue': 'USD 1,200.00',
      'double-attribution-removed': 'USD 80.50',
      'claimed-orders': '2',
      'last-touch-orders': '1',
    });
    expect(revenueRow(acmeAugust, 'SMS', 'Klaviyo')).toMatchObject({
      'platform-revenue': 'USD 99.99',
      'last-touch-revenue': 'USD 0.00',
      'double-attribution-removed': 'USD 99.99',
    });
    // August: SMS = Postscript SMS (99.99 last touch) + Klaviyo SMS (99.99 removed).
    expect(revenueRow(acmeAugust, 'SMS total', 'all platforms')).toMatchObject({
      'platform-revenue': 'USD 199.98',
      'last-touch-revenue': 'USD 99.99',
      'double-attribution-removed': 'USD 99.99',
      'claimed-orders': '2',
      'last-touch-orders': '1',
    });
    expect(cellAfter(acmeAugust, 'data-testid="channel-card" data-channel="SMS"', 'channel-last-touch')).toBe('USD 99.99');
    expect(cellAfter(acmeAugust, 'data-testid="channel-card" data-channel="SMS"', 'channel-platform')).toBe('USD 199.98');
    // No source tracks engagement: no Sends or Clicks columns, one line says so.
    expect(acmeJuly).not.toContain('>Sends</th>');
    expect(acmeJuly).toContain('data-testid="revenue-only"');
  });

  it('totals each month in SQL and shows store revenue and the attributed share', () => {
    expect(cellAfter(acmeJuly, 'data-testid="total-row"', 'total-platform-revenue')).toBe('USD 2,606.25');
    expect(cellAfter(acmeJuly, 'data-testid="total-row"', 'total-last-touch-revenue')).toBe('USD 1,325.75');
    expect(cellAfter(acmeJuly, 'data-testid="total-row"', 'total-double-attribution-removed')).toBe('USD 1,280.50');
    expect(cellAfter(acmeJuly, 'data-testid="total-row"', 'total-claimed-orders')).toBe('5');
    expect(cellAfter(acmeJuly, 'data-testid="total-row"', 'total-last-touch-orders')).toBe('3');
    expect(cellAfter(acmeJuly, 'data-testid="store-row"', 'store-orders')).toBe('3');
    expect(cellAfter(acmeJuly, 'data-testid="store-row"', 'store-revenue')).toBe('USD 1,580.50');
    expect(cellAfter(acmeJuly, 'data-testid="store-row"', 'refunded-revenue')).toBe('USD 10.00');
    expect(cellAfter(acmeJuly, 'data-testid="store-row"', 'attributed-revenue')).toBe('USD 1,325.75');
    expect(cellAfter(acmeJuly, 'data-testid="store-row"', 'attributed-store-revenue')).toBe('USD 1,280.50');
    expect(cellAfter(acmeJuly, 'data-testid="store-row"', 'attributed-outside-store-revenue')).toBe('USD 45.25');
    expect(cellAfter(acmeJuly, 'data-testid="store-row"', 'attributed-share')).toBe('81.0%');
    expect(cellAfter(acmeAugust, 'data-testid="total-row"', 'total-platform-revenue')).toBe('USD 199.98');
    expect(cellAfter(acmeAugust, 'data-testid="store-row"', 'attributed-share')).toBe('100.0%');
  });

  it('shows the top messages and the touch types of the month', () => {
    const messages = [...acmeJuly.matchAll(/data-testid="message-name"[^>]*>([^<]*)<[\s\S]*?data-testid="message-last-touch-revenue">([^<]*)<[\s\S]*?data-testid="message-platform-revenue">([^<]*)</g)].map(
      (match) => [match[1], match[2], match[3]],
    );
    // k-1 won #1001; ps-2 and ps-3 won #1002 and #1003; k-2 claimed #1002 and lost it; ps-1 lost #1001.
    expect(messages).toEqual([
      ['k-1', 'USD 1,200.00', 'USD 1,200.00'],
      ['ps-2', 'USD 80.50', 'USD 80.50'],
      ['ps-3', 'USD 45.25', 'USD 45.25'],
      ['ps-1', 'USD 0.00', 'USD 1,200.00'],
      ['k-2', 'USD 0.00', 'USD 80.50'],
    ]);
    expect(cellAfter(acmeJuly, 'data-touch-type="click"', 'touch-last-touch-revenue')).toBe('USD 1,245.25');
    expect(cellAfter(acmeJuly, 'data-touch-type="view"', 'touch-last-touch-revenue')).toBe('USD 80.50');
    expect(cellAfter(acmeJuly, 'data-touch-type="open"', 'touch-last-touch-revenue')).toBe('USD 0.00');
  });

  it('shows the View-Only Excluded column only where view-only claims are excluded', () => {
    expect(acmeJuly).not.toContain('View-Only Excluded</th>');
    expect(betaJuly).toContain('View-Only Excluded</th>');
    expect(revenueRow(betaJuly, 'SMS', 'Postscript')).toMatchObject({
      'platform-revenue': 'USD 1,325.75',
      'last-touch-revenue': 'USD 45.25',
      'double-attribution-removed': 'USD 1,200.00',
      'view-only-excluded': 'USD 80.50',
    });
    expect(revenueRow(betaJuly, 'Email', 'Klaviyo')).toMatchObject({
      'last-touch-revenue': 'USD 1,280.50',
      'double-attribution-removed': 'USD 0.00',
      'view-only-excluded': 'USD 0.00',
    });
    expect(cellAfter(betaJuly, 'data-testid="total-row"', 'total-view-only-excluded')).toBe('USD 80.50');
    expect(cellAfter(betaJuly, 'data-testid="total-row"', 'total-double-attribution-removed')).toBe('USD 1,200.00');
    expect(cellAfter(page('beta/2026-08.html'), 'data-testid="total-row"', 'total-view-only-excluded')).toBe('USD 99.99');
    expect(betaJuly).toMatch(/View-only attributions<\/dt><dd>excluded/);
  });

  it('says "no Shopify data" for a client without Shopify orders', () => {
    const july = page('gamma/2026-07.html');
    expect(cellAfter(july, 'data-testid="store-row"', 'store-revenue')).toBe('no Shopify data');
    expect(cellAfter(july, 'data-testid="store-row"', 'attributed-revenue')).toBe('USD 1,325.75');
    expect(cellAfter(july, 'data-testid="store-row"', 'attributed-share')).toBe('no Shopify data');
  });

  it("lists each data-quality finding beside the figures of the month it concerns, and all of them on the coverage page", () => {
    // Klaviyo's window is its own first..last order date (2026-07-05..2026-08-02): 27 of 31 July days,
    // 2 of 31 August days, the rest possibly days without orders (info, no Shopify order on them).
    // #1003 is cancelled in Shopify but claimed by Postscript.
    const findings = (html: string): (string | undefined)[][] =>
      [...html.matchAll(/<tr data-testid="dq-row"[\s\S]*?<\/tr>/g)].map((row) =>
        [...row[0].matchAll(/data-testid="dq-(?:severity|check|affected-rows|detail)"[^>]*>([^<]*)</g)].map((cell) => cell[1]?.trim()),
      );
    const hint =
      '; a window beside these days was taken from the first and last order dates of its export, so they may be days without orders: give --from/--to at import to say which days an export covers';
    const aside = (html: string): string => html.slice(html.indexOf('data-testid="month-data-quality"'), html.indexOf('</aside>'));
    const july = [
      ['info', 'claims on cancelled orders', '1', 'claims on orders Shopify marks cancelled; they count in attribution but not in store revenue'],
      ['info', 'month not fully covered', '0', `klaviyo 2026-07: uploads cover 27 of 31 days; none covers 2026-07-01 .. 2026-07-04 (4 days)${hint}`],
    ];
    const august = [['info', 'month not fully covered', '0', `klaviyo 2026-08: uploads cover 2 of 31 days; none covers 2026-08-03 .. 2026-08-31 (29 days)${hint}`]];
    expect(findings(aside(acmeJuly))).toEqual(july);
    expect(findings(aside(acmeAugust))).toEqual(august);
    // Info findings only: no notice at the top of the page.
    expect(acmeJuly).not.toContain('data-testid="notice"');
    // nothing that is not about one month
    const overview = page('acme.html');
    const wide = overview.slice(overview.indexOf('data-testid="data-quality"'));
    expect(findings(wide)).toEqual([]);
    expect(wide).toContain('data-testid="dq-none"');
    const coverage = page('acme/coverage.html');
    const every = coverage.slice(coverage.indexOf('id="findings-title"'));
    expect(findings(every)).toEqual([...august, ...july]);
    expect(coverage.match(/data-testid="upload-row"/g)).toHaveLength(3);
  });

  it('links every client from the index with its latest month, per channel', () => {
    for (const client of ['acme', 'beta', 'gamma']) expect(index).toContain(`href="${client}.html"`);
    expect(index.match(/data-testid="index-row"/g)).toHaveLength(3);
    const acmeRow = index.slice(index.indexOf('data-client="acme"'));
    expect(cellAfter(acmeRow, '', 'index-month-link')).toBe('August 2026');
    expect(acmeRow).toContain('href="acme/2026-08.html"');
    expect(cellAfter(acmeRow, '', 'index-platform-revenue')).toBe('USD 199.98');
    expect(cellAfter(acmeRow, '', 'index-last-touch-revenue')).toBe('USD 99.99');
    expect(cellAfter(acmeRow, '', 'index-channel')).toBe('USD 99.99');
    expect(cellAfter(acmeRow, '', 'index-store-revenue')).toBe('USD 99.99');
    expect(cellAfter(acmeRow, '', 'index-attributed-share')).toBe('100.0%');
    // its findings are all info (windows inferred from first and last order dates, a cancelled order)
    expect(cellAfter(acmeRow, '', 'index-badge')).toBe('all checks passed');
    expect([...index.matchAll(/data-testid="index-channel-heading">([^<]*)</g)].map((match) => match[1])).toEqual(['SMS (Last-Touch)', 'Email (Last-Touch)']);
  });

  it('loads nothing from outside the page', () => {
    for (const html of [acmeJuly, betaJuly, index, page('acme.html'), page('acme/coverage.html')]) {
      expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
      expect(html).not.toMatch(/<script|<link rel="stylesheet"|@import/i);
      expect(html).toContain('<style>');
    }
  });

  it('re-renders one month or one client and keeps every other page byte for byte', async () => {
    const site = join(warehouse.dir, 'partial');
    await renderReports({ dbPath: warehouse.path, outDir: site });
    const before = siteFiles(site);
    writeFileSync(join(site, 'notes.txt'), 'a file lasttouch did not write');
    const july = await renderReports({ dbPath: warehouse.path, outDir: site, month: '2026-07' });
    expect(july.monthPages.map((item) => item.path.slice(site.length + 1))).toEqual(['acme/2026-07.html', 'beta/2026-07.html', 'gamma/2026-07.html']);
    const acmeOnly = await renderReports({ dbPath: warehouse.path, outDir: site, clientId: 'acme' });
    expect(acmeOnly.pages.map((path) => path.slice(site.length + 1)).sort()).toEqual(['acme.html', 'acme/2026-07.html', 'acme/2026-08.html', 'acme/coverage.html']);
    const after = siteFiles(site);
    expect(after.get('notes.txt')).toBe('a file lasttouch did not write');
    for (const [name, content] of before) {
      if (name === '.lasttouch-report') continue;
      expect(after.get(name), name).toBe(content);
    }
    // A full report replaces lasttouch's own pages and still keeps the file it did not write.
    await renderReports({ dbPath: warehouse.path, outDir: site });
    expect(readFileSync(join(site, 'notes.txt'), 'utf8')).toBe('a file lasttouch did not write');
  });

  it('refuses an unknown client, a malformed month and marts that were never built', async () => {
    await expect(renderReports({ dbPath: warehouse.path, outDir: join(warehouse.dir, 'x'), clientId: 'nobody' })).rejects.toThrow(
      NotFoundError,
    );
    await expect(renderReports({ dbPath: warehouse.path, outDir: join(warehouse.dir, 'x'), month: '2026-7' })).rejects.toThrow(UsageError);
    const empty = new TestWarehouse();
    try {
      await empty.import({ platform: 'postscript', file: empty.file('p.csv', POSTSCRIPT) });
      const failure = renderReports({ dbPath: empty.path, outDir: join(empty.dir, 'site') });
      await expect(failure).rejects.toThrow(ReportFailedError);
      await expect(failure).rejects.toThrow('run `lasttouch build` first');
      expect(existsSync(join(empty.dir, 'site'))).toBe(false);
    } finally {
      empty.cleanup();
    }
  });

  it('keeps the previous site intact when a report fails', async () => {
    const before = siteFiles(out);
    // A month without data fails after the marts are read ...
    await expect(renderReports({ dbPath: warehouse.path, outDir: out, month: '2031-01' })).rejects.toThrow(/no data for 2031-01/);
    // ... and a template naming a field the page does not have fails in the middle of rendering.
    const templates = join(warehouse.dir, 'broken-templates');
    cpSync(join(ROOT, 'reports'), templates, { recursive: true });
    const storePartial = join(templates, 'partials', 'store-summary.hbs');
    writeFileSync(storePartial, readFileSync(storePartial, 'utf8').replace('{{storeRevenue}}', '{{storeRevenu}}'));
    await expect(renderReports({ dbPath: warehouse.path, outDir: out, templatesDir: templates })).rejects.toThrow(
      /rendering the month page .*storeRevenu/,
    );
    expect(siteFiles(out)).toEqual(before);
    expect(readdirSync(warehouse.dir).filter((name) => name.startsWith('.site.'))).toEqual([]);
  });

  it('will not replace a folder it did not write', async () => {
    const foreign = tempDir('lasttouch-foreign-');
    writeFileSync(join(foreign, 'notes.txt'), 'keep me');
    await expect(renderReports({ dbPath: warehouse.path, outDir: foreign })).rejects.toThrow(/did not write/);
    expect(readdirSync(foreign)).toEqual(['notes.txt']);
  });

  it('gives every client a safe, distinct page name', () => {
    const names = pageFileNames(['acme', 'Acme', 'index', '../etc/passwd', 'a b', '']);
    expect(pageFileNames(['acme']).get('acme')).toBe('acme.html');
    expect(new Set(names.values()).size).toBe(6);
    expect(new Set([...names.values()].map((name) => name.toLowerCase())).size).toBe(6);
    for (const name of names.values()) expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]*\.html$/);
    expect(names.get('index')).not.toBe('index.html');
  });

  it('runs as a command: prints the index and page count, exit codes 1 and 2 on failure', () => {
    const cliOut = join(warehouse.dir, 'cli-site');
    const ok = cli(['--db', warehouse.path, 'report', '--out', cliOut]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(join(cliOut, 'index.html'));
    expect(ok.stdout).toContain('12 pages and the index written (6 month pages)');
    const unknown = cli(['--db', warehouse.path, 'report', '--client', 'nobody', '--out', cliOut]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no client "nobody"');
    const badMonth = cli(['--db', warehouse.path, 'report', '--month', 'July', '--out', cliOut]);
    expect(badMonth.status).toBe(2);
    const noData = cli(['--db', warehouse.path, 'report', '--month', '2031-01', '--out', cliOut]);
    expect(noData.status).toBe(1);
    expect(readdirSync(cliOut).sort()).toEqual(['.lasttouch-report', 'acme', 'acme.html', 'beta', 'beta.html', 'gamma', 'gamma.html', 'index.html']);
    // One client's pages again: the others stay.
    const onlyBeta = cli(['--db', warehouse.path, 'report', '--client', 'beta', '--out', cliOut]);
    expect(onlyBeta.status).toBe(0);
    expect(onlyBeta.stdout).toContain('4 pages and the index written (2 month pages); 8 pages of the previous site kept');
    expect(readdirSync(cliOut).sort()).toEqual(['.lasttouch-report', 'acme', 'acme.html', 'beta', 'beta.html', 'gamma', 'gamma.html', 'index.html']);
  });

  // Last: they change the warehouse the other tests read.
  it('warns on stderr when uploads or settings changed after the last build, and fails with --strict', async () => {
    await warehouse.import({ platform: 'klaviyo', file: warehouse.file('klaviyo-gamma.csv', KLAVIYO), clientId: 'gamma' });
    await warehouse.client('gamma', { view_only: 'exclude' });
    const staleOut = join(warehouse.dir, 'stale');
    const result = await renderReports({ dbPath: warehouse.path, outDir: staleOut, clientId: 'gamma' });
    expect(result.stale).toEqual([
      'client "gamma": 1 upload imported after the last build and settings changed after the last build, not in the figures yet (run `lasttouch build` to bring them in)',
    ]);
    // The page a client reads carries no instructions for the operator, only when its figures are from.
    const july = readFileSync(join(staleOut, 'gamma/2026-07.html'), 'utf8');
    expect(july).not.toContain('lasttouch build');
    expect(cellAfter(july, '', 'as-of')).toMatch(/^Figures as of build 1, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\.$/);
    const warned = cli(['--db', warehouse.path, 'report', '--client', 'gamma', '--out', staleOut]);
    expect(warned.status).toBe(0);
    expect(warned.stderr).toContain('lasttouch: warning: client "gamma": 1 upload imported after the last build');
    const before = siteFiles(staleOut);
    const strict = cli(['--db', warehouse.path, 'report', '--strict', '--out', staleOut]);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('the figures are out of date (--strict)');
    expect(siteFiles(staleOut)).toEqual(before);
  });

  it('escapes what it prints and names the page safely, whatever the client id', async () => {
    const hostile = '<img src=x onerror=alert(1)>&"';
    // lasttouch refuses such an id today (src/client-id.ts); a warehouse an earlier version wrote may hold one.
    await expect(warehouse.client(hostile, {})).rejects.toThrow(/is not valid: a client id is 1 to 64 characters/);
    await warehouse.with((w) => w.run('INSERT INTO meta.clients (client_id) VALUES ($1)', [hostile]));
    const result = await renderReports({ dbPath: warehouse.path, outDir: join(warehouse.dir, 'hostile'), clientId: hostile });
    const overview = result.pages.find((path) => path.endsWith('.html') && !path.includes('/coverage')) ?? '';
    expect(overview.slice(join(warehouse.dir, 'hostile').length + 1)).toMatch(/^img-src-x-onerror-alert-1-[0-9a-f]{8}\.html$/);
    for (const path of [...result.pages, result.indexPath]) {
      const html = readFileSync(path, 'utf8');
      expect(html).not.toContain('<img');
    }
    const html = readFileSync(overview, 'utf8');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&amp;&quot;');
    expect(html).toContain('No figures yet for this client');
  });
});
