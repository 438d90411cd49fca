// What the command line says while it works, through the real CLI: progress lines on a terminal (a real
// pseudo-terminal, made by util-linux `script`), none when stderr is a pipe or with --quiet; --json for
// scripts; and the notice that names who holds the warehouse when a command has to wait for it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir, writeFile, type CliResult } from '../helpers.js';
import type { BuildJson } from '../../src/cli/build.js';
import type { ImportSummaryJson } from '../../src/cli/import.js';
import { describeHolder, lasttouchCommand } from '../../src/cli/waiting.js';
import { rate, timeLeft } from '../../src/cli/progress.js';

const CLIENT = 'acme';
const AUGUST = 'Order ID,Order Date,Revenue,Attribution Type,Message ID,Sent At\n5001,2026-08-05 12:00:00,40.00,click,m1,2026-08-05 10:00:00\n';
/** Three rows, two orders, 100.50 of revenue. */
const SEPTEMBER =
  'Order ID,Order Date,Revenue,Attribution Type,Message ID,Sent At\n' +
  '5002,2026-09-05 12:00:00,60.00,click,m2,2026-09-05 10:00:00\n' +
  '5003,2026-09-06 12:00:00,20.25,click,m3,2026-09-06 10:00:00\n' +
  '5003,2026-09-06 12:00:00,20.25,click,m4,2026-09-06 11:00:00\n';
/** Progress from the first moment (src/cli/progress.ts), so that the test's files need not be huge. */
const NOW = { LASTTOUCH_PROGRESS_AFTER_MS: '0' };

/** Single-quoted for sh. */
function sh(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs the CLI in a pseudo-terminal: stdout and stderr both go to it, and come back as one text. */
function pty(args: readonly string[], env: NodeJS.ProcessEnv = NOW): CliResult {
  const command = [process.execPath, join(ROOT, 'bin', 'lasttouch.js'), ...args].map(sh).join(' ');
  const result = spawnSync('/usr/bin/script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** What a person would have seen go by: each rewrite of the line on a line of its own. */
function frames(output: string): string[] {
  return output.split(/\r|\n/).map((frame) => frame.replace(/\x1b\[K/g, '')).filter((frame) => frame.trim() !== '');
}

/** Holds a DuckDB file's lock from a child process until fn has run; argv is the holder's command line. */
async function whileHeld(path: string, argv: string[], fn: (holder: ChildProcess) => void): Promise<void> {
  const holder = spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { ...process.env, HOLD: path },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((ready, failed) => {
      holder.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('holding') && ready());
      holder.on('exit', () => failed(new Error('the lock holder exited early')));
    });
    fn(holder);
  } finally {
    holder.kill();
  }
}

const HOLDER = (duckdb: string): string => `
  const { DuckDBInstance } = await import(${JSON.stringify(duckdb)});
  const instance = await DuckDBInstance.create(process.env.HOLD);
  await instance.connect();
  process.stdout.write('holding\\n');
  setTimeout(() => process.exit(0), 20000);`;

describe('what the command line says while it works', () => {
  let dir: string;
  let db: string;
  let data: string;
  let duckdb: string;
  const run = (...args: string[]): CliResult => cli(['--db', db, ...args], { env: NOW });
  let imported: CliResult;
  let bigImported: CliResult;

  beforeAll(async () => {
    dir = tempDir('lasttouch-terminal-');
    db = join(dir, 'warehouse.duckdb');
    data = join(dir, 'data');
    duckdb = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('@duckdb/node-api')).href;
    // 50,000 orders: a 35 MB Shopify export of 79,172 rows, long enough to read that progress has steps.
    const gen = spawn(process.execPath, [join(ROOT, 'scripts', 'gen.mjs'), '--orders', '50000', '--seed', '11', '--months', '1', '--out', data, '--client', CLIENT], {
      stdio: 'ignore',
    });
    await new Promise((resolve) => gen.on('close', resolve));
    imported = pty(['--db', db, 'import', 'shopify', join(data, 'shopify_2026-10.csv'), '--client', CLIENT]);
    // DuckDB reports a read's progress in a few coarse steps; a read of about a second may report none
    // between 0% and done. 160,000 orders (about 250,000 rows, a read of several seconds) always do.
    const big = join(dir, 'big');
    const bigGen = spawn(process.execPath, [join(ROOT, 'scripts', 'gen.mjs'), '--orders', '160000', '--seed', '11', '--months', '1', '--out', big, '--client', CLIENT], {
      stdio: 'ignore',
    });
    await new Promise((resolve) => bigGen.on('close', resolve));
    bigImported = pty(['--db', join(dir, 'big.duckdb'), 'import', 'shopify', join(big, 'shopify_2026-10.csv'), '--client', CLIENT]);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('on a terminal', () => {
    it('import shows rows read, the rate and the time left on one line rewritten in place, then the summary', () => {
      expect(imported.status, imported.stdout).toBe(0);
      expect(imported.stdout).toMatch(/\r\x1b\[Kupload 1: shopify shopify_2026-10\.csv for client acme/);
      expect(imported.stdout).toMatch(/rows: 79172, orders: 50000/);
      expect(bigImported.status, bigImported.stdout).toBe(0);
      const rows = /rows: (\d+), orders: 160000/.exec(bigImported.stdout)?.[1];
      expect(rows, bigImported.stdout).toBeDefined();
      const total = Number(rows).toLocaleString('en-US');
      const shown = frames(bigImported.stdout);
      expect(shown.some((frame) => new RegExp(`^[\\d,]+ of ${total} rows read \\(\\d+%\\)$`).test(frame)), bigImported.stdout).toBe(true);
      expect(shown.some((frame) => /rows read \(\d+%\), [\d,]+ rows\/s, (about \d+ (s|min)|less than a second) left$/.test(frame)), bigImported.stdout).toBe(true);
      // carriage return and clear-to-end-of-line rewrite the line; it is cleared before the summary
      expect(bigImported.stdout).toMatch(new RegExp(`\r[\\d,]+ of ${total} rows read[^\n]*\x1b\\[K`));
      expect(bigImported.stdout).toMatch(/\r\x1b\[Kupload 1: shopify shopify_2026-10\.csv for client acme/);
    });

    it('build says which model of how many runs', () => {
      // Every update drawn (no five-a-second limit), so that each model's line shows, in order.
      const built = pty(['--db', db, 'build'], { ...NOW, LASTTOUCH_PROGRESS_EVERY_MS: '0' });
      expect(built.status, built.stdout).toBe(0);
      const steps = frames(built.stdout).flatMap((frame) => {
        const match = /^model (\d+) of (\d+): ([a-z_]+\.[a-z_]+)$/.exec(frame);
        return match === null ? [] : [{ k: Number(match[1]), n: Number(match[2]), id: match[3] }];
      });
      const total = steps[0]?.n ?? 0;
      expect(total, built.stdout).toBeGreaterThan(3);
      // (the line is drawn again after each model's line of output: each step once)
      const once = steps.filter((step, index) => step.k !== steps[index - 1]?.k);
      expect(once.map((step) => step.k)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
      expect(built.stdout).toMatch(new RegExp(`\rmodel 3 of ${total}: [a-z_]+\\.[a-z_]+\x1b\\[K`));
      expect(built.stdout).toMatch(/running the data tests/);
      // the per-model lines on stdout stay as they were
      expect(built.stdout).toMatch(/ {2}built {5}staging\.stg_shopify_orders +50000 rows/);
      expect(built.stdout).toMatch(/build \d+: \d+ models built/);
    });

    it('report says which page it renders', () => {
      const report = pty(['--db', db, 'report', '--out', join(dir, 'site')], { ...NOW, LASTTOUCH_PROGRESS_EVERY_MS: '0' });
      expect(report.status, report.stdout).toBe(0);
      expect(report.stdout).toMatch(/page 1 of \d+ rendered/);
      expect(report.stdout).toMatch(/report: .*index\.html/);
    });

    it('shows nothing of it with --quiet, wherever the option is given', () => {
      const small = join(dir, 'small.duckdb');
      const quietImport = pty(['--db', small, 'import', 'postscript', writeFile(dir, 'august.csv', AUGUST), '--client', 'good', '--quiet']);
      expect(quietImport.status, quietImport.stdout).toBe(0);
      expect(quietImport.stdout).toMatch(/^upload 1: postscript/);
      const quietBuild = pty(['--db', small, 'build', '--quiet']);
      expect(quietBuild.status, quietBuild.stdout).toBe(0);
      const quietReport = pty(['--db', small, 'report', '--out', join(dir, 'small-site'), '--quiet']);
      expect(quietReport.status, quietReport.stdout).toBe(0);
      for (const output of [quietImport.stdout, quietBuild.stdout, quietReport.stdout]) {
        expect(output).not.toMatch(/checking the file|opening the warehouse|rows read|model \d+ of|running the data tests|page \d+ of|reading the marts|\x1b\[K/);
      }
    });
  });

  describe('through a pipe, with --json', () => {
    let small: string;
    const runSmall = (...args: string[]): CliResult => cli(['--db', small, ...args], { env: NOW });

    beforeAll(() => {
      small = join(tempDir('lasttouch-json-'), 'warehouse.duckdb');
    });
    afterAll(() => rmSync(dirname(small), { recursive: true, force: true }));

    it('import prints its summary as one JSON document, nothing else on stdout, nothing on stderr', () => {
      const file = writeFile(dirname(small), 'september.csv', SEPTEMBER);
      const first = runSmall('import', 'postscript', file, '--client', 'good', '--from', '2026-09-01', '--to', '2026-09-30', '--json');
      expect(first.status, first.stderr).toBe(0);
      expect(first.stderr).toBe('');
      const summary = JSON.parse(first.stdout) as ImportSummaryJson;
      expect(summary).toEqual({
        status: 'imported',
        upload_id: 1,
        client_id: 'good',
        platform: 'postscript',
        file_name: 'september.csv',
        rows: 3,
        orders: 2,
        revenue: [{ currency: 'USD', amount: '100.50' }],
        window: { from: '2026-09-01', to: '2026-09-30', explicit: true },
        rows_outside_window: 0,
        supersedes: [],
        removed_at: null,
        notices: [],
        warnings: [],
        mail: [],
      });
      const again = runSmall('import', 'postscript', file, '--client', 'good', '--json');
      expect(again.status, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout) as ImportSummaryJson).toMatchObject({ status: 'already_imported', upload_id: 1, rows: 3, orders: 2 });
      // refused: its problems on stderr, nothing on stdout
      const refused = runSmall('import', 'postscript', writeFile(dirname(small), 'bad.csv', 'nothing,here\n1,2\n'), '--client', 'good', '--json');
      expect(refused.status).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(/^lasttouch: /);
    });

    it('build prints its result as one JSON document; report prints no progress either', () => {
      const built = runSmall('build', '--json');
      expect(built.status, built.stderr).toBe(0);
      expect(built.stderr).toBe('');
      const result = JSON.parse(built.stdout) as BuildJson;
      expect(result).toMatchObject({ build_id: 1, ok: true, updated: [], unchanged: [], skipped: [], held_back: [] });
      expect(result.built).toContain('marts.revenue_summary');
      expect(result.tests.length).toBeGreaterThan(0);
      expect(result.tests.every((test) => test.client === null && test.failures === 0)).toBe(true);
      const plain = runSmall('build', '--full-refresh');
      const report = runSmall('report', '--out', join(dirname(small), 'site'));
      for (const run of [plain, report]) {
        expect(run.status, run.stderr).toBe(0);
        expect(run.stderr).toBe('');
        expect(run.stdout).not.toMatch(/rows read|model \d+ of|running the data tests|page \d+ of|\x1b|\r/);
      }
    });

    it('build with a client held back still prints its result, then exits 1', () => {
      // Shopify order "#" has an empty order key: tests.shopify_orders_unique_key fails for client bad's rows.
      const orders = 'Name,Id,Created at,Currency,Total\n#7002,7002,2026-09-03 12:00:00,USD,25.00\n#,7003,2026-09-04 12:00:00,USD,99.00\n';
      const imported = runSmall('import', 'shopify', writeFile(dirname(small), 'bad.csv', orders), '--client', 'bad', '--from', '2026-09-01', '--to', '2026-09-30');
      expect(imported.status, imported.stderr).toBe(0);
      const held = runSmall('build', '--json');
      expect(held.status).toBe(1);
      const json = JSON.parse(held.stdout) as BuildJson;
      expect(json).toMatchObject({ ok: false, held_back: ['bad'] });
      // built again without bad: nothing of good's changed
      expect(json.unchanged).toContain('marts.revenue_summary');
      expect(json.tests).toContainEqual({
        name: 'tests.shopify_orders_unique_key',
        file: 'sql/tests/shopify_orders_unique_key.sql',
        client: 'bad',
        failures: 1,
      });
      expect(held.stderr).toMatch(/^lasttouch: data tests failed for client bad: its marts stay as they were at its last good build/);
    });
  });

  describe('waiting for the warehouse', () => {
    it('says at once who holds it, a program other than lasttouch by its name and pid, then exits 3', async () => {
      await whileHeld(`${db}.lock`, ['--input-type=module', '-e', HOLDER(duckdb)], (holder) => {
        const started = Date.now();
        const result = run('--wait', '1', 'import', 'klaviyo', join(data, 'klaviyo_2026-10.csv'), '--client', CLIENT);
        expect(result.status).toBe(3);
        expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
        expect(result.stderr).toMatch(
          new RegExp(`^lasttouch: waiting for node \\(pid ${holder.pid}\\), held by \\S*node --input-type=module -e .*, up to 1 s; --wait to change\\n`),
        );
        expect(result.stderr).toMatch(/the warehouse .* is busy/);
        const quiet = run('--quiet', '--wait', '1', 'build');
        expect(quiet.status).toBe(3);
        expect(quiet.stderr).not.toMatch(/waiting for/);
        // --wait 0 does not wait, and says only that the warehouse is busy
        const now = run('--wait', '0', 'build');
        expect(now.status).toBe(3);
        expect(now.stderr).not.toMatch(/waiting for/);
      });
    });

    it('tells the problems of models that do not compile, and no wait, while the warehouse is busy', async () => {
      // An install of lasttouch of its own, the files its package ships (its sql/ is the one the command
      // compiles), with a broken model.
      const install = join(dir, 'broken-install');
      const shipped = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] }).files;
      for (const part of [...shipped, 'package.json']) cpSync(join(ROOT, part), join(install, part), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(install, 'node_modules'));
      writeFile(join(install, 'sql', 'marts'), 'broken.sql', 'SELECT * FROM marts.no_such_model\n');
      await whileHeld(`${db}.lock`, ['--input-type=module', '-e', HOLDER(duckdb)], () => {
        for (const args of [['build'], ['build', '--dry-run']]) {
          const result = cli(['--db', db, '--wait', '5', ...args], { env: NOW, bin: join(install, 'bin', 'lasttouch.js') });
          expect(result.status, result.stderr).toBe(1);
          expect(result.stderr).toMatch(/sql\/marts\/broken\.sql/);
          expect(result.stderr).toMatch(/marts\.no_such_model/);
          expect(result.stderr).not.toMatch(/waiting for/);
        }
      });
    });

    it('names a lasttouch holder by its command', async () => {
      // A process whose command line is lasttouch's (`node …/bin/lasttouch.js --db … monthly`).
      const bin = join(dir, 'other', 'bin');
      mkdirSync(bin, { recursive: true });
      writeFile(join(dir, 'other'), 'package.json', '{"type": "module"}');
      const script = writeFile(bin, 'lasttouch.js', HOLDER(duckdb));
      await whileHeld(`${db}.lock`, [script, '--db', db, 'monthly'], (holder) => {
        const result = run('build', '--wait', '1');
        expect(result.status).toBe(3);
        expect(result.stderr).toContain(`lasttouch: waiting for \`lasttouch monthly\` (pid ${holder.pid}), up to 1 s; --wait to change\n`);
      });
    });
  });
});

describe('the words of it', () => {
  it('names the holder of a lock from its command line', () => {
    expect(lasttouchCommand(['node', '/srv/app/bin/lasttouch.js', '--db', 'w.duckdb', '--wait', '5', '-q', 'build', '--json'])).toBe('lasttouch build');
    expect(lasttouchCommand(['/usr/bin/node', '/usr/local/bin/lasttouch', 'monthly'])).toBe('lasttouch monthly');
    expect(lasttouchCommand(['node', '/work/main/dist/cli/main.js', 'import', 'shopify', 'a.csv'])).toBe('lasttouch import');
    expect(lasttouchCommand(['/usr/bin/duckdb', '/data/lasttouch'])).toBeNull();
    expect(describeHolder({ pid: 12345, program: '/usr/bin/node' }, ['node', 'bin/lasttouch.js', 'build'])).toBe('`lasttouch build` (pid 12345)');
    expect(describeHolder({ pid: 4242, program: '/usr/bin/duckdb' }, ['/usr/bin/duckdb', 'warehouse.duckdb'])).toBe(
      'duckdb (pid 4242), held by /usr/bin/duckdb warehouse.duckdb',
    );
    // no /proc (or the process is gone): DuckDB's word for it
    expect(describeHolder({ pid: 4242, program: '/usr/bin/duckdb' }, null)).toBe('duckdb (pid 4242), held by /usr/bin/duckdb');
    expect(describeHolder({ pid: null, program: null })).toBe('another process');
  });

  it('says rates and times left roughly, as a person would', () => {
    expect(rate(41_234.5)).toBe('41,000');
    expect(rate(57)).toBe('57');
    expect(timeLeft(0.4)).toBe('less than a second left');
    expect(timeLeft(11.2)).toBe('about 12 s left');
    expect(timeLeft(185)).toBe('about 3 min left');
  });
});
