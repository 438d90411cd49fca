// The malformed-input corpus (test/corpus/generate.ts) through the compiled CLI (`npx tsc -p tsconfig.json`
// first), against copies of the demo warehouse: every case must be refused with its exit code and a short
// message that names the file, line, column and value, without a stack trace, and must leave every table
// of the warehouse, and the warehouse file itself, exactly as it was. A refusal into a --db path that does
// not exist leaves nothing there. After the whole corpus, a good export still imports.
//
// The cases run a few at a time (POOL processes, each on its own copy of the warehouse, one case after
// the other), so that a case that wrongly writes is caught by its own snapshots, not by a neighbour's.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir, writeFile } from '../helpers.js';
import { DEMO_CLIENT, freshPostscript, generateCorpus, parseCsv, type CorpusCase } from './generate.js';

/** CLI processes at a time; each has its own copy of the demo warehouse. */
const POOL = 3;
const MAX_STDERR_BYTES = 2048;
/** Of a long value, the message must show at least this much of its start. */
const VALUE_START = 50;
const BIN = join(ROOT, 'bin', 'lasttouch.js');

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The first 64 KB of stderr. */
  stderr: string;
  stderrBytes: number;
  ms: number;
}

interface TableState {
  rows: string;
  hash: string;
}

interface Snapshot {
  sha256: string;
  /** Files beside the warehouse that DuckDB or lasttouch leave while writing (.wal, .next, .tmp). */
  companions: string[];
  tables: Record<string, TableState>;
}

interface Outcome {
  run?: Run;
  before?: Snapshot;
  after?: Snapshot;
  /** For a fresh --db path: what exists there after the case. */
  leftovers?: string[];
  error?: string;
}

const KEEP = 64 * 1024;

function runCli(args: readonly string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, LASTTOUCH_DB: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes < KEEP) out.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errBytes < KEEP) err.push(chunk);
      errBytes += chunk.length;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      done({
        status,
        signal,
        stdout: Buffer.concat(out).subarray(0, KEEP).toString('utf8'),
        stderr: Buffer.concat(err).subarray(0, KEEP).toString('utf8'),
        stderrBytes: errBytes,
        ms: Date.now() - started,
      });
    });
  });
}

/** Runs SQL on the warehouse file opened read-only, and closes it again (a writer may come next). */
async function readOnly<T>(db: string, fn: (all: (sql: string) => Promise<unknown[][]>) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  try {
    const connection = await instance.connect();
    try {
      return await fn(async (sql) => (await connection.runAndReadAll(sql)).getRows());
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * Every base table of every schema: its row count and an order-independent hash of its rows (the sum of
 * hash(row); `hash(t.*)` is refused by this DuckDB, `hash(t)` hashes the row as one struct), in one query.
 */
function snapshotSql(tables: readonly (readonly unknown[])[]): string {
  return tables
    .map(
      ([schema, table]) =>
        `SELECT '${String(schema)}.${String(table)}' AS name, count(*)::VARCHAR AS n, ` +
        `coalesce(sum(hash(lt_corpus_row)), 0)::VARCHAR AS h FROM "${String(schema)}"."${String(table)}" AS lt_corpus_row`,
    )
    .join('\nUNION ALL\n');
}

const TABLES_SQL = `SELECT table_schema, table_name FROM information_schema.tables
  WHERE table_type = 'BASE TABLE' AND table_catalog = current_database() ORDER BY 1, 2`;

function companions(db: string): string[] {
  const name = basename(db);
  return readdirSync(dirname(db))
    .filter((file) => file.startsWith(`${name}.`) && file !== `${name}.lock`)
    .sort();
}

async function snapshot(db: string): Promise<Snapshot> {
  const sha256 = createHash('sha256').update(readFileSync(db)).digest('hex');
  const tables = await readOnly(db, async (all) => {
    const rows = await all(snapshotSql(await all(TABLES_SQL)));
    return Object.fromEntries(rows.map(([name, n, h]) => [String(name), { rows: String(n), hash: String(h) }]));
  });
  return { sha256, companions: companions(db), tables };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A message for a failed expectation: the case, and the start of what the CLI wrote. */
function shown(corpusCase: CorpusCase, run: Run): string {
  const cut = (text: string): string => (text.length > 600 ? `${text.slice(0, 600)}... (${text.length} characters)` : text);
  return `${corpusCase.name} (${corpusCase.why}): exit ${run.status}${run.signal ? ` (${run.signal})` : ''}, stderr ${run.stderrBytes} bytes:\n${cut(run.stderr)}\nstdout:\n${cut(run.stdout)}`;
}

function checkMessage(corpusCase: CorpusCase, run: Run): void {
  const { stderr } = run;
  const context = shown(corpusCase, run);
  expect.soft(run.status, `exit code of ${context}`).toBe(corpusCase.exit);
  expect.soft(run.stdout, `no upload was reported: ${context}`).not.toMatch(/^upload \d+:/m);
  expect.soft(stderr.trim(), `a message on stderr: ${context}`).not.toBe('');
  expect.soft(run.stderrBytes, `stderr under 2 KB: ${context}`).toBeLessThan(MAX_STDERR_BYTES);
  expect.soft(stderr, `no stack trace: ${context}`).not.toMatch(/^ {4}at /m);
  if (corpusCase.file !== null) {
    expect.soft(stderr, `names the file: ${context}`).toContain(corpusCase.file);
    for (const line of corpusCase.lines ?? []) {
      expect.soft(stderr, `names line ${line}: ${context}`).toContain(`${corpusCase.file}:${line}:`);
    }
  }
  if (corpusCase.column !== undefined) {
    expect.soft(stderr, `names the column: ${context}`).toContain(`column "${corpusCase.column}"`);
  }
  for (const canonical of corpusCase.missing ?? []) {
    expect.soft(stderr, `names the missing column ${canonical}: ${context}`).toMatch(
      new RegExp(`column "[^\\n]*\\b${escapeRegExp(canonical)} \\(`),
    );
  }
  const value = corpusCase.value;
  if (value !== undefined) {
    const long = value.length > 60;
    const shownValue = long ? value.slice(0, VALUE_START) : value;
    const pattern =
      corpusCase.exit === 1
        ? new RegExp(`value "${escapeRegExp(shownValue)}${long ? '' : '"'}`)
        : new RegExp(`["'\`]${escapeRegExp(shownValue)}${long ? '' : '["\'`]'}`);
    expect.soft(stderr, `names the value${long ? ' (its start)' : ''}: ${context}`).toMatch(pattern);
  }
  if (corpusCase.valueStart !== undefined) {
    expect.soft(stderr, `names the start of the value: ${context}`).toMatch(new RegExp(`value "${escapeRegExp(corpusCase.valueStart)}`));
  }
  for (const mention of corpusCase.mentions ?? []) {
    if (typeof mention === 'string') expect.soft(stderr, `mentions ${mention}: ${context}`).toContain(mention);
    else expect.soft(stderr, `matches ${mention}: ${context}`).toMatch(mention);
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('the malformed-input corpus', () => {
  const dir = tempDir('lasttouch-corpus-');
  const inputs = join(dir, 'inputs');
  const freshRoot = join(dir, 'fresh');
  const cases = generateCorpus(inputs);
  const outcomes = new Map(cases.map((corpusCase) => [corpusCase.name, deferred<Outcome>()]));
  const warehouses: string[] = [];
  let poolDone: Promise<void> = Promise.resolve();
  let poolStarted = 0;
  let poolMs = 0;
  const slowest: Array<[string, number]> = [];

  async function worker(db: string, queue: CorpusCase[]): Promise<void> {
    let before = await snapshot(db);
    for (let corpusCase = queue.shift(); corpusCase !== undefined; corpusCase = queue.shift()) {
      const outcome = outcomes.get(corpusCase.name);
      if (!outcome) throw new Error(`no outcome for ${corpusCase.name}`);
      try {
        if (corpusCase.freshDb) {
          const path = join(freshRoot, `${corpusCase.name}.duckdb`);
          const run = await runCli(['--db', path, ...corpusCase.args]);
          slowest.push([corpusCase.name, run.ms]);
          const leftovers = readdirSync(freshRoot).filter((file) => file.startsWith(basename(path)));
          outcome.resolve({ run, leftovers });
        } else {
          const run = await runCli(['--db', db, ...corpusCase.args]);
          slowest.push([corpusCase.name, run.ms]);
          const after = await snapshot(db);
          outcome.resolve({ run, before, after });
          before = after;
        }
      } catch (error) {
        outcome.resolve({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    }
  }

  beforeAll(async () => {
    // The demo warehouse, built once through the CLI: the demo exports imported and the marts built.
    const demo = cli(['demo', '--out', join(dir, 'demo')]);
    expect(demo.status, demo.stderr).toBe(0);
    const demoDb = join(dir, 'demo', 'demo.duckdb');
    expect(existsSync(demoDb)).toBe(true);
    mkdirSync(freshRoot, { recursive: true });
    for (let worker = 0; worker < POOL; worker += 1) {
      const folder = join(dir, `warehouse-${worker}`);
      mkdirSync(folder, { recursive: true });
      const db = join(folder, 'warehouse.duckdb');
      copyFileSync(demoDb, db);
      warehouses.push(db);
    }
    // The slow cases first, so that they overlap with the quick ones.
    const heavy = (corpusCase: CorpusCase): number =>
      corpusCase.name.includes('10mb') ? 0 : corpusCase.args[1] === 'shopify' || corpusCase.args.includes('--columns') ? 1 : 2;
    const queue = [...cases].sort((a, b) => heavy(a) - heavy(b));
    poolStarted = Date.now();
    poolDone = Promise.all(warehouses.map((db) => worker(db, queue))).then(() => {
      poolMs = Date.now() - poolStarted;
    });
    // A worker that fails outside a case (a snapshot of its warehouse) fails every case still waiting.
    poolDone.catch((error: unknown) => {
      for (const outcome of outcomes.values()) outcome.resolve({ error: String(error) });
    });
  });

  afterAll(async () => {
    await poolDone.catch(() => undefined);
    // CORPUS_DUMP=file.json writes what every case printed, for a person going through the failures.
    if (process.env.CORPUS_DUMP && poolStarted > 0) {
      const dump: Record<string, unknown> = {};
      for (const corpusCase of cases) {
        const outcome = await outcomes.get(corpusCase.name)?.promise;
        dump[corpusCase.name] = {
          expected: corpusCase.exit,
          status: outcome?.run?.status,
          ms: outcome?.run?.ms,
          stderrBytes: outcome?.run?.stderrBytes,
          stderr: outcome?.run?.stderr.slice(0, 1500),
          stdout: outcome?.run?.stdout.slice(0, 300),
          error: outcome?.error,
        };
      }
      writeFileSync(process.env.CORPUS_DUMP, JSON.stringify(dump, null, 2));
    }
    slowest.sort((a, b) => b[1] - a[1]);
    process.stdout.write(
      `corpus: ${cases.length} cases in ${(poolMs / 1000).toFixed(1)} s with ${POOL} processes; slowest: ${slowest
        .slice(0, 5)
        .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
        .join(', ')}\n`,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('has at least 60 cases, each required column of each format missing once', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    const missing = cases.filter((corpusCase) => corpusCase.name.includes('-missing-')).map((corpusCase) => corpusCase.name);
    for (const name of [
      'ps-missing-order_created_at',
      'ps-missing-revenue',
      'ps-missing-attribution_type',
      'ps-missing-order_id-and-order_name',
      'kl-missing-order_created_at',
      'kl-missing-revenue',
      'kl-missing-channel',
      'kl-missing-attributed_event',
      'kl-missing-order_id-and-order_name',
      'sh-missing-name',
      'sh-missing-created_at',
      'sh-missing-total',
      'sh-missing-currency',
    ]) {
      expect(missing).toContain(name);
    }
  });

  it('snapshots tell a changed row, and do not care about row order', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const all = async (sql: string): Promise<unknown[][]> => (await connection.runAndReadAll(sql)).getRows();
    try {
      await all(`CREATE SCHEMA raw; CREATE TABLE raw.t (i INTEGER, s VARCHAR, d DECIMAL(18,2),
        w STRUCT(wall TIMESTAMP, offset_minutes INTEGER), l VARCHAR[]);
        INSERT INTO raw.t VALUES (1, 'x', 1.50, {'wall': '2026-07-01 10:00:00', 'offset_minutes': -240}, ['a']),
                                 (2, 'y', 2.50, NULL, ['b', NULL])`);
      const state = async (): Promise<unknown[][]> => all(snapshotSql(await all(TABLES_SQL)));
      const base = await state();
      await all(`UPDATE raw.t SET s = 'z' WHERE i = 2`);
      expect(await state()).not.toEqual(base);
      await all(`UPDATE raw.t SET s = 'y' WHERE i = 2`);
      expect(await state()).toEqual(base);
      await all(`UPDATE raw.t SET w = {'wall': '2026-07-01 10:00:00', 'offset_minutes': -239} WHERE i = 1`);
      expect(await state()).not.toEqual(base);
      await all(`UPDATE raw.t SET w = {'wall': '2026-07-01 10:00:00', 'offset_minutes': -240} WHERE i = 1`);
      await all(`UPDATE raw.t SET s = CASE i WHEN 1 THEN 'y' ELSE 'x' END`); // the same values, on other rows
      expect(await state()).not.toEqual(base);
      await all(`UPDATE raw.t SET s = CASE i WHEN 1 THEN 'x' ELSE 'y' END`);
      await all(`CREATE TABLE raw.shuffled AS SELECT * FROM raw.t ORDER BY i DESC; DROP TABLE raw.t;
        ALTER TABLE raw.shuffled RENAME TO t`);
      expect(await state()).toEqual(base);
      await all(`INSERT INTO raw.t SELECT * FROM raw.t WHERE i = 1`); // a duplicate row counts
      expect(await state()).not.toEqual(base);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it.each(cases.map((corpusCase) => [corpusCase.name, corpusCase] as const))('%s', async (_name, corpusCase) => {
    const outcome = await outcomes.get(corpusCase.name)?.promise;
    if (!outcome || outcome.error !== undefined || !outcome.run) throw new Error(`the case did not run: ${outcome?.error}`);
    checkMessage(corpusCase, outcome.run);
    if (corpusCase.freshDb) {
      expect.soft(outcome.leftovers, `nothing at the new --db path after: ${shown(corpusCase, outcome.run)}`).toEqual([]);
    } else {
      const { before, after } = outcome;
      if (!before || !after) throw new Error('no snapshots');
      expect.soft(after.tables, `every table unchanged by ${corpusCase.name}`).toEqual(before.tables);
      expect.soft(after.sha256, `the warehouse file's bytes unchanged by ${corpusCase.name}`).toBe(before.sha256);
      expect.soft(after.companions, `no file left beside the warehouse by ${corpusCase.name}`).toEqual(before.companions);
    }
  }, 120_000);

  it('still imports a good export after the whole corpus, on every copy of the warehouse', async () => {
    await poolDone;
    const good = freshPostscript('8');
    const file = writeFile(dir, 'postscript_revenue_corpus_good.csv', good);
    const [header = [], ...rows] = parseCsv(good).map((record) => record.cells);
    const named = rows.filter((cells) => (cells[header.indexOf('Order Number')] ?? '').startsWith('#8')).length;
    expect(named).toBeGreaterThan(50);
    const runs = await Promise.all(warehouses.map((db) => runCli(['--db', db, 'import', 'postscript', file, '--client', DEMO_CLIENT])));
    for (const [index, run] of runs.entries()) {
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^upload \d+: postscript postscript_revenue_corpus_good\.csv for client demo-brand$/m);
      const [row] = await readOnly(warehouses[index] ?? '', (all) =>
        all(`SELECT count(*)::INTEGER, count(*) FILTER (WHERE c.order_name LIKE '#8%')::INTEGER
             FROM raw.postscript_claims c JOIN meta.uploads u USING (upload_id)
             WHERE u.file_name = 'postscript_revenue_corpus_good.csv' AND u.client_id = '${DEMO_CLIENT}'`),
      );
      expect(row).toEqual([rows.length, named]);
    }
  }, 120_000);
});
