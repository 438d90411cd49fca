// npm run bench is a script, not a test: it prints figures and asserts nothing about time. This runs it
// once at a small size so that it cannot rot: every step must complete, every generated export must take
// the bulk loader, and the figures must land between the markers of the report without touching the
// text around them.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';

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
      [join(ROOT, 'scripts', 'bench.mjs'), '--sizes', '1000', '--agency', '2', '--data', join(dir, 'data'), '--out', report],
      { cwd: ROOT, encoding: 'utf8', timeout: 180_000 },
    );
    expect(result.status, result.stderr).toBe(0);
    stdout = result.stdout;
  }, 200_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports every format through the bulk loader and measures it against DuckDB', () => {
    const rows = stdout.split('\n').filter((line) => /^\| 1,000 \| (postscript|klaviyo|shopify) \|/.test(line));
    expect(rows.map((line) => line.split('|')[2]?.trim())).toEqual(['postscript', 'klaviyo', 'shopify']);
    for (const line of rows) {
      const cells = line.split('|').map((cell) => cell.trim());
      expect(cells[3]).toBe('12'); // files of the year
      expect(Number(cells[4]?.replace(/,/g, ''))).toBeGreaterThan(0); // rows
      expect(cells[12]).toBe('0'); // read cell by cell
    }
  });

  it('reports the build, the incremental build, the report and start-up, and each target', () => {
    expect(stdout).toMatch(/^\| 1,000 \| [\d.]+ \| [\d.]+ \| \*\*[\d.]+\*\* \| [\d.]+ \(\d+ built, \d+ unchanged\) \|/m);
    for (const target of ['import shopify / DuckDB-native', 'peak RSS of one import', 'full build / bare SQL', 'incremental / full build, one client']) {
      expect(stdout).toMatch(new RegExp(`^\\| ${target.replace(/[/]/g, '\\/')} \\| [\\d.]+( MB)? \\| [\\d.]+( MB)? \\| (met|\\*\\*not met\\*\\*) \\|$`, 'm'));
    }
  });

  it("measures one client's month in an agency's warehouse", () => {
    expect(stdout).toMatch(/^### An agency's warehouse: 2 clients of 1,000 orders each, one client's twelfth month$/m);
    expect(stdout).toMatch(/^\| 2 \| [\d.]+ \| [\d.]+ \(\d+ models for that client only\) \| [\d.]+ \| \*\*[\d.]+\*\* \|$/m);
  });

  it('writes the figures between the markers and keeps the text around them', () => {
    const text = readFileSync(report, 'utf8');
    expect(text.startsWith('# Kept above\n\n<!-- bench:start')).toBe(true);
    expect(text.endsWith('<!-- bench:end -->\n\nKept below.\n')).toBe(true);
    expect(text).not.toContain('old figures');
    expect(text).toContain('### Targets at 1,000 orders');
  });
});
