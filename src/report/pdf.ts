// `report --pdf`: each rendered HTML page printed to a PDF beside it, by headless Chromium through
// playwright-core, whose page.pdf sets paper size and margins and waits for the page to load, which
// Chromium's own --print-to-pdf does not.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Route } from 'playwright-core';
import { ReportFailedError, firstLine } from '../errors.js';
import { launchChromium } from './chromium.js';

export type Paper = 'A4' | 'Letter';

export interface PrintOptions {
  /** A4 unless told. */
  paper?: Paper;
  /** Called after each page is printed, with the pages done so far and how many there are. */
  onPage?: (done: number, total: number) => void;
}

const MARGIN = '12mm';

/** Whether a path lies inside folder (or is it). */
function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/** Whether a request stays on the disk under siteDir: the PDF of a report must not depend on the network. */
function allowed(siteDir: string, url: string): boolean {
  if (!url.startsWith('file:')) return false;
  try {
    return inside(siteDir, fileURLToPath(url));
  } catch {
    return false;
  }
}

/**
 * Prints each page (a path of an .html file relative to siteDir) to a PDF of the same path with .pdf in
 * place of .html, written beside it, and returns the PDFs' absolute paths in the order of pages.
 * Throws a ReportFailedError naming the page when one cannot be printed; the browser is closed either way.
 */
export async function printPdfs(siteDir: string, pages: readonly string[], options: PrintOptions = {}): Promise<string[]> {
  const root = resolve(siteDir);
  const format: Paper = options.paper ?? 'A4';
  const targets = pages.map((page) => {
    const html = resolve(root, page);
    // The caller names pages it rendered; one outside the site would print (and write) somewhere else.
    if (isAbsolute(page) || !inside(root, html) || html === root || !page.toLowerCase().endsWith('.html')) {
      throw new ReportFailedError(`cannot print ${page} to PDF: not an .html page inside ${root}`);
    }
    return { page, html, pdf: html.replace(/\.html$/i, '.pdf') };
  });
  if (targets.length === 0) return [];

  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    await context.route('**/*', (route: Route) =>
      allowed(root, route.request().url()) ? route.continue() : route.abort('blockedbyclient'),
    );
    const written: string[] = [];
    for (const { page, html, pdf } of targets) {
      const tab = await context.newPage();
      try {
        await tab.goto(pathToFileURL(html).href, { waitUntil: 'load' });
        await tab.emulateMedia({ media: 'print' });
        await tab.pdf({
          path: pdf,
          format,
          printBackground: true,
          preferCSSPageSize: false,
          margin: { top: MARGIN, right: MARGIN, bottom: MARGIN, left: MARGIN },
        });
      } catch (error) {
        throw new ReportFailedError(`printing ${page} to PDF failed: ${firstLine(error)}`);
      } finally {
        await tab.close().catch(() => undefined);
      }
      written.push(pdf);
      options.onPage?.(written.length, targets.length);
    }
    return written;
  } finally {
    // A browser that fails to close must not hide why printing failed.
    await browser.close().catch(() => undefined);
  }
}
