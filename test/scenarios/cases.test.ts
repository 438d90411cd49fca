// The scenarios written as data: each file under test/scenarios/cases/ is a story of imports, settings and
// builds, with queries and the rows they must give, in the manner of DuckDB's sqllogictest, so that a
// case is added without writing TypeScript. The format (test/scenarios/cases/README.md):
//
//   # a comment: the rule, the hand arithmetic
//   import PLATFORM FILE [client=ID] [from=DATE to=DATE] [exclude-view-only]
//   <the file's lines, up to a blank line>
//   warning TEXT                       one warning the import before must have given (all of them, in order)
//   client ID SETTING=VALUE ...        client set, through the catalogue of settings
//   build                              then, as after every build, the revenue identity (attribution section 6)
//   query LABEL
//   <SQL, up to a line ---->
//   <the rows it gives, cells separated by |, NULL for null, up to a blank line>
//   shuffle                            every file shuffled (rows and columns) gives the same marts
//
// Every query is a test of its own, run after the steps above it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { clientChanges, type SettingKey } from '../../src/client-settings.js';
import type { ImportSummary } from '../../src/ingest/summary.js';
import { ROOT, TestWarehouse } from '../helpers.js';
import { expectRevenueIdentity } from './scenario.js';
import { expectShuffleInvariant } from './shuffle.js';

const CASES = join(ROOT, 'test', 'scenarios', 'cases');

type Step =
  | { kind: 'import'; line: number; platform: string; file: string; text: string; clientId?: string; from?: string; to?: string; excludeViewOnly: boolean }
  | { kind: 'warning'; line: number; text: string }
  | { kind: 'client'; line: number; clientId: string; settings: Partial<Record<SettingKey, string>> }
  | { kind: 'build'; line: number }
  | { kind: 'query'; line: number; label: string; sql: string; rows: string[] }
  | { kind: 'shuffle'; line: number };

function parseCase(file: string): Step[] {
  const lines = readFileSync(join(CASES, file), 'utf8').split('\n');
  const steps: Step[] = [];
  let index = 0;
  const block = (until: (line: string) => boolean): string[] => {
    const taken: string[] = [];
    while (index < lines.length && !until(lines[index] ?? '')) taken.push(lines[index++] ?? '');
    return taken;
  };
  while (index < lines.length) {
    const line = lines[index] ?? '';
    const at = index + 1;
    index += 1;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [word = '', ...rest] = line.trim().split(/\s+/);
    const fail = (why: string): never => {
      throw new Error(`${file}:${at}: ${why}: ${line}`);
    };
    if (word === 'import') {
      const [platform, name, ...options] = rest;
      if (platform === undefined || name === undefined) fail('import takes a platform and a file name');
      const option = (key: string): string | undefined => options.find((item) => item.startsWith(`${key}=`))?.slice(key.length + 1);
      const text = block((next) => next.trim() === '').join('\n');
      steps.push({
        kind: 'import',
        line: at,
        platform: platform as string,
        file: name as string,
        text: `${text}\n`,
        clientId: option('client'),
        from: option('from'),
        to: option('to'),
        excludeViewOnly: options.includes('exclude-view-only'),
      });
    } else if (word === 'warning') steps.push({ kind: 'warning', line: at, text: line.trim().slice('warning '.length) });
    else if (word === 'client') {
      const [clientId, ...pairs] = rest;
      if (clientId === undefined) fail('client takes an id and SETTING=VALUE pairs');
      const settings = Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
      steps.push({ kind: 'client', line: at, clientId: clientId as string, settings });
    } else if (word === 'build') steps.push({ kind: 'build', line: at });
    else if (word === 'shuffle') steps.push({ kind: 'shuffle', line: at });
    else if (word === 'query') {
      const sql = block((next) => next.trim() === '----').join('\n');
      if (index >= lines.length) fail('a query ends its SQL with a line ----');
      index += 1;
      const rows = block((next) => next.trim() === '').map((row) => row.trim());
      steps.push({ kind: 'query', line: at, label: rest.join(' '), sql, rows });
    } else fail('not a step (import, warning, client, build, query, shuffle)');
  }
  return steps;
}

/** A row as a case writes it: its cells separated by " | ", NULL for null. */
function rowText(row: Record<string, unknown>): string {
  return Object.values(row)
    .map((value) => (value === null || value === undefined ? 'NULL' : typeof value === 'object' ? JSON.stringify(value) : String(value)))
    .join(' | ');
}
const normalise = (row: string): string => row.split('|').map((cell) => cell.trim()).join(' | ');

for (const file of readdirSync(CASES).filter((name) => name.endsWith('.scenario')).sort()) {
  describe(file, () => {
    const steps = parseCase(file);
    const warehouse = new TestWarehouse();
    let next = 0;
    let lastImport: ImportSummary | null = null;
    let warnings: string[] = [];
    const checkWarnings = (): void => {
      if (lastImport !== null) expect(lastImport.warnings, `${file}: the warnings of the import before`).toEqual(warnings);
      lastImport = null;
      warnings = [];
    };
    /**
     * Runs the steps up to the query of that line (the queries before it, when their tests are filtered
     * out, are passed over) and returns it; without a line, runs to the end.
     */
    const runUntilQuery = async (line?: number): Promise<Extract<Step, { kind: 'query' }> | null> => {
      while (next < steps.length) {
        const step = steps[next++] as Step;
        if (step.kind !== 'warning') checkWarnings();
        if (step.kind === 'import') {
          lastImport = await warehouse.import({
            platform: step.platform as never,
            file: warehouse.file(step.file, step.text),
            ...(step.clientId === undefined ? {} : { clientId: step.clientId }),
            ...(step.from === undefined ? {} : { from: step.from, to: step.to }),
            ...(step.excludeViewOnly ? { excludeViewOnly: true } : {}),
          });
        } else if (step.kind === 'warning') warnings.push(step.text);
        else if (step.kind === 'client') await warehouse.client(step.clientId, clientChanges(step.settings));
        else if (step.kind === 'build') {
          await warehouse.build();
          await expectRevenueIdentity(warehouse);
        } else if (step.kind === 'shuffle') await expectShuffleInvariant(warehouse);
        else if (step.line === line) return step;
      }
      checkWarnings();
      return null;
    };
    afterAll(() => warehouse.cleanup());
    for (const step of steps.filter((candidate): candidate is Extract<Step, { kind: 'query' }> => candidate.kind === 'query')) {
      test(`${step.label} (line ${step.line})`, async () => {
        const query = await runUntilQuery(step.line);
        expect(query?.line, `${file}: the query of line ${step.line} is reached`).toBe(step.line);
        const rows = await warehouse.query(step.sql);
        expect(rows.map(rowText), `${file}:${step.line}: ${step.label}`).toEqual(step.rows.map(normalise));
      });
    }
    test('the steps after the last query', async () => {
      expect(await runUntilQuery()).toBeNull();
    });
  });
}
