// Every build and model run is recorded, the ones that fail included (a failed `lasttouch build`
// publishes its record and nothing else), and `lasttouch models` lists the models with their last run
// and what the next build does with them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/models/compile.js';
import { runBuild } from '../../src/models/run.js';
import { cli, cliQuery, ONE_ORDER, projectCopy, ROOT, TestWarehouse } from '../helpers.js';

const { shopify: SHOPIFY, postscript: POSTSCRIPT } = ONE_ORDER;

interface Listed {
  id: string;
  layer: string;
  fingerprint: string | null;
  rows: number | null;
  next_build: string;
  last_run: { run_id: number; action: string; status: string } | null;
}

describe('run history', () => {
  let warehouse: TestWarehouse;

  beforeEach(async () => {
    warehouse = new TestWarehouse();
    await warehouse.import({ platform: 'shopify', file: warehouse.file('shop.csv', SHOPIFY) });
    await warehouse.import({ platform: 'postscript', file: warehouse.file('ps.csv', POSTSCRIPT) });
  });
  afterEach(() => warehouse.cleanup());

  it('records a published build and each model it ran with its fingerprint, version, times and rows', async () => {
    const result = await warehouse.build();
    const [build] = await warehouse.query('SELECT run_id, build_id, status, error, finished_at >= started_at AS ordered FROM meta.build_runs');
    expect(build).toEqual({ run_id: 1, build_id: result.buildId, status: 'built', error: null, ordered: true });
    const runs = await warehouse.query(
      `SELECT r.model, r.action, r.status, r.version, r.fingerprint = s.fingerprint AS same_fingerprint, r.row_count = s.row_count AS same_rows
       FROM meta.model_runs AS r JOIN meta.model_state AS s USING (model) ORDER BY r.model`,
    );
    expect(runs.map((run) => run.model)).toEqual([...result.built].sort());
    expect(runs.every((run) => run.action === 'build' && run.status === 'built' && run.same_fingerprint && run.same_rows)).toBe(true);
    expect(runs.find((run) => run.model === 'marts.revenue_summary')?.version).toBe('2');
  });

  it('records an update with the clients it rebuilt, and a build of every client with none', async () => {
    await warehouse.build();
    await warehouse.import({ clientId: 'beta', platform: 'shopify', file: warehouse.file('beta-shop.csv', SHOPIFY) });
    await warehouse.build();
    const runs = await warehouse.query('SELECT run_id, action, clients FROM meta.model_runs ORDER BY run_id, model');
    expect(runs.filter((run) => run.run_id === 1).every((run) => run.action === 'build' && run.clients === null)).toBe(true);
    const updates = runs.filter((run) => run.run_id === 2 && run.action === 'update');
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((run) => JSON.stringify(run.clients) === '["beta"]')).toBe(true);
  });

  it('records a build that failed, with its error, the failed model and the ones rolled back', async () => {
    await warehouse.build();
    const project = projectCopy();
    writeFileSync(join(project, 'sql', 'marts', 'store_summary.sql'), '-- Broken.\n-- incremental: client_id\n-- version: 9\nSELECT no_such_column, client_id FROM marts.order_attribution\n');
    await expect(warehouse.with((db) => runBuild(db, compileProject(project), { fullRefresh: true }))).rejects.toThrow(/marts\.store_summary/);
    const builds = await warehouse.query('SELECT run_id, build_id, status, error FROM meta.build_runs ORDER BY run_id');
    expect(builds).toHaveLength(2);
    expect(builds[1]).toMatchObject({ run_id: 2, build_id: null, status: 'failed' });
    expect(String(builds[1]?.error)).toContain('no_such_column');
    const runs = await warehouse.query(`SELECT model, status, version, error FROM meta.model_runs WHERE run_id = 2 ORDER BY model`);
    expect(runs.find((run) => run.model === 'marts.store_summary')).toMatchObject({ status: 'failed', version: '9' });
    expect(runs.filter((run) => run.status === 'rolled back').length).toBe(runs.length - 1);
    expect(runs.length).toBeGreaterThan(10);
    // The published build's record stays the last one.
    expect(await warehouse.query('SELECT count(*)::INTEGER AS n FROM meta.builds')).toEqual([{ n: 1 }]);
  });

  it('publishes the record of a failed `lasttouch build`, and only that', () => {
    const refused = cli(['--db', warehouse.path, 'build', '--select', 'revenue_summary']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('has never been built and is not selected');
    expect(cliQuery(warehouse.path, 'SELECT status, selector, build_id FROM meta.build_runs')).toEqual([
      { status: 'failed', selector: 'revenue_summary', build_id: null },
    ]);
    expect(cliQuery(warehouse.path, `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = 'marts'`)).toEqual([{ n: 0 }]);
  });

  it('writes nothing for a build with nothing to do, and builds again when a data test changes', async () => {
    expect(cli(['--db', warehouse.path, 'build']).status).toBe(0);
    const before = readFileSync(warehouse.path);
    const again = cli(['--db', warehouse.path, 'build']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^nothing to build: 20 models unchanged since build 1, and the data tests are the ones it passed; nothing written\n$/);
    expect(readFileSync(warehouse.path).equals(before)).toBe(true);
    const json = JSON.parse(cli(['--db', warehouse.path, 'build', '--json']).stdout) as { build_id: number; ok: boolean; built: string[]; unchanged: string[] };
    expect(json).toMatchObject({ build_id: 1, ok: true, built: [] });
    expect(json.unchanged).toHaveLength(20);
    // --full-refresh always builds; so does a changed data test (its SQL is part of what the last build ran).
    expect(cli(['--db', warehouse.path, 'build', '--full-refresh']).stdout).toMatch(/^build 2: 20 models built/m);
    await warehouse.with((db) =>
      db.run(`UPDATE meta.build_runs SET tests_fingerprint = 'other tests' WHERE run_id = (SELECT max(run_id) FROM meta.build_runs)`),
    );
    expect(cli(['--db', warehouse.path, 'build']).stdout).toMatch(/^build 3: 0 models built, 20 unchanged, 0 not selected; data tests: \d+ of \d+ passed/m);
  });

  it('lists the models with their last run, rows and what the next build does', async () => {
    expect(cli(['--db', warehouse.path, 'build']).status).toBe(0);
    const listed = (): Listed[] => JSON.parse(cli(['--db', warehouse.path, 'models', '--json']).stdout) as Listed[];
    const first = listed();
    expect(first.map((model) => model.id)).toEqual(compileProject(ROOT).nodes.map((node) => node.id));
    expect(first.every((model) => model.next_build === 'unchanged' && model.last_run?.status === 'built')).toBe(true);
    const summary = first.find((model) => model.id === 'marts.revenue_summary');
    expect(summary).toMatchObject({ layer: 'marts', rows: 1, last_run: { run_id: 1, action: 'build' } });
    expect(summary?.fingerprint).toBe(
      (cliQuery(warehouse.path, `SELECT fingerprint FROM meta.model_state WHERE model = 'marts.revenue_summary'`) as { fingerprint: string }[])[0]?.fingerprint,
    );
    await warehouse.import({ clientId: 'bolt', platform: 'shopify', file: warehouse.file('bolt.csv', SHOPIFY) });
    const next = listed();
    expect(next.find((model) => model.id === 'staging.stg_shopify_orders')?.next_build).toBe('update');
    expect(next.find((model) => model.id === 'seeds.channels')?.next_build).toBe('unchanged');
    const text = cli(['--db', warehouse.path, 'models']);
    expect(text.stdout).toMatch(/^model +layer +materialized +version +fingerprint +last run +rows +next build\n/);
    expect(text.stdout).toMatch(/\nmarts\.revenue_summary +marts +table by client_id +2 +[0-9a-f]{12} +\S+ \S+ UTC build built +1 +update\n/);
    // A model partitioned finer than the client says so, in the list and in its JSON.
    expect(text.stdout).toMatch(/\nstaging\.stg_claims +staging +table by client_id, upload_id, month\(order_date\) +/);
    expect(next.find((model) => model.id === 'dedup.dedup_claim_rows')).toMatchObject({ incremental: 'client_id', partition: 'month(month)' });
    expect(summary).toMatchObject({ partition: null });
  });
});
