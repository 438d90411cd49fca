// The product's e-mails. Each kind builds one view of its facts, already laid out as strings, and renders
// it twice from reports/mail/: the text part and the HTML part read the same view, so they cannot
// disagree. The HTML templates escape every value ({{ }}); file names, warnings, reasons and client ids
// come from users' files and may hold markup.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Handlebars from 'handlebars';
import type { ImportSummary } from '../ingest/summary.js';
import { projectRoot } from '../project.js';
import { formatCount, formatMoney, formatPercent, monthTitle } from '../report/format.js';

export interface OutgoingMail {
  kind: 'import-complete' | 'monthly-report';
  clientId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MonthlyChannelFigure {
  platform: string;
  channel: string;
  currency: string;
  platformRevenue: string;
  lastTouchRevenue: string;
  doubleAttributionRemoved: string;
  /** percent of the month's store revenue, already rounded to one decimal as a string like "12.3"; null without Shopify data */
  shareOfStoreRevenue: string | null;
}

export interface MonthlyReportInput {
  clientId: string;
  month: string; // YYYY-MM
  to: string;
  /** ready: the report for the month was published at pageLocation. held-back: the client's data failed data tests; reason says which; pageLocation is the last good page or null. */
  outcome: { kind: 'ready'; pageLocation: string } | { kind: 'held-back'; reason: string; pageLocation: string | null };
  channels: MonthlyChannelFigure[];
  store: { currency: string; storeRevenue: string | null; attributedShare: string | null }[]; // attributedShare as percent string "79.6" or null
  imported: { fileName: string; platform: string; uploadId: number; rows: number }[];
  rejected: { fileName: string; reason: string }[];
}

type Kind = OutgoingMail['kind'];
type Render = (view: object) => string;

const compiled = new Map<Kind, { text: Render; html: Render }>();

function readTemplate(path: string): string {
  if (!existsSync(path)) throw new Error(`mail template missing: ${path}`);
  return readFileSync(path, 'utf8');
}

function templates(kind: Kind): { text: Render; html: Render } {
  let pair = compiled.get(kind);
  if (pair === undefined) {
    const dir = join(projectRoot(), 'reports', 'mail');
    const handlebars = Handlebars.create();
    // Strict: a template naming a field the view lacks fails the render instead of mailing a blank.
    pair = {
      text: handlebars.compile(readTemplate(join(dir, `${kind}.txt.hbs`)), { strict: true, noEscape: true }),
      html: handlebars.compile(readTemplate(join(dir, `${kind}.html.hbs`)), { strict: true }),
    };
    compiled.set(kind, pair);
  }
  return pair;
}

function render(kind: Kind, clientId: string, to: string, subject: string, view: object): OutgoingMail {
  const { text, html } = templates(kind);
  const context = { subject, ...view };
  return { kind, clientId, to: to.trim(), subject, text: text(context), html: html(context) };
}

/** A header line: a file name may hold line breaks or other control characters, a subject may not. */
function oneLine(text: string, max = 80): string {
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

export function importCompleteMail(summary: ImportSummary, to: string): OutgoingMail {
  const again = summary.status === 'already-imported';
  const subject = `lasttouch: ${again ? 'file already imported' : 'import complete'} for ${oneLine(summary.clientId)} (${summary.platform}, ${oneLine(summary.fileName)})`;
  const view = {
    again,
    clientId: summary.clientId,
    platform: summary.platform,
    fileName: summary.fileName,
    uploadId: String(summary.uploadId),
    rows: formatCount(summary.rows),
    orders: formatCount(summary.orders),
    revenue: summary.revenue.map(({ currency, amount }) => formatMoney(amount, currency)),
    window: {
      from: summary.window.from ?? '-',
      to: summary.window.to ?? '-',
      source: summary.window.explicit ? 'given with --from/--to' : 'first and last order dates in the file',
    },
    outsideWindow: summary.rowsOutsideWindow > 0 ? `${plural(summary.rowsOutsideWindow, 'row')} dated outside the window` : null,
    supersedes: summary.supersedes.map(({ uploadId, claims, withdrawn }) => ({
      uploadId: String(uploadId),
      rows: plural(claims, 'row'),
      withdrawn: withdrawn > 0 ? `${formatCount(withdrawn)} of them name an order this file no longer lists (withdrawn)` : null,
    })),
    removedAt: summary.removedAt,
    notices: summary.notices,
    warnings: summary.warnings,
  };
  return render('import-complete', summary.clientId, to, subject, view);
}

/** How the page is shown: a path as itself, linked as a file:// URL; a URL linked only when it is a web or file one. */
function pageLink(location: string): { shown: string; href: string | null } {
  const isUrl = /^[a-z][a-z0-9+.-]*:/i.test(location) && !/^[a-z]:[\\/]/i.test(location);
  if (!isUrl) return { shown: location, href: pathToFileURL(resolve(location)).href };
  return { shown: location, href: /^(https?|file):/i.test(location) ? location : null };
}

export function monthlyReportMail(input: MonthlyReportInput): OutgoingMail {
  const month = monthTitle(input.month);
  const client = oneLine(input.clientId);
  const { outcome } = input;
  const ready = outcome.kind === 'ready';
  const subject = ready
    ? `lasttouch: monthly report ready for ${client}, ${month}`
    : `lasttouch: ${client}'s ${month} report was not updated`;
  const view = {
    clientId: input.clientId,
    month,
    ready,
    reason: outcome.kind === 'held-back' ? outcome.reason : null,
    page: outcome.pageLocation === null ? null : pageLink(outcome.pageLocation),
    channels: input.channels.map((figure) => ({
      platform: figure.platform,
      channel: figure.channel,
      platformRevenue: formatMoney(figure.platformRevenue, figure.currency),
      lastTouchRevenue: formatMoney(figure.lastTouchRevenue, figure.currency),
      doubleAttributionRemoved: formatMoney(figure.doubleAttributionRemoved, figure.currency),
      share: figure.shareOfStoreRevenue === null ? 'n/a' : formatPercent(figure.shareOfStoreRevenue),
    })),
    shareMissing: input.channels.some((figure) => figure.shareOfStoreRevenue === null),
    store: input.store.map((row) => ({
      currency: row.currency,
      revenue: row.storeRevenue === null ? 'no Shopify data' : formatMoney(row.storeRevenue, row.currency),
      share: row.attributedShare === null ? 'n/a' : formatPercent(row.attributedShare),
    })),
    imported: input.imported.map((file) => ({
      fileName: file.fileName,
      platform: file.platform,
      uploadId: String(file.uploadId),
      rows: plural(file.rows, 'row'),
    })),
    rejected: input.rejected,
  };
  return render('monthly-report', input.clientId, input.to, subject, view);
}
