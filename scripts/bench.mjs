#!/usr/bin/env node
// The benchmark: what a user pays for each step, measured as cron runs it (the CLI as a process), against
// what DuckDB itself pays for the same work, and how cost grows with data.
//
//   npm run bench [-- --sizes 100000,1000000] [--seed 7] [--agency 20] [--only all|incremental|runner]
//                 [--data out/bench] [--out BENCHMARKS.md] [--runs 3] [--job-minutes 20] [--months 12]
//
// How things are measured. Every figure of a process is taken by /usr/bin/time (GNU time): wall (%e),
// CPU = user + sys (%U + %S) and peak RSS (%M) of the process it starts, whose rusage Linux gives it when
// the process ends. Figures said to be "median of N" are the median of --runs runs (default 3) with the
// spread (min..max) beside them; the others are one run. Nothing here asserts anything about time.
//
// For each size it generates (or reuses) a year of exports for one client (scripts/gen.mjs), then, in one
// run on this machine, measures:
//   - import, per format, all files of the year: every `lasttouch import` a process of its own, in the order
//     of the manifest, with progress on (under a pseudo-terminal, see timed()), into a new warehouse per run:
//     wall and CPU seconds summed over the format's files, rows/s, MB/s, peak RSS of the largest import,
//     how many files drew progress; against DuckDB's own load of the same files, each a process of its own
//     (`node scripts/bench-child.mjs native`: read_csv with the detected types given explicitly), the ratio
//     import / native in CPU and in wall time; median of N;
//   - the full build after eleven months, and the same SQL statements run bare on a copy: the ratio;
//   - the build after the twelfth month's uploads (incremental) against a full rebuild of the same data,
//     for one client, and for one client of an agency's warehouse (--agency K clients of the smallest
//     size, sharing the same exports): inside a process, and as the user pays it, `lasttouch build` and
//     `lasttouch build --full-refresh` as processes on copies of the same warehouse, median of N (the
//     targets are taken from these); --only incremental measures these alone (the eleven months imported by
//     the bench's own importer, not timed);
//   - report rendering (all pages), `lasttouch query "select 1"` cold start, `lasttouch --help` start;
//   - growth: the ratio of the largest size to the smallest, per step;
//   - publishing: what a command that writes pays to publish a new version of the warehouse file (a
//     `client set` that changes nothing, through the CLI, on this warehouse and on an empty one: median of
//     N, spread, CPU time, peak RSS), and how long a `query` started during a full rebuild takes;
//   - the whole monthly job, from a warehouse holding only the client's settings, without a terminal (as
//     cron runs it): (a) one process per command: every import of the year, then `lasttouch build`, then
//     `lasttouch report`; (b) one `lasttouch import` per platform with that platform's files of the year in
//     month order, then build and report; (c) one `lasttouch monthly` on an inbox holding the year's
//     files; (d) the DuckDB-only baseline of the same work: the read_csv loads above plus the model SQL
//     bare (`bench-child.mjs bare` with the statements written beforehand, so that the process loads DuckDB
//     and nothing of lasttouch), as processes, summed. Wall, CPU and the peak RSS of the largest process,
//     median of N; at a size where N runs of (a)..(c) would take more than --job-minutes (default 20), one
//     run (the table says which). The build of (a) is also the build table's full build through the CLI;
//   - the fixed cost of a small import: `lasttouch import` of a 1,000-row Postscript file into a fresh copy
//     of a warehouse holding only the client, and of 10 such files in one process (per file), in CPU
//     seconds beyond what `node -e 0` costs, under the same pseudo-terminal; median of N (once, not per size);
//   - the model runner on the demo warehouse (`lasttouch demo`): a `lasttouch build` with nothing to do
//     (which must say so and write nothing) and `lasttouch build --dry-run`, each a process; median of N;
//   - the targets: every figure against its limit, met or not.
// Figures are printed and written to BENCHMARKS.md between its bench markers (the text around them is
// kept). Compare ratios taken in one run, not figures from different runs or machines. --months M (passed
// to gen.mjs) is for the smoke test (test/integration/bench.test.ts): fewer files, the same tables.
//
// How long it takes (2 cores): the default sizes 34 minutes on 2026-12-02 (at 1M orders the 3 runs of 36
// imports about 3 minutes each, the one run of the three jobs about 8 minutes: 3 would exceed
// --job-minutes; the agency of 8 clients about 5 minutes, of 20 about 2.5 times that); small sizes are
// mostly per-process costs.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'lasttouch.js');
const CHILD = join(ROOT, 'scripts', 'bench-child.mjs');
const TIME = '/usr/bin/time';
const SCRIPT = 'script';

function parseArgs(argv) {
  const options = {
    sizes: '100000,1000000',
    seed: '7',
    agency: '20',
    only: 'all',
    data: join(ROOT, 'out', 'bench'),
    out: join(ROOT, 'BENCHMARKS.md'),
    runs: '3',
    'job-minutes': '20',
    months: '12',
  };
  const usage =
    'usage: npm run bench [-- --sizes 100000,1000000] [--seed 7] [--agency 20] [--only all|incremental|runner] [--data DIR] [--out FILE] [--runs 3] [--job-minutes 20] [--months 12]\n';
  for (let k = 0; k < argv.length; k += 1) {
    const key = argv[k]?.replace(/^--/, '');
    if (!key || !(key in options) || argv[k + 1] === undefined) {
      process.stderr.write(usage);
      process.exit(2);
    }
    options[key] = argv[k + 1];
    k += 1;
  }
  const sizes = options.sizes.split(',').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1000)) {
    process.stderr.write('--sizes: whole numbers of orders, at least 1000 each\n');
    process.exit(2);
  }
  const agency = Number(options.agency);
  if (!Number.isInteger(agency) || agency < 2) {
    process.stderr.write('--agency: the number of clients of the agency warehouse, at least 2\n');
    process.exit(2);
  }
  const runs = Number(options.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write('--runs: how many times each repeated measurement runs, at least 1\n');
    process.exit(2);
  }
  const jobMinutes = Number(options['job-minutes']);
  if (!Number.isFinite(jobMinutes) || jobMinutes <= 0) {
    process.stderr.write('--job-minutes: minutes that the runs of the whole job may take at one size\n');
    process.exit(2);
  }
  const months = Number(options.months);
  if (!Number.isInteger(months) || months < 2 || months > 12) {
    process.stderr.write('--months: calendar months of exports, 2 to 12 (the smoke test uses fewer)\n');
    process.exit(2);
  }
  if (!['all', 'incremental', 'runner'].includes(options.only)) {
    process.stderr.write(
      '--only: all (every measurement), incremental (the build after one more month, one client and the agency) or runner (the no-op build and the dry run on the demo)\n',
    );
    process.exit(2);
  }
  return { ...options, sizes, agency, runs, jobMinutes, months, data: resolve(options.data), out: resolve(options.out) };
}

const LOG_STARTED = performance.now();
/** A line on stderr, with the minutes since the start (what a full run's steps take, for estimates). */
const log = (text) => process.stderr.write(`bench: [${((performance.now() - LOG_STARTED) / 60_000).toFixed(1)} min] ${text}\n`);

// What every process of the benchmark sees: no test knobs of the progress line (a user has none), no mail
// server (nothing is sent; no client of the benchmark has addresses anyway), an outbox of its own.
const SCRATCH = mkdtempSync(join(tmpdir(), 'lasttouch-bench-'));
process.on('exit', () => rmSync(SCRATCH, { recursive: true, force: true }));
const ENV = { ...process.env, LASTTOUCH_OUTBOX: join(SCRATCH, 'outbox') };
for (const name of ['LASTTOUCH_PROGRESS_AFTER_MS', 'LASTTOUCH_PROGRESS_EVERY_MS', 'LASTTOUCH_SMTP_URL', 'LASTTOUCH_DB']) delete ENV[name];
// Under the pseudo-terminal: a terminal that draws progress, and a POSIX shell for script's command line.
const TTY_ENV = { ...ENV, TERM: 'xterm', SHELL: '/bin/sh' };

function run(command, args, what) {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20, cwd: ROOT, env: ENV });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    throw new Error(`${what} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  }
  return { seconds, stdout: result.stdout };
}

function child(args, what) {
  const { stdout } = run(process.execPath, [CHILD, ...args], what);
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

const shellQuote = (text) => `'${String(text).replace(/'/g, `'\\''`)}'`;
let timeFiles = 0;

/**
 * One process (argv), measured by /usr/bin/time: { wall, cpu, rssMb, stdout, drawn }.
 *
 * Without tty, /usr/bin/time starts the process with pipes for its output, as cron does (no terminal).
 *
 * With tty, the process runs under a pseudo-terminal, so that `lasttouch` draws its progress (it does only
 * when stderr is a terminal): `script -qefc "exec /usr/bin/time -o FILE -f ... node ..." /dev/null`.
 * /usr/bin/time runs inside the terminal, as the parent of the measured process itself: it wait4()s for
 * that one process, and the rusage it reports (user and sys time, ru_maxrss) is that process's (with any
 * children it waited for; `lasttouch` starts none, DuckDB's threads are its own). Its figures go to FILE,
 * not to the terminal. Had it been put outside (`/usr/bin/time script ...`), its CPU would have included
 * script's own (it relays every byte of the terminal) and the shell's; its RSS would still have been the
 * node process's (ru_maxrss of a waited-for process is the largest of it and of its waited-for
 * descendants, and script's is about 3 MB against node's 100+), but the place used here measures only
 * what it names. Checked on this machine: a node process that fills a 300 MB buffer reports about 340 MB
 * either way, `script -qefc "sleep 0.5"` alone 3 MB and 0.00 s of CPU. drawn: whether the output on the
 * terminal held a progress line (text, then "clear to end of line"); a short import draws none (the line
 * shows only after a second), but it still pays for the progress being tracked.
 */
function timed(argv, what, { tty = false } = {}) {
  timeFiles += 1;
  const timeFile = join(SCRATCH, `time-${timeFiles}.txt`);
  const timeArgv = [TIME, '-o', timeFile, '-f', 'time: %e %U %S %M', ...argv];
  const spawnOptions = { encoding: 'utf8', maxBuffer: 256 << 20, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] };
  const result = tty
    ? spawnSync(SCRIPT, ['-qefc', `exec ${timeArgv.map(shellQuote).join(' ')}`, '/dev/null'], { ...spawnOptions, env: TTY_ENV })
    : spawnSync(timeArgv[0], timeArgv.slice(1), { ...spawnOptions, env: ENV });
  const text = existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : '';
  rmSync(timeFile, { force: true });
  const measured = /time: ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(text);
  if (result.status !== 0 || !measured) {
    throw new Error(`${what} failed (exit ${result.status}${result.error ? `, ${result.error.message}` : ''}):\n${text}${result.stderr}${result.stdout}`);
  }
  return {
    wall: Number(measured[1]),
    cpu: Number(measured[2]) + Number(measured[3]),
    rssMb: Number(measured[4]) / 1024,
    stdout: result.stdout,
    drawn: tty && /\r[^\r\n\x1b]+\x1b\[K/.test(result.stdout),
  };
}

const cliArgs = (db, ...args) => [process.execPath, CLI, '--db', db, ...args];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median, min and max of a list of figures. */
function stats(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/** stats() of each key of a list of samples. */
function statsOf(samples, keys) {
  return Object.fromEntries(keys.map((key) => [key, stats(samples.map((sample) => sample[key]))]));
}

function dataSet(options, orders) {
  const dir = join(options.data, `orders-${orders}-seed-${options.seed}${options.months === 12 ? '' : `-months-${options.months}`}`);
  const manifestPath = join(dir, 'manifest.json');
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : null;
  if (manifest?.orders === orders && String(manifest?.seed) === options.seed && manifest?.months?.length === options.months) {
    log(`reusing ${dir}`);
  } else {
    log(`generating ${orders} orders into ${dir}`);
    run(
      process.execPath,
      [join(ROOT, 'scripts', 'gen.mjs'), '--orders', String(orders), '--seed', options.seed, '--months', String(options.months), '--out', dir],
      'gen',
    );
  }
  return { dir, manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) };
}

/**
 * Removes a database file and its WAL, and the writer's lock file and next version beside it (nothing of
 * the benchmark runs on it then); returns the path, ready for a new database.
 */
function freshDatabase(path) {
  for (const suffix of ['', '.lock', '.next']) {
    rmSync(`${path}${suffix}`, { force: true });
    rmSync(`${path}${suffix}.wal`, { force: true });
  }
  return path;
}

/** A copy of a (closed) warehouse file at path, in place of whatever was there. */
function copyDatabase(from, path) {
  copyFileSync(from, freshDatabase(path));
  return path;
}

function setClient(db, id, settings) {
  run(process.execPath, [CLI, '--db', db, 'client', 'set', id, '--timezone', settings.timezone, '--currency', settings.currency], 'client set');
}

/** Builds the warehouse in a process of its own; a failed data test fails the benchmark. */
function build(db, what, ...flags) {
  const result = child(['build', db, ...flags], what);
  if (result.testsFailed > 0) throw new Error(`${what}: ${result.testsFailed} data tests failed on the benchmark data`);
  return result;
}

/** Runs a step on a copy of the warehouse, so that the warehouse itself stays as it is. */
function onCopy(db, name, step) {
  const copy = copyDatabase(db, join(dirname(db), name));
  try {
    return step(copy);
  } finally {
    freshDatabase(copy);
  }
}

/**
 * The build after one more month as the user pays it: `lasttouch build` as a process on a copy of a
 * warehouse built up to the month before and holding the new month's uploads, N times, against
 * `lasttouch build --full-refresh` of the same warehouse, N times; wall, CPU and peak RSS of each.
 */
function incrementalRuns(options, db, what) {
  const runs = (flags, label) =>
    statsOf(
      Array.from({ length: options.runs }, () =>
        onCopy(db, 'incremental-run.duckdb', (copy) => timed(cliArgs(copy, '--quiet', 'build', ...flags), `${what}: ${label}`)),
      ),
      ['wall', 'cpu', 'rssMb'],
    );
  return { incremental: runs([], '`lasttouch build`'), full: runs(['--full-refresh'], '`lasttouch build --full-refresh`') };
}

/**
 * A CLI command run N times under /usr/bin/time: wall and CPU seconds and peak RSS, median and spread;
 * inner(stdout), when given, reads one more figure from each run's output.
 */
function cliStats(options, args, what, inner) {
  const samples = Array.from({ length: options.runs }, () => {
    const measured = timed([process.execPath, CLI, ...args], what);
    return { ...measured, inner: inner ? inner(measured.stdout) : NaN };
  });
  return statsOf(samples, ['wall', 'cpu', 'rssMb', 'inner']);
}

/**
 * What publishing costs a command that writes: a `client set` that changes nothing copies the warehouse,
 * checkpoints and renames it like every write; on an empty warehouse the same command shows the rest.
 * And a reader started while a full rebuild runs: how long it takes, and whether the build still ran.
 */
function measurePublishing(options, db, clientId, settings) {
  const noChange = ['client', 'set', clientId, '--currency', settings.currency];
  const empty = freshDatabase(join(dirname(db), 'empty.duckdb'));
  run(process.execPath, [CLI, '--db', empty, ...noChange], 'client set on an empty warehouse');
  const small = cliStats(options, ['--db', empty, ...noChange], 'client set (empty warehouse)');
  const large = cliStats(options, ['--db', db, ...noChange], 'client set');
  freshDatabase(empty);
  const reader = onCopy(db, 'reader.duckdb', (copy) => {
    const script = `"${process.execPath}" "${CLI}" --db "${copy}" build --full-refresh >/dev/null & b=$!
      while [ ! -e "${copy}.next" ]; do sleep 0.05; done; sleep 1
      s=$(date +%s%N); "${process.execPath}" "${CLI}" --db "${copy}" query "select count(*) from marts.revenue_summary" >/dev/null 2>&1; e=$(date +%s%N)
      if kill -0 $b 2>/dev/null; then r=running; else r=finished; fi; wait $b; echo "$(( (e - s) / 1000000 )) $r"`;
    const [ms, state] = run('bash', ['-c', script], 'query during a build').stdout.trim().split(' ');
    return { seconds: Number(ms) / 1000, buildRunning: state === 'running' };
  });
  return { fileMb: statSync(db).size / 1e6, small, large, reader };
}

/** The manifest's imports: those of every month but the last, and those of the last month. */
function splitMonths(manifest) {
  const client = manifest.clients[0];
  const lastMonth = new Set(manifest.months.at(-1).imports);
  const indexes = client.imports.map((_, index) => index);
  return { firstMonths: indexes.filter((index) => !lastMonth.has(index)), lastMonth: indexes.filter((index) => lastMonth.has(index)) };
}

/** The bench importer's upload of the manifest's import `index`, for the client `id` (the manifest's own by default). */
const uploadOf = (dir, client, id = client.id) => (index) => {
  const { platform, file, from, to } = client.imports[index];
  return { platform, file: join(dir, file), client: id, ...(from ? { from, to } : {}) };
};

/** `lasttouch import` of one upload of the manifest, with its window, as the benchmark has always imported. */
function importArgs(db, client, dir, index) {
  const { platform, file, from, to } = client.imports[index];
  return cliArgs(db, 'import', platform, join(dir, file), '--client', client.id, ...(from ? ['--from', from, '--to', to] : []));
}

/**
 * The imports of the year through the CLI, N times, each run into a new warehouse (a copy of `template`,
 * which holds only the client's settings), every import under the pseudo-terminal; after each run, DuckDB's
 * own load of every file, each a process. The last run leaves the warehouse of eleven months at db11 and
 * that of the year at dbYear. Returns per run and upload { cli, native }.
 */
function importRuns(options, ctx) {
  const { dir, client, template, db11, dbYear, order, lastMonth, columns } = ctx;
  const samples = [];
  for (let r = 1; r <= options.runs; r += 1) {
    log(`${ctx.orders}: imports through the CLI with progress on, run ${r} of ${options.runs} (${order.length} processes), then DuckDB's own loads`);
    const db = copyDatabase(template, join(dir, 'imports.duckdb'));
    const cli = {};
    for (const index of order) {
      if (r === options.runs && index === lastMonth[0]) copyDatabase(db, db11);
      cli[index] = timed(importArgs(db, client, dir, index), `import ${client.imports[index].file}`, { tty: true });
    }
    if (r === options.runs) renameSync(db, freshDatabase(dbYear));
    else freshDatabase(db);
    const native = {};
    for (const index of order) {
      const file = join(dir, client.imports[index].file);
      const scratch = freshDatabase(join(dir, 'native.duckdb'));
      native[index] = timed([process.execPath, CHILD, 'native', file, scratch, columns[file]], `DuckDB's own load of ${basename(file)}`);
      freshDatabase(scratch);
    }
    samples.push({ cli, native });
  }
  return samples;
}

/** Per format, over the runs: wall and CPU summed over its files, the largest peak RSS, progress drawn. */
function perFormat(ctx, samples, uploads) {
  const { dir, client, order } = ctx;
  // In the order the table has always had them.
  const platforms = ['postscript', 'klaviyo', 'shopify'].filter((platform) => order.some((index) => client.imports[index].platform === platform));
  return Object.fromEntries(
    platforms.map((platform) => {
      const indexes = order.filter((index) => client.imports[index].platform === platform);
      const total = (run, side) => ({
        wall: indexes.reduce((sum, index) => sum + run[side][index].wall, 0),
        cpu: indexes.reduce((sum, index) => sum + run[side][index].cpu, 0),
        rssMb: Math.max(...indexes.map((index) => run[side][index].rssMb)),
        drawn: indexes.filter((index) => run[side][index].drawn).length,
      });
      const mine = indexes.map((index) => uploads[order.indexOf(index)]);
      return [
        platform,
        {
          files: indexes.length,
          rows: mine.reduce((sum, upload) => sum + upload.rows, 0),
          bytes: indexes.reduce((sum, index) => sum + statSync(join(dir, client.imports[index].file)).size, 0),
          cli: statsOf(samples.map((run) => total(run, 'cli')), ['wall', 'cpu', 'rssMb', 'drawn']),
          native: statsOf(samples.map((run) => total(run, 'native')), ['wall', 'cpu', 'rssMb']),
          cellByCell: mine.filter((upload) => upload.reader !== 'bulk').length,
        },
      ];
    }),
  );
}

/** The processes of one run of a job, summed: wall, CPU; the largest peak RSS; how many. */
function summed(steps) {
  return {
    wall: steps.reduce((sum, step) => sum + step.wall, 0),
    cpu: steps.reduce((sum, step) => sum + step.cpu, 0),
    rssMb: Math.max(...steps.map((step) => step.rssMb)),
    processes: steps.length,
  };
}

/**
 * The whole monthly job, three ways, each from a copy of `template` and without a terminal (as cron runs
 * it): one run of each. (b) cannot give each file its own --from/--to (they apply to every file of the
 * command), and (c) gives none (the monthly job never does): their windows are the first and last order
 * dates of each file's rows, where (a) gives each file the window of the manifest, as above.
 */
function jobRun(ctx, reports) {
  const { dir, client, template, order, month } = ctx;
  const db = join(dir, 'job.duckdb');
  const report = (what) => timed(cliArgs(db, 'report', '--out', reports), `${what}: report`);

  copyDatabase(template, db);
  const oneEach = order.map((index) => timed(importArgs(db, client, dir, index), `job (a): import ${client.imports[index].file}`));
  const fullBuild = timed(cliArgs(db, 'build'), 'job (a): build');
  const a = { ...summed([...oneEach, fullBuild, report('job (a)')]), build: fullBuild };

  copyDatabase(template, db);
  const platforms = [...new Set(order.map((index) => client.imports[index].platform))];
  const perPlatform = platforms.map((platform) => {
    const files = order.filter((index) => client.imports[index].platform === platform).map((index) => join(dir, client.imports[index].file));
    return timed(cliArgs(db, 'import', platform, ...files, '--client', client.id), `job (b): import ${platform} (${files.length} files)`);
  });
  const b = summed([...perPlatform, timed(cliArgs(db, 'build'), 'job (b): build'), report('job (b)')]);

  copyDatabase(template, db);
  const inbox = join(dir, 'inbox');
  rmSync(inbox, { recursive: true, force: true });
  const folder = join(inbox, client.id);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'client.json'), `${JSON.stringify(client.settings)}\n`);
  // Oldest first by modification time is the order the monthly job imports in: the manifest's order.
  const base = Math.floor(Date.now() / 1000) - order.length - 60;
  order.forEach((index, position) => {
    const from = join(dir, client.imports[index].file);
    const to = join(folder, client.imports[index].file);
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
    utimesSync(to, base + position, base + position);
  });
  const c = summed([timed(cliArgs(db, 'monthly', '--inbox', inbox, '--month', month, '--out', reports), 'job (c): monthly')]);
  rmSync(inbox, { recursive: true, force: true });
  freshDatabase(db);
  rmSync(reports, { recursive: true, force: true });
  return { a, b, c };
}

/**
 * The jobs N times (interleaved), or once when N runs would take more than --job-minutes; the baseline
 * (d) N times: each run's DuckDB loads of the imports' runs, plus the model SQL bare on a copy of the
 * year's warehouse as a process.
 */
function measureJobs(options, ctx, importSamples) {
  const { dir, dbYear } = ctx;
  const reports = join(dir, 'job-reports');
  const started = performance.now();
  log(`${ctx.orders}: the whole job (a), (b), (c), run 1`);
  const runs = [jobRun(ctx, reports)];
  const firstMinutes = (performance.now() - started) / 60_000;
  const jobRuns = firstMinutes * options.runs > options.jobMinutes ? 1 : options.runs;
  if (jobRuns < options.runs) log(`${ctx.orders}: one run of the jobs took ${firstMinutes.toFixed(1)} minutes; ${options.runs} would exceed ${options.jobMinutes}: one run`);
  for (let r = 2; r <= jobRuns; r += 1) {
    log(`${ctx.orders}: the whole job (a), (b), (c), run ${r} of ${jobRuns}`);
    runs.push(jobRun(ctx, reports));
  }
  const statements = join(SCRATCH, 'statements.json');
  child(['statements', statements], 'the statements of the build');
  log(`${ctx.orders}: the DuckDB-only baseline: the model SQL bare (${runsText(options.runs)})`);
  const baseline = importSamples.map((sample) => {
    const bare = onCopy(dbYear, 'bare-year.duckdb', (copy) => timed([process.execPath, CHILD, 'bare', copy, statements], 'bare SQL (year)'));
    return summed([...Object.values(sample.native), bare]);
  });
  const keys = ['wall', 'cpu', 'rssMb', 'processes'];
  const of = (key) => statsOf(runs.map((run) => run[key]), keys);
  return {
    runs: jobRuns,
    a: of('a'),
    b: of('b'),
    c: of('c'),
    d: statsOf(baseline, keys),
    build: statsOf(runs.map((run) => run.a.build), ['wall', 'cpu', 'rssMb']),
    files: ctx.order.length,
    platforms: new Set(ctx.order.map((index) => ctx.client.imports[index].platform)).size,
  };
}

function measureSize(options, orders) {
  const { dir, manifest } = dataSet(options, orders);
  const client = manifest.clients[0];
  const template = freshDatabase(join(dir, 'client.duckdb'));
  setClient(template, client.id, client.settings);
  const { firstMonths, lastMonth } = splitMonths(manifest);
  const order = [...firstMonths, ...lastMonth];
  const files = order.map((index) => join(dir, client.imports[index].file));
  const ctx = {
    orders,
    dir,
    client,
    template,
    order,
    lastMonth,
    month: manifest.months.at(-1).month,
    db11: join(dir, 'bench.duckdb'),
    dbYear: join(dir, 'year.duckdb'),
    columns: child(['columns', JSON.stringify(files)], 'column types of the files'),
  };

  const importSamples = importRuns(options, ctx);
  const uploads = child(['uploads', ctx.dbYear], 'uploads').uploads;
  if (uploads.length !== order.length) throw new Error(`${order.length} files imported, but the warehouse holds ${uploads.length} uploads`);
  for (const upload of uploads) if (upload.reader !== 'bulk') log(`note: ${upload.file_name} was read cell by cell`);
  const formats = perFormat(ctx, importSamples, uploads);

  const db = ctx.db11;
  log(`${orders}: full build, and the same SQL bare on a copy`);
  const bare = onCopy(db, 'bare.duckdb', (copy) => child(['bare', copy], 'bare SQL'));
  const full = build(db, 'full build');

  log(`${orders}: importing the last month (${lastMonth.length} files), incremental build, full rebuild on a copy`);
  const upload = uploadOf(dir, client);
  child(['imports', db, JSON.stringify(lastMonth.map(upload))], 'last month');
  log(`${orders}: the build after the last month and a full rebuild, as processes (${runsText(options.runs)})`);
  const cliIncremental = incrementalRuns(options, db, `${orders} orders`);
  const incremental = build(db, 'incremental build');
  const rebuild = onCopy(db, 'rebuild.duckdb', (copy) => build(copy, 'full rebuild', '--full-refresh'));

  log(`${orders}: report, query, --help`);
  const reportDir = join(dir, 'reports');
  const report = run(process.execPath, [CLI, '--db', db, 'report', '--out', reportDir], 'report');
  const pages = Number(/(\d+) pages? and the index/.exec(report.stdout)?.[1] ?? 0) + 1;
  const query = median(Array.from({ length: 5 }, () => run(process.execPath, [CLI, '--db', db, 'query', 'select 1'], 'query').seconds));
  const help = median(Array.from({ length: 5 }, () => run(process.execPath, [CLI, '--help'], '--help').seconds));
  log(`${orders}: publishing cost of a command that writes; a reader during a build`);
  const publishing = measurePublishing(options, db, client.id, client.settings);

  const jobs = measureJobs(options, ctx, importSamples);
  for (const path of [ctx.dbYear, template, join(dir, 'imports.duckdb'), join(dir, 'job.duckdb')]) freshDatabase(path);
  return { orders, perFormat: formats, full, bare, incremental, rebuild, cliIncremental, report: report.seconds, pages, query, help, publishing, jobs };
}

/**
 * Small Postscript files for the fixed cost of an import: the first 1,000 rows of each of the last ten
 * reports of a generated year (24,000 orders, so that each has more), header kept. Made once per seed.
 */
function smallFiles(options) {
  const dir = join(options.data, `small-postscript-seed-${options.seed}`);
  const ready = join(dir, 'ready.json');
  if (existsSync(ready)) return JSON.parse(readFileSync(ready, 'utf8'));
  log(`cutting 1,000-row Postscript files into ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  const source = join(dir, 'year');
  run(process.execPath, [join(ROOT, 'scripts', 'gen.mjs'), '--orders', '24000', '--seed', options.seed, '--out', source], 'gen (small files)');
  const manifest = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8'));
  const reports = manifest.clients[0].imports.filter((upload) => upload.platform === 'postscript').slice(-10);
  const files = reports.map((upload, index) => {
    // A Postscript report holds one row a line (no quoted line breaks): the first 1,001 lines are the
    // header and 1,000 rows.
    const lines = readFileSync(join(source, upload.file), 'utf8').split('\n');
    if (lines.length < 1002) throw new Error(`${upload.file} has fewer than 1,000 rows`);
    const file = join(dir, `postscript-1000-rows-${String(index + 1).padStart(2, '0')}.csv`);
    writeFileSync(file, `${lines.slice(0, 1001).join('\n')}\n`);
    return file;
  });
  rmSync(source, { recursive: true, force: true });
  const result = { client: manifest.clients[0], files };
  writeFileSync(ready, JSON.stringify(result));
  return result;
}

/**
 * The fixed cost of a small import, under the pseudo-terminal like the imports above: `node -e 0`, one
 * 1,000-row file in one `lasttouch import`, and 10 of them in one, each import into a fresh copy of a
 * warehouse holding only the client; N runs, interleaved. CPU beyond Node's start = the import's CPU less
 * the median CPU of `node -e 0` (per file: divided by the files).
 */
function measureFixedCost(options) {
  const { client, files } = smallFiles(options);
  const dir = dirname(files[0]);
  const template = freshDatabase(join(dir, 'client.duckdb'));
  setClient(template, client.id, client.settings);
  const db = join(dir, 'small.duckdb');
  const node = [];
  const one = [];
  const ten = [];
  for (let r = 1; r <= options.runs; r += 1) {
    log(`fixed cost of a small import, run ${r} of ${options.runs}`);
    node.push(timed([process.execPath, '-e', '0'], 'node -e 0', { tty: true }));
    copyDatabase(template, db);
    one.push(timed(cliArgs(db, 'import', 'postscript', files.at(-1), '--client', client.id), 'import of a 1,000-row file', { tty: true }));
    copyDatabase(template, db);
    ten.push(timed(cliArgs(db, 'import', 'postscript', ...files, '--client', client.id), 'import of 10 1,000-row files', { tty: true }));
  }
  freshDatabase(db);
  freshDatabase(template);
  const nodeCpu = median(node.map((sample) => sample.cpu));
  const row = (samples, count) => ({
    files: count,
    ...statsOf(samples, ['wall', 'cpu', 'rssMb']),
    beyond: stats(samples.map((sample) => (sample.cpu - nodeCpu) / count)),
  });
  return { node: statsOf(node, ['wall', 'cpu', 'rssMb']), one: row(one, 1), ten: row(ten, files.length) };
}

/**
 * The model runner on the demo warehouse (`lasttouch demo`): a `lasttouch build` with nothing to do, which
 * must say so and write nothing, and `lasttouch build --dry-run`, each a process; median of N.
 */
function measureRunner(options) {
  const dir = mkdtempSync(join(tmpdir(), 'lasttouch-bench-demo-'));
  try {
    log(`the model runner on the demo warehouse: a build with nothing to do, build --dry-run (${runsText(options.runs)})`);
    timed([process.execPath, CLI, 'demo', '--out', dir], 'lasttouch demo');
    const db = join(dir, 'demo.duckdb');
    const noop = [];
    const dry = [];
    const help = [];
    for (let r = 1; r <= options.runs; r += 1) {
      // Node's start and the command line's own modules, for the speed of the machine at the time.
      help.push(timed([process.execPath, CLI, '--help'], 'lasttouch --help'));
      const sample = timed(cliArgs(db, 'build'), 'a build with nothing to do');
      if (!sample.stdout.startsWith('nothing to build:')) throw new Error(`bench: a second build of the demo did something:\n${sample.stdout}`);
      noop.push(sample);
      dry.push(timed(cliArgs(db, 'build', '--dry-run'), 'build --dry-run'));
    }
    return { noop: statsOf(noop, ['wall', 'cpu', 'rssMb']), dry: statsOf(dry, ['wall', 'cpu', 'rssMb']), help: statsOf(help, ['wall']) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * An agency's warehouse: `clients` brands with the same year of exports; eleven months for all, a full
 * build, then one brand's twelfth month and the build that follows, against a full rebuild.
 */
function measureAgency(options, orders, clients) {
  const { dir, manifest } = dataSet(options, orders);
  const client = manifest.clients[0];
  const db = freshDatabase(join(dir, 'agency.duckdb'));
  const ids = Array.from({ length: clients }, (_, index) => `${client.id}-${index + 1}`);
  for (const id of ids) setClient(db, id, client.settings);
  const { firstMonths, lastMonth } = splitMonths(manifest);
  const upload = (index, id) => uploadOf(dir, client, id)(index);
  log(`agency: ${clients} clients of ${orders} orders: importing eleven months for each`);
  child(['imports', db, JSON.stringify(ids.flatMap((id) => firstMonths.map((index) => upload(index, id))))], 'agency imports');
  const full = build(db, 'agency full build');
  log(`agency: one client's twelfth month, the build that follows, a full rebuild on a copy`);
  child(['imports', db, JSON.stringify(lastMonth.map((index) => upload(index, ids[0])))], 'agency month');
  log(`agency: the build after one client's month and a full rebuild, as processes (${runsText(options.runs)})`);
  const cliIncremental = incrementalRuns(options, db, 'agency');
  if (options.only === 'incremental') return { clients, orders, cliIncremental };
  const incremental = build(db, 'agency incremental build');
  const rebuild = onCopy(db, 'agency-rebuild.duckdb', (copy) => build(copy, 'agency full rebuild', '--full-refresh'));
  log(`agency: every other client's twelfth month too, then the whole report site (${runsText(options.runs)})`);
  child(['imports', db, JSON.stringify(ids.slice(1).flatMap((id) => lastMonth.map((index) => upload(index, id))))], 'agency months');
  build(db, 'agency build of the twelfth months');
  const report = measureReport(options, db, join(dir, 'agency-site'));
  return { clients, orders, full, incremental, rebuild, cliIncremental, report };
}

/**
 * The build after one more month of one client, for --only incremental: the year's imports but the last
 * month through the bench's own importer (one process), a full build, the last month's imports, then the
 * builds as processes.
 */
function measureIncrementalOnly(options, orders) {
  const { dir, manifest } = dataSet(options, orders);
  const client = manifest.clients[0];
  const db = freshDatabase(join(dir, 'incremental.duckdb'));
  setClient(db, client.id, client.settings);
  const { firstMonths, lastMonth } = splitMonths(manifest);
  const upload = uploadOf(dir, client);
  log(`${orders}: importing eleven months, a full build`);
  child(['imports', db, JSON.stringify(firstMonths.map(upload))], 'eleven months');
  build(db, 'full build');
  child(['imports', db, JSON.stringify(lastMonth.map(upload))], 'last month');
  log(`${orders}: the build after the last month and a full rebuild, as processes (${runsText(options.runs)})`);
  const cliIncremental = incrementalRuns(options, db, `${orders} orders`);
  freshDatabase(db);
  return { orders, cliIncremental };
}

/** The build after one more month, one client and one client of the agency, as processes. */
function incrementalTable(options, results, agency) {
  const row = (what, m) =>
    `| ${what} | ${spread(m.incremental.wall)} | ${spread(m.incremental.cpu)} | ${int(m.incremental.rssMb.median)} | ${spread(m.full.wall)} | ${spread(m.full.cpu)} | ${int(m.full.rssMb.median)} | **${fmt(m.incremental.wall.median / m.full.wall.median)}** | **${fmt(m.incremental.cpu.median / m.full.cpu.median)}** |`;
  return [
    `### The build after one more month: \`lasttouch build\` as a process against \`lasttouch build --full-refresh\` of the same warehouse (${runsText(options.runs)}; each run on a copy)`,
    '',
    '| warehouse | build: wall s | CPU s | peak RSS MB | full rebuild: wall s | CPU s | peak RSS MB | build / full, wall | CPU |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) => row(`one client, ${int(r.orders)} orders, its last month`, r.cliIncremental)),
    row(`one client of ${agency.clients} (${int(agency.orders)} orders each), its last month`, agency.cliIncremental),
  ].join('\n');
}

/** The targets of the build after one more month, from the builds as processes (wall). */
function incrementalTargets(results, agency, check) {
  const large = results.at(-1).cliIncremental;
  check('incremental / full build, one client', large.incremental.wall.median / large.full.wall.median, 0.25);
  check(
    `incremental / full build, one client of ${agency.clients} (${int(agency.orders)} orders each)`,
    agency.cliIncremental.incremental.wall.median / agency.cliIncremental.full.wall.median,
    0.25,
  );
}

/**
 * The whole report site of a warehouse, as the monthly job renders it: `lasttouch report --json` as a
 * process, N times (wall, CPU and peak RSS), with the pages it wrote and the time its SQL took inside it.
 */
function measureReport(options, db, out) {
  let last = null;
  const measured = cliStats(options, ['--db', db, 'report', '--out', out, '--json'], 'report', (stdout) => {
    last = JSON.parse(stdout);
    return last.timings.sql_seconds;
  });
  return { ...measured, pages: last.pages.length + 1, monthPages: last.month_pages.length, timings: last.timings };
}

const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const int = (value) => Math.round(value).toLocaleString('en-US');
const spread = (m, digits = 2) => `${fmt(m.median, digits)} (${fmt(m.min, digits)}..${fmt(m.max, digits)})`;
const runsText = (runs) => (runs === 1 ? 'one run' : `median of ${runs} runs, min..max`);

function tables(options, results) {
  const lines = [];
  lines.push(
    `### Import, per format: all files of the year, each \`lasttouch import\` a process of its own with progress on (under a pseudo-terminal); DuckDB-native = \`CREATE TABLE AS SELECT * FROM read_csv\` with explicit types, same file, a process of its own (\`bench-child.mjs native\`); wall and CPU (user+sys) summed over the files; ${runsText(options.runs)}`,
  );
  lines.push('');
  lines.push(
    '| orders | format | files | rows | MB | import wall s | import CPU s | rows/s | MB/s | peak RSS MB (largest import) | progress drawn (files) | DuckDB-native wall s | native CPU s | native peak RSS MB | import / native, CPU | import / native, wall | read cell by cell |',
  );
  lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const result of results) {
    for (const [platform, f] of Object.entries(result.perFormat)) {
      const wall = f.cli.wall.median;
      lines.push(
        `| ${int(result.orders)} | ${platform} | ${f.files} | ${int(f.rows)} | ${fmt(f.bytes / 1e6, 1)} | ${spread(f.cli.wall)} | ${spread(f.cli.cpu)} | ${int(f.rows / wall)} | ${fmt(f.bytes / 1e6 / wall, 1)} | ${spread(f.cli.rssMb, 0)} | ${f.cli.drawn.median} | ${spread(f.native.wall)} | ${spread(f.native.cpu)} | ${int(f.native.rssMb.median)} | **${fmt(f.cli.cpu.median / f.native.cpu.median)}** | **${fmt(wall / f.native.wall.median)}** | ${f.cellByCell} |`,
      );
    }
  }
  lines.push('');
  lines.push('### Build, report, start-up');
  lines.push('');
  lines.push(
    `| orders | full build s | bare SQL s | build / bare | incremental build s (12th month) | full rebuild s (12 months) | incremental / full | \`lasttouch build\`, full, 12 months, as a process: wall s | CPU s | peak RSS MB | report s (pages) | \`query "select 1"\` s | \`--help\` s |`,
  );
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const cli = r.jobs.build;
    lines.push(
      `| ${int(r.orders)} | ${fmt(r.full.seconds)} | ${fmt(r.bare.seconds)} | **${fmt(r.full.seconds / r.bare.seconds)}** | ${fmt(r.incremental.seconds)} (${r.incremental.built} built, ${r.incremental.unchanged} unchanged) | ${fmt(r.rebuild.seconds)} | **${fmt(r.incremental.seconds / r.rebuild.seconds)}** | ${spread(cli.wall)} | ${spread(cli.cpu)} | ${int(cli.rssMb.median)} | ${fmt(r.report)} (${r.pages}) | ${fmt(r.query, 3)} | ${fmt(r.help, 3)} |`,
    );
  }
  lines.push('');
  lines.push(
    '(full build, bare SQL, incremental and rebuild: inside a process, from opening the warehouse to closing it; `lasttouch build` as a process: the build of job (a) below, from its runs.)',
  );
  lines.push('');
  lines.push(`### Publishing: what every command that writes pays for readers that never wait (CLI process; ${runsText(options.runs)})`);
  lines.push('');
  lines.push('| orders | warehouse MB | no-change `client set`: wall s | CPU s | peak RSS MB | same on an empty warehouse: wall s | CPU s | extra per write: wall s | `query` during a full rebuild s | build still running |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of results) {
    const p = r.publishing;
    lines.push(
      `| ${int(r.orders)} | ${fmt(p.fileMb, 0)} | ${spread(p.large.wall)} | ${spread(p.large.cpu)} | ${int(p.large.rssMb.median)} | ${spread(p.small.wall)} | ${spread(p.small.cpu)} | **${fmt(p.large.wall.median - p.small.wall.median)}** | ${fmt(p.reader.seconds, 3)} | ${p.reader.buildRunning ? 'yes' : 'no'} |`,
    );
  }
  lines.push('');
  lines.push(jobTable(options, results));
  if (results.length > 1) {
    const small = results[0];
    const large = results.at(-1);
    const factor = large.orders / small.orders;
    lines.push('');
    lines.push(`### Growth: ${int(large.orders)} / ${int(small.orders)} orders (${fmt(factor, 0)}x the data)`);
    lines.push('');
    lines.push('| step | ratio |');
    lines.push('|---|---:|');
    for (const platform of Object.keys(large.perFormat)) {
      const [l, s] = [large.perFormat[platform], small.perFormat[platform]];
      lines.push(`| import ${platform}, CPU | ${fmt(l.cli.cpu.median / s.cli.cpu.median)} |`);
      lines.push(`| import ${platform}, wall | ${fmt(l.cli.wall.median / s.cli.wall.median)} |`);
      lines.push(`| peak RSS of one ${platform} import | ${fmt(l.cli.rssMb.median / s.cli.rssMb.median)} |`);
    }
    lines.push(`| full build | ${fmt(large.full.seconds / small.full.seconds)} |`);
    lines.push(`| incremental build | ${fmt(large.incremental.seconds / small.incremental.seconds)} |`);
    lines.push(`| report | ${fmt(large.report / small.report)} |`);
    lines.push(`| the whole job, one process per command, CPU | ${fmt(large.jobs.a.cpu.median / small.jobs.a.cpu.median)} |`);
  }
  return lines.join('\n');
}

function jobTable(options, results) {
  const lines = [
    `### The whole monthly job, from a warehouse holding only the client's settings, without a terminal (as cron runs it): wall and CPU (user+sys) of its processes summed, peak RSS of the largest; ${
      options.runs === 1
        ? 'one run'
        : `median of ${options.runs} runs (min..max) where the runs column says ${options.runs}, one run where it says 1 (${options.runs} runs of the three jobs at that size would have taken more than ${options.jobMinutes} minutes)`
    }; the baseline: ${runsText(options.runs)}`,
    '',
    '| orders | job | processes | runs | wall s | CPU s | peak RSS MB | job / baseline, CPU | job / baseline, wall |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const { jobs } = r;
    const row = (name, job, runs, ratios = true) =>
      lines.push(
        `| ${int(r.orders)} | ${name} | ${job.processes.median} | ${runs} | ${spread(job.wall)} | ${spread(job.cpu)} | ${int(job.rssMb.median)} | ${ratios ? `**${fmt(job.cpu.median / jobs.d.cpu.median)}**` : '1.00'} | ${ratios ? fmt(job.wall.median / jobs.d.wall.median) : '1.00'} |`,
      );
    row(`(a) one process per command: ${jobs.files} \`lasttouch import\`, \`build\`, \`report\``, jobs.a, jobs.runs);
    row(`(b) one \`lasttouch import\` per platform (${jobs.platforms}, the files in month order), \`build\`, \`report\``, jobs.b, jobs.runs);
    row('(c) one `lasttouch monthly` (inbox of the year\'s files)', jobs.c, jobs.runs);
    row(`(d) DuckDB only: ${jobs.files} \`read_csv\` loads, the model SQL bare`, jobs.d, options.runs, false);
  }
  lines.push('');
  lines.push(
    "((a) gives each import its window with --from/--to as the imports above; (b) and (c) cannot (the options of one `import` apply to all its files; the monthly job gives none), so their windows are each file's first and last order dates. (c) renders the same site as `report`.)",
  );
  return lines.join('\n');
}

function fixedCostTable(options, fixed) {
  const row = (name, r) =>
    `| ${name} | ${r.files} | ${spread(r.cpu)} | ${spread(fixed.node.cpu)} | **${spread(r.beyond, 3)}** | ${spread(r.wall)} | ${int(r.rssMb.median)} |`;
  return [
    `### Fixed cost of a small import: \`lasttouch import postscript\` of 1,000-row files into a fresh copy of a warehouse holding only the client, with progress on (under a pseudo-terminal, as \`node -e 0\`); CPU = user+sys; ${runsText(options.runs)}`,
    '',
    '| import | files | CPU s (the process) | `node -e 0` CPU s | CPU beyond Node\'s start, per file s | wall s (the process) | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('one file, one process', fixed.one),
    row('10 files in one process', fixed.ten),
  ].join('\n');
}

function runnerTable(options, runner) {
  const row = (name, r) => `| ${name} | ${spread(r.wall)} | ${spread(r.cpu)} | ${int(r.rssMb.median)} |`;
  return [
    `### The model runner on the demo warehouse, as processes (${runsText(options.runs)})`,
    '',
    '| command | wall s | CPU s | peak RSS MB |',
    '|---|---:|---:|---:|',
    row('`lasttouch build` with nothing to do (writes nothing)', runner.noop),
    row('`lasttouch build --dry-run`', runner.dry),
  ].join('\n');
}

function agencyTable(options, agency) {
  const r = agency.report;
  return [
    `### An agency's warehouse: ${agency.clients} clients of ${int(agency.orders)} orders each, one client's twelfth month`,
    '',
    '| clients | full build s | build after one client\'s month s | full rebuild s | incremental / full |',
    '|---:|---:|---:|---:|---:|',
    `| ${agency.clients} | ${fmt(agency.full.seconds)} | ${fmt(agency.incremental.seconds)} (${agency.incremental.updated} models for that client only) | ${fmt(agency.rebuild.seconds)} | **${fmt(agency.incremental.seconds / agency.rebuild.seconds)}** |`,
    '',
    `### The agency's whole report site: \`lasttouch report\` as a process (${runsText(options.runs)})`,
    '',
    '| pages (month pages) | wall s | CPU s | peak RSS MB | pages/s | SQL of its pages s | report / SQL | where the rest goes (last run) |',
    '|---:|---:|---:|---:|---:|---:|---:|---|',
    `| ${r.pages} (${r.monthPages}) | ${spread(r.wall)} | ${spread(r.cpu)} | ${int(r.rssMb.median)} | ${fmt(r.pages / r.wall.median, 1)} | ${spread(r.inner)} | **${fmt(r.wall.median / r.inner.median, 1)}** | charts ${fmt(r.timings.chart_seconds)} s, templates ${fmt(r.timings.render_seconds - r.timings.chart_seconds)} s, publishing ${fmt(r.timings.publish_seconds)} s, start-up and the rest ${fmt(r.wall.median - r.timings.sql_seconds - r.timings.render_seconds - r.timings.publish_seconds)} s |`,
  ].join('\n');
}

function targets(results, agency, fixed, runner) {
  const large = results.at(-1);
  const rows = [];
  // under: the figure must be below the limit; else at most the limit.
  const check = (what, value, limit, unit = '', under = false) =>
    rows.push(`| ${what} | ${fmt(value)}${unit} | ${limit}${unit} | ${(under ? value < limit : value <= limit) ? 'met' : '**not met**'} |`);
  for (const [platform, f] of Object.entries(large.perFormat)) {
    check(`import ${platform} / DuckDB-native, CPU`, f.cli.cpu.median / f.native.cpu.median, 1.5);
    check(`import ${platform} / DuckDB-native, wall`, f.cli.wall.median / f.native.wall.median, 1.5);
  }
  const importRss = Math.max(...Object.values(large.perFormat).map((f) => f.cli.rssMb.median));
  check('peak RSS of one import', importRss, 500, ' MB');
  check('peak RSS of an import through the CLI (progress on), under', importRss, 400, ' MB', true);
  check('full build / bare SQL', large.full.seconds / large.bare.seconds, 1.15);
  check('peak RSS of a full build through the CLI (`lasttouch build`), under', large.jobs.build.rssMb.median, 1024, ' MB', true);
  incrementalTargets(results, agency, check);
  for (const r of results) {
    const baseline = r.jobs.d.cpu.median;
    check(`the whole job at ${int(r.orders)} orders, one process per command / DuckDB-only baseline, CPU`, r.jobs.a.cpu.median / baseline, 1.5);
    check(`the whole job at ${int(r.orders)} orders, one import per platform / DuckDB-only baseline, CPU`, r.jobs.b.cpu.median / baseline, 1.5);
    check(`the whole job at ${int(r.orders)} orders, \`lasttouch monthly\` / DuckDB-only baseline, CPU`, r.jobs.c.cpu.median / baseline, 1.5);
  }
  check("one import of a 1,000-row file: CPU beyond Node's start", fixed.one.beyond.median, 0.25, ' s');
  check('a build with nothing to do on the demo warehouse, wall, under', runner.noop.wall.median, 0.3, ' s', true);
  check('`lasttouch build --dry-run` on the demo warehouse, wall, under', runner.dry.wall.median, 0.3, ' s', true);
  check('`lasttouch --help`', Math.max(...results.map((r) => r.help)), 0.15, ' s');
  check('`lasttouch query "select 1"`', Math.max(...results.map((r) => r.query)), 0.3, ' s');
  check('a `query` started during a full rebuild', Math.max(...results.map((r) => r.publishing.reader.seconds)), 1, ' s');
  check(`the whole report site of ${agency.clients} clients (${agency.report.pages} pages)`, agency.report.wall.median, 10, ' s');
  return [`### Targets at ${int(large.orders)} orders`, '', ...targetRows(rows)].join('\n');
}

function machine() {
  const cpu = cpus();
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${cpu.length} cores (${cpu[0]?.model ?? 'unknown'}), ${fmt(totalmem() / 2 ** 30, 1)} GiB memory; Node ${process.version}`;
}

const START = '<!-- bench:start (written by npm run bench; edit outside these markers) -->';
const END = '<!-- bench:end -->';

function writeReport(file, body) {
  const block = `${START}\n${body}\n${END}`;
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`;
  const from = existing.indexOf(START);
  const to = existing.indexOf(END);
  const text = from >= 0 && to > from ? existing.slice(0, from) + block + existing.slice(to + END.length) : `${existing.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}

/** The tools the measurements need, and a check that the pseudo-terminal is one. */
function checkTools() {
  for (const [tool, args, package_] of [
    [TIME, ['--version'], 'time (GNU time)'],
    [SCRIPT, ['--version'], 'util-linux (script)'],
  ]) {
    const result = spawnSync(tool, args, { encoding: 'utf8' });
    if (result.error || result.status !== 0) {
      process.stderr.write(`bench: ${tool} is needed (the ${package_} package)\n`);
      process.exit(1);
    }
  }
  timed([process.execPath, '-e', 'process.exit(process.stderr.isTTY === true ? 0 : 3)'], 'the pseudo-terminal check (stderr must be a terminal under script)', { tty: true });
}

const options = parseArgs(process.argv.slice(2));
if (!existsSync(join(ROOT, 'dist', 'ingest', 'upload.js'))) {
  process.stderr.write('bench: dist/ is missing; run `npm run build` first (npm run bench does)\n');
  process.exit(1);
}
checkTools();
mkdirSync(options.data, { recursive: true });
const benchStarted = performance.now();

/** The table of targets: its header, then rows. */
function targetRows(rows) {
  return ['| target | measured | limit | |', '|---|---:|---:|---|', ...rows];
}

/** The end of a run of some measurements only (--only): the figures printed and written, then exit. */
function finishPartial(body) {
  process.stdout.write(`${body}\n`);
  writeReport(options.out, body);
  log(`written to ${options.out}`);
  process.exit(0);
}
if (options.only === 'incremental') {
  const results = options.sizes.map((orders) => measureIncrementalOnly(options, orders));
  const agency = measureAgency(options, options.sizes[0], options.agency);
  const rows = [];
  const check = (what, value, limit) => rows.push(`| ${what} | ${fmt(value)} | ${limit} | ${value <= limit ? 'met' : '**not met**'} |`);
  incrementalTargets(results, agency, check);
  const body = [
    `Measured ${machine()}; seed ${options.seed}${options.months === 12 ? '' : `; ${options.months} months of exports`}; the build after one more month only (--only incremental); the run took ${fmt((performance.now() - benchStarted) / 60_000, 1)} minutes.`,
    '',
    incrementalTable(options, results, agency),
    '',
    `### Targets of the build after one more month`,
    '',
    ...targetRows(rows),
  ].join('\n');
  finishPartial(body);
}
if (options.only === 'runner') {
  const runner = measureRunner(options);
  const rows = [];
  const check = (what, value, limit) => rows.push(`| ${what} | ${fmt(value)} s | ${limit} s | ${value < limit ? 'met' : '**not met**'} |`);
  check('a build with nothing to do on the demo warehouse, wall, under', runner.noop.wall.median, 0.3);
  check('`lasttouch build --dry-run` on the demo warehouse, wall, under', runner.dry.wall.median, 0.3);
  const body = [
    `Measured ${machine()}; the model runner on the demo only (--only runner); \`lasttouch --help\` took ${fmt(runner.help.wall.median)} s.`,
    '',
    runnerTable(options, runner),
    '',
    ...targetRows(rows),
  ].join('\n');
  finishPartial(body);
}
const results = options.sizes.map((orders) => measureSize(options, orders));
const fixed = measureFixedCost(options);
const runner = measureRunner(options);
const agency = measureAgency(options, options.sizes[0], options.agency);
const body = [
  `Measured ${machine()}; seed ${options.seed}${options.months === 12 ? '' : `; ${options.months} months of exports`}; the run took ${fmt((performance.now() - benchStarted) / 60_000, 1)} minutes.`,
  '',
  tables(options, results),
  '',
  fixedCostTable(options, fixed),
  '',
  runnerTable(options, runner),
  '',
  incrementalTable(options, results, agency),
  '',
  agencyTable(options, agency),
  '',
  targets(results, agency, fixed, runner),
].join('\n');
process.stdout.write(`${body}\n`);
writeReport(options.out, body);
log(`written to ${options.out}`);
