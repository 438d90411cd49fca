// The index page: one line per client and currency with the headline figures of the client's newest
// month shown, taken from the client's own page so the two can never disagree.
import { formatCount, formatMoney } from './format.js';
import type { ClientPage } from './view.js';

export interface IndexLine {
  clientId: string;
  href: string;
  month: string;
  currency: string;
  platformRevenue: string;
  lastTouchRevenue: string;
  doubleAttributionRemoved: string;
  storeRevenue: string;
  attributedShare: string;
  warnings: string;
}

export interface IndexPage {
  built: string;
  monthFilter: string | null;
  clientsLabel: string;
  lines: IndexLine[];
}

/** One line per client and currency of the client's newest month shown, the same figures as its page. */
export function buildIndexPage(pages: readonly ClientPage[], built: string, monthFilter: string | null): IndexPage {
  const lines: IndexLine[] = [];
  for (const page of pages) {
    const latest = page.months[0];
    const warnings = page.warnings === 0 ? 'none' : formatCount(page.warnings);
    if (!latest) {
      const none = '—';
      lines.push({
        clientId: page.clientId, href: page.fileName, month: 'no data', currency: none, platformRevenue: none,
        lastTouchRevenue: none, doubleAttributionRemoved: none, storeRevenue: none, attributedShare: none, warnings,
      });
      continue;
    }
    // The client's own currency first, then any other in alphabetical order.
    const currencies = [...new Set([...latest.totals, ...latest.store].map((line) => line.currency))].sort((a, b) =>
      a === page.currency ? -1 : b === page.currency ? 1 : a.localeCompare(b),
    );
    for (const currency of currencies) {
      const totals = latest.totals.find((line) => line.currency === currency);
      const store = latest.store.find((line) => line.currency === currency);
      const zero = formatMoney('0', currency);
      lines.push({
        clientId: page.clientId,
        href: page.fileName,
        month: latest.title,
        currency,
        platformRevenue: totals?.platformRevenue ?? zero,
        lastTouchRevenue: totals?.lastTouchRevenue ?? zero,
        doubleAttributionRemoved: totals?.doubleAttributionRemoved ?? zero,
        storeRevenue: store?.storeRevenue ?? 'no Shopify data',
        attributedShare: store?.attributedShare ?? 'no Shopify data',
        warnings,
      });
    }
  }
  const clientsLabel = pages.length === 1 ? '1 client' : `${pages.length} clients`;
  return { built, monthFilter, clientsLabel, lines };
}
