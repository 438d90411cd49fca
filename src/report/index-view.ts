// The index: every client once, with its latest month's headline figures per channel, a small trend of
// last-touch revenue per channel, and a data-quality badge linking to the findings. Figures are the
// month page's own rows, so the two can never disagree.
import type { ClientRow, QualityRow, RevenueRow, StoreRow } from './marts.js';
import { formatCount, formatMoney, monthTitle } from './format.js';
import { storeLine } from './view.js';
import { sparkline } from './charts.js';
import { chartCurrency } from './client-views.js';
import type { ClientPaths } from './site-paths.js';

const INCOMPLETE_CHECKS = new Set(['month_not_fully_covered', 'platform_month_missing', 'coverage_gap']);

export interface IndexCell {
  lastTouchRevenue: string;
  platformRevenue: string;
}

export interface IndexLine {
  clientId: string;
  href: string;
  monthHref: string | null;
  month: string;
  currency: string;
  otherCurrencies: string;
  channels: IndexCell[];
  lastTouchRevenue: string;
  platformRevenue: string;
  doubleAttributionRemoved: string;
  storeRevenue: string;
  attributedShare: string;
  trend: string;
  badge: { text: string; severity: string; href: string | null; title: string };
}

export interface IndexPage {
  asOf: string;
  clientsLabel: string;
  channels: string[];
  lines: IndexLine[];
}

export interface IndexInput {
  client: ClientRow;
  paths: ClientPaths;
  months: readonly string[];
  revenue: readonly RevenueRow[];
  store: readonly StoreRow[];
  quality: readonly QualityRow[];
}

/** The month the index shows: the newest with platform claims, else the newest with any figures. */
function headlineMonth(input: IndexInput): string | null {
  const withClaims = input.months.filter((month) => input.revenue.some((row) => row.month === month));
  return withClaims.at(-1) ?? input.months.at(-1) ?? null;
}

function badgeOf(input: IndexInput, month: string | null): IndexLine['badge'] {
  const findings = input.quality.filter((row) => row.severity !== 'info' && (row.month === null || row.month === month));
  const newer = input.quality.filter((row) => month !== null && row.month !== null && row.month > month && row.severity !== 'info' && INCOMPLETE_CHECKS.has(row.checkName));
  const incomplete = findings.filter((row) => INCOMPLETE_CHECKS.has(row.checkName));
  const href = month === null ? input.paths.coverage : `${input.paths.month(month)}#data-quality`;
  if (incomplete.length > 0) return { text: 'data missing', severity: 'error', href, title: incomplete.map((row) => row.detail).join('; ') };
  if (findings.length > 0) {
    const errors = findings.filter((row) => row.severity === 'error').length;
    const text = errors > 0 ? `${formatCount(errors)} error${errors === 1 ? '' : 's'}` : `${formatCount(findings.length)} warning${findings.length === 1 ? '' : 's'}`;
    return { text, severity: errors > 0 ? 'error' : 'warning', href, title: findings.map((row) => row.detail).join('; ') };
  }
  const newest = newer.map((row) => row.month ?? '').sort().at(-1);
  if (newest !== undefined) {
    return { text: `${monthTitle(newest)} incomplete`, severity: 'warning', href: input.paths.month(newest), title: newer.map((row) => row.detail).join('; ') };
  }
  return { text: 'all checks passed', severity: 'ok', href: month === null ? null : `${input.paths.month(month)}#data-quality`, title: 'every data-quality check passed' };
}

export function buildIndexPage(inputs: readonly IndexInput[], channelOrder: readonly string[], asOf: string): IndexPage {
  const shownChannels = channelOrder.filter((channel) =>
    inputs.some((input) => input.revenue.some((row) => row.level === 'channel' && row.channelLabel === channel)),
  );
  const lines = inputs.map((input): IndexLine => {
    const month = headlineMonth(input);
    const currency = chartCurrency(input.client, input.revenue) ?? input.client.currency;
    const rows = input.revenue.filter((row) => row.month === month && row.currency === currency);
    const total = rows.find((row) => row.level === 'total');
    const store = input.store.find((row) => row.month === month && row.currency === currency);
    const storeView = store === undefined ? null : storeLine(store);
    const zero = formatMoney('0', currency);
    const others = [...new Set([...input.revenue, ...input.store].filter((row) => row.month === month).map((row) => row.currency))].filter((item) => item !== currency);
    const recent = new Set(input.months.slice(-12));
    const trendPoints = input.revenue
      .filter((row) => row.level === 'channel' && row.currency === currency && recent.has(row.month))
      .map((row) => ({ x: row.month, series: row.channelLabel, value: Number(row.lastTouchRevenue) }));
    return {
      clientId: input.client.clientId,
      href: input.paths.overview,
      monthHref: month === null ? null : input.paths.month(month),
      month: month === null ? 'no data' : monthTitle(month),
      currency,
      otherCurrencies: others.join(', '),
      channels: shownChannels.map((channel) => {
        const row = rows.find((item) => item.level === 'channel' && item.channelLabel === channel);
        return {
          lastTouchRevenue: row === undefined ? '—' : formatMoney(row.lastTouchRevenue, currency),
          platformRevenue: row === undefined ? '' : formatMoney(row.platformRevenue, currency),
        };
      }),
      lastTouchRevenue: total === undefined ? zero : formatMoney(total.lastTouchRevenue, currency),
      platformRevenue: total === undefined ? zero : formatMoney(total.platformRevenue, currency),
      doubleAttributionRemoved: total === undefined ? zero : formatMoney(total.doubleAttributionRemoved, currency),
      storeRevenue: storeView?.storeRevenue ?? 'no Shopify data',
      attributedShare: storeView?.attributedShare ?? 'no Shopify data',
      trend: sparkline({
        id: `trend-${input.paths.stem.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`,
        title: `${input.client.clientId}: last-touch revenue per month by channel`,
        description: `The last ${recent.size} months in ${currency}, one line per channel.`,
        points: trendPoints,
        series: channelOrder,
        width: 120,
        height: 32,
      }),
      badge: badgeOf(input, month),
    };
  });
  return { asOf, clientsLabel: inputs.length === 1 ? '1 client' : `${inputs.length} clients`, channels: shownChannels, lines };
}
