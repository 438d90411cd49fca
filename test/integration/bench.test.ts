// npm run bench is a script, not a test: it prints figures and asserts nothing about time. This runs it
// once at a small size so that it cannot rot: every step must complete, every generated export must take
// the bulk loader, every table and row must appear with numbers in it (their values are not checked), and
// the figures must land between the markers of the report without touching the text around them.
//
// To stay within a few minutes in CI (every `lasttouch import` is a process of its own, and the whole job
// runs three ways), it runs 1,000 orders over 2 months of exports (--months 2: 6 files, the same tables as
// a year's) with one run of each repeated measurement (--runs 1: the median of one, the same code).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';

const MONTHS = 2;
/** A figure, with or without its spread: 1.23, 187, 1.23 (1.01..1.50). */
const FIGURE = String.raw`[\d.]+(?: \([\d.]+\.\.[\d.]+\))?`;
const BOLD = String.raw`\*\*[\d.]+\*\*`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('npm run bench, at 1,000 orders', () => {
  let dir: string;
  let report: string;
  let stdout: string;

  beforeAll(() => {
    dir = tempDir();
    report = join(dir, 'BENCH.md');
    writeFileSync(
      report,
      '# Kept above\n\n<!-- bench:start (written by npm run bench; edit outside these markers) -->\nold figures\n<!-- bench:end -->\n\nKept below.\n',
    );
    const result = spawnSync(
      process.execPath,
      [
        join(ROOT, 'scripts', 'bench.mjs'),
        ...['--sizes', '1000', '--agency', '2', '--months', String(MONTHS), '--runs', '1'],
        ...['--data', join(dir, 'data'), '--out', report],
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 240_000 },
    );
    expect(result.status, result.stderr).toBe(0);
    stdout = result.stdout;
  }, 250_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports every format through the CLI, under a terminal, and measures it against DuckDB as processes', () => {
    expect(stdout).toMatch(/^### Import, per format: .*a process of its own with progress on \(under a pseudo-terminal\).*; one run$/m);
    const rows = stdout.split('\n').filter((line) => /^\| 1,000 \| (postscript|klaviyo|shopify) \|/.test(line));
    expect(rows.map((line) => line.split('|')[2]?.trim())).toEqual(['postscript', 'klaviyo', 'shopify']);
    for (const line of rows) {
      const cells = line.split('|').map((cell) => cell.trim());
      expect(cells).toHaveLength(19);
      expect(cells[3]).toBe(String(MONTHS)); // files of the year
      expect(Number(cells[4]?.replace(/,/g, ''))).toBeGreaterThan(0); // rows
      // MB; import wall and CPU; rows/s, MB/s; peak RSS; progress drawn; native wall and CPU; native peak RSS
      for (const cell of [cells[6], cells[7], cells[10], cells[12], cells[13]]) expect(cell?.replace(/,/g, '')).toMatch(new RegExp(`^${FIGURE}$`));
      for (const cell of [cells[5], cells[8], cells[9], cells[11], cells[14]]) expect(cell?.replace(/,/g, '')).toMatch(/^[\d.]+$/);
      expect(cells[15]).toMatch(new RegExp(`^${BOLD}$`)); // import / native, CPU
      expect(cells[16]).toMatch(new RegExp(`^${BOLD}$`)); // import / native, wall
      expect(cells[17]).toBe('0'); // read cell by cell
    }
  });

  it('reports the build, the CLI build as a process, the incremental build, the report and start-up', () => {
    expect(stdout).toMatch(
      new RegExp(
        String.raw`^\| 1,000 \| [\d.]+ \| [\d.]+ \| ${BOLD} \| [\d.]+ \(\d+ built, \d+ unchanged\) \| [\d.]+ \| ${BOLD} \| ${FIGURE} \| ${FIGURE} \| [\d,]+ \| [\d.]+ \(\d+\) \| [\d.]+ \| [\d.]+ \|$`,
        'm',
      ),
    );
  });

  it('measures the whole monthly job three ways against the DuckDB-only baseline', () => {
    expect(stdout).toMatch(/^### The whole monthly job, .*without a terminal \(as cron runs it\).*; one run; the baseline: one run$/m);
    const jobs = [
      String.raw`\(a\) one process per command: ${MONTHS * 3} \`lasttouch import\`, \`build\`, \`report\``,
      String.raw`\(b\) one \`lasttouch import\` per platform \(3, the files in month order\), \`build\`, \`report\``,
      String.raw`\(c\) one \`lasttouch monthly\` \(inbox of the year's files\)`,
      String.raw`\(d\) DuckDB only: ${MONTHS * 3} \`read_csv\` loads, the model SQL bare`,
    ];
    const processes = [MONTHS * 3 + 2, 3 + 2, 1, MONTHS * 3 + 1];
    jobs.forEach((job, index) => {
      const ratio = index === 3 ? String.raw`1\.00 \| 1\.00` : String.raw`${BOLD} \| [\d.]+`;
      expect(stdout).toMatch(new RegExp(String.raw`^\| 1,000 \| ${job} \| ${processes[index]} \| 1 \| ${FIGURE} \| ${FIGURE} \| [\d,]+ \| ${ratio} \|$`, 'm'));
    });
  });

  it('measures the fixed cost of a small import, alone and 10 in one process', () => {
    expect(stdout).toMatch(/^### Fixed cost of a small import: .*1,000-row files.*; one run$/m);
    for (const [name, files] of [
      ['one file, one process', 1],
      ['10 files in one process', 10],
    ] as const) {
      expect(stdout).toMatch(
        new RegExp(String.raw`^\| ${name} \| ${files} \| ${FIGURE} \| ${FIGURE} \| \*\*${FIGURE}\*\* \| ${FIGURE} \| [\d,]+ \|$`, 'm'),
      );
    }
  });

  it('states each target, met or not', () => {
    const targets = [
      'import postscript / DuckDB-native, CPU',
      'import postscript / DuckDB-native, wall',
      'import klaviyo / DuckDB-native, CPU',
      'import klaviyo / DuckDB-native, wall',
      'import shopify / DuckDB-native, CPU',
      'import shopify / DuckDB-native, wall',
      'peak RSS of one import',
      'peak RSS of an import through the CLI (progress on), under',
      'full build / bare SQL',
      'peak RSS of a full build through the CLI (`lasttouch build`), under',
      'incremental / full build, one client',
      'incremental / full build, one client of 2 (1,000 orders each)',
      'the whole job at 1,000 orders, one process per command / DuckDB-only baseline, CPU',
      'the whole job at 1,000 orders, one import per platform / DuckDB-only baseline, CPU',
      'the whole job at 1,000 orders, `lasttouch monthly` / DuckDB-only baseline, CPU',
      "one import of a 1,000-row file: CPU beyond Node's start",
      '`lasttouch --help`',
      '`lasttouch query "select 1"`',
      'a `query` started during a full rebuild',
    ];
    for (const target of targets) {
      expect(stdout).toMatch(new RegExp(`^\\| ${escape(target)} \\| [\\d.]+( MB| s)? \\| [\\d.]+( MB| s)? \\| (met|\\*\\*not met\\*\\*) \\|$`, 'm'));
    }
    expect(stdout).toMatch(/^\| the whole report site of 2 clients \(\d+ pages\) \| [\d.]+ s \| 10 s \| (met|\*\*not met\*\*) \|$/m);
  });

  it("measures one client's month in an agency's warehouse", () => {
    expect(stdout).toMatch(/^### An agency's warehouse: 2 clients of 1,000 orders each, one client's twelfth month$/m);
    expect(stdout).toMatch(/^\| 2 \| [\d.]+ \| [\d.]+ \(\d+ models for that client only\) \| [\d.]+ \| \*\*[\d.]+\*\* \|$/m);
  });

  it('measures the build after one more month as processes, for one client and one client of the agency', () => {
    expect(stdout).toMatch(/^### The build after one more month: `lasttouch build` as a process against `lasttouch build --full-refresh` of the same warehouse \(one run; each run on a copy\)$/m);
    for (const warehouse of ['one client, 1,000 orders, its last month', 'one client of 2 (1,000 orders each), its last month']) {
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(`| ${warehouse} |`));
      const cells = line?.split(' | ') ?? [];
      expect(cells, warehouse).toHaveLength(9);
      for (const cell of [cells[1], cells[2], cells[4], cells[5]]) expect(cell).toMatch(new RegExp(`^${FIGURE}$`));
      for (const cell of [cells[3], cells[6]]) expect(cell?.replace(/,/g, '')).toMatch(/^\d+$/);
      expect(cells[7]).toMatch(new RegExp(`^${BOLD}$`));
      expect(cells[8]).toMatch(new RegExp(`^${BOLD} \\|$`));
    }
  });

  it('writes the figures between the markers and keeps the text around them', () => {
    const text = readFileSync(report, 'utf8');
    expect(text.startsWith('# Kept above\n\n<!-- bench:start')).toBe(true);
    expect(text.endsWith('<!-- bench:end -->\n\nKept below.\n')).toBe(true);
    expect(text).not.toContain('old figures');
    expect(text).toContain('### Targets at 1,000 orders');
  });

  it('times a build with nothing to do and build --dry-run on the demo warehouse, as processes', () => {
    expect(stdout).toMatch(/^### The model runner on the demo warehouse, as processes \(one run\)$/m);
    for (const name of ['`lasttouch build` with nothing to do (writes nothing)', '`lasttouch build --dry-run`']) {
      expect(stdout).toMatch(new RegExp(`^\\| ${escape(name)} \\| ${FIGURE} \\| ${FIGURE} \\| [\\d,]+ \\|$`, 'm'));
    }
    expect(stdout).toMatch(/^\| a build with nothing to do on the demo warehouse, wall, under \| [\d.]+ s \| 0\.3 s \| (met|\*\*not met\*\*) \|$/m);
  });

});
