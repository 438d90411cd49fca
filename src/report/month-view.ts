// A client's month page: the revenue summary with channel subtotals, store revenue, the daily chart, top
// messages, touch types, the settings and that month's findings. Rows arrive from SQL already summed;
// here they are only arranged (each channel's platforms, then its subtotal) and formatted.
import type { ClientRow, QualityRow, RevenueRow, StoreRow } from './marts.js';
import type { DailyRow, MessageRow, TouchTypeRow } from './details.js';
import { formatCount, formatMoney, monthTitle } from './format.js';
import { qualityLine, revenueLine, settingsOf, storeLine, type QualityLine, type RevenueLine, type StoreLine } from './view.js';
import { stackedBars } from './charts.js';
import { relativeHref, type ClientPaths } from './site-paths.js';

/** Findings that mean the month's figures are incomplete: shown as a notice at the top of its page (unless only possible: info). */
const INCOMPLETE_CHECKS = new Set(['month_not_fully_covered', 'platform_month_missing', 'coverage_gap']);

export interface ChannelHeadline {
  currency: string;
  channel: string;
  lastTouchRevenue: string;
  platformRevenue: string;
  doubleAttributionRemoved: string;
}

export interface MessageLine {
  rank: string;
  name: string;
  messageId: string;
  platform: string;
  channel: string;
  lastTouchRevenue: string;
  lastTouchOrders: string;
  platformRevenue: string;
}

export interface TouchTypeLine {
  touchType: string;
  lastTouchRevenue: string;
  lastTouchOrders: string;
  platformRevenue: string;
}

export interface ChartBlock {
  svg: string;
}

export interface MonthPage {
  path: string;
  clientId: string;
  month: string;
  title: string;
  links: { index: string; overview: string; coverage: string; previous: string | null; next: string | null };
  previousTitle: string | null;
  nextTitle: string | null;
  asOf: string;
  notices: string[];
  settings: { label: string; value: string }[];
  showViewOnly: boolean;
  clickPriority: boolean;
  engagementTracked: boolean;
  showCurrency: boolean;
  hasClaims: boolean;
  channels: ChannelHeadline[];
  lines: RevenueLine[];
  totals: RevenueLine[];
  store: StoreLine[];
  daily: ChartBlock[];
  messages: { currency: string; showCurrency: boolean; lines: MessageLine[] }[];
  touchTypes: { currency: string; showCurrency: boolean; lines: TouchTypeLine[] }[];
  quality: QualityLine[];
  warnings: number;
}

export interface MonthInput {
  client: ClientRow;
  paths: ClientPaths;
  month: string;
  /** Every month of the client with a page, oldest first (for the previous/next links). */
  months: readonly string[];
  asOf: string;
  /** The client's channels in their seed order, so a channel has one colour on every chart. */
  channelOrder: readonly string[];
  showViewOnly: boolean;
  revenue: readonly RevenueRow[];
  store: readonly StoreRow[];
  quality: readonly QualityRow[];
  daily: readonly DailyRow[];
  messages: readonly MessageRow[];
  touchTypes: readonly TouchTypeRow[];
}

/** Each channel's platform rows followed by the channel's subtotal, currency by currency. */
function arrangeLines(revenue: readonly RevenueRow[]): RevenueLine[] {
  const arranged: RevenueLine[] = [];
  for (const subtotal of revenue.filter((row) => row.level === 'channel')) {
    const platforms = revenue.filter((row) => row.level === 'line' && row.currency === subtotal.currency && row.channelLabel === subtotal.channelLabel);
    arranged.push(...platforms.map(revenueLine), revenueLine(subtotal));
  }
  return arranged;
}

function perCurrency<T extends { currency: string }, L>(rows: readonly T[], line: (row: T) => L): { currency: string; showCurrency: boolean; lines: L[] }[] {
  const currencies = [...new Set(rows.map((row) => row.currency))];
  return currencies.map((currency) => ({
    currency,
    showCurrency: currencies.length > 1,
    lines: rows.filter((row) => row.currency === currency).map(line),
  }));
}

/** The first and last day of a month 'YYYY-MM', so a daily chart always spans the whole month. */
function monthDays(month: string): [string, string] {
  const [year = 1970, number = 1] = month.split('-').map(Number);
  const last = new Date(Date.UTC(year, number, 0)).getUTCDate();
  return [`${month}-01`, `${month}-${String(last).padStart(2, '0')}`];
}

/** Sorts rows so the client's own currency comes first, the others after it in alphabetical order. */
function ownCurrencyFirst<T extends { currency: string }>(rows: readonly T[], own: string): T[] {
  const rank = (currency: string): string => (currency === own ? '' : currency);
  return [...rows].sort((a, b) => rank(a.currency).localeCompare(rank(b.currency)));
}

function dailyCharts(input: MonthInput): ChartBlock[] {
  const currencies = [...new Set(input.daily.map((row) => row.currency))];
  return currencies.map((currency, index) => {
    const points = input.daily
      .filter((row) => row.currency === currency)
      .map((row) => ({ x: row.day, series: row.channel, value: Number(row.lastTouchRevenue) }));
    return {
      svg: stackedBars({
        id: `daily-${index + 1}`,
        title: `Last-touch revenue per day by channel, ${monthTitle(input.month)}${currencies.length > 1 ? ` (${currency})` : ''}`,
        description: `Stacked bars, one per day with last-touch revenue in ${currency}, split by channel: ${[...new Set(points.map((point) => point.series))].join(', ')}.`,
        points,
        series: input.channelOrder,
        xKind: 'day',
        valueLabel: `Last-touch revenue (${currency})`,
        valueFormat: 'money',
        width: 860,
        height: 220,
        xRange: monthDays(input.month),
      }),
    };
  });
}

export function buildMonthPage(raw: MonthInput): MonthPage {
  const own = raw.client.currency;
  // Every table and chart of the page in the same currency order; the sort is stable, so rows keep their SQL order within a currency.
  const input: MonthInput = {
    ...raw,
    revenue: ownCurrencyFirst(raw.revenue, own),
    store: ownCurrencyFirst(raw.store, own),
    daily: ownCurrencyFirst(raw.daily, own),
    messages: ownCurrencyFirst(raw.messages, own),
    touchTypes: ownCurrencyFirst(raw.touchTypes, own),
  };
  const { client, paths, month } = input;
  const path = paths.month(month);
  const position = input.months.indexOf(month);
  const previous = position > 0 ? input.months[position - 1] ?? null : null;
  const next = position >= 0 && position < input.months.length - 1 ? input.months[position + 1] ?? null : null;
  const currencies = new Set(input.revenue.map((row) => row.currency));
  const quality = input.quality.map(qualityLine);
  return {
    path,
    clientId: client.clientId,
    month,
    title: monthTitle(month),
    links: {
      index: relativeHref(path, 'index.html'),
      overview: relativeHref(path, paths.overview),
      coverage: relativeHref(path, paths.coverage),
      previous: previous === null ? null : relativeHref(path, paths.month(previous)),
      next: next === null ? null : relativeHref(path, paths.month(next)),
    },
    previousTitle: previous === null ? null : monthTitle(previous),
    nextTitle: next === null ? null : monthTitle(next),
    asOf: input.asOf,
    notices: input.quality.filter((row) => row.severity !== 'info' && INCOMPLETE_CHECKS.has(row.checkName)).map((row) => row.detail),
    settings: settingsOf(client),
    showViewOnly: input.showViewOnly,
    clickPriority: client.model === 'click-priority',
    engagementTracked: input.revenue.some((row) => row.anyTracked),
    showCurrency: currencies.size > 1,
    hasClaims: input.revenue.length > 0,
    channels: input.revenue
      .filter((row) => row.level === 'channel')
      .map((row) => ({
        currency: row.currency,
        channel: row.channelLabel,
        lastTouchRevenue: formatMoney(row.lastTouchRevenue, row.currency),
        platformRevenue: formatMoney(row.platformRevenue, row.currency),
        doubleAttributionRemoved: formatMoney(row.doubleAttributionRemoved, row.currency),
      })),
    lines: arrangeLines(input.revenue),
    totals: input.revenue.filter((row) => row.level === 'total').map(revenueLine),
    store: input.store.map(storeLine),
    daily: dailyCharts(input),
    messages: perCurrency(input.messages, (row) => ({
      rank: String(row.rank),
      name: row.messageName ?? row.messageId ?? '(no message named in the export)',
      messageId: row.messageId ?? '',
      platform: row.platform,
      channel: row.channel,
      lastTouchRevenue: formatMoney(row.lastTouchRevenue, row.currency),
      lastTouchOrders: formatCount(row.lastTouchOrders),
      platformRevenue: formatMoney(row.platformRevenue, row.currency),
    })),
    touchTypes: perCurrency(input.touchTypes, (row) => ({
      touchType: row.touchType,
      lastTouchRevenue: formatMoney(row.lastTouchRevenue, row.currency),
      lastTouchOrders: formatCount(row.lastTouchOrders),
      platformRevenue: formatMoney(row.platformRevenue, row.currency),
    })),
    quality,
    warnings: input.quality.filter((row) => row.severity !== 'info').length,
  };
}
