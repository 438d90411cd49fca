// The report build: read the marts read-only, render every page in memory, then publish the site in
// one swap. Any failure on the way throws before the swap, so nothing half-rendered is ever served.
import { join } from 'node:path';
import { projectRoot } from '../project.js';
import { withWarehouse, type Warehouse } from '../warehouse/db.js';
import { NotFoundError, ReportFailedError } from '../errors.js';
import { formatTimestamp, monthTitle, pageFileNames, parseMonth } from './format.js';
import { readMarts, type ClientRow, type MartData } from './marts.js';
import { readDetails, type DetailData } from './details.js';
import { publishSite, sitePageExists } from './publish.js';
import { loadTemplates, type Templates } from './templates.js';
import { buildMonthPage } from './month-view.js';
import { buildCoveragePage, buildOverviewPage, type ClientInput } from './client-views.js';
import { buildIndexPage } from './index-view.js';
import { clientPaths, relativeHref, type ClientPaths } from './site-paths.js';
import { loadUserPages, renderUserPage, runPageQueries, type UserPageDefinition } from './user-pages.js';
import { printPdfs, type Paper } from './pdf.js';
import { groupBy } from './view.js';
import { chartsDrawn } from './charts.js';

export interface RenderOptions {
  dbPath: string;
  outDir: string;
  /** Re-render only this client's pages; every other page of the site in outDir is kept as it is. */
  clientId?: string;
  /** YYYY-MM: re-render only this month's pages (of every client, or of clientId); the others are kept. */
  month?: string;
  waitSeconds?: number;
  /** Where the layouts, partials, pages, queries and style.css are; default `<project>/reports`. */
  templatesDir?: string;
  /** The user's own pages (`--pages DIR`), rendered beside the built-in ones. */
  pagesDir?: string;
  /** Fail instead of warning when uploads or settings changed after the last build. */
  strict?: boolean;
  /** Print every month page rendered to PDF beside it, on this paper. */
  pdf?: Paper;
  /**
   * Clients whose pages are not rendered anew: the pages the site in outDir has for them are kept as
   * they are (the monthly job, for a client whose data failed its data tests).
   */
  keepPagesOf?: readonly string[];
  /** Told as each page renders: the pages done of them all. */
  onPage?: (done: number, total: number) => void;
}

export interface RenderResult {
  indexPath: string;
  /** Every page written this time (the index aside), as absolute paths. */
  pages: string[];
  /** The month pages written, per client, as absolute paths. */
  monthPages: { clientId: string; month: string; path: string }[];
  pdfs: string[];
  /** Pages of the previous site kept as they were. */
  kept: number;
  /** Why some figures are older than the data (uploads or settings after the last build), one line per client. */
  stale: string[];
  /** Where the time went, in seconds: the SQL of the pages, rendering (charts included), publishing (PDFs included). */
  timings: { sqlSeconds: number; renderSeconds: number; chartSeconds: number; charts: number; publishSeconds: number };
}

/** Refuses a selection that would publish a site with nothing in it. */
function checkSelection(data: MartData, clientId: string | undefined, month: string | undefined): void {
  if (clientId !== undefined && !data.clients.some((client) => client.clientId === clientId)) {
    throw new NotFoundError(`no client "${clientId}" in the warehouse (\`lasttouch client list\` shows the clients)`);
  }
  if (data.clients.length === 0) {
    throw new ReportFailedError('the warehouse has no clients yet: import a file, build, then report');
  }
  const months = data.months.filter((row) => clientId === undefined || row.clientId === clientId);
  if (month !== undefined && !months.some((row) => row.month === month)) {
    const known = [...new Set(months.map((row) => row.month))].sort();
    const who = clientId === undefined ? '' : ` for client "${clientId}"`;
    throw new ReportFailedError(
      `no data for ${month}${who}; ${known.length > 0 ? `months with data: ${known.join(', ')}` : 'no month has data yet'}`,
    );
  }
}

function staleLine(client: ClientRow): string | null {
  const reasons: string[] = [];
  if (client.uploadsSinceBuild > 0) reasons.push(`${client.uploadsSinceBuild} upload${client.uploadsSinceBuild === 1 ? '' : 's'} imported after the last build`);
  if (client.settingsChangedSinceBuild) reasons.push('settings changed after the last build');
  return reasons.length === 0 ? null : `client "${client.clientId}": ${reasons.join(' and ')}, not in the figures yet (run \`lasttouch build\` to bring them in)`;
}

/** The rows of one client, each kind grouped once, so every page of the client reads from the same rows. */
interface ClientRows {
  client: ClientRow;
  paths: ClientPaths;
  months: string[];
  input: ClientInput;
  details: DetailData;
}

function clientRows(data: MartData, details: DetailData, fileNames: ReadonlyMap<string, string>, asOf: string): ClientRows[] {
  const by = <T extends { clientId: string }>(rows: readonly T[]): Map<string, T[]> => groupBy(rows, (row) => row.clientId);
  const revenue = by(data.revenue);
  const store = by(data.store);
  const quality = by(data.quality);
  const [daily, messages, touchTypes, uploads, gaps] = [by(details.daily), by(details.messages), by(details.touchTypes), by(details.uploads), by(details.gaps)];
  // Channel and platform order as the seeds give it (the revenue rows arrive sorted so), the same on every page.
  const channelOrder = [...new Set(data.revenue.filter((row) => row.level === 'channel').map((row) => row.channelLabel))];
  const platformOrder = [...new Set(data.revenue.filter((row) => row.level === 'platform').map((row) => row.platformLabel))].sort();
  return data.clients.map((client) => {
    const fileName = fileNames.get(client.clientId);
    if (fileName === undefined) throw new Error(`no page file name for client ${client.clientId}`);
    const paths = clientPaths(fileName);
    const months = data.months.filter((row) => row.clientId === client.clientId).map((row) => row.month).sort();
    const id = client.clientId;
    return {
      client,
      paths,
      months,
      input: {
        client, paths, months, asOf, channelOrder, platformOrder,
        revenue: revenue.get(id) ?? [], store: store.get(id) ?? [], quality: quality.get(id) ?? [],
      },
      details: {
        daily: daily.get(id) ?? [], messages: messages.get(id) ?? [], touchTypes: touchTypes.get(id) ?? [],
        uploads: uploads.get(id) ?? [], gaps: gaps.get(id) ?? [],
      },
    };
  });
}

/** Runs a query step and adds its time to the clock's SQL seconds. */
async function timed<T>(clock: { sqlSeconds: number }, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await step();
  } finally {
    clock.sqlSeconds += (performance.now() - started) / 1000;
  }
}

interface Rendered {
  files: Map<string, string>;
  monthPages: { clientId: string; month: string; path: string }[];
}

function nav(path: string, items: { label: string; to: string | null }[]): { label: string; href: string | null }[] {
  return items.map((item) => ({ label: item.label, href: item.to === null || item.to === path ? null : relativeHref(path, item.to) }));
}

async function renderSite(
  warehouse: Warehouse,
  templates: Templates,
  userPages: readonly UserPageDefinition[],
  options: RenderOptions,
  month: string | undefined,
  published: (path: string) => boolean,
  clock: { sqlSeconds: number },
): Promise<Rendered & { stale: string[] }> {
  const data = await timed(clock, () => readMarts(warehouse, {}));
  checkSelection(data, options.clientId, month);
  const details = await timed(clock, () => readDetails(warehouse, options.templatesDir ?? join(projectRoot(), 'reports'), {}));
  const asOf = data.build === null ? 'Figures not built yet.' : `Figures as of build ${data.build.buildId}, ${formatTimestamp(data.build.finishedAt)}.`;
  const fileNames = pageFileNames(data.clients.map((client) => client.clientId));
  const all = clientRows(data, details, fileNames, asOf);
  const held = new Set(options.keepPagesOf ?? []);
  const selected = all.filter((rows) => (options.clientId === undefined || rows.client.clientId === options.clientId) && !held.has(rows.client.clientId));
  const stale = selected.map((rows) => staleLine(rows.client)).filter((line): line is string => line !== null);
  if (stale.length > 0 && options.strict === true) throw new ReportFailedError(`the figures are out of date (--strict): ${stale.join('; ')}`);

  const files = new Map<string, string>();
  const monthPages: Rendered['monthPages'] = [];
  const clientPages = userPages.filter((page) => page.per === 'client');
  const monthUserPages = userPages.filter((page) => page.per === 'month');
  const total = 1 + selected.reduce((sum, rows) => sum + 2 + (month === undefined ? rows.months.length : 1) * (1 + monthUserPages.length) + clientPages.length, 0);
  const add = (path: string, content: string): void => {
    files.set(path, content);
    options.onPage?.(files.size, total);
  };

  for (const rows of selected) {
    const { client, paths } = rows;
    const showViewOnly = client.viewOnly === 'exclude' || rows.input.revenue.some((row) => Number(row.viewOnlyExcluded) !== 0);
    /** A user's page of this client for one month (its month page's view too, on a per-month page), in the site's layout. */
    const userPage = async (page: UserPageDefinition, pageMonth: string, view: object | null): Promise<void> => {
      const userPath = paths.userPage(page.name, view === null ? null : pageMonth);
      const results = await timed(clock, () => runPageQueries(warehouse, page, { client: client.clientId, month: pageMonth }));
      const body = renderUserPage(page, {
        ...results, title: page.title, client: client.clientId, month: pageMonth, monthTitle: monthTitle(pageMonth),
        ...(view === null ? {} : { page: view }),
        links: { index: relativeHref(userPath, 'index.html'), overview: relativeHref(userPath, paths.overview), month: relativeHref(userPath, paths.month(pageMonth)) },
      });
      add(userPath, templates.layout(`${client.clientId}: ${page.title}${view === null ? '' : `, ${monthTitle(pageMonth)}`}`, body));
    };
    // With --month the client's overview and coverage pages stay as published, unless there are none yet.
    if (month === undefined || !published(paths.overview)) {
      const overview = buildOverviewPage(rows.input);
      add(paths.overview, templates.renderPage('overview', `${client.clientId}: attribution report`, {
        ...overview,
        nav: nav(paths.overview, [{ label: 'All clients', to: 'index.html' }, { label: 'Overview', to: null }, { label: 'Data coverage', to: paths.coverage },
          ...clientPages.map((page) => ({ label: page.title, to: paths.userPage(page.name, null) }))]),
      }));
    }
    if (month === undefined || !published(paths.coverage)) {
      const coverage = buildCoveragePage({ ...rows.input, uploads: rows.details.uploads, gaps: rows.details.gaps });
      add(paths.coverage, templates.renderPage('coverage', `${client.clientId}: data coverage`, {
        ...coverage,
        nav: nav(paths.coverage, [{ label: 'All clients', to: 'index.html' }, { label: 'Overview', to: paths.overview }, { label: 'Data coverage', to: null }]),
      }));
    }
    const byMonth = <T extends { month: string | null }>(items: readonly T[], wanted: string): T[] => items.filter((item) => item.month === wanted);
    for (const wanted of rows.months.filter((item) => month === undefined || item === month)) {
      const view = buildMonthPage({
        client, paths, month: wanted, months: rows.months, asOf, channelOrder: rows.input.channelOrder, showViewOnly,
        revenue: byMonth(rows.input.revenue, wanted), store: byMonth(rows.input.store, wanted), quality: byMonth(rows.input.quality, wanted),
        daily: byMonth(rows.details.daily, wanted), messages: byMonth(rows.details.messages, wanted), touchTypes: byMonth(rows.details.touchTypes, wanted),
      });
      const path = paths.month(wanted);
      add(path, templates.renderPage('month', `${client.clientId}: ${monthTitle(wanted)}`, {
        ...view,
        nav: nav(path, [{ label: 'All clients', to: 'index.html' }, { label: 'Overview', to: paths.overview }, { label: monthTitle(wanted), to: null },
          ...monthUserPages.map((page) => ({ label: page.title, to: paths.userPage(page.name, wanted) })), { label: 'Data coverage', to: paths.coverage }]),
      }));
      monthPages.push({ clientId: client.clientId, month: wanted, path });
      for (const page of monthUserPages) await userPage(page, wanted, view);
    }
    const latest = rows.months.at(-1);
    if (month === undefined && latest !== undefined) {
      for (const page of clientPages) await userPage(page, latest, null);
    }
  }

  // The index lists every client: those not rendered now with the figures their kept pages show.
  const listed = all.filter((rows) => !held.has(rows.client.clientId) || published(rows.paths.overview));
  const index = buildIndexPage(listed.map((rows) => rows.input), all[0]?.input.channelOrder ?? [], asOf);
  files.set('index.html', templates.renderPage('index', 'Attribution reports', index));
  options.onPage?.(total, total);
  return { files, monthPages, stale };
}

export async function renderReports(options: RenderOptions): Promise<RenderResult> {
  const month = parseMonth(options.month);
  // Templates and the user's pages first: a broken one fails before the warehouse is even opened.
  const templates = loadTemplates(options.templatesDir ?? join(projectRoot(), 'reports'));
  const userPages = options.pagesDir === undefined ? [] : loadUserPages(options.pagesDir, templates.handlebars);
  const onSite = (path: string): boolean => sitePageExists(options.outDir, path);
  const clock = { sqlSeconds: 0 };
  const charts = { ...chartsDrawn };
  const renderStarted = performance.now();
  const rendered = await withWarehouse(options.dbPath, { readOnly: true, waitSeconds: options.waitSeconds ?? 30 }, (warehouse) =>
    renderSite(warehouse, templates, userPages, options, month, onSite, clock),
  );
  const renderSeconds = (performance.now() - renderStarted) / 1000 - clock.sqlSeconds;
  const publishStarted = performance.now();
  const partial = options.clientId !== undefined || month !== undefined || (options.keepPagesOf ?? []).length > 0;
  let pdfs: string[] = [];
  const paper = options.pdf;
  const published = await publishSite(options.outDir, rendered.files, {
    keepOthers: partial,
    beforeSwap:
      paper === undefined
        ? undefined
        : async (staging) => {
            await printPdfs(staging, rendered.monthPages.map((page) => page.path), { paper });
            pdfs = rendered.monthPages.map((page) => page.path.replace(/\.html$/, '.pdf'));
          },
  });
  const target = published.target;
  const timings = {
    sqlSeconds: clock.sqlSeconds,
    renderSeconds,
    chartSeconds: chartsDrawn.seconds - charts.seconds,
    charts: chartsDrawn.count - charts.count,
    publishSeconds: (performance.now() - publishStarted) / 1000,
  };
  return {
    indexPath: join(target, 'index.html'),
    pages: [...rendered.files.keys()].filter((path) => path !== 'index.html').map((path) => join(target, path)),
    monthPages: rendered.monthPages.map((page) => ({ ...page, path: join(target, page.path) })),
    pdfs: pdfs.map((path) => join(target, path)),
    kept: published.kept,
    stale: rendered.stale,
    timings,
  };
}
