// The benchmark data generator (scripts/gen.mjs): the same seed and arguments give the same bytes and
// another seed gives other data; what it writes goes through the CLI in manifest order without a
// refusal or a warning, month by month as the bench loads it, builds with every data test passing, and
// holds the shares the generator promises.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, revenueIdentityViolations, ROOT, tempDir, TestWarehouse } from '../helpers.js';

const ORDERS = 2000;
const MONTHS = 4;
const CLIENT = 'bench-brand';

interface Manifest {
  clients: {
    id: string;
    settings: { timezone: string; currency: string };
    imports: { platform: 'shopify' | 'klaviyo' | 'postscript'; file: string; from?: string; to?: string }[];
  }[];
  orders: number;
  seed: number;
  months: { month: string; imports: number[] }[];
}

function generate(seed: number, dir: string): void {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts', 'gen.mjs'), '--orders', String(ORDERS), '--seed', String(seed), '--months', String(MONTHS), '--out', dir],
    { encoding: 'utf8', timeout: 60_000 },
  );
  expect(result.stderr).not.toMatch(/Error/);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^files: 13, rows: \d+, bytes: \d+, seconds: [\d.]+$/m);
}

/** sha256 of every file in dir, by file name. */
function digests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) out[name] = createHash('sha256').update(readFileSync(join(dir, name))).digest('hex');
  return out;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;

describe('scripts/gen.mjs', () => {
  const dirs: string[] = [];
  let first: string;
  let warehouse: TestWarehouse;

  beforeAll(() => {
    first = tempDir('lasttouch-gen-');
    dirs.push(first);
    generate(7, first);
  });

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    warehouse?.cleanup();
  });

  it('writes the same bytes for the same seed and arguments, and other data for another seed', () => {
    const again = tempDir('lasttouch-gen-');
    const other = tempDir('lasttouch-gen-');
    dirs.push(again, other);
    generate(7, again);
    generate(8, other);

    const a = digests(first);
    const b = digests(again);
    const c = digests(other);
    expect(Object.keys(a)).toEqual([
      'klaviyo_2026-07.csv',
      'klaviyo_2026-08.csv',
      'klaviyo_2026-09.csv',
      'klaviyo_2026-10.csv',
      'manifest.json',
      'postscript_2026-08-01.csv',
      'postscript_2026-09-01.csv',
      'postscript_2026-10-01.csv',
      'postscript_2026-11-01.csv',
      'shopify_2026-07.csv',
      'shopify_2026-08.csv',
      'shopify_2026-09.csv',
      'shopify_2026-10.csv',
    ]);
    expect(b).toEqual(a);
    expect(Object.keys(c)).toEqual(Object.keys(a));
    for (const name of Object.keys(a)) expect(c[name], name).not.toBe(a[name]);
  });

  it('writes a manifest in the demo shape: each month its Shopify and Klaviyo files, then the next Postscript report', () => {
    const manifest = readManifest(first);
    expect(manifest.orders).toBe(ORDERS);
    expect(manifest.seed).toBe(7);
    expect(manifest.clients).toHaveLength(1);
    const client = manifest.clients[0]!;
    expect(client.id).toBe(CLIENT);
    expect(client.settings).toEqual({ timezone: 'America/New_York', currency: 'USD' });
    expect(manifest.months).toEqual([
      { month: '2026-07', imports: [0, 1, 2] },
      { month: '2026-08', imports: [3, 4, 5] },
      { month: '2026-09', imports: [6, 7, 8] },
      { month: '2026-10', imports: [9, 10, 11] },
    ]);
    expect(client.imports.slice(9)).toEqual([
      { platform: 'shopify', file: 'shopify_2026-10.csv', from: '2026-10-01', to: '2026-10-31' },
      { platform: 'klaviyo', file: 'klaviyo_2026-10.csv', from: '2026-10-01', to: '2026-10-31' },
      // the rolling report exported on 2026-11-01: the 90 days before it
      { platform: 'postscript', file: 'postscript_2026-11-01.csv', from: '2026-08-03', to: '2026-10-31' },
    ]);
    const header = readFileSync(join(first, 'shopify_2026-07.csv'), 'utf8').split('\n', 1)[0]!;
    expect(header.split(',')).toHaveLength(79);
  });

  it('imports month by month through the CLI without a refusal, builds, and holds the promised shares', async () => {
    const manifest = readManifest(first);
    const client = manifest.clients[0]!;
    warehouse = new TestWarehouse();
    const run = (...args: string[]) => cli(['--db', warehouse.path, ...args]);
    const set = run('client', 'set', client.id, '--timezone', client.settings.timezone, '--currency', client.settings.currency);
    expect(set.status).toBe(0);

    // As the bench does: every month but the last, build; then the last month, build again.
    const load = (months: Manifest['months']) => {
      for (const month of months) {
        for (const index of month.imports) {
          const upload = client.imports[index]!;
          const result = run('import', upload.platform, join(first, upload.file), '--client', client.id, '--from', upload.from!, '--to', upload.to!);
          expect(result.stderr, upload.file).toBe('');
          expect(result.status, upload.file).toBe(0);
          expect(result.stdout, upload.file).not.toContain('warning');
        }
      }
      const build = run('build');
      expect(build.stderr).toBe('');
      expect(build.status).toBe(0);
      expect(build.stdout).toMatch(/data tests: (\d+) of \1 passed/);
    };
    load(manifest.months.slice(0, -1));
    load(manifest.months.slice(-1));

    const one = async (sql: string): Promise<number> => Number((await warehouse.query(sql))[0]?.n);
    expect(await one(`SELECT count(*) AS n FROM dedup.dedup_shopify_orders WHERE client_id = '${CLIENT}'`)).toBe(ORDERS);
    expect(await one(`SELECT count(*) AS n FROM dedup.dedup_claims WHERE NOT shopify_matched`)).toBe(0);
    expect(await revenueIdentityViolations(warehouse)).toEqual([]);

    const share = async (platform: string) =>
      (await one(`SELECT count(DISTINCT order_key) AS n FROM dedup.dedup_claims WHERE platform = '${platform}'`)) / ORDERS;
    const postscript = await share('postscript');
    const klaviyo = await share('klaviyo');
    expect(postscript).toBeGreaterThan(0.2);
    expect(postscript).toBeLessThan(0.4);
    expect(klaviyo).toBeGreaterThan(0.3);
    expect(klaviyo).toBeLessThan(0.5);

    const both = await one(`
      SELECT count(*) AS n FROM (
        SELECT order_key FROM dedup.dedup_claims GROUP BY order_key HAVING count(DISTINCT platform) = 2)`);
    expect(both / ORDERS).toBeGreaterThan(0.08);
    expect(both / ORDERS).toBeLessThan(0.2);
    // some of them with exactly the same touch time on both platforms
    const ties = await one(`
      SELECT count(*) AS n FROM (
        SELECT order_key FROM dedup.dedup_claims WHERE touch_at IS NOT NULL
        GROUP BY order_key HAVING count(DISTINCT platform) = 2 AND count(DISTINCT touch_at) = 1)`);
    expect(ties).toBeGreaterThan(0);
    // the rolling reports overlap: older rows are superseded, a few touches come after the order
    const findings = await warehouse.query(`SELECT check_name, affected_rows FROM marts.data_quality WHERE client_id = '${CLIENT}'`);
    const names = findings.map((row) => row.check_name);
    expect(names).toContain('superseded_rows');
    expect(names).toContain('touch_after_order');
    expect(names).toContain('unknown_touch_time');
    expect(names).not.toContain('coverage_gap');
    expect(names).not.toContain('month_not_fully_covered');
  });
});
