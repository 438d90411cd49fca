// A user's own report pages (`lasttouch report --pages DIR`): DIR/<name>.hbs, YAML front matter that names
// the page's queries, then a Handlebars body. Every mistake in every page is reported at once, each at its
// line in the user's file, because a user fixing pages otherwise re-runs the report once per typo. The
// queries run through the same sandbox as `lasttouch query` (sandbox.ts), their values bound as
// parameters: a page is the user's SQL, and it must not be able to change the warehouse or read files.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { DuckDBPreparedStatement } from '@duckdb/node-api';
import { dateValue } from '../warehouse/duckdb.js';
import type Handlebars from 'handlebars';
import { isMap, isScalar, LineCounter, parseDocument, Scalar, type Node } from 'yaml';
import { firstLine, ReportFailedError } from '../errors.js';
import { lockDown, readQuery } from '../warehouse/sandbox.js';
import { toPlain } from '../warehouse/values.js';
import type { Row, Warehouse } from '../warehouse/db.js';

export interface PageQuery {
  name: string;
  sql: string;
  /** Where the SQL text starts: the .hbs file and its front-matter line, or the .sql file and line 1. */
  file: string;
  line: number;
}

export interface UserPageDefinition {
  name: string;
  file: string;
  title: string;
  per: 'month' | 'client';
  queries: PageQuery[];
  template: HandlebarsTemplateDelegate<object>;
  /** The .hbs line of the body's first line, to turn Handlebars' lines into the file's. */
  bodyLine: number;
}

const PAGE_NAME = /^[a-z0-9][a-z0-9_-]*$/;
// The built-in pages' names: the site's index, the coverage page, a month's page.
const BUILT_IN = /^(?:index|coverage|\d{4}-\d{2})$/;
// A query's rows sit in the template's context beside these, so a query by one of their names would hide one.
const QUERY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_QUERY_NAMES = new Set(['title', 'client', 'month', 'month_end', 'monthTitle', 'page', 'links']);
const KEYS = new Set(['title', 'per', 'queries']);

/** One error at its place in a user's file. */
class PageErrors {
  readonly list: string[] = [];
  add(file: string, line: number | undefined, message: string): void {
    this.list.push(line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`);
  }
}

export function loadUserPages(dir: string, handlebars: typeof Handlebars): UserPageDefinition[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ReportFailedError(`--pages ${dir}: no such folder`);
  const files = readdirSync(dir)
    .filter((entry) => entry.endsWith('.hbs') && statSync(join(dir, entry)).isFile())
    .sort();
  if (files.length === 0) throw new ReportFailedError(`--pages ${dir}: no pages in it (a page is a file NAME.hbs)`);
  const errors = new PageErrors();
  const pages: UserPageDefinition[] = [];
  for (const entry of files) {
    const page = loadPage(dir, entry, handlebars, errors);
    if (page !== undefined) pages.push(page);
  }
  if (errors.list.length > 0) {
    const count = errors.list.length;
    throw new ReportFailedError(`${count} error${count === 1 ? '' : 's'} in the pages of ${dir}:\n${errors.list.join('\n')}`);
  }
  return pages;
}

/** One page, or undefined when it has errors (added to errors). */
function loadPage(dir: string, entry: string, handlebars: typeof Handlebars, errors: PageErrors): UserPageDefinition | undefined {
  const file = join(dir, entry);
  const name = entry.slice(0, -'.hbs'.length);
  const before = errors.list.length;
  if (!PAGE_NAME.test(name)) {
    errors.add(file, undefined, `page name "${name}" must be lower-case letters, digits, _ and - (starting with a letter or digit)`);
  } else if (BUILT_IN.test(name)) {
    errors.add(file, undefined, `page name "${name}" is taken by a built-in page (index, coverage, YYYY-MM months)`);
  }
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const open = /^---[ \t]*\r?\n/.exec(text);
  const close = open === null ? null : /^---[ \t]*(?:\r?\n|$)/m.exec(text.slice(open[0].length));
  if (open === null || close === null) {
    errors.add(file, 1, open === null ? 'a page starts with YAML front matter: a line ---, the settings, a line ---' : 'the front matter has no closing --- line');
    return undefined;
  }
  const bodyStart = open[0].length + close.index + close[0].length;
  const bodyLine = lineCount(text.slice(0, bodyStart)) + 1;
  const settings = readFrontMatter(dir, file, text.slice(open[0].length, open[0].length + close.index), errors);
  const template = compileBody(handlebars, text.slice(bodyStart), file, bodyLine, errors);
  if (settings === undefined || template === undefined || errors.list.length > before) return undefined;
  return { name, file, title: settings.title ?? name, per: settings.per, queries: settings.queries, template, bodyLine };
}

function lineCount(text: string): number {
  return text.split('\n').length - 1;
}

interface Settings {
  title: string | undefined;
  per: 'month' | 'client';
  queries: PageQuery[];
}

/** The front matter's settings; its YAML lines are the file's lines from 2 on. */
function readFrontMatter(dir: string, file: string, yaml: string, errors: PageErrors): Settings | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: lines, prettyErrors: false });
  const lineOf = (offset: number): number => lines.linePos(offset).line + 1;
  if (doc.errors.length > 0) {
    for (const error of doc.errors) errors.add(file, lineOf(error.pos[0]), `front matter: ${firstLine(error)}`);
    return undefined;
  }
  const settings: Settings = { title: undefined, per: 'month', queries: [] };
  const root = doc.contents;
  if (root === null) return settings;
  if (!isMap(root)) {
    errors.add(file, lineOf(root.range?.[0] ?? 0), 'front matter must be settings (title:, per:, queries:)');
    return undefined;
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const keyLine = lineOf(isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0);
    const value = pair.value as Node | null;
    if (!KEYS.has(key)) {
      errors.add(file, keyLine, `front matter: unknown setting "${key}" (a page has title:, per: and queries:)`);
    } else if (key === 'title') {
      if (isScalar(value) && typeof value.value === 'string' && value.value.trim() !== '') settings.title = value.value;
      else errors.add(file, keyLine, 'title: must be a text');
    } else if (key === 'per') {
      if (isScalar(value) && (value.value === 'month' || value.value === 'client')) settings.per = value.value;
      else errors.add(file, keyLine, `per: must be month (a page per client and month) or client (a page per client), not ${shownValue(value)}`);
    } else if (value !== null && !isMap(value)) {
      errors.add(file, keyLine, 'queries: must name each query: NAME: SQL, or NAME: FILE.sql');
    } else {
      for (const item of value?.items ?? []) {
        const query = pageQuery(dir, file, item.key as Node | null, item.value as Node | null, lineOf, errors);
        if (query !== undefined) settings.queries.push(query);
      }
    }
  }
  return settings;
}

function shownValue(node: Node | null): string {
  return isScalar(node) ? JSON.stringify(node.value) : 'that';
}

/** One entry of queries:, its SQL read from the .sql file it names, if it names one. */
function pageQuery(
  dir: string,
  file: string,
  keyNode: Node | null,
  valueNode: Node | null,
  lineOf: (offset: number) => number,
  errors: PageErrors,
): PageQuery | undefined {
  const name = isScalar(keyNode) ? String(keyNode.value) : '';
  const keyLine = lineOf(keyNode?.range?.[0] ?? 0);
  if (!QUERY_NAME.test(name) || RESERVED_QUERY_NAMES.has(name)) {
    errors.add(file, keyLine, `query name "${name}" must be letters, digits and _ (a Handlebars name), and not title, client, month, month_end, monthTitle, page or links`);
    return undefined;
  }
  if (!isScalar(valueNode) || typeof valueNode.value !== 'string' || valueNode.value.trim() === '') {
    errors.add(file, keyLine, `query "${name}": give its SQL, or the name of a .sql file beside the page`);
    return undefined;
  }
  const sql = valueNode.value;
  if (/^[^\n]*\.sql\s*$/i.test(sql.trim())) return sqlFile(dir, file, name, sql.trim(), keyLine, errors);
  // A block scalar (| or >) starts on its header's line; its text, on the line after.
  const block = valueNode.type === Scalar.BLOCK_LITERAL || valueNode.type === Scalar.BLOCK_FOLDED;
  return { name, sql, file, line: lineOf(valueNode.range?.[0] ?? 0) + (block ? 1 : 0) };
}

function sqlFile(dir: string, file: string, name: string, path: string, line: number, errors: PageErrors): PageQuery | undefined {
  const full = resolve(dir, path);
  const inside = (target: string, root: string): boolean => {
    const rel = relative(root, target);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  if (isAbsolute(path) || !inside(full, resolve(dir))) {
    errors.add(file, line, `query "${name}": ${path} must be a file inside ${dir}`);
    return undefined;
  }
  if (!existsSync(full) || !statSync(full).isFile()) {
    errors.add(file, line, `query "${name}": no such file ${join(dir, path)}`);
    return undefined;
  }
  // A symbolic link could lead out of the folder that the user handed over.
  if (!inside(realpathSync(full), realpathSync(dir))) {
    errors.add(file, line, `query "${name}": ${path} leads outside ${dir}`);
    return undefined;
  }
  const sql = readFileSync(full, 'utf8').replace(/^\uFEFF/, '');
  if (sql.trim() === '') {
    errors.add(file, line, `query "${name}": ${join(dir, path)} is empty`);
    return undefined;
  }
  return { name, sql, file: join(dir, path), line: 1 };
}

/** The body compiled now, so that its syntax errors are found when the pages load, not when they render. */
function compileBody(
  handlebars: typeof Handlebars,
  body: string,
  file: string,
  bodyLine: number,
  errors: PageErrors,
): HandlebarsTemplateDelegate<object> | undefined {
  try {
    // compile() is lazy: precompile runs the whole compiler and throws what compile would throw later.
    handlebars.precompile(body, { strict: true });
    return handlebars.compile<object>(body, { strict: true });
  } catch (error) {
    const { line, message } = templateError(error, bodyLine);
    errors.add(file, line, `template: ${message}`);
    return undefined;
  }
}

/** A Handlebars error's message and its line in the .hbs file. */
function templateError(error: unknown, bodyLine: number): { line: number | undefined; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  // The parser names the line in its message, then shows the text and what it expected on the last line.
  const parse = /^(?:Parse|Lexical) error on line (\d+)[:.]/.exec(message);
  if (parse) {
    const detail = message.split('\n').at(-1) ?? '';
    return { line: bodyLine + Number(parse[1]) - 1, message: parse[0].startsWith('Lexical') ? 'unrecognized text' : detail };
  }
  // Handlebars' Exception carries the line as lineNumber and adds " - line:column" to its message.
  const lineNumber = typeof error === 'object' && error !== null && 'lineNumber' in error ? error.lineNumber : undefined;
  const text = firstLine(error).replace(/ - \d+:\d+$/, '');
  return { line: typeof lineNumber === 'number' ? bodyLine + lineNumber - 1 : undefined, message: text };
}

/** The date parts of YYYY-MM's first day, and of the next month's. */
function monthBounds(month: string): { start: { year: number; month: number; day: number }; end: { year: number; month: number; day: number } } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new ReportFailedError(`page month "${month}" is not YYYY-MM`);
  const year = Number(match[1]);
  const number = Number(match[2]);
  return {
    start: { year, month: number, day: 1 },
    end: number === 12 ? { year: year + 1, month: 1, day: 1 } : { year, month: number + 1, day: 1 },
  };
}

/**
 * Runs the page's queries, each on its own, with $client (VARCHAR), $month and $month_end (DATE) bound as
 * the statement asks for them. The warehouse must be open read-only; its connection is locked down as
 * `lasttouch query` locks it (no files, no settings), once, and stays so.
 */
export async function runPageQueries(
  warehouse: Warehouse,
  page: UserPageDefinition,
  params: { client: string; month: string },
): Promise<Record<string, Row[]>> {
  if (!warehouse.readOnly) throw new ReportFailedError(`${page.file}: pages run their queries on a warehouse opened read-only`);
  await ensureLockedDown(warehouse);
  const { start, end } = monthBounds(params.month);
  const bind = (prepared: DuckDBPreparedStatement): void => {
    for (let index = 1; index <= prepared.parameterCount; index++) {
      const name = prepared.parameterName(index);
      if (name === 'client') prepared.bindVarchar(index, params.client);
      else if (name === 'month') prepared.bindDate(index, dateValue(start));
      else if (name === 'month_end') prepared.bindDate(index, dateValue(end));
      else throw new Error(`unknown parameter $${name} (a page has $client, $month and $month_end)`);
    }
  };
  const results: Record<string, Row[]> = {};
  for (const query of page.queries) {
    try {
      const reader = await readQuery(warehouse, query.sql, bind);
      results[query.name] = reader.getRowObjects().map((row) => {
        const plain: Row = {};
        for (const [key, value] of Object.entries(row)) plain[key] = toPlain(value);
        return plain;
      });
    } catch (error) {
      throw new ReportFailedError(`${query.file}:${query.line}: query "${query.name}": ${firstLine(error)}`);
    }
  }
  return results;
}

/** Locks the connection down unless it already is: the renderer runs many pages on one connection. */
async function ensureLockedDown(warehouse: Warehouse): Promise<void> {
  const row = await warehouse.one(
    "SELECT current_setting('lock_configuration') AS locked, current_setting('enable_external_access') AS external",
  );
  if (row?.locked === true && row.external === false) return;
  // Locked with files open: nothing can close them now, and a page must not read them.
  if (row?.locked === true) throw new ReportFailedError('pages run their queries with file access off, but the warehouse is locked with it on');
  await lockDown(warehouse, {});
}

/** The page's body rendered with context; strict mode makes a misspelt name an error, not an empty cell. */
export function renderUserPage(page: UserPageDefinition, context: object): string {
  try {
    return page.template(context);
  } catch (error) {
    const { line, message } = templateError(error, page.bodyLine);
    throw new ReportFailedError(line === undefined ? `${page.file}: ${message}` : `${page.file}:${line}: ${message}`);
  }
}
