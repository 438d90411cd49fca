// `lasttouch docs` in a real headless Chromium: the lineage graph has one box per model and seed and one
// arrow per dependency, laid out without overlaps and parents above the models that read them, each box
// leads to its model's section, and each section shows what the warehouse holds: the columns with their
// types, the SQL, the data tests, the last run. Nothing is requested from outside the page's folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { compileProject } from '../../src/models/compile.js';
import { cli, cliQuery, ONE_ORDER, ROOT, tempDir, TestWarehouse } from '../helpers.js';
import { launchChromium } from './chromium.js';

const { shopify: SHOPIFY, postscript: POSTSCRIPT } = ONE_ORDER;

interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

describe('the models page', () => {
  const warehouse = new TestWarehouse();
  const project = compileProject(ROOT);
  const out = tempDir('lasttouch-docs-');
  const bare = tempDir('lasttouch-docs-bare-');
  let browser: Browser | undefined;
  let noBrowser: unknown;

  beforeAll(async () => {
    await warehouse.import({ platform: 'shopify', file: warehouse.file('shop.csv', SHOPIFY) });
    await warehouse.import({ platform: 'postscript', file: warehouse.file('ps.csv', POSTSCRIPT) });
    const built = cli(['--db', warehouse.path, 'build']);
    if (built.status !== 0) throw new Error(built.stderr);
    const docs = cli(['--db', warehouse.path, 'docs', '--out', out]);
    if (docs.status !== 0) throw new Error(docs.stderr);
    const none = cli(['--db', join(bare, 'none.duckdb'), 'docs', '--out', join(bare, 'site')]);
    if (none.status !== 0) throw new Error(none.stderr);
    try {
      browser = await launchChromium();
    } catch (error) {
      noBrowser = error;
    }
  });
  afterAll(async () => {
    await browser?.close();
    warehouse.cleanup();
  });
  beforeEach(() => {
    if (noBrowser) throw noBrowser;
  });

  async function open(dir: string): Promise<{ page: Page; outside: string[] }> {
    const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 900 } });
    const outside: string[] = [];
    const folder = pathToFileURL(dir).href;
    page.on('request', (request) => {
      if (!request.url().startsWith(folder)) outside.push(request.url());
    });
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    return { page, outside };
  }

  it('draws one box per model and one arrow per dependency, without overlaps, parents above', async () => {
    const { page, outside } = await open(out);
    const boxes: Box[] = await page.$$eval('svg.lineage a.node', (nodes) =>
      nodes.map((node) => {
        const rect = (node.querySelector('rect') as SVGRectElement).getBoundingClientRect();
        return { id: node.getAttribute('data-id') ?? '', x: rect.x, y: rect.y, width: rect.width, height: rect.height };
      }),
    );
    expect(boxes.map((box) => box.id).sort()).toEqual(project.nodes.map((node) => node.id).sort());
    expect(boxes.every((box) => box.width > 20 && box.height > 5)).toBe(true);
    for (const [index, a] of boxes.entries()) {
      for (const b of boxes.slice(index + 1)) {
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
      }
    }
    const edges = await page.$$eval('svg.lineage path.edge', (paths) =>
      paths.map((path) => ({ from: path.getAttribute('data-from') ?? '', to: path.getAttribute('data-to') ?? '', length: (path as SVGPathElement).getTotalLength() })),
    );
    const expected = project.nodes.flatMap((node) => node.dependsOn.map((parent) => `${parent} -> ${node.id}`)).sort();
    expect(edges.map((edge) => `${edge.from} -> ${edge.to}`).sort()).toEqual(expected);
    const at = new Map(boxes.map((box) => [box.id, box]));
    for (const edge of edges) {
      expect(edge.length).toBeGreaterThan(0);
      expect((at.get(edge.from)?.y ?? 0) + (at.get(edge.from)?.height ?? 0)).toBeLessThanOrEqual(at.get(edge.to)?.y ?? 0);
    }
    // A box leads to its model's section.
    await page.click('svg.lineage a.node[data-id="marts.revenue_summary"]');
    expect(new URL(page.url()).hash).toBe('#model-marts.revenue_summary');
    expect(await page.$eval('section[id="model-marts.revenue_summary"] h2', (h2) => h2.textContent)).toBe('marts.revenue_summary');
    expect(outside).toEqual([]);
    await page.close();
  });

  it("shows each model's description, columns and types as built, SQL, tests and last run", async () => {
    const { page } = await open(out);
    const section = (id: string) => `section[id="model-${id}"]`;
    const columns = cliQuery(
      warehouse.path,
      `SELECT column_name AS name, data_type AS type FROM information_schema.columns
       WHERE table_schema = 'marts' AND table_name = 'revenue_summary' ORDER BY ordinal_position`,
    ) as { name: string; type: string }[];
    expect(columns.length).toBeGreaterThan(5);
    const shown = await page.$$eval(`${section('marts.revenue_summary')} table.columns tbody tr`, (rows) =>
      rows.map((row) => ({ name: (row as HTMLTableRowElement).cells[0]?.textContent ?? '', type: (row as HTMLTableRowElement).cells[1]?.textContent ?? '' })),
    );
    expect(shown).toEqual(columns);
    const summary = project.nodes.find((node) => node.id === 'marts.revenue_summary');
    expect(await page.$eval(`${section('marts.revenue_summary')} .description`, (element) => element.textContent)).toBe(summary?.description);
    expect(await page.$eval(`${section('marts.revenue_summary')} details.sql pre`, (element) => element.textContent)).toBe(summary?.body);
    expect(await page.$$eval(`${section('marts.revenue_summary')} ul.tests code`, (codes) => codes.map((code) => code.textContent))).toEqual(
      expect.arrayContaining(['tests.revenue_summary__unique', 'tests.revenue_summary__not_null', 'tests.revenue_identity']),
    );
    expect(await page.$eval(`${section('marts.revenue_summary')} .last-run`, (element) => element.textContent)).toMatch(/UTC: build, built, 1 rows$/);
    expect(await page.$eval(`${section('marts.revenue_summary')} .next-build`, (element) => element.textContent)).toBe('unchanged');
    expect(await page.$eval(`${section('staging.stg_claims')} .children`, (element) => element.textContent)).toContain('staging.stg_dated_rows');
    // How a model's rows are rebuilt: by client, and finer where it is partitioned.
    expect(await page.$eval(`${section('dedup.dedup_claim_rows')} .materialized`, (element) => element.textContent)).toBe(
      'table, incremental by client_id, partitioned by month(month)',
    );
    expect(await page.$eval(`${section('marts.revenue_summary')} .materialized`, (element) => element.textContent)).toBe('table, incremental by client_id');
    await page.close();
  });

  it('without a warehouse, shows the project and says that nothing is built', async () => {
    const { page } = await open(join(bare, 'site'));
    expect(await page.$$eval('svg.lineage a.node', (nodes) => nodes.length)).toBe(project.nodes.length);
    expect(await page.$eval('header .note', (element) => element.textContent)).toContain('no warehouse at');
    expect(await page.$$eval('.columns-missing', (elements) => elements.length)).toBe(project.nodes.length);
    expect(readFileSync(join(bare, 'site', 'index.html'), 'utf8')).toContain('never run');
    await page.close();
  });
});
