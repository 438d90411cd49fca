// The model runner on a real DuckDB file: compile errors collected with file and line, dependency order,
// fingerprints deciding what is rebuilt, and a failed build leaving the previous marts as they were.
import { readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/models/compile.js';
import { BuildFailedError, CompileError } from '../../src/models/errors.js';
import { describeFailures, runBuild } from '../../src/models/run.js';
import { cli, ONE_ORDER, projectCopy, ROOT, TestWarehouse } from '../helpers.js';

const { shopify: SHOPIFY, postscript: POSTSCRIPT } = ONE_ORDER;

describe('model runner', () => {
  let warehouse: TestWarehouse;
  let project: string;

  beforeEach(async () => {
    warehouse = new TestWarehouse();
    project = projectCopy();
    await warehouse.import({ platform: 'shopify', file: warehouse.file('shop.csv', SHOPIFY) });
    await warehouse.import({ platform: 'postscript', file: warehouse.file('ps.csv', POSTSCRIPT) });
  });

  afterEach(() => {
    warehouse.cleanup();
    rmSync(project, { recursive: true, force: true });
  });

  const build = (root: string, options = {}) =>
    warehouse.with((db) => runBuild(db, compileProject(root), options));

  it('finds dependencies from the tables each model reads and runs parents first', () => {
    const compiled = compileProject(ROOT);
    const order = compiled.nodes.map((node) => node.id);
    const summary = compiled.nodes.find((node) => node.id === 'marts.revenue_summary');
    expect(summary?.dependsOn.sort()).toEqual(['marts.message_revenue', 'seeds.platforms']);
    const messages = compiled.nodes.find((node) => node.id === 'marts.message_revenue');
    expect(messages?.dependsOn).toEqual(['attribution.attribution_claims']);
    for (const node of compiled.nodes) {
      for (const parent of node.dependsOn) expect(order.indexOf(parent)).toBeLessThan(order.indexOf(node.id));
    }
    // Claims of every platform come in one shape from raw.claim_rows, whatever the platforms are.
    expect(compiled.nodes.find((node) => node.id === 'staging.stg_claims')?.sources.sort()).toEqual(['raw.claim_rows']);
    expect(compiled.nodes.find((node) => node.id === 'staging.stg_claims')?.dependsOn.sort()).toEqual([
      'staging.stg_clients',
      'staging.stg_uploads',
    ]);
    expect(compiled.nodes.find((node) => node.id === 'staging.stg_uploads')?.sources.sort()).toEqual([
      'meta.upload_removals',
      'meta.uploads',
    ]);
    expect(compiled.tests.map((test) => test.name)).toContain('revenue_identity');
  });

  it('collects every compile problem with its file and line', () => {
    writeFileSync(join(project, 'sql/marts/broken.sql'), '-- A model reading a table nobody defines.\n-- version: 1\nSELECT *\nFROM staging.nowhere\n');
    writeFileSync(join(project, 'sql/marts/loop_a.sql'), '-- One half of a cycle.\n-- version: 1\nSELECT * FROM marts.loop_b\n');
    writeFileSync(join(project, 'sql/marts/loop_b.sql'), '-- The other half.\n-- version: 1\nSELECT * FROM marts.loop_a\n');
    writeFileSync(join(project, 'sql/marts/no_version.sql'), '-- A model without a version.\nSELECT 1 AS x\n');
    // seeds.platforms comes from the export formats' declarations; a CSV of that name would be a second source.
    writeFileSync(join(project, 'seeds/platforms.csv'), 'platform,label\npostscript,Postscript\n');
    let error: unknown;
    try {
      compileProject(project);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CompileError);
    const message = (error as Error).message;
    expect(message).toContain('sql/marts/broken.sql:4: reads staging.nowhere, which no model or seed defines');
    expect(message).toContain('sql/marts/loop_a.sql:1: marts.loop_a is part of a dependency cycle');
    expect(message).toContain('sql/marts/loop_b.sql:1: marts.loop_b is part of a dependency cycle');
    expect(message).toContain('sql/marts/no_version.sql:1: the comment header lacks a version');
    expect(message).toContain('seeds/platforms.csv:1: seeds.platforms comes from the export formats (src/ingest/formats/); remove the CSV');
    expect((error as CompileError).problems).toHaveLength(5);
  });

  it('does not take references in comments or strings for dependencies', () => {
    writeFileSync(
      join(project, 'sql/marts/commented.sql'),
      "-- Reads marts.revenue_summary only.\n-- version: 1\nSELECT 'staging.nowhere' AS text /* marts.missing */ FROM marts.revenue_summary -- dedup.gone\n",
    );
    const node = compileProject(project).nodes.find((candidate) => candidate.id === 'marts.commented');
    expect(node?.dependsOn).toEqual(['marts.revenue_summary']);
  });

  it('rebuilds only what changed: nothing, then what a client setting reaches, then all with --full-refresh', async () => {
    const first = await build(ROOT);
    expect(first.unchanged).toEqual([]);
    const second = await build(ROOT);
    expect(second.built).toEqual([]);
    expect(second.unchanged).toHaveLength(first.built.length);
    await warehouse.client('acme', { view_only: 'exclude' });
    const third = await build(ROOT);
    expect(third.built).toContain('staging.stg_clients');
    expect(third.built).toContain('marts.revenue_summary');
    expect(third.unchanged).toContain('seeds.platforms');
    const full = await build(ROOT, { fullRefresh: true });
    expect(full.built).toHaveLength(first.built.length);
  });

  it('prints the plan with --dry-run, and what it says is what the build then does, writing nothing', async () => {
    await warehouse.import({ clientId: 'bolt', platform: 'shopify', file: warehouse.file('bolt.csv', SHOPIFY) });
    await build(ROOT);
    await warehouse.import({ platform: 'shopify', file: warehouse.file('shop2.csv', SHOPIFY.replace('#1001', '#1002').replace('0001,', '0002,')) });
    const stateBefore = await warehouse.query('SELECT model, fingerprint, build_id FROM meta.model_state ORDER BY model');
    const text = cli(['build', '--dry-run', '--db', warehouse.path]);
    expect(text.status, text.stderr).toBe(0);
    // A model partitioned by upload names the upload; one partitioned by client alone, the sources that moved.
    expect(text.stdout).toMatch(/update +staging\.stg_shopify_orders \(client acme\): client acme: upload \d+ new\n/);
    expect(text.stdout).toMatch(/update +marts\.revenue_summary \(client acme\): client acme: meta\.uploads, raw\.shopify_order_lines changed/);
    expect(text.stdout).toMatch(/unchanged +staging\.stg_clients\n/);
    // A model partitioned by month names the months the new upload touches, as the build will find them.
    expect(text.stdout).toMatch(/update +marts\.order_attribution \(client acme\): client acme: upload \d+ new, month 2026-08\n/);
    const json = cli(['build', '--dry-run', '--json', '--db', warehouse.path]);
    const plan = (JSON.parse(json.stdout) as { plan: { id: string; action: string; clients: string[] }[] }).plan;
    expect(await warehouse.query('SELECT model, fingerprint, build_id FROM meta.model_state ORDER BY model')).toEqual(stateBefore);
    const result = await build(ROOT);
    expect(plan.filter((step) => step.action === 'update').map((step) => step.id).sort()).toEqual(result.updated.map((model) => model.id).sort());
    expect(plan.filter((step) => step.action === 'unchanged').map((step) => step.id).sort()).toEqual([...result.unchanged].sort());
    expect(result.updated.length).toBeGreaterThan(0);
    expect(result.updated.find((model) => model.id === 'marts.order_attribution')).toBeDefined();
    const after = cli(['build', '--dry-run', '--db', warehouse.path]);
    expect(after.stdout).toContain(`0 to build, 0 to update for some clients, ${plan.length} unchanged, 0 not selected`);
  });

  it('runs the data tests a model header declares, holding back the client whose rows fail them', async () => {
    const file = join(project, 'sql', 'marts', 'store_summary.sql');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('-- version: 3\n', '-- version: 3\n-- accepted_values: currency = EUR, GBP\n'));
    const result = await build(project);
    const names = result.tests.map((test) => test.id);
    expect(names).toEqual(expect.arrayContaining(['tests.order_attribution__unique', 'tests.order_attribution__not_null', 'tests.store_summary__unique']));
    expect(result.tests.filter((test) => test.id.startsWith('tests.order_attribution__')).every((test) => test.failures === 0)).toBe(true);
    expect(result.heldBack.map((client) => client.clientId)).toEqual(['acme']);
    const [failed] = result.heldBack[0]?.tests ?? [];
    expect(failed).toMatchObject({ id: 'tests.store_summary__accepted_values__currency', file: 'sql/marts/store_summary.sql:6', failures: 1 });
    expect(failed?.sample[0]).toMatchObject({ client_id: 'acme', currency: 'USD' });
    expect(describeFailures(result.heldBack[0]?.tests ?? [])).toContain(
      `reproduce with:\n    lasttouch query "SELECT * FROM marts.store_summary WHERE currency IS NOT NULL AND currency::VARCHAR NOT IN ('EUR', 'GBP')"`,
    );
    writeFileSync(file, text.replace('-- version: 3\n', '-- version: 3\n-- unique: client id\n-- accepted_values: currency\n'));
    expect(() => compileProject(project)).toThrow(CompileError);
    try {
      compileProject(project);
    } catch (error) {
      expect((error as CompileError).message).toContain('sql/marts/store_summary.sql:6: unique takes column names separated by commas, not "client id"');
      expect((error as CompileError).message).toContain('sql/marts/store_summary.sql:7: accepted_values is written "-- accepted_values: column = value, value", not "currency"');
    }
  });

  it('runs only the selected models with --select', async () => {
    await build(ROOT);
    const result = await build(ROOT, { select: 'order_attribution+', fullRefresh: true });
    expect(result.built.sort()).toEqual(['marts.order_attribution', 'marts.store_summary']);
    expect(result.skipped).toContain('staging.stg_claims');
    await expect(build(ROOT, { select: 'no_such_model' })).rejects.toThrow(/no model named "no_such_model"/);
  });

  it('leaves the previous marts and build record intact when a data test fails, and shows the failing rows', async () => {
    await build(ROOT);
    const before = await warehouse.query('SELECT * FROM marts.revenue_summary');
    const builds = await warehouse.query('SELECT count(*) AS n FROM meta.builds');
    await warehouse.import({
      platform: 'postscript',
      file: warehouse.file('ps2.csv', POSTSCRIPT.replace('80.00,click', '95.00,view')),
    });
    writeFileSync(
      join(project, 'sql/tests/no_views.sql'),
      "-- A rule this data breaks on purpose.\nSELECT order_key, touch_type FROM dedup.dedup_claims WHERE touch_type = 'view'\n",
    );
    const failure = build(project);
    await expect(failure).rejects.toBeInstanceOf(BuildFailedError);
    await expect(failure).rejects.toThrow(/data test tests\.no_views \(sql\/tests\/no_views\.sql\) failed: 1 failing row/);
    await expect(failure).rejects.toThrow(/"order_key":"1001","touch_type":"view"/);
    await expect(failure).rejects.toThrow(/reproduce with:/);
    expect(await warehouse.query('SELECT * FROM marts.revenue_summary')).toEqual(before);
    expect(await warehouse.query('SELECT count(*) AS n FROM meta.builds')).toEqual(builds);
  });

  it('names the model whose SQL fails and keeps the previous marts', async () => {
    await build(ROOT);
    const before = await warehouse.query('SELECT * FROM marts.order_attribution');
    appendFileSync(join(project, 'sql/marts/order_attribution.sql'), '\nLIMIT not_a_number\n');
    await expect(build(project)).rejects.toThrow(/model marts\.order_attribution \(sql\/marts\/order_attribution\.sql\) failed/);
    expect(await warehouse.query('SELECT * FROM marts.order_attribution')).toEqual(before);
  });
});
