#!/usr/bin/env node
// The benchmark: how far each step is from what DuckDB itself can do, and how cost grows with data.
//
//   npm run bench [-- --sizes 100000,1000000] [--seed 7] [--data out/bench] [--out BENCHMARKS.md]
//
// For each size it generates (or reuses) a year of exports for one client (scripts/gen.mjs), then, in one
// run on this machine, measures:
//   - import, per format, all files of the year: wall seconds, rows/s, MB/s, peak RSS of one import, and
//     DuckDB's own load of the same files in the same processes (scripts/bench-child.mjs): the ratio;
//   - the full build after eleven months, and the same SQL statements run bare on a copy: the ratio;
//   - the build after the twelfth month's uploads (incremental) against a full rebuild of the same data,
//     for one client, and for one client of an agency's warehouse (--agency K clients of the smallest
//     size, sharing the same exports);
//   - report rendering (all pages), `lasttouch query "select 1"` cold start, `lasttouch --help` start;
//   - growth: the ratio of the largest size to the smallest, per step;
//   - publishing: what a command that writes pays to publish a new version of the warehouse file (a
//     `client set` that changes nothing, through the CLI, on this warehouse and on an empty one: median of
//     3, spread, CPU time, peak RSS), and how long a `query` started during a full rebuild takes.
// Figures are printed and written to BENCHMARKS.md between its bench markers (the text around them is
// kept). Each step is run once (start-up times five times, median): compare ratios taken in one run, not
// figures from different runs or machines.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'lasttouch.js');
const CHILD = join(ROOT, 'scripts', 'bench-child.mjs');

function parseArgs(argv) {
  const options = { sizes: '100000,1000000', seed: '7', agency: '8', data: join(ROOT, 'out', 'bench'), out: join(ROOT, 'BENCHMARKS.md') };
  for (let k = 0; k < argv.length; k += 1) {
    const key = argv[k]?.replace(/^--/, '');
    if (!key || !(key in options) || argv[k + 1] === undefined) {
      process.stderr.write('usage: npm run bench [-- --sizes 100000,1000000] [--seed 7] [--agency 8] [--data DIR] [--out FILE]\n');
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
  return { ...options, sizes, agency, data: resolve(options.data), out: resolve(options.out) };
}

const log = (text) => process.stderr.write(`bench: ${text}\n`);

function run(command, args, what) {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20, cwd: ROOT });
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

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function dataSet(options, orders) {
  const dir = join(options.data, `orders-${orders}-seed-${options.seed}`);
  const manifestPath = join(dir, 'manifest.json');
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : null;
  if (manifest?.orders === orders && String(manifest?.seed) === options.seed) {
    log(`reusing ${dir}`);
  } else {
    log(`generating ${orders} orders into ${dir}`);
    run(process.execPath, [join(ROOT, 'scripts', 'gen.mjs'), '--orders', String(orders), '--seed', options.seed, '--out', dir], 'gen');
  }
  return { dir, manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) };
}

/** Removes a database file and its WAL; returns the path, ready for a new database. */
function freshDatabase(path) {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
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
  const copy = freshDatabase(join(dirname(db), name));
  copyFileSync(db, copy);
  try {
    return step(copy);
  } finally {
    freshDatabase(copy);
  }
}

/**
 * A CLI command run 3 times under /usr/bin/time: wall and CPU seconds and peak RSS, median and spread;
 * inner(stdout), when given, reads one more figure from each run's output.
 */
function cliStats(args, what, inner) {
  const samples = Array.from({ length: 3 }, () => {
    const started = performance.now();
    const result = spawnSync('/usr/bin/time', ['-f', 'time: %U %S %M', process.execPath, CLI, ...args], { encoding: 'utf8', cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    const wall = (performance.now() - started) / 1000;
    const measured = /time: ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(result.stderr);
    if (result.status !== 0 || !measured) throw new Error(`${what} failed (exit ${result.status}): ${result.stderr}`);
    return { wall, cpu: Number(measured[1]) + Number(measured[2]), rssMb: Number(measured[3]) / 1024, inner: inner ? inner(result.stdout) : NaN };
  });
  const of = (key) => ({ median: median(samples.map((sample) => sample[key])), min: Math.min(...samples.map((sample) => sample[key])), max: Math.max(...samples.map((sample) => sample[key])) });
  return { wall: of('wall'), cpu: of('cpu'), rssMb: of('rssMb'), inner: of('inner') };
}

/**
 * What publishing costs a command that writes: a `client set` that changes nothing copies the warehouse,
 * checkpoints and renames it like every write; on an empty warehouse the same command shows the rest.
 * And a reader started while a full rebuild runs: how long it takes, and whether the build still ran.
 */
function measurePublishing(db, clientId, settings) {
  const noChange = ['client', 'set', clientId, '--currency', settings.currency];
  const empty = freshDatabase(join(dirname(db), 'empty.duckdb'));
  run(process.execPath, [CLI, '--db', empty, ...noChange], 'client set on an empty warehouse');
  const small = cliStats(['--db', empty, ...noChange], 'client set (empty warehouse)');
  const large = cliStats(['--db', db, ...noChange], 'client set');
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

function measureSize(options, orders) {
  const { dir, manifest } = dataSet(options, orders);
  const client = manifest.clients[0];
  const db = freshDatabase(join(dir, 'bench.duckdb'));
  setClient(db, client.id, client.settings);

  const imports = { postscript: [], klaviyo: [], shopify: [] };
  const importOne = (index) => {
    const upload = client.imports[index];
    const file = join(dir, upload.file);
    const args = ['import', db, upload.platform, file, client.id, ...(upload.from ? [upload.from, upload.to] : [])];
    const measured = child(args, `import ${upload.file}`);
    if (measured.reader !== 'bulk') log(`note: ${upload.file} was read cell by cell`);
    imports[upload.platform].push({ ...measured, bytes: statSync(file).size });
  };
  const { firstMonths, lastMonth } = splitMonths(manifest);
  log(`${orders}: importing ${firstMonths.length} files (eleven months)`);
  for (const index of firstMonths) importOne(index);

  log(`${orders}: full build, and the same SQL bare on a copy`);
  const bare = onCopy(db, 'bare.duckdb', (copy) => child(['bare', copy], 'bare SQL'));
  const full = build(db, 'full build');

  log(`${orders}: importing the last month (${lastMonth.length} files), incremental build, full rebuild on a copy`);
  for (const index of lastMonth) importOne(index);
  const incremental = build(db, 'incremental build');
  const rebuild = onCopy(db, 'rebuild.duckdb', (copy) => build(copy, 'full rebuild', '--full-refresh'));

  log(`${orders}: report, query, --help`);
  const reportDir = join(dir, 'reports');
  const report = run(process.execPath, [CLI, '--db', db, 'report', '--out', reportDir], 'report');
  const pages = Number(/(\d+) pages? and the index/.exec(report.stdout)?.[1] ?? 0) + 1;
  const query = median(Array.from({ length: 5 }, () => run(process.execPath, [CLI, '--db', db, 'query', 'select 1'], 'query').seconds));
  const help = median(Array.from({ length: 5 }, () => run(process.execPath, [CLI, '--help'], '--help').seconds));
  log(`${orders}: publishing cost of a command that writes; a reader during a build`);
  const publishing = measurePublishing(db, client.id, client.settings);

  const perFormat = Object.fromEntries(
    Object.entries(imports).map(([platform, list]) => {
      const sum = (key) => list.reduce((total, item) => total + item[key], 0);
      return [
        platform,
        {
          files: list.length,
          rows: sum('rows'),
          bytes: sum('bytes'),
          seconds: sum('importSeconds'),
          nativeSeconds: sum('nativeSeconds'),
          peakRssMb: Math.max(...list.map((item) => item.rssMb)),
          cellByCell: list.filter((item) => item.reader !== 'bulk').length,
        },
      ];
    }),
  );
  return { orders, perFormat, full, bare, incremental, rebuild, report: report.seconds, pages, query, help, publishing };
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
  const upload = (index, id) => {
    const { platform, file, from, to } = client.imports[index];
    return { platform, file: join(dir, file), client: id, ...(from ? { from, to } : {}) };
  };
  log(`agency: ${clients} clients of ${orders} orders: importing eleven months for each`);
  child(['imports', db, JSON.stringify(ids.flatMap((id) => firstMonths.map((index) => upload(index, id))))], 'agency imports');
  const full = build(db, 'agency full build');
  log(`agency: one client's twelfth month, the build that follows, a full rebuild on a copy`);
  child(['imports', db, JSON.stringify(lastMonth.map((index) => upload(index, ids[0])))], 'agency month');
  const incremental = build(db, 'agency incremental build');
  const rebuild = onCopy(db, 'agency-rebuild.duckdb', (copy) => build(copy, 'agency full rebuild', '--full-refresh'));
  log(`agency: every other client's twelfth month too, then the whole report site, 3 times`);
  child(['imports', db, JSON.stringify(ids.slice(1).flatMap((id) => lastMonth.map((index) => upload(index, id))))], 'agency months');
  build(db, 'agency build of the twelfth months');
  const report = measureReport(db, join(dir, 'agency-site'));
  return { clients, orders, full, incremental, rebuild, report };
}

/**
 * The whole report site of a warehouse, as the monthly job renders it: `lasttouch report --json` as a
 * process, 3 times (wall, CPU and peak RSS), with the pages it wrote and the time its SQL took inside it.
 */
function measureReport(db, out) {
  let last = null;
  const stats = cliStats(['--db', db, 'report', '--out', out, '--json'], 'report', (stdout) => {
    last = JSON.parse(stdout);
    return last.timings.sql_seconds;
  });
  return { ...stats, pages: last.pages.length + 1, monthPages: last.month_pages.length, timings: last.timings };
}

const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const int = (value) => Math.round(value).toLocaleString('en-US');

function tables(results) {
  const lines = [];
  lines.push('### Import, per format (all files of the year; DuckDB-native = `CREATE TABLE AS SELECT * FROM read_csv` with explicit types, same file, same process)');
  lines.push('');
  lines.push('| orders | format | files | rows | MB | import s | rows/s | MB/s | peak RSS MB (one import) | DuckDB-native s | import / native | read cell by cell |');
  lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const result of results) {
    for (const [platform, f] of Object.entries(result.perFormat)) {
      lines.push(
        `| ${int(result.orders)} | ${platform} | ${f.files} | ${int(f.rows)} | ${fmt(f.bytes / 1e6, 1)} | ${fmt(f.seconds)} | ${int(f.rows / f.seconds)} | ${fmt(f.bytes / 1e6 / f.seconds, 1)} | ${int(f.peakRssMb)} | ${fmt(f.nativeSeconds)} | **${fmt(f.seconds / f.nativeSeconds)}** | ${f.cellByCell} |`,
      );
    }
  }
  lines.push('');
  lines.push('### Build, report, start-up');
  lines.push('');
  lines.push('| orders | full build s | bare SQL s | build / bare | incremental build s (12th month) | full rebuild s (12 months) | incremental / full | report s (pages) | `query "select 1"` s | `--help` s |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    lines.push(
      `| ${int(r.orders)} | ${fmt(r.full.seconds)} | ${fmt(r.bare.seconds)} | **${fmt(r.full.seconds / r.bare.seconds)}** | ${fmt(r.incremental.seconds)} (${r.incremental.built} built, ${r.incremental.unchanged} unchanged) | ${fmt(r.rebuild.seconds)} | **${fmt(r.incremental.seconds / r.rebuild.seconds)}** | ${fmt(r.report)} (${r.pages}) | ${fmt(r.query, 3)} | ${fmt(r.help, 3)} |`,
    );
  }
  lines.push('');
  lines.push('### Publishing: what every command that writes pays for readers that never wait (CLI process; median of 3, min..max)');
  lines.push('');
  lines.push('| orders | warehouse MB | no-change `client set`: wall s | CPU s | peak RSS MB | same on an empty warehouse: wall s | CPU s | extra per write: wall s | `query` during a full rebuild s | build still running |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  const spread = (m) => `${fmt(m.median)} (${fmt(m.min)}..${fmt(m.max)})`;
  for (const r of results) {
    const p = r.publishing;
    lines.push(
      `| ${int(r.orders)} | ${fmt(p.fileMb, 0)} | ${spread(p.large.wall)} | ${spread(p.large.cpu)} | ${int(p.large.rssMb.median)} | ${spread(p.small.wall)} | ${spread(p.small.cpu)} | **${fmt(p.large.wall.median - p.small.wall.median)}** | ${fmt(p.reader.seconds, 3)} | ${p.reader.buildRunning ? 'yes' : 'no'} |`,
    );
  }
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
      lines.push(`| import ${platform} | ${fmt(large.perFormat[platform].seconds / small.perFormat[platform].seconds)} |`);
      lines.push(`| peak RSS of one ${platform} import | ${fmt(large.perFormat[platform].peakRssMb / small.perFormat[platform].peakRssMb)} |`);
    }
    lines.push(`| full build | ${fmt(large.full.seconds / small.full.seconds)} |`);
    lines.push(`| incremental build | ${fmt(large.incremental.seconds / small.incremental.seconds)} |`);
    lines.push(`| report | ${fmt(large.report / small.report)} |`);
  }
  return lines.join('\n');
}

function agencyTable(agency) {
  const r = agency.report;
  const spread = (m, digits = 2) => `${fmt(m.median, digits)} (${fmt(m.min, digits)}..${fmt(m.max, digits)})`;
  return [
    `### An agency's warehouse: ${agency.clients} clients of ${int(agency.orders)} orders each, one client's twelfth month`,
    '',
    '| clients | full build s | build after one client\'s month s | full rebuild s | incremental / full |',
    '|---:|---:|---:|---:|---:|',
    `| ${agency.clients} | ${fmt(agency.full.seconds)} | ${fmt(agency.incremental.seconds)} (${agency.incremental.updated} models for that client only) | ${fmt(agency.rebuild.seconds)} | **${fmt(agency.incremental.seconds / agency.rebuild.seconds)}** |`,
    '',
    `### The agency's whole report site: \`lasttouch report\` as a process (median of 3, min..max)`,
    '',
    '| pages (month pages) | wall s | CPU s | peak RSS MB | pages/s | SQL of its pages s | report / SQL | where the rest goes (last run) |',
    '|---:|---:|---:|---:|---:|---:|---:|---|',
    `| ${r.pages} (${r.monthPages}) | ${spread(r.wall)} | ${spread(r.cpu)} | ${int(r.rssMb.median)} | ${fmt(r.pages / r.wall.median, 1)} | ${spread(r.inner)} | **${fmt(r.wall.median / r.inner.median, 1)}** | charts ${fmt(r.timings.chart_seconds)} s, templates ${fmt(r.timings.render_seconds - r.timings.chart_seconds)} s, publishing ${fmt(r.timings.publish_seconds)} s, start-up and the rest ${fmt(r.wall.median - r.timings.sql_seconds - r.timings.render_seconds - r.timings.publish_seconds)} s |`,
  ].join('\n');
}

function targets(results, agency) {
  const large = results.at(-1);
  const rows = [];
  const check = (what, value, limit, unit = '') => rows.push(`| ${what} | ${fmt(value)}${unit} | ${limit}${unit} | ${value <= limit ? 'met' : '**not met**'} |`);
  for (const [platform, f] of Object.entries(large.perFormat)) check(`import ${platform} / DuckDB-native`, f.seconds / f.nativeSeconds, 1.5);
  check('peak RSS of one import', Math.max(...Object.values(large.perFormat).map((f) => f.peakRssMb)), 500, ' MB');
  check('full build / bare SQL', large.full.seconds / large.bare.seconds, 1.15);
  check('incremental / full build, one client', large.incremental.seconds / large.rebuild.seconds, 0.25);
  check(`incremental / full build, one client of ${agency.clients} (${int(agency.orders)} orders each)`, agency.incremental.seconds / agency.rebuild.seconds, 0.25);
  check('`lasttouch --help`', Math.max(...results.map((r) => r.help)), 0.15, ' s');
  check('`lasttouch query "select 1"`', Math.max(...results.map((r) => r.query)), 0.3, ' s');
  check('a `query` started during a full rebuild', Math.max(...results.map((r) => r.publishing.reader.seconds)), 1, ' s');
  check(`the whole report site of ${agency.clients} clients (${agency.report.pages} pages)`, agency.report.wall.median, 10, ' s');
  return [`### Targets at ${int(large.orders)} orders`, '', '| target | measured | limit | |', '|---|---:|---:|---|', ...rows].join('\n');
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

const options = parseArgs(process.argv.slice(2));
if (!existsSync(join(ROOT, 'dist', 'ingest', 'upload.js'))) {
  process.stderr.write('bench: dist/ is missing; run `npm run build` first (npm run bench does)\n');
  process.exit(1);
}
mkdirSync(options.data, { recursive: true });
const results = options.sizes.map((orders) => measureSize(options, orders));
const agency = measureAgency(options, options.sizes[0], options.agency);
const body = [`Measured ${machine()}; seed ${options.seed}.`, '', tables(results), '', agencyTable(agency), '', targets(results, agency)].join('\n');
process.stdout.write(`${body}\n`);
writeReport(options.out, body);
log(`written to ${options.out}`);
