// Turns mart rows into what the templates print: grouped by client and month, formatted, labelled.
// Nothing is added up here; totals arrive from SQL as rows of their own.
import type { BuildRow, ClientRow, MartData, QualityRow, RevenueRow, StoreRow } from './marts.js';
import {
  formatCount,
  formatMoney,
  formatPercent,
  formatTimestamp,
  humanize,
  monthTitle,
} from './format.js';

const NOT_TRACKED_TITLE = 'this source reports revenue only';

export interface EngagementCell {
  text: string;
  tracked: boolean;
  title: string | null;
}

export interface RevenueLine {
  currency: string;
  channel: string;
  platform: string;
  platformRevenue: string;
  lastTouchRevenue: string;
  doubleAttributionRemoved: string;
  viewOnlyExcluded: string;
  claimedOrders: string;
  lastTouchOrders: string;
  sends: EngagementCell;
  clicks: EngagementCell;
}

export interface StoreLine {
  currency: string;
  hasShopify: boolean;
  storeOrders: string;
  storeRevenue: string;
  refundedRevenue: string;
  attributedRevenue: string;
  attributedStoreRevenue: string;
  attributedOutsideStoreRevenue: string;
  attributedShare: string;
  shareTitle: string | null;
}

export interface MonthSection {
  month: string;
  title: string;
  showCurrency: boolean;
  hasClaims: boolean;
  lines: RevenueLine[];
  totals: RevenueLine[];
  store: StoreLine[];
  /** The data-quality findings about this month, shown beside its figures. */
  quality: QualityLine[];
}

export interface QualityLine {
  severity: string;
  check: string;
  affectedRows: string;
  detail: string;
}

export interface ClientPage {
  clientId: string;
  currency: string;
  fileName: string;
  settings: { label: string; value: string }[];
  built: string;
  notices: string[];
  monthFilter: string | null;
  showViewOnly: boolean;
  clickPriority: boolean;
  months: MonthSection[];
  /** Findings not about one month. */
  quality: QualityLine[];
  warnings: number;
}

function engagement(tracked: number, anyTracked: boolean, allTracked: boolean): EngagementCell {
  if (!anyTracked) return { text: 'not tracked', tracked: false, title: NOT_TRACKED_TITLE };
  const title = allTracked ? null : 'only the sources that track engagement; the others report revenue only';
  return { text: formatCount(tracked), tracked: true, title };
}

function revenueLine(row: RevenueRow): RevenueLine {
  const money = (amount: string): string => formatMoney(amount, row.currency);
  return {
    currency: row.currency,
    channel: row.isTotal ? 'Total' : row.channelLabel,
    platform: row.isTotal ? '' : row.platformLabel,
    platformRevenue: money(row.platformRevenue),
    lastTouchRevenue: money(row.lastTouchRevenue),
    doubleAttributionRemoved: money(row.doubleAttributionRemoved),
    viewOnlyExcluded: money(row.viewOnlyExcluded),
    claimedOrders: formatCount(row.claimedOrders),
    lastTouchOrders: formatCount(row.lastTouchOrders),
    sends: engagement(row.sends, row.anyTracked, row.allTracked),
    clicks: engagement(row.clicks, row.anyTracked, row.allTracked),
  };
}

function storeLine(row: StoreRow): StoreLine {
  const hasShopify = row.storeRevenue !== null;
  let attributedShare = 'no Shopify data';
  let shareTitle: string | null = 'no Shopify orders are loaded for this client';
  if (row.attributedPercent !== null) {
    attributedShare = formatPercent(row.attributedPercent);
    shareTitle = null;
  } else if (hasShopify) {
    attributedShare = 'n/a';
    shareTitle = `no store revenue in ${row.currency} this month`;
  }
  return {
    currency: row.currency,
    hasShopify,
    storeOrders: row.storeOrders === null ? '—' : formatCount(row.storeOrders),
    storeRevenue: row.storeRevenue === null ? 'no Shopify data' : formatMoney(row.storeRevenue, row.currency),
    refundedRevenue: row.refundedRevenue === null ? '—' : formatMoney(row.refundedRevenue, row.currency),
    attributedRevenue: formatMoney(row.attributedRevenue, row.currency),
    attributedStoreRevenue: formatMoney(row.attributedStoreRevenue, row.currency),
    attributedOutsideStoreRevenue: formatMoney(row.attributedOutsideStoreRevenue, row.currency),
    attributedShare,
    shareTitle,
  };
}

function qualityLine(row: QualityRow): QualityLine {
  return {
    severity: row.severity,
    check: humanize(row.checkName),
    affectedRows: formatCount(row.affectedRows),
    detail: row.detail,
  };
}

export function describeBuild(build: BuildRow | null): string {
  return build ? `${formatTimestamp(build.finishedAt)} (build ${build.buildId})` : 'never';
}

function settingsOf(client: ClientRow): { label: string; value: string }[] {
  return [
    { label: 'Model', value: client.model },
    { label: 'View-only attributions', value: client.viewOnly === 'exclude' ? 'excluded' : 'included' },
    { label: 'Time zone', value: client.timezone },
    { label: 'Source time zone', value: client.sourceTimezone },
    { label: 'Currency', value: client.currency },
    {
      label: 'Platform priority',
      value: client.platformPriority.length > 0 ? client.platformPriority.join(', ') : 'alphabetical (default)',
    },
  ];
}

function noticesOf(client: ClientRow): string[] {
  const notices: string[] = [];
  if (client.uploadsSinceBuild > 0) {
    const uploads =
      client.uploadsSinceBuild === 1 ? '1 upload imported after the last build is' : `${client.uploadsSinceBuild} uploads imported after the last build are`;
    notices.push(`${uploads} not in these figures.`);
  }
  if (client.settingsChangedSinceBuild) {
    notices.push(
      'The settings above changed after the last build; the figures still follow the settings of that build.',
    );
  }
  return notices;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function monthSections(
  months: readonly string[],
  revenue: readonly RevenueRow[],
  store: readonly StoreRow[],
  quality: readonly QualityRow[],
): MonthSection[] {
  const revenueByMonth = groupBy(revenue, (row) => row.month);
  const storeByMonth = groupBy(store, (row) => row.month);
  const qualityByMonth = groupBy(quality, (row) => row.month ?? '');
  return months.map((month) => {
    const rows = revenueByMonth.get(month) ?? [];
    const currencies = new Set(rows.map((row) => row.currency));
    return {
      month,
      title: monthTitle(month),
      showCurrency: currencies.size > 1,
      hasClaims: rows.length > 0,
      lines: rows.filter((row) => !row.isTotal).map(revenueLine),
      totals: rows.filter((row) => row.isTotal).map(revenueLine),
      store: (storeByMonth.get(month) ?? []).map(storeLine),
      quality: (qualityByMonth.get(month) ?? []).map(qualityLine),
    };
  });
}

/** The client pages; months come from the marts' own rows, newest first. */
export function buildClientPages(data: MartData, fileNames: ReadonlyMap<string, string>, monthFilter: string | null): ClientPage[] {
  const revenueByClient = groupBy(data.revenue, (row) => row.clientId);
  const storeByClient = groupBy(data.store, (row) => row.clientId);
  const qualityByClient = groupBy(data.quality, (row) => row.clientId);
  const built = describeBuild(data.build);
  return data.clients.map((client): ClientPage => {
    const revenue = revenueByClient.get(client.clientId) ?? [];
    const store = storeByClient.get(client.clientId) ?? [];
    const months = [...new Set([...revenue, ...store].map((row) => row.month))].sort().reverse();
    const quality = qualityByClient.get(client.clientId) ?? [];
    const fileName = fileNames.get(client.clientId);
    if (fileName === undefined) throw new Error(`no page file name for client ${client.clientId}`);
    return {
      clientId: client.clientId,
      currency: client.currency,
      fileName,
      settings: settingsOf(client),
      built,
      notices: noticesOf(client),
      monthFilter,
      // The column only matters where something was, or could have been, left out.
      showViewOnly: client.viewOnly === 'exclude' || revenue.some((row) => Number(row.viewOnlyExcluded) !== 0),
      clickPriority: client.model === 'click-priority',
      months: monthSections(months, revenue, store, quality),
      quality: quality.filter((row) => row.month === null || !months.includes(row.month)).map(qualityLine),
      warnings: quality.filter((row) => row.severity !== 'info').length,
    };
  });
}
