// Crashes and readers, through the CLI on a real warehouse of 50,000 orders:
// - an import, a build and a report killed with SIGKILL at random points leave the old state or the new
//   one, whole; the next command works; the marts (and the site) then equal those of a clean run;
// - a reader started while a build runs answers from the last published build without waiting for it;
// - a client holding the warehouse file open read-only does not make a build fail.
// LASTTOUCH_KILL_POINTS sets how many random points each of the three gets (3 unless set; CI runs 20),
// and one more run of each goes to its end, which must give the new state.
// The seed of the points is printed, and LASTTOUCH_KILL_SEED replays a run.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, MARTS, ROOT, seededRandom, tempDir } from '../helpers.js';

const POINTS = Number(process.env.LASTTOUCH_KILL_POINTS ?? '3');
const SEED = Number(process.env.LASTTOUCH_KILL_SEED ?? String(Date.now() % 1_000_000));
const CLIENT = 'kill';

function ok(args: string[]): string {
  const result = cli(args);
  if (result.status !== 0) throw new Error(`lasttouch ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; ms: number }>;
}

function start(args: string[]): Run {
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'lasttouch.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; ms: number }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr, ms: Date.now() - started })),
  );
  return { child, done };
}

/** Runs the command to its end, or kills it with SIGKILL after delayMs; says which happened. */
async function killAfter(args: string[], delayMs: number | null): Promise<'killed' | 'finished'> {
  const run = start(args);
  const timer = delayMs === null ? undefined : setTimeout(() => run.child.kill('SIGKILL'), delayMs);
  const { code, signal, stderr } = await run.done;
  clearTimeout(timer);
  if (signal === 'SIGKILL') return 'killed';
  if (code !== 0) throw new Error(`lasttouch ${args.join(' ')} exited ${code}: ${stderr}`);
  return 'finished';
}

/** Counts and an order-independent hash of every row of the given tables, read from the published file. */
async function fingerprint(db: string, tables: readonly string[]): Promise<Record<string, string>> {
  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const out: Record<string, string> = {};
    const existing = new Set(
      (await connection.runAndReadAll(`SELECT table_schema || '.' || table_name FROM information_schema.tables`)).getRows().map((row) => String(row[0])),
    );
    for (const table of tables) {
      if (!existing.has(table)) {
        out[table] = 'absent';
        continue;
      }
      // When an upload was imported is the one value two imports of the same file do not share.
      const rows = table === 'meta.uploads' ? `(SELECT * EXCLUDE (imported_at) FROM ${table})` : table;
      const reader = await connection.runAndReadAll(`SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(t)), 0)::VARCHAR FROM ${rows} t`);
      out[table] = String(reader.getRows()[0]?.[0]);
    }
    return out;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const STATE_TABLES = ['meta.uploads', 'raw.shopify_order_lines', 'raw.klaviyo_claims', 'raw.postscript_claims', 'meta.builds', ...MARTS];

/** Every file of a site with its content. */
function site(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string): void => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const path = join(sub, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return out;
}

/** What a killed writer may leave beside the warehouse: nothing once the next command has run. */
function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((name) => /\.next|\.wal$|\.tmp$|\.(new|old)-/.test(name));
}

describe(`SIGKILL at ${POINTS} random points (seed ${SEED}) of an import, a build and a report`, () => {
  let dir: string;
  let data: string;
  /** Imported Klaviyo and Postscript, built: build 1. */
  let stateA: string;
  /** stateA with the 50,000-order Shopify export imported, not built. */
  let stateA2: string;
  /** stateA2 built: build 2. */
  let stateB: string;
  let siteA: Record<string, string>;
  let siteB: Record<string, string>;
  const timing = { import: 0, build: 0, report: 0 };
  const rng = seededRandom(SEED);

  beforeAll(async () => {
    console.log(`kill points: ${POINTS}, seed ${SEED} (LASTTOUCH_KILL_SEED=${SEED} replays it)`);
    dir = tempDir('lasttouch-crash-');
    data = join(dir, 'data');
    const gen = spawn(process.execPath, [join(ROOT, 'scripts', 'gen.mjs'), '--orders', '50000', '--seed', '11', '--months', '1', '--out', data, '--client', CLIENT], {
      stdio: 'ignore',
    });
    await new Promise((resolve) => gen.on('close', resolve));
    stateA = join(dir, 'a.duckdb');
    ok(['--db', stateA, 'client', 'set', CLIENT, '--timezone', 'America/New_York']);
    ok(['--db', stateA, 'import', 'klaviyo', join(data, 'klaviyo_2026-10.csv'), '--client', CLIENT, '--from', '2026-10-01', '--to', '2026-10-31']);
    ok(['--db', stateA, 'import', 'postscript', join(data, 'postscript_2026-11-01.csv'), '--client', CLIENT, '--from', '2026-08-03', '--to', '2026-10-31']);
    ok(['--db', stateA, 'build']);
    stateA2 = join(dir, 'a2.duckdb');
    copyFileSync(stateA, stateA2);
    let t = Date.now();
    ok(['--db', stateA2, 'import', 'shopify', join(data, 'shopify_2026-10.csv'), '--client', CLIENT, '--from', '2026-10-01', '--to', '2026-10-31']);
    timing.import = Date.now() - t;
    stateB = join(dir, 'b.duckdb');
    copyFileSync(stateA2, stateB);
    t = Date.now();
    ok(['--db', stateB, 'build']);
    timing.build = Date.now() - t;
    ok(['--db', stateA, 'report', '--out', join(dir, 'site-a')]);
    t = Date.now();
    ok(['--db', stateB, 'report', '--out', join(dir, 'site-b')]);
    timing.report = Date.now() - t;
    siteA = site(join(dir, 'site-a'));
    siteB = site(join(dir, 'site-b'));
    expect(siteA).not.toEqual(siteB);
    console.log(`clean runs: import ${timing.import} ms, build ${timing.build} ms, report ${timing.report} ms`);
  }, 600_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an import killed anywhere leaves the upload absent or whole; the next command works', async () => {
    const before = await fingerprint(stateA, STATE_TABLES);
    const after = await fingerprint(stateA2, STATE_TABLES);
    expect(after['raw.shopify_order_lines']).not.toEqual(before['raw.shopify_order_lines']);
    const seen = new Set<string>();
    for (let point = 0; point <= POINTS; point += 1) {
      const work = join(dir, `import-${point}`);
      rmSync(work, { recursive: true, force: true });
      cpSync(stateA, join(work, 'w.duckdb'));
      const db = join(work, 'w.duckdb');
      // The last point is no kill at all: the whole run must give the new state.
      const delay = point === POINTS ? null : Math.round(rng() * timing.import * 1.1);
      const outcome = await killAfter(['--db', db, 'import', 'shopify', join(data, 'shopify_2026-10.csv'), '--client', CLIENT, '--from', '2026-10-01', '--to', '2026-10-31'], delay);
      const state = await fingerprint(db, STATE_TABLES);
      const which = JSON.stringify(state) === JSON.stringify(before) ? 'old' : JSON.stringify(state) === JSON.stringify(after) ? 'new' : 'neither';
      // Killed, it may leave either state; run to its end, only the new one.
      expect(outcome === 'finished' ? ['new'] : ['old', 'new'], `point ${point}: killed after ${delay} ms (${outcome})`).toContain(which);
      seen.add(which);
      // The next command that writes starts from the published state and clears what the killed one left.
      ok(['--db', db, 'client', 'set', CLIENT, '--currency', 'USD']);
      expect(leftovers(work)).toEqual([]);
      expect(await fingerprint(db, STATE_TABLES)).toEqual(which === 'old' ? before : after);
      rmSync(work, { recursive: true, force: true });
    }
    console.log(`import kill points: ${[...seen].join(', ')}`);
  }, 1_800_000);

  it('a build killed anywhere leaves the previous marts or the new ones, whole; the next build equals a clean one', async () => {
    const old = await fingerprint(stateA2, STATE_TABLES);
    const built = await fingerprint(stateB, STATE_TABLES);
    const seen = new Set<string>();
    for (let point = 0; point <= POINTS; point += 1) {
      const work = join(dir, `build-${point}`);
      rmSync(work, { recursive: true, force: true });
      cpSync(stateA2, join(work, 'w.duckdb'));
      const db = join(work, 'w.duckdb');
      // The last point is no kill at all: the whole run must give the new state.
      const delay = point === POINTS ? null : Math.round(rng() * timing.build * 1.1);
      const outcome = await killAfter(['--db', db, 'build'], delay);
      const state = await fingerprint(db, STATE_TABLES);
      const marts = (fingerprints: Record<string, string>) => JSON.stringify(MARTS.map((mart) => fingerprints[mart]));
      const which = JSON.stringify(state) === JSON.stringify(old) ? 'old' : marts(state) === marts(built) ? 'new' : 'neither';
      expect(outcome === 'finished' ? ['new'] : ['old', 'new'], `point ${point}: killed after ${delay} ms (${outcome})`).toContain(which);
      seen.add(which);
      ok(['--db', db, 'build']);
      expect(leftovers(work)).toEqual([]);
      expect(marts(await fingerprint(db, STATE_TABLES))).toEqual(marts(built));
      rmSync(work, { recursive: true, force: true });
    }
    console.log(`build kill points: ${[...seen].join(', ')}`);
  }, 1_800_000);

  it('a report killed anywhere leaves the previous site or the new one, whole; the next report equals a clean one', async () => {
    const seen = new Set<string>();
    for (let point = 0; point <= POINTS; point += 1) {
      const work = join(dir, `report-${point}`);
      rmSync(work, { recursive: true, force: true });
      cpSync(join(dir, 'site-a'), join(work, 'site'), { recursive: true });
      // The last point is no kill at all: the whole run must give the new state.
      const delay = point === POINTS ? null : Math.round(rng() * timing.report * 1.1);
      const outcome = await killAfter(['--db', stateB, 'report', '--out', join(work, 'site')], delay);
      const now = existsSync(join(work, 'site')) ? site(join(work, 'site')) : {};
      const which = JSON.stringify(now) === JSON.stringify(siteA) ? 'old' : JSON.stringify(now) === JSON.stringify(siteB) ? 'new' : 'neither';
      // Killed between the two renames of the swap, the old site is aside and none in place: the next
      // report puts it back before it starts. Anything else is a half-visible site.
      if (outcome === 'finished') expect(which, `point ${point}: ran to its end`).toBe('new');
      else if (which === 'neither') expect(Object.keys(now), `point ${point}: killed after ${delay} ms (${outcome})`).toEqual([]);
      seen.add(which);
      ok(['--db', stateB, 'report', '--out', join(work, 'site')]);
      expect(site(join(work, 'site'))).toEqual(siteB);
      expect(leftovers(work)).toEqual([]);
      rmSync(work, { recursive: true, force: true });
    }
    console.log(`report kill points: ${[...seen].join(', ')}`);
  }, 1_800_000);

  it('a reader started during a build answers from the previous build while the build goes on', async () => {
    const work = join(dir, 'reader');
    cpSync(stateA2, join(work, 'w.duckdb'));
    const db = join(work, 'w.duckdb');
    const expected = cli(['--db', db, 'query', 'SELECT count(*) AS n FROM marts.order_attribution', '--format', 'json']);
    expect(expected.status).toBe(0);
    const build = start(['--db', db, 'build']);
    let finished = false;
    void build.done.then(() => (finished = true));
    // Wait until the build has its copy open and is working on it.
    while (!existsSync(`${db}.next`) && !finished) await new Promise((resolve) => setTimeout(resolve, 20));
    const read = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'lasttouch.js'), '--db', db, 'query', 'SELECT count(*) AS n FROM marts.order_attribution', '--format', 'json']);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    const readerDoneFirst = !finished;
    const result = await build.done;
    expect(result.code).toBe(0);
    expect(read.status).toBe(0);
    expect(readerDoneFirst, 'the reader answered before the build finished').toBe(true);
    expect(read.stdout).toBe(expected.stdout);
    expect(read.stderr).toMatch(/^lasttouch: read build 1 of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; 1 upload imported since is not built yet$/m);
    // Once published, the next reader reads the new build.
    expect(cli(['--db', db, 'query', 'SELECT 1']).stderr).toMatch(/read build 2 of/);
  }, 600_000);

  it('a client holding the warehouse open read-only does not stop a build, and goes on reading what it opened', async () => {
    const work = join(dir, 'holder');
    cpSync(stateA2, join(work, 'w.duckdb'));
    const db = join(work, 'w.duckdb');
    const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    try {
      const count = async () => String((await connection.runAndReadAll('SELECT count(*) FROM meta.builds')).getRows()[0]?.[0]);
      expect(await count()).toBe('1');
      const build = cli(['--db', db, 'build']);
      expect(build.stderr).toBe('');
      expect(build.status).toBe(0);
      expect(await count()).toBe('1');
      expect(cli(['--db', db, 'query', 'SELECT count(*) AS n FROM meta.builds', '--format', 'json']).stdout).toMatch(/"n": 2/);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }, 600_000);
});
