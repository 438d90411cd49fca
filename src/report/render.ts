// The report build: read the marts read-only, render every page in memory, then publish the site in
// one swap. Any failure on the way throws before the swap, so nothing half-rendered is ever served.
import { join } from 'node:path';
import { projectRoot } from '../project.js';
import { withWarehouse } from '../warehouse/db.js';
import { NotFoundError, ReportFailedError } from '../errors.js';
import { pageFileNames, parseMonth } from './format.js';
import { readMarts, type MartData } from './marts.js';
import { publishSite, readSitePage } from './publish.js';
import { loadTemplates } from './templates.js';
import { buildClientPages, describeBuild } from './view.js';
import { buildIndexPage } from './index-view.js';

export interface RenderOptions {
  dbPath: string;
  outDir: string;
  clientId?: string;
  /** YYYY-MM: only that month on every page. */
  month?: string;
  waitSeconds?: number;
  /** Where the layouts, partials, pages and style.css are; default `<project>/reports`. */
  templatesDir?: string;
  /**
   * Clients whose page is not rendered anew: the page the site in outDir has for them is kept as it is
   * (the monthly job, for a client whose data failed its data tests). Without one, the client is left out.
   */
  keepPagesOf?: readonly string[];
  /** Told as each page renders: the pages done of them all (the index and the client pages). */
  onPage?: (done: number, total: number) => void;
}

export interface RenderResult {
  indexPath: string;
  /** The client pages written (the index aside), as absolute paths. */
  pages: string[];
}

/** Refuses a selection that would publish a site with nothing in it. */
function checkSelection(data: MartData, clientId: string | undefined, month: string | undefined): void {
  if (clientId !== undefined && data.clients.length === 0) {
    throw new NotFoundError(`no client "${clientId}" in the warehouse (\`lasttouch client list\` shows the clients)`);
  }
  if (data.clients.length === 0) {
    throw new ReportFailedError('the warehouse has no clients yet: import a file, build, then report');
  }
  if (month !== undefined && !data.months.some((row) => row.month === month)) {
    const known = [...new Set(data.months.map((row) => row.month))].sort();
    const who = clientId === undefined ? '' : ` for client "${clientId}"`;
    throw new ReportFailedError(
      `no data for ${month}${who}; ${known.length > 0 ? `months with data: ${known.join(', ')}` : 'no month has data yet'}`,
    );
  }
}

export async function renderReports(options: RenderOptions): Promise<RenderResult> {
  const month = parseMonth(options.month);
  // Templates first: a broken template fails before the warehouse is even opened.
  const templates = loadTemplates(options.templatesDir ?? join(projectRoot(), 'reports'));
  const selection = { clientId: options.clientId, month };
  const data = await withWarehouse(options.dbPath, { readOnly: true, waitSeconds: options.waitSeconds ?? 30 }, (warehouse) =>
    readMarts(warehouse, selection),
  );
  checkSelection(data, options.clientId, month);

  const fileNames = pageFileNames(data.clients.map((client) => client.clientId));
  const kept = new Map<string, string>();
  for (const clientId of options.keepPagesOf ?? []) {
    const fileName = fileNames.get(clientId);
    const old = fileName === undefined ? undefined : readSitePage(options.outDir, fileName);
    if (fileName !== undefined && old !== undefined) kept.set(fileName, old);
  }
  const keptOut = new Set(options.keepPagesOf ?? []);
  const pages = buildClientPages(data, fileNames, month ?? null).filter((page) => !keptOut.has(page.clientId) || kept.has(page.fileName));
  const index = buildIndexPage(pages, describeBuild(data.build), month ?? null);
  const files = new Map<string, string>();
  files.set('index.html', templates.renderPage('index', 'Attribution reports', index));
  options.onPage?.(files.size, pages.length + 1);
  for (const page of pages) {
    files.set(page.fileName, kept.get(page.fileName) ?? templates.renderPage('client', `${page.clientId}: attribution report`, page));
    options.onPage?.(files.size, pages.length + 1);
  }

  const target = publishSite(options.outDir, files);
  return {
    indexPath: join(target, 'index.html'),
    pages: pages.map((page) => join(target, page.fileName)),
  };
}
