// How one mart row reads on a page: formatted, labelled. Nothing is added up here; subtotals and totals
// arrive from SQL as rows of their own.
import type { ClientRow, QualityRow, RevenueRow, StoreRow } from './marts.js';
import {
  formatCount,
  formatMoney,
  formatPercent,
  formatTimestamp,
  humanize,
} from './format.js';

const NOT_TRACKED_TITLE = 'this source reports revenue only';

export interface EngagementCell {
  text: string;
  tracked: boolean;
  title: string | null;
}

export interface RevenueLine {
  /** 'line' (one platform and channel), 'subtotal' (a channel over its platforms) or 'total' (the month). */
  kind: 'line' | 'subtotal' | 'total';
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

export interface QualityLine {
  severity: string;
  check: string;
  affectedRows: string;
  detail: string;
}

function engagement(tracked: number, anyTracked: boolean, allTracked: boolean): EngagementCell {
  if (!anyTracked) return { text: 'not tracked', tracked: false, title: NOT_TRACKED_TITLE };
  const title = allTracked ? null : 'only the sources that track engagement; the others report revenue only';
  return { text: formatCount(tracked), tracked: true, title };
}

export function revenueLine(row: RevenueRow): RevenueLine {
  const money = (amount: string): string => formatMoney(amount, row.currency);
  const kind = row.level === 'total' ? 'total' : row.level === 'channel' ? 'subtotal' : 'line';
  return {
    kind,
    currency: row.currency,
    channel: kind === 'total' ? 'Total' : kind === 'subtotal' ? `${row.channelLabel} total` : row.channelLabel,
    platform: kind === 'line' ? row.platformLabel : kind === 'subtotal' ? 'all platforms' : '',
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

export function storeLine(row: StoreRow): StoreLine {
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

export function qualityLine(row: QualityRow): QualityLine {
  return {
    severity: row.severity,
    check: humanize(row.checkName),
    affectedRows: formatCount(row.affectedRows),
    detail: row.detail,
  };
}

export function settingsOf(client: ClientRow): { label: string; value: string }[] {
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


export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
