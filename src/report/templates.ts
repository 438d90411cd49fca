// The Handlebars templates of the site (reports/): one layout, the partials, one template per page kind,
// and the style sheet that is inlined into every page so a page is one self-contained file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { ReportFailedError } from '../errors.js';
import { formatCount, formatMoney, formatPercent, monthTitle } from './format.js';
import { lines, stackedBars, type SeriesPoint } from './charts.js';

export type PageKind = 'index' | 'overview' | 'month' | 'coverage';

export interface Templates {
  /** The Handlebars environment with the site's partials and helpers, for the user's own pages. */
  handlebars: typeof Handlebars;
  renderPage(page: PageKind, title: string, context: object): string;
  /** Wraps a page body (a user's page) in the site's layout. */
  layout(title: string, body: string): string;
}

function readTemplate(path: string): string {
  if (!existsSync(path)) throw new ReportFailedError(`report template missing: ${path}`);
  return readFileSync(path, 'utf8');
}

type Hash = Record<string, unknown>;
const hashText = (hash: Hash, key: string, fallback: string): string => (typeof hash[key] === 'string' ? (hash[key] as string) : fallback);

/**
 * The helpers every page can use, the user's own included: formatting a value from a query as the
 * built-in pages do, filtering a list, and drawing a chart of a query's rows.
 */
function registerHelpers(handlebars: typeof Handlebars): void {
  handlebars.registerHelper('eq', (left: unknown, right: unknown) => left === right);
  // Strict mode does not check a helper's arguments: a misspelt field arrives as undefined, and must fail
  // the page (at the helper's line) rather than print a figure of 0. NULL from a query is a value: a dash.
  type Options = Handlebars.HelperOptions & { loc?: hbs.AST.SourceLocation };
  const given = (helper: string, value: unknown, options: Options): unknown => {
    if (value === undefined) throw options.loc === undefined
        ? new Error(`{{${helper}}} was given a field that does not exist`)
        : new handlebars.Exception(`{{${helper}}} was given a field that does not exist`, { loc: options.loc } as hbs.AST.Node);
    return value;
  };
  handlebars.registerHelper('money', (amount: unknown, currency: unknown, options: Options) => {
    const value = given('money', amount, options);
    return value === null ? '—' : formatMoney(String(value), String(given('money', currency, options)));
  });
  handlebars.registerHelper('count', (value: unknown, options: Options) => (given('count', value, options) === null ? '—' : formatCount(String(value))));
  handlebars.registerHelper('percent', (value: unknown, options: Options) => (given('percent', value, options) === null ? '—' : formatPercent(String(value))));
  handlebars.registerHelper('formatMonth', (month: unknown, options: Options) => monthTitle(String(given('formatMonth', month, options))));
  /** {{where list "field" value}}: the items of list whose field equals value. */
  handlebars.registerHelper('where', (list: unknown, field: unknown, value: unknown) =>
    Array.isArray(list) ? list.filter((item: unknown) => typeof item === 'object' && item !== null && (item as Hash)[String(field)] === value) : [],
  );
  /**
   * {{chart rows kind="bars" x="day" series="platform" value="revenue" id="sms-daily" title="..." description="..."}}:
   * an SVG chart of a query's rows; kind "bars" (stacked) or "lines", x a day, a month (YYYY-MM) or a label.
   */
  handlebars.registerHelper('chart', (rows: unknown, options: Handlebars.HelperOptions) => {
    const hash = options.hash as Hash;
    const field = (key: string): string => hashText(hash, key, key);
    const items = Array.isArray(rows) ? (rows as Hash[]) : [];
    const points: SeriesPoint[] = items.map((row) => ({
      x: String(row[field('x')] ?? ''),
      series: hash.series === undefined ? hashText(hash, 'label', 'value') : String(row[field('series')] ?? ''),
      value: Number(row[field('value')] ?? 0),
    }));
    const series = [...new Set(points.map((point) => point.series))];
    const text = {
      id: hashText(hash, 'id', 'chart'),
      title: hashText(hash, 'title', 'Chart'),
      description: hashText(hash, 'description', `${points.length} values`),
      valueLabel: hashText(hash, 'valueLabel', field('value')),
      valueFormat: hash.valueFormat === 'percent' ? ('percent' as const) : ('money' as const),
    };
    const svg =
      hashText(hash, 'kind', 'bars') === 'lines'
        ? lines({ ...text, points, series })
        : stackedBars({ ...text, points, series, xKind: /^\d{4}-\d{2}$/.test(points[0]?.x ?? '') ? 'month' : 'day', width: 860, height: 220 });
    return new handlebars.SafeString(`<figure class="chart" data-testid="chart">${svg}</figure>`);
  });
}

/**
 * Loads and compiles every template under dir. Strict mode makes a template that names a field the page
 * does not have fail the render (and so the publish) instead of printing an empty cell.
 */
export function loadTemplates(dir: string): Templates {
  const handlebars = Handlebars.create();
  registerHelpers(handlebars);
  const compile = (path: string): Handlebars.TemplateDelegate => {
    try {
      // Compiling eagerly (precompile parses the whole template) surfaces syntax errors before any page renders.
      const source = readTemplate(path);
      handlebars.precompile(source, { strict: true });
      return handlebars.compile(source, { strict: true });
    } catch (error) {
      if (error instanceof ReportFailedError) throw error;
      throw new ReportFailedError(`report template ${path}: ${(error as Error).message}`);
    }
  };
  const partialsDir = join(dir, 'partials');
  if (existsSync(partialsDir)) {
    for (const file of readdirSync(partialsDir).filter((name) => name.endsWith('.hbs')).sort()) {
      handlebars.registerPartial(basename(file, '.hbs'), compile(join(partialsDir, file)));
    }
  }
  const layout = compile(join(dir, 'layouts', 'base.hbs'));
  const pages: Record<PageKind, Handlebars.TemplateDelegate> = {
    index: compile(join(dir, 'pages', 'index.hbs')),
    overview: compile(join(dir, 'pages', 'overview.hbs')),
    month: compile(join(dir, 'pages', 'month.hbs')),
    coverage: compile(join(dir, 'pages', 'coverage.hbs')),
  };
  const css = readTemplate(join(dir, 'style.css'));

  return {
    handlebars,
    layout: (title, body) => layout({ title, css, body }),
    renderPage(page, title, context) {
      const template = pages[page];
      try {
        const body = template(context);
        return layout({ title, css, body });
      } catch (error) {
        throw new ReportFailedError(`rendering the ${page} page "${title}" failed: ${(error as Error).message}`);
      }
    },
  };
}
