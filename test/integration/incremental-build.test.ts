// Incremental builds: models declared `-- incremental: client_id` rebuild only the rows of the clients
// whose uploads or settings changed. The only acceptable result is the one a full rebuild gives, so every
// step here builds incrementally, snapshots every model, rebuilds everything from scratch and compares.
// The clients share their exports (the same order ids and names), so a model that let one client's rows
// reach another's would differ between the two builds.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileProject, type Project } from '../../src/models/compile.js';
import { runBuild, type BuildOptions, type BuildResult } from '../../src/models/run.js';
import { ROOT, TestWarehouse, revenueIdentityViolations } from '../helpers.js';

const DEMO = join(ROOT, 'seeds', 'demo');
const SHOPIFY = join(DEMO, 'shopify_orders.csv');
const PS_SEPTEMBER = join(DEMO, 'postscript_revenue_2026-09-15.csv');
const PS_NOVEMBER = join(DEMO, 'postscript_revenue_2026-11-01.csv');
const KLAVIYO = join(DEMO, 'klaviyo_attributed_orders.csv');

let warehouse: TestWarehouse;
let project: Project;

const build = (options: BuildOptions = {}): Promise<BuildResult> =>
  warehouse.with((connection) => runBuild(connection, project, options));

async function snapshot(): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const node of project.nodes) {
    tables[node.id] = await warehouse.query(`SELECT * FROM ${node.schema}.${node.name} ORDER BY ALL`);
  }
  return tables;
}

/** Builds incrementally, then from scratch: both must give every model the same rows. */
async function expectIncrementalEqualsFull(): Promise<BuildResult> {
  const incremental = await build();
  const afterIncremental = await snapshot();
  const full = await build({ fullRefresh: true });
  expect(full.updated).toEqual([]);
  const afterFull = await snapshot();
  for (const node of project.nodes) expect(afterIncremental[node.id], node.id).toEqual(afterFull[node.id]);
  expect(await revenueIdentityViolations(warehouse)).toEqual([]);
  return incremental;
}

async function importFor(clientId: string, platform: 'shopify' | 'postscript' | 'klaviyo', file: string, window?: [string, string]): Promise<void> {
  await warehouse.import({ clientId, platform, file, ...(window ? { from: window[0], to: window[1] } : {}) });
}

beforeEach(async () => {
  warehouse = new TestWarehouse();
  project = compileProject(ROOT);
  for (const client of ['acme', 'beta']) {
    await warehouse.client(client, { timezone: 'America/New_York', currency: 'USD' });
    await importFor(client, 'shopify', SHOPIFY);
    await importFor(client, 'postscript', PS_SEPTEMBER, ['2026-07-01', '2026-09-14']);
  }
  await importFor('acme', 'klaviyo', KLAVIYO);
  await build();
});

afterEach(() => warehouse.cleanup());

describe('an incremental build', () => {
  it('rebuilds only the rows of the client whose uploads changed, as a full rebuild would', async () => {
    await importFor('beta', 'postscript', PS_NOVEMBER, ['2026-08-03', '2026-10-31']);
    await importFor('beta', 'klaviyo', KLAVIYO);
    const result = await expectIncrementalEqualsFull();
    expect(result.updated.map((model) => model.id)).toContain('marts.revenue_summary');
    expect(result.updated.map((model) => model.id)).toContain('dedup.dedup_claim_rows');
    for (const model of result.updated) expect(model.clients).toEqual(['beta']);
    expect(result.built.length).toBe(result.updated.length);
  });

  it('rebuilds a client whose settings changed, and only that client', async () => {
    await warehouse.client('acme', { view_only: 'exclude', model: 'click-priority' });
    const result = await expectIncrementalEqualsFull();
    expect(result.updated.length).toBeGreaterThan(0);
    for (const model of result.updated) expect(model.clients).toEqual(['acme']);
    const [excluded] = await warehouse.query(
      `SELECT sum(view_only_excluded_revenue) AS amount FROM marts.revenue_summary WHERE client_id = 'acme'`,
    );
    expect(Number(excluded?.amount)).toBeGreaterThan(0);
  });

  it('adds a new client without touching the others, and changes nothing when nothing changed', async () => {
    await warehouse.client('gamma', { timezone: 'UTC' });
    await importFor('gamma', 'shopify', SHOPIFY);
    await importFor('gamma', 'postscript', PS_NOVEMBER);
    const result = await expectIncrementalEqualsFull();
    for (const model of result.updated) expect(model.clients).toEqual(['gamma']);
    const again = await build();
    expect(again.built).toEqual([]);
    expect(again.unchanged).toHaveLength(project.nodes.length);
  });

  it('rebuilds the months of an export with no rows but a window, once', async () => {
    const empty = join(warehouse.dir, 'postscript_empty.csv');
    writeFileSync(empty, `${readFileSync(PS_SEPTEMBER, 'utf8').split('\n')[0]}\n`);
    await importFor('beta', 'postscript', empty, ['2026-09-01', '2026-09-14']);
    const result = await expectIncrementalEqualsFull();
    const claims = result.updated.find((model) => model.id === 'dedup.dedup_claims');
    expect(claims?.clients).toEqual(['beta']);
    // The export withdraws beta's claims of those days: fewer of beta's claims than acme's now.
    const [counts] = await warehouse.query(
      `SELECT count(*) FILTER (WHERE client_id = 'acme') AS acme, count(*) FILTER (WHERE client_id = 'beta') AS beta FROM dedup.dedup_claims`,
    );
    expect(Number(counts?.beta)).toBeLessThan(Number(counts?.acme));
    const again = await build();
    expect(again.built).toEqual([]);
  });

  it('catches up a model built by --select from parents that were behind', async () => {
    await importFor('beta', 'postscript', PS_NOVEMBER, ['2026-08-03', '2026-10-31']);
    const selected = await build({ select: 'revenue_summary' });
    expect(selected.built).toEqual(['marts.revenue_summary']);
    const result = await expectIncrementalEqualsFull();
    expect(result.updated.map((model) => model.id)).toContain('marts.revenue_summary');
  });

  it('takes a new upload by upload in staging and by whole client after it in a build of selected models', async () => {
    await importFor('beta', 'postscript', PS_NOVEMBER, ['2026-08-03', '2026-10-31']);
    const selected = await build({ select: '+dedup_claims' });
    expect(selected.updated.map((model) => model.id)).toEqual(expect.arrayContaining(['staging.stg_claims', 'dedup.dedup_claims']));
    for (const model of selected.updated) expect(model.clients).toEqual(['beta']);
    // The models it built are not built again by the build of every model, so their rows are the ones
    // compared with a full rebuild.
    const rest = await expectIncrementalEqualsFull();
    expect([...rest.built, ...rest.updated.map((model) => model.id)]).not.toContain('dedup.dedup_claims');
    expect(rest.unchanged).toContain('dedup.dedup_claims');
  });

  it('rebuilds a model whole when every client changed, but for the uploads and months of an upload change', async () => {
    await warehouse.client('acme', { view_only: 'exclude' });
    await warehouse.client('beta', { view_only: 'exclude' });
    const settings = await expectIncrementalEqualsFull();
    expect(settings.updated).toEqual([]);
    expect(settings.built).toContain('marts.order_attribution');

    await importFor('acme', 'postscript', PS_NOVEMBER, ['2026-08-03', '2026-10-31']);
    await importFor('beta', 'postscript', PS_NOVEMBER, ['2026-08-03', '2026-10-31']);
    const uploads = await expectIncrementalEqualsFull();
    // Partitioned models take the new uploads (staging) and the months they touch (the rest) for both
    // clients; a model partitioned by client alone is rebuilt whole.
    const updated = uploads.updated.map((model) => model.id);
    expect(updated).toEqual(expect.arrayContaining(['staging.stg_claims', 'dedup.dedup_claim_rows', 'marts.order_attribution']));
    for (const model of uploads.updated) expect(model.clients).toEqual(['acme', 'beta']);
    expect(updated).not.toContain('marts.revenue_summary');
    expect(uploads.built).toContain('marts.revenue_summary');
  });
});
