// Where partitioned models keep their rows: a view of the model's name over tables of the schema
// `partitions`. A full build writes one table; an update writes the rebuilt rows as a new table and deletes
// them from the older ones; an emptied table is dropped (not the model's last); beyond MAX_PARTS the two
// smallest are merged; a model kept as a plain table by an older lasttouch becomes its first table; a
// model that stops being partitioned goes back to a plain table. The rows are always the full rebuild's.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileProject, type Project, type ProjectNode } from '../../src/models/compile.js';
import { MAX_PARTS, ModelParts, readRelations } from '../../src/models/parts.js';
import { runBuild, type BuildOptions, type BuildResult } from '../../src/models/run.js';
import { ROOT, TestWarehouse, projectCopy } from '../helpers.js';

const DEMO = join(ROOT, 'seeds', 'demo');
const SHOPIFY = join(DEMO, 'shopify_orders.csv');
const PS_SEPTEMBER = join(DEMO, 'postscript_revenue_2026-09-15.csv');
const PS_NOVEMBER = join(DEMO, 'postscript_revenue_2026-11-01.csv');

let warehouse: TestWarehouse;
let project: Project;
const dirs: string[] = [];

const build = (options: BuildOptions = {}, on: Project = project): Promise<BuildResult> =>
  warehouse.with((connection) => runBuild(connection, on, options));

/** Per partitioned model, its tables in the schema partitions. */
async function partsByModel(): Promise<Record<string, string[]>> {
  const rows = await warehouse.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'partitions' ORDER BY table_name`,
  );
  const result: Record<string, string[]> = {};
  for (const row of rows) {
    const name = String(row.table_name);
    const [schema, model] = name.split('__');
    const id = `${schema}.${model}`;
    (result[id] ??= []).push(name);
  }
  return result;
}

async function relationType(id: string): Promise<string | undefined> {
  const [schema, name] = id.split('.');
  const [row] = await warehouse.query(`SELECT table_type FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name = '${name}'`);
  return row === undefined ? undefined : String(row.table_type);
}

async function snapshot(on: Project = project): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const node of on.nodes) tables[node.id] = await warehouse.query(`SELECT * FROM ${node.schema}.${node.name} ORDER BY ALL`);
  return tables;
}

beforeEach(async () => {
  warehouse = new TestWarehouse();
  project = compileProject(ROOT);
  for (const client of ['acme', 'beta']) {
    await warehouse.client(client, { timezone: 'America/New_York', currency: 'USD' });
    await warehouse.import({ clientId: client, platform: 'shopify', file: SHOPIFY });
    await warehouse.import({ clientId: client, platform: 'postscript', file: PS_SEPTEMBER, from: '2026-07-01', to: '2026-09-14' });
  }
  await build();
});

afterEach(() => {
  warehouse.cleanup();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a partitioned model', () => {
  it('is a view over one table after a full build, and gains a table for the rows an update rebuilds', async () => {
    const partitioned = project.nodes.filter((node) => node.partition !== null).map((node) => node.id);
    expect(partitioned).toEqual(expect.arrayContaining(['staging.stg_claims', 'dedup.dedup_claim_rows', 'marts.order_attribution']));
    const first = await partsByModel();
    expect(Object.keys(first).sort()).toEqual([...partitioned].sort());
    for (const id of partitioned) {
      expect(await relationType(id), id).toBe('VIEW');
      expect(first[id], id).toHaveLength(1);
    }
    for (const node of project.nodes.filter((each) => each.partition === null && each.materialized === 'table')) {
      expect(await relationType(node.id), node.id).toBe('BASE TABLE');
    }

    await warehouse.import({ clientId: 'beta', platform: 'postscript', file: PS_NOVEMBER, from: '2026-08-03', to: '2026-10-31' });
    const update = await build();
    expect(update.updated.map((model) => model.id)).toContain('dedup.dedup_claim_rows');
    const second = await partsByModel();
    // The month models and staging wrote beta's rebuilt rows as a table of their own, beside the first.
    for (const id of ['staging.stg_claims', 'dedup.dedup_claim_rows', 'marts.order_attribution']) {
      expect(second[id], id).toHaveLength(2);
      expect(second[id], id).toContain(first[id]?.[0]);
    }
    const incremental = await snapshot();

    const full = await build({ fullRefresh: true });
    expect(full.updated).toEqual([]);
    for (const id of partitioned) expect((await partsByModel())[id], id).toHaveLength(1);
    expect(await snapshot()).toEqual(incremental);
  });

  it('becomes a plain table again when it is no longer partitioned, and a view again when it is', async () => {
    const copy = projectCopy();
    dirs.push(copy);
    const file = join(copy, 'sql', 'marts', 'order_attribution.sql');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^-- partition: .*\n/m, ''));
    const plain = compileProject(copy);
    await build({}, plain);
    expect(await relationType('marts.order_attribution')).toBe('BASE TABLE');
    expect((await partsByModel())['marts.order_attribution']).toBeUndefined();
    const rows = await snapshot(plain);

    writeFileSync(file, text);
    const again = compileProject(copy);
    await build({}, again);
    expect(await relationType('marts.order_attribution')).toBe('VIEW');
    expect((await partsByModel())['marts.order_attribution']).toHaveLength(1);
    expect(await snapshot(again)).toEqual(rows);
  });
});

describe('ModelParts', () => {
  const node = { id: 'marts.parted', schema: 'marts', name: 'parted' } as ProjectNode;
  const count = (): Promise<number> =>
    warehouse.with(async (connection) => Number((await connection.one('SELECT count(*) AS n FROM marts.parted'))?.n));

  it('drops a table its rows all left, keeps the last one, and merges the smallest beyond the limit', async () => {
    await warehouse.with(async (connection) => {
      const parts = await ModelParts.open(connection, node, 1, await readRelations(connection));
      await parts.replace('SELECT range AS k, range % 3 AS g FROM range(30)');
      expect(parts.tables()).toEqual(['partitions."marts__parted__1_1"']);
      // g = 0 leaves the first table for a table of its own.
      await parts.write('SELECT range * 3 AS k, 0 AS g FROM range(10)', { where: 't.g = 0' });
      expect(parts.tables()).toHaveLength(2);
      // Every row of the first table leaves it: it is dropped.
      await parts.write('SELECT range * 3 + 1 AS k, g FROM (SELECT range, unnest([1, 2]) AS g FROM range(10))', { where: 't.g IN (1, 2)' });
      expect(parts.tables()).toEqual(['partitions."marts__parted__1_2"', 'partitions."marts__parted__1_3"']);
      // Rows removed with nothing written: the emptied table goes, but never the last.
      await parts.write(null, { where: 't.g = 0' });
      expect(parts.tables()).toEqual(['partitions."marts__parted__1_3"']);
      await parts.write(null, { where: 'true' });
      expect(parts.tables()).toEqual(['partitions."marts__parted__1_3"']);
    });
    expect(await count()).toBe(0);

    await warehouse.with(async (connection) => {
      const parts = await ModelParts.open(connection, node, 2, await readRelations(connection));
      for (let g = 0; g < MAX_PARTS + 3; g += 1) {
        await parts.write(`SELECT range AS k, ${g} AS g FROM range(${g + 1})`, { where: `t.g = ${g}` });
        expect(parts.tables().length).toBeLessThanOrEqual(MAX_PARTS);
      }
      expect(parts.tables()).toHaveLength(MAX_PARTS);
    });
    // Every row written is there once: 1 + 2 + ... + (MAX_PARTS + 3).
    expect(await count()).toBe(((MAX_PARTS + 3) * (MAX_PARTS + 4)) / 2);
    // The tables found again by the next build are the ones the view reads.
    await warehouse.with(async (connection) => {
      const parts = await ModelParts.open(connection, node, 3, await readRelations(connection));
      expect(parts.tables()).toHaveLength(MAX_PARTS);
      await parts.write('SELECT 100 AS k, 0 AS g', { where: 't.g = 0' });
    });
    expect(await count()).toBe(((MAX_PARTS + 3) * (MAX_PARTS + 4)) / 2);
  });

  it('takes a model kept as one plain table as its first table', async () => {
    await warehouse.with(async (connection) => {
      await connection.run('CREATE SCHEMA IF NOT EXISTS marts');
      await connection.run('CREATE TABLE marts.parted AS SELECT range AS k, range % 2 AS g FROM range(6)');
      const parts = await ModelParts.open(connection, node, 4, await readRelations(connection));
      expect(parts.tables()).toEqual(['partitions."marts__parted__4_1"']);
      await parts.write('SELECT 7 AS k, 1 AS g', { where: 't.g = 1' });
    });
    expect(await relationType('marts.parted')).toBe('VIEW');
    expect(await warehouse.query('SELECT k, g FROM marts.parted ORDER BY k')).toEqual([
      { k: 0, g: 0 },
      { k: 2, g: 0 },
      { k: 4, g: 0 },
      { k: 7, g: 1 },
    ]);
  });
});
