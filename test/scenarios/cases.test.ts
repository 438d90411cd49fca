// The scenarios written as data: each file under test/scenarios/cases/ is a story of imports, settings and
// builds, with queries and the rows they must give, in the manner of DuckDB's sqllogictest, so that a
// case is added without writing TypeScript. The format (test/scenarios/cases/README.md):
//
//   # a comment: the rule, the hand arithmetic
//   import PLATFORM FILE [client=ID] [from=DATE to=DATE] [exclude-view-only] [detected]
//   <the file's lines, up to a blank line>
//   warning TEXT                       one warning the import before gave (all of them, in order)
//   notice TEXT                        one notice the import before gave (all of them, in order)
//   summary FIELD JSON                 a field of the import's summary, as `import --json` prints it
//   refused TEXT                       the import before is refused; a line of its message (all of them)
//   client ID SETTING=VALUE ...        client set, through the catalogue of settings
//   upload remove ID | upload restore ID
//   build                              then, as after every build, the revenue identity (attribution section 6)
//   query LABEL
//   <SQL, up to a line ---->
//   <the rows it gives, cells separated by |, NULL for null, up to a blank line>
//   report [month=YYYY-MM]
//   <the month pages it renders, CLIENT/YYYY-MM, all of them, up to a blank line>
//   page CLIENT/YYYY-MM                a month page of the report before, followed by its checks:
//   notice TEXT                          one notice at the top of the page (all of them, in order)
//   shows TEXT / lacks TEXT              text the page's HTML holds, or must not hold
//   shuffle                            every file shuffled (rows and columns) gives the same marts
//
// Every query is a test of its own, run after the steps above it; the checks of an import, a report or a
// page fail the test that runs them.
//
// Two checks of the TypeScript scenarios stay in TypeScript (new-platform.test.ts): that the command
// line's help lists a platform, and that `client set` takes it with exit status 0. They are facts of the
// command line process, not of a warehouse's story; and a step running the command line could write to
// the warehouse behind the log that `shuffle` replays.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { clientChanges, SETTINGS, type SettingKey } from '../../src/client-settings.js';
import { exitCodeFor } from '../../src/cli/common.js';
import { importSummaryJson, type ImportSummaryJson } from '../../src/cli/import.js';
import { ImportRefusedError, InputError } from '../../src/ingest/errors.js';
import { detectPlatform } from '../../src/monthly/inbox.js';
import { renderReports } from '../../src/report/render.js';
import { listUploads, parseUploadId } from '../../src/warehouse/uploads.js';
import { ROOT, TestWarehouse } from '../helpers.js';
import { expectRevenueIdentity } from './scenario.js';
import { expectShuffleInvariant } from './shuffle.js';

const CASES = join(ROOT, 'test', 'scenarios', 'cases');

/**
 * The fields a `summary` line may state. Warnings and notices have lines of their own, which state all of
 * them; a summary line for them would be a second, weaker way to say the same.
 */
const SUMMARY_FIELDS = [
  'status',
  'upload_id',
  'client_id',
  'platform',
  'file_name',
  'rows',
  'orders',
  'revenue',
  'window',
  'rows_outside_window',
  'supersedes',
  'removed_at',
] as const satisfies readonly (keyof ImportSummaryJson)[];
type SummaryField = (typeof SUMMARY_FIELDS)[number];

interface ImportStep {
  kind: 'import';
  line: number;
  platform: string;
  file: string;
  text: string;
  clientId?: string;
  from?: string;
  to?: string;
  excludeViewOnly: boolean;
  detected: boolean;
  warnings: string[];
  notices: string[];
  summary: { line: number; field: SummaryField; value: unknown }[];
  /** The lines of the refusal's message, when the import must be refused. */
  refused: string[] | null;
}

interface PageStep {
  kind: 'page';
  line: number;
  page: string;
  notices: string[];
  shows: string[];
  lacks: string[];
}

type Step =
  | ImportStep
  | { kind: 'client'; line: number; clientId: string; settings: Partial<Record<SettingKey, string>> }
  | { kind: 'upload'; line: number; removed: boolean; uploadId: number }
  | { kind: 'build'; line: number }
  | { kind: 'query'; line: number; label: string; sql: string; rows: string[] }
  | { kind: 'report'; line: number; month?: string; pages: string[] }
  | PageStep
  | { kind: 'shuffle'; line: number };

const STEPS = 'import, warning, notice, summary, refused, client, upload, build, query, report, page, shows, lacks, shuffle';

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
    // The text after the step's word, as written (a warning or a message keeps its own spacing).
    const text = line.trim().slice(word.length).trim();
    const fail = (why: string): never => {
      throw new Error(`${file}:${at}: ${why}: ${line}`);
    };
    /** The options of the step's line: KEY=VALUE for the valued ones, a bare word for the flags. */
    const options = (valued: readonly string[], flags: readonly string[] = []): Map<string, string> => {
      const given = new Map<string, string>();
      for (const item of rest) {
        const equals = item.indexOf('=');
        const key = equals < 0 ? item : item.slice(0, equals);
        const value = equals < 0 ? null : item.slice(equals + 1);
        if (valued.includes(key) ? value === null : !flags.includes(key) || value !== null) {
          fail(`not an option of ${word} (${[...valued.map((name) => `${name}=...`), ...flags].join(', ')})`);
        }
        given.set(key, value ?? '');
      }
      return given;
    };
    // The step a check line belongs to: the last one, whatever comments or blank lines lie between.
    const last = steps.at(-1);
    if (word === 'import') {
      const [platform, name] = rest;
      if (platform === undefined || name === undefined) fail('import takes a platform and a file name');
      rest.splice(0, 2);
      const given = options(['client', 'from', 'to'], ['exclude-view-only', 'detected']);
      if (given.has('from') !== given.has('to')) fail('from= and to= go together');
      const content = block((next) => next.trim() === '').join('\n');
      steps.push({
        kind: 'import',
        line: at,
        platform: platform as string,
        file: name as string,
        text: `${content}\n`,
        clientId: given.get('client'),
        from: given.get('from'),
        to: given.get('to'),
        excludeViewOnly: given.has('exclude-view-only'),
        detected: given.has('detected'),
        warnings: [],
        notices: [],
        summary: [],
        refused: null,
      });
    } else if (word === 'warning' || word === 'summary' || word === 'refused') {
      if (last?.kind !== 'import') fail(`${word} follows an import`);
      const step = last as ImportStep;
      if (word === 'refused') step.refused = [...(step.refused ?? []), text];
      else if (word === 'warning') step.warnings.push(text);
      else {
        const [field = ''] = rest;
        if (!(SUMMARY_FIELDS as readonly string[]).includes(field)) fail(`summary states one of ${SUMMARY_FIELDS.join(', ')}`);
        let value: unknown;
        try {
          value = JSON.parse(text.slice(field.length));
        } catch {
          fail('summary FIELD is followed by its value in JSON');
        }
        step.summary.push({ line: at, field: field as SummaryField, value });
      }
      if (step.refused !== null && (step.warnings.length > 0 || step.summary.length > 0 || step.notices.length > 0)) {
        fail('a refused import has no summary, warnings or notices');
      }
    } else if (word === 'notice') {
      if (last?.kind !== 'import' && last?.kind !== 'page') fail('notice follows an import or a page');
      (last as ImportStep | PageStep).notices.push(text);
      if (last?.kind === 'import' && last.refused !== null) fail('a refused import has no summary, warnings or notices');
    } else if (word === 'shows' || word === 'lacks') {
      if (last?.kind !== 'page') fail(`${word} follows a page`);
      (last as PageStep)[word].push(text);
    } else if (word === 'client') {
      const [clientId] = rest;
      if (clientId === undefined || rest.length < 2) fail('client takes an id and SETTING=VALUE pairs');
      rest.splice(0, 1);
      // A misspelt setting would be passed over by the catalogue, and the step would check nothing.
      const settings = Object.fromEntries(options(SETTINGS.map((entry) => entry.key)));
      steps.push({ kind: 'client', line: at, clientId: clientId as string, settings });
    } else if (word === 'upload') {
      const [action, id] = rest;
      if ((action !== 'remove' && action !== 'restore') || id === undefined || rest.length !== 2) fail('upload remove ID or upload restore ID');
      steps.push({ kind: 'upload', line: at, removed: action === 'remove', uploadId: parseUploadId(id as string) });
    } else if (word === 'build') steps.push({ kind: 'build', line: at });
    else if (word === 'shuffle') steps.push({ kind: 'shuffle', line: at });
    else if (word === 'query') {
      const sql = block((next) => next.trim() === '----').join('\n');
      if (index >= lines.length) fail('a query ends its SQL with a line ----');
      index += 1;
      const rows = block((next) => next.trim() === '').map((row) => row.trim());
      steps.push({ kind: 'query', line: at, label: text, sql, rows });
    } else if (word === 'report') {
      const given = options(['month']);
      const pages = block((next) => next.trim() === '').map((page) => page.trim());
      steps.push({ kind: 'report', line: at, month: given.get('month'), pages });
    } else if (word === 'page') {
      if (!steps.some((step) => step.kind === 'report')) fail('page follows a report');
      if (rest.length !== 1) fail('page takes CLIENT/YYYY-MM');
      steps.push({ kind: 'page', line: at, page: text, notices: [], shows: [], lacks: [] });
    } else fail(`not a step (${STEPS})`);
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

/** A page's HTML with its character references (&#x27;, &amp;, ...) read as the characters they stand for. */
function decoded(html: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return html.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return named[name.toLowerCase()] ?? whole;
  });
}

/** The notices at the top of a month page (reports/pages/month.hbs), in order. */
function pageNotices(html: string): string[] {
  const notices = [...html.matchAll(/data-testid="notice"[^>]*>([^<]*)</g)].map((match) => decoded(match[1] ?? ''));
  // A notice whose text held markup would escape the pattern above: every notice element must be read.
  expect(notices.length, 'every notice of the page is read').toBe(html.split('data-testid="notice"').length - 1);
  return notices;
}

for (const file of readdirSync(CASES).filter((name) => name.endsWith('.scenario')).sort()) {
  describe(file, () => {
    const steps = parseCase(file);
    const warehouse = new TestWarehouse();
    let next = 0;
    /** The month pages of the last report, by CLIENT/YYYY-MM. */
    let pages = new Map<string, string>();

    const runImport = async (step: ImportStep): Promise<void> => {
      const where = `${file}:${step.line}`;
      const path = warehouse.file(step.file, step.text);
      if (step.detected) expect(await detectPlatform(path, {}), `${where}: the platform the monthly inbox reads in the header`).toBe(step.platform);
      const outcome = await warehouse
        .import({
          platform: step.platform as never,
          file: path,
          ...(step.clientId === undefined ? {} : { clientId: step.clientId }),
          ...(step.from === undefined ? {} : { from: step.from, to: step.to }),
          ...(step.excludeViewOnly ? { excludeViewOnly: true } : {}),
        })
        .then(
          (summary) => ({ summary, error: null }),
          (error: unknown) => ({ summary: null, error }),
        );
      if (step.refused !== null) {
        expect(outcome.summary, `${where}: the import is refused`).toBeNull();
        // Refused as `lasttouch import` refuses a file, with exit status 1: a refusal of the file's content,
        // not another error (a usage error, a bug) that happens to stop the import.
        expect(outcome.error instanceof ImportRefusedError || outcome.error instanceof InputError, `${where}: refused, not failed: ${String(outcome.error)}`).toBe(true);
        expect(exitCodeFor(outcome.error), `${where}: the exit status of import`).toBe(1);
        expect((outcome.error as Error).message.split('\n'), `${where}: the refusal`).toEqual(step.refused);
        return;
      }
      if (outcome.summary === null) throw outcome.error;
      const summary = outcome.summary;
      expect(summary.warnings, `${where}: the warnings of the import`).toEqual(step.warnings);
      expect(summary.notices, `${where}: the notices of the import`).toEqual(step.notices);
      const json = importSummaryJson(summary);
      for (const { line, field, value } of step.summary) expect(json[field], `${file}:${line}: summary ${field}`).toEqual(value);
    };

    const runUpload = async (step: Extract<Step, { kind: 'upload' }>): Promise<void> => {
      const where = `${file}:${step.line}: upload ${step.uploadId}`;
      const state = async (): Promise<string> => {
        const upload = (await warehouse.with((open) => listUploads(open))).find((candidate) => candidate.uploadId === step.uploadId);
        expect(upload, `${where} exists`).toBeDefined();
        return upload?.removedAt === null ? 'active' : 'removed';
      };
      // A removal of a removed upload (or a restore of an active one) changes nothing: the case is wrong.
      expect(await state(), `${where} before`).toBe(step.removed ? 'active' : 'removed');
      await (step.removed ? warehouse.removeUpload(step.uploadId) : warehouse.restoreUpload(step.uploadId));
      expect(await state(), `${where} after`).toBe(step.removed ? 'removed' : 'active');
    };

    const runReport = async (step: Extract<Step, { kind: 'report' }>): Promise<void> => {
      const result = await renderReports({
        dbPath: warehouse.path,
        outDir: join(warehouse.dir, `report-${step.line}`),
        ...(step.month === undefined ? {} : { month: step.month }),
      });
      const rendered = result.monthPages.map((page) => `${page.clientId}/${page.month}`);
      expect(rendered, `${file}:${step.line}: the month pages of the report`).toEqual(step.pages);
      pages = new Map(result.monthPages.map((page) => [`${page.clientId}/${page.month}`, readFileSync(page.path, 'utf8')]));
    };

    const runPage = (step: PageStep): void => {
      const where = `${file}:${step.line}: ${step.page}`;
      const html = pages.get(step.page);
      expect(html, `${where} is a page of the report before`).toBeDefined();
      const text = decoded(html as string);
      expect(pageNotices(html as string), `${where}: its notices`).toEqual(step.notices);
      for (const shown of step.shows) expect(text, `${where} shows`).toContain(shown);
      for (const lacking of step.lacks) expect(text, `${where} lacks`).not.toContain(lacking);
    };

    /**
     * Runs the steps up to the query of that line (the queries before it, when their tests are filtered
     * out, are passed over) and returns it; without a line, runs to the end.
     */
    const runUntilQuery = async (line?: number): Promise<Extract<Step, { kind: 'query' }> | null> => {
      while (next < steps.length) {
        const step = steps[next++] as Step;
        if (step.kind === 'import') await runImport(step);
        else if (step.kind === 'client') await warehouse.client(step.clientId, clientChanges(step.settings));
        else if (step.kind === 'upload') await runUpload(step);
        else if (step.kind === 'build') {
          await warehouse.build();
          await expectRevenueIdentity(warehouse);
        } else if (step.kind === 'report') await runReport(step);
        else if (step.kind === 'page') runPage(step);
        else if (step.kind === 'shuffle') await expectShuffleInvariant(warehouse);
        else if (step.line === line) return step;
      }
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
