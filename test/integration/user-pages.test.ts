// Users' own report pages (report --pages DIR) on a real DuckDB file: the pages load with every mistake at
// its line, their queries run in the query sandbox with $client and $month bound, and the body renders.
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWarehouse, tempDir, writeFile } from '../helpers.js';
import { Warehouse } from '../../src/warehouse/db.js';
import { ReportFailedError } from '../../src/errors.js';
import { loadUserPages, renderUserPage, runPageQueries, type UserPageDefinition } from '../../src/report/user-pages.js';

const SMS_PAGE = `---
title: SMS revenue
per: month            # one page per client and month
queries:
  sms: |
    SELECT client_id, channel, platform, last_touch_revenue
    FROM marts.revenue_summary
    WHERE client_id = $client AND month = $month AND channel = 'sms'
    ORDER BY platform
  trend: trend.sql
---
<h1>{{title}} for {{client}}</h1>
{{#each sms}}<p class="sms">{{client_id}} {{platform}} {{last_touch_revenue}}</p>
{{/each}}{{#each trend}}<p class="trend">{{month}} {{revenue}}</p>
{{/each}}`;

const TREND_SQL = `SELECT month, sum(last_touch_revenue) AS revenue
FROM marts.revenue_summary
WHERE client_id = $client AND month < $month_end
GROUP BY month ORDER BY month
`;

const made: string[] = [];

/** A temporary folder, removed when the tests end. */
function folder(prefix: string): string {
  const dir = tempDir(prefix);
  made.push(dir);
  return dir;
}

/** A folder of pages, each file name to its text. */
function pagesDir(files: Record<string, string>): string {
  const dir = folder('lasttouch-pages-');
  for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
  return dir;
}

/** The message of the ReportFailedError that fn throws. */
async function failure(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ReportFailedError);
    return (error as Error).message;
  }
  throw new Error('expected a ReportFailedError');
}

describe('user pages', () => {
  const warehouse = new TestWarehouse();
  let reader: Warehouse;

  beforeAll(async () => {
    // Tables of their own rather than a build: the pages' SQL is under test, not the models.
    await warehouse.with(async (db) => {
      await db.run(`CREATE SCHEMA IF NOT EXISTS marts`);
      await db.run(`CREATE TABLE marts.revenue_summary (client_id VARCHAR, month DATE, channel VARCHAR, platform VARCHAR,
        last_touch_revenue DECIMAL(18, 2))`);
      await db.run(`INSERT INTO marts.revenue_summary VALUES
        ('acme', DATE '2026-07-01', 'sms', 'postscript', 125.75),
        ('acme', DATE '2026-07-01', 'email', 'klaviyo', 1200.00),
        ('acme', DATE '2026-08-01', 'sms', 'postscript', 99.99),
        ('acme', DATE '2026-09-01', 'sms', 'postscript', 5.00),
        ('beta', DATE '2026-07-01', 'sms', 'attentive', 777.77)`);
    });
    reader = await Warehouse.open(warehouse.path, { readOnly: true });
  });

  afterAll(() => {
    reader.close();
    warehouse.cleanup();
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('renders a page with the rows of its client and month only, from inline and .sql-file queries', async () => {
    const dir = pagesDir({ 'sms.hbs': SMS_PAGE, 'trend.sql': TREND_SQL });
    const [page, ...others] = loadUserPages(dir, Handlebars.create());
    expect(others).toEqual([]);
    expect(page).toMatchObject({ name: 'sms', title: 'SMS revenue', per: 'month', bodyLine: 12 });
    expect(page?.queries.map(({ name, file, line }) => ({ name, file, line }))).toEqual([
      { name: 'sms', file: join(dir, 'sms.hbs'), line: 6 },
      { name: 'trend', file: join(dir, 'trend.sql'), line: 1 },
    ]);
    const definition = page as UserPageDefinition;
    const rows = await runPageQueries(reader, definition, { client: 'acme', month: '2026-08' });
    expect(rows).toEqual({
      sms: [{ client_id: 'acme', channel: 'sms', platform: 'postscript', last_touch_revenue: 99.99 }],
      trend: [
        { month: '2026-07-01', revenue: 1325.75 },
        { month: '2026-08-01', revenue: 99.99 },
      ],
    });
    const html = renderUserPage(definition, { title: definition.title, client: 'acme', ...rows });
    expect(html).toContain('<h1>SMS revenue for acme</h1>');
    expect(html).toContain('<p class="sms">acme postscript 99.99</p>');
    expect(html).not.toContain('beta');
    expect(html).not.toContain('attentive');
    expect(html).not.toContain('2026-09');

    const beta = await runPageQueries(reader, definition, { client: 'beta', month: '2026-07' });
    expect(beta.sms).toEqual([{ client_id: 'beta', channel: 'sms', platform: 'attentive', last_touch_revenue: 777.77 }]);
  });

  it('binds the client as a value: a quote in it matches nothing', async () => {
    const dir = pagesDir({ 'sms.hbs': SMS_PAGE, 'trend.sql': TREND_SQL });
    const [page] = loadUserPages(dir, Handlebars.create());
    const rows = await runPageQueries(reader, page as UserPageDefinition, { client: "x' OR '1'='1", month: '2026-07' });
    expect(rows).toEqual({ sms: [], trend: [] });
  });

  it('runs a query that uses no parameters, and a per-client page', async () => {
    const dir = pagesDir({
      'all.hbs': `---\nper: client\nqueries:\n  n: SELECT count(*) AS n FROM marts.revenue_summary\n---\n{{#each n}}{{n}}{{/each}}`,
    });
    const [page] = loadUserPages(dir, Handlebars.create());
    expect(page).toMatchObject({ name: 'all', title: 'all', per: 'client' });
    const rows = await runPageQueries(reader, page as UserPageDefinition, { client: 'acme', month: '2026-09' });
    expect(renderUserPage(page as UserPageDefinition, rows)).toBe('5');
  });

  it('refuses a statement that writes, at its line, and nothing is written', async () => {
    const target = join(folder('lasttouch-copy-'), 'out.csv');
    const statements: Record<string, string> = {
      create: 'CREATE TABLE main.stolen AS SELECT * FROM marts.revenue_summary',
      copy: `COPY (SELECT * FROM marts.revenue_summary) TO '${target}'`,
      insert: "INSERT INTO marts.revenue_summary VALUES ('acme', DATE '2026-07-01', 'sms', 'x', 1)",
      two: 'SELECT 1; CREATE TABLE main.two AS SELECT 2',
    };
    for (const [name, sql] of Object.entries(statements)) {
      const dir = pagesDir({ [`${name}.hbs`]: `---\ntitle: ${name}\nqueries:\n  ok: SELECT 1 AS one\n  w: "${sql}"\n---\n` });
      const [page] = loadUserPages(dir, Handlebars.create());
      const message = await failure(() => runPageQueries(reader, page as UserPageDefinition, { client: 'acme', month: '2026-07' }));
      expect(message).toMatch(new RegExp(`^${join(dir, `${name}.hbs`)}:5: query "w": `));
      // COPY TO is stopped by the sandbox's file lock before its kind is looked at.
      expect(message, name).toMatch(/is refused|one statement per call|may not access/);
    }
    expect(existsSync(target)).toBe(false);
    const tables = await reader.all("SELECT table_name FROM information_schema.tables WHERE table_name IN ('stolen', 'two')");
    expect(tables).toEqual([]);
    expect(await reader.all("SELECT count(*) AS n FROM marts.revenue_summary WHERE platform = 'x'")).toEqual([{ n: 0 }]);
  });

  it("reports a query's SQL error at the query's line in the .hbs, or line 1 of its .sql file", async () => {
    const dir = pagesDir({
      'broken.hbs': `---\ntitle: Broken\nqueries:\n  fine: SELECT 1 AS one\n  bad: |\n    SELECT nope\n    FROM marts.revenue_summary\n---\n`,
      'file.hbs': `---\nqueries:\n  bad: bad.sql\n---\n`,
      'bad.sql': 'SELECT * FROM marts.no_such_table WHERE client_id = $client',
      'param.hbs': `---\nqueries:\n  p: SELECT $clients AS c\n---\n`,
    });
    const [broken, file, param] = loadUserPages(dir, Handlebars.create()) as [UserPageDefinition, UserPageDefinition, UserPageDefinition];
    const params = { client: 'acme', month: '2026-07' };
    const first = await failure(() => runPageQueries(reader, broken, params));
    expect(first).toMatch(new RegExp(`^${join(dir, 'broken.hbs')}:6: query "bad": Binder Error: Referenced column "nope" not found`));
    expect(first).not.toContain('\n');
    expect(await failure(() => runPageQueries(reader, file, params))).toMatch(
      new RegExp(`^${join(dir, 'bad.sql')}:1: query "bad": Catalog Error: Table with name no_such_table does not exist`),
    );
    expect(await failure(() => runPageQueries(reader, param, params))).toBe(
      `${join(dir, 'param.hbs')}:3: query "p": unknown parameter $clients (a page has $client, $month and $month_end)`,
    );
  });

  it("reports a template's syntax error and a runtime error at the .hbs line", async () => {
    const hb = Handlebars.create();
    const syntax = pagesDir({ 'page.hbs': `---\ntitle: T\n---\n<h1>{{title}}</h1>\n<p>\n{{#each rows}}\n{{/if}}\n` });
    expect(await failure(() => loadUserPages(syntax, hb))).toBe(
      `1 error in the pages of ${syntax}:\n${join(syntax, 'page.hbs')}:6: template: each doesn't match if`,
    );
    const parse = pagesDir({ 'page.hbs': `---\ntitle: T\n---\nline 4\nline 5 {{#if}\n` });
    expect(await failure(() => loadUserPages(parse, hb))).toMatch(new RegExp(`${join(parse, 'page.hbs')}:5: template: Expecting .*got 'INVALID'`));

    const runtime = pagesDir({ 'page.hbs': `---\ntitle: T\n---\n<h1>{{title}}</h1>\n\n<p>{{tilte}}</p>\n` });
    const [page] = loadUserPages(runtime, hb);
    expect(await failure(() => renderUserPage(page as UserPageDefinition, { title: 'T' }))).toBe(
      `${join(runtime, 'page.hbs')}:6: "tilte" not defined in [object Object]`,
    );
  });

  it('reports bad YAML at its line', async () => {
    const dir = pagesDir({
      'indent.hbs': `---\ntitle: T\nqueries:\n  a: SELECT 1\n b: SELECT 2\n---\nbody\n`,
      'twice.hbs': `---\ntitle: T\nqueries:\n  a: SELECT 1\n  a: SELECT 2\n---\nbody\n`,
    });
    expect((await failure(() => loadUserPages(dir, Handlebars.create()))).split('\n').slice(1)).toEqual([
      `${join(dir, 'indent.hbs')}:5: front matter: All mapping items must start at the same column`,
      `${join(dir, 'twice.hbs')}:5: front matter: Map keys must be unique`,
    ]);
  });

  it('lists every error of every page in one message', async () => {
    // A sibling of the pages folder (both are in the system's temporary folder).
    const outside = folder('lasttouch-outside-');
    writeFile(outside, 'secret.sql', 'SELECT 1');
    const dir = pagesDir({
      'a-yaml.hbs': `---\ntitle: A\n\tper: month\n---\n`,
      'b-keys.hbs': `---\ntitle: B\nper: week\nlayout: wide\nqueries:\n  "bad name": SELECT 1\n  month: SELECT 1\n  gone: missing.sql\n  out: ../${basename(outside)}/secret.sql\n---\n{{#if}\n`,
      'index.hbs': `---\ntitle: I\n---\n`,
      '2026-07.hbs': `---\ntitle: M\n---\n`,
      'Upper.hbs': `---\ntitle: U\n---\n`,
      'no-front.hbs': `<h1>hi</h1>\n`,
      'unclosed.hbs': `---\ntitle: U\n`,
      'good.hbs': `---\ntitle: fine\n---\nfine\n`,
    });
    const file = (name: string): string => join(dir, name);
    const message = await failure(() => loadUserPages(dir, Handlebars.create()));
    const lines = message.split('\n');
    expect(lines[0]).toBe(`13 errors in the pages of ${dir}:`);
    expect(lines.slice(1).map((line) => line.replace(/: .*$/, ':'))).toEqual([
      `${file('2026-07.hbs')}:`,
      `${file('Upper.hbs')}:`,
      `${file('a-yaml.hbs')}:3:`,
      `${file('b-keys.hbs')}:3:`,
      `${file('b-keys.hbs')}:4:`,
      `${file('b-keys.hbs')}:6:`,
      `${file('b-keys.hbs')}:7:`,
      `${file('b-keys.hbs')}:8:`,
      `${file('b-keys.hbs')}:9:`,
      `${file('b-keys.hbs')}:11:`,
      `${file('index.hbs')}:`,
      `${file('no-front.hbs')}:1:`,
      `${file('unclosed.hbs')}:1:`,
    ]);
    expect(message).toContain('unknown setting "layout"');
    expect(message).toContain('per: must be month');
    expect(message).toContain(`no such file ${file('missing.sql')}`);
    expect(message).toContain('must be a file inside');
    expect(message).toContain('is taken by a built-in page');
  });

  it('refuses a .sql file that is a symbolic link out of the pages folder', async () => {
    const outside = folder('lasttouch-outside-');
    const dir = pagesDir({ 'page.hbs': `---\nqueries:\n  q: link.sql\n---\n` });
    symlinkSync(writeFile(outside, 'secret.sql', 'SELECT 1'), join(dir, 'link.sql'));
    expect(await failure(() => loadUserPages(dir, Handlebars.create()))).toContain(`${join(dir, 'page.hbs')}:3: query "q": link.sql leads outside ${dir}`);
  });

  it('refuses a pages folder that is missing, not a folder, or holds no pages', async () => {
    const dir = pagesDir({ 'notes.txt': 'no pages here' });
    mkdirSync(join(dir, 'folder.hbs'));
    expect(await failure(() => loadUserPages(dir, Handlebars.create()))).toBe(`--pages ${dir}: no pages in it (a page is a file NAME.hbs)`);
    expect(await failure(() => loadUserPages(join(dir, 'nope'), Handlebars.create()))).toBe(`--pages ${join(dir, 'nope')}: no such folder`);
    expect(await failure(() => loadUserPages(join(dir, 'notes.txt'), Handlebars.create()))).toBe(`--pages ${join(dir, 'notes.txt')}: no such folder`);
  });
});
