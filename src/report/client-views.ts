// A client's overview page (the trend over its months, each month linking to its page) and its data-
// coverage page (every upload's window on a time line per platform, the gaps, removed uploads and every
// finding). Rows arrive from SQL already summed; here they are only chosen, arranged and formatted.
import type { ClientRow, QualityRow, RevenueRow, StoreRow } from './marts.js';
import type { GapRow, UploadRow } from './details.js';
import { formatCount, formatMoney, formatPercent, monthTitle } from './format.js';
import { qualityLine, settingsOf, storeLine, type QualityLine } from './view.js';
import { lines, stackedBars, timeline } from './charts.js';
import { relativeHref, type ClientPaths } from './site-paths.js';
import type { ChartBlock } from './month-view.js';

/** How many months the overview's charts show: a year, as the client's own reports compare. */
const TREND_MONTHS = 12;

export interface OverviewMonth {
  href: string;
  month: string;
  title: string;
  currency: string;
  platformRevenue: string;
  lastTouchRevenue: string;
  doubleAttributionRemoved: string;
  removedPercent: string;
  storeRevenue: string;
  attributedShare: string;
  findings: string;
}

export interface OverviewPage {
  path: string;
  clientId: string;
  links: { index: string; coverage: string };
  asOf: string;
  settings: { label: string; value: string }[];
  chartCurrency: string | null;
  otherCurrencies: string;
  charts: ChartBlock[];
  months: OverviewMonth[];
  quality: QualityLine[];
}

export interface ClientInput {
  client: ClientRow;
  paths: ClientPaths;
  /** Months with a page, oldest first. */
  months: readonly string[];
  asOf: string;
  channelOrder: readonly string[];
  platformOrder: readonly string[];
  revenue: readonly RevenueRow[];
  store: readonly StoreRow[];
  quality: readonly QualityRow[];
}

/** The currency the charts are drawn in: the client's own when it has figures in it, else its largest. */
export function chartCurrency(client: ClientRow, revenue: readonly RevenueRow[]): string | null {
  const currencies = [...new Set(revenue.map((row) => row.currency))];
  if (currencies.includes(client.currency)) return client.currency;
  const totals = revenue.filter((row) => row.level === 'total');
  const largest = [...totals].sort((a, b) => Number(b.platformRevenue) - Number(a.platformRevenue))[0];
  return largest?.currency ?? null;
}

function overviewCharts(input: ClientInput, currency: string): ChartBlock[] {
  const months = input.months.slice(-TREND_MONTHS);
  const recent = new Set(months);
  const rows = input.revenue.filter((row) => row.currency === currency && recent.has(row.month));
  const store = input.store.filter((row) => row.currency === currency && recent.has(row.month) && row.storeRevenue !== null);
  const totals = rows.filter((row) => row.level === 'total');
  const span = `${monthTitle(months[0] ?? '')} to ${monthTitle(months.at(-1) ?? '')}`;
  const xRange = [months[0] ?? '', months.at(-1) ?? ''] as const;
  const money = { valueLabel: `Revenue (${currency})`, valueFormat: 'money' as const };
  /** Stacked bars per month of the last-touch revenue of one level of the revenue rows, split by its label. */
  const lastTouchBars = (level: 'channel' | 'platform', series: readonly string[]): ChartBlock => ({
    svg: stackedBars({
      id: `trend-${level}s`,
      title: `Last-touch revenue per month by ${level} (${currency})`,
      description: `Stacked bars per month, split by ${level}, ${span}.`,
      points: rows
        .filter((row) => row.level === level)
        .map((row) => ({ x: row.month, series: level === 'channel' ? row.channelLabel : row.platformLabel, value: Number(row.lastTouchRevenue) })),
      series,
      xKind: 'month',
      xRange,
      ...money,
    }),
  });
  const comparison = [
    ...totals.map((row) => ({ x: row.month, series: 'Platform-reported', value: Number(row.platformRevenue) })),
    ...totals.map((row) => ({ x: row.month, series: 'Last-touch', value: Number(row.lastTouchRevenue) })),
    ...store.map((row) => ({ x: row.month, series: 'Store revenue', value: Number(row.storeRevenue) })),
  ];
  return [
    {
      svg: lines({
        id: 'trend-comparison',
        title: `Platform-reported, last-touch and store revenue per month (${currency})`,
        description: `One line each for the revenue the platforms report, the last-touch revenue that counts every order once, and the store's own revenue, ${span}.`,
        points: comparison,
        series: ['Platform-reported', 'Last-touch', 'Store revenue'],
        ...money,
      }),
    },
    lastTouchBars('channel', input.channelOrder),
    lastTouchBars('platform', input.platformOrder),
    {
      svg: stackedBars({
        id: 'trend-double-attribution',
        title: `Double attribution removed, as a share of platform-reported revenue (${currency})`,
        description: `One bar per month: the percentage of the revenue the platforms claim that another claim won, ${span}.`,
        points: totals.filter((row) => row.removedPercent !== null).map((row) => ({ x: row.month, series: 'Double attribution', value: Number(row.removedPercent) })),
        series: ['Double attribution'],
        xKind: 'month',
        xRange,
        valueLabel: 'Share of platform-reported revenue',
        valueFormat: 'percent',
      }),
    },
  ];
}

export function buildOverviewPage(input: ClientInput): OverviewPage {
  const { client, paths } = input;
  const path = paths.overview;
  const currency = chartCurrency(client, input.revenue);
  const currencies = [...new Set(input.revenue.map((row) => row.currency))];
  const months: OverviewMonth[] = [];
  for (const month of [...input.months].reverse()) {
    const findings = input.quality.filter((row) => row.month === month && row.severity !== 'info').length;
    const monthCurrencies = [...new Set([...input.revenue, ...input.store].filter((row) => row.month === month).map((row) => row.currency))].sort((a, b) =>
      a === currency ? -1 : b === currency ? 1 : a.localeCompare(b),
    );
    for (const monthCurrency of monthCurrencies) {
      const total = input.revenue.find((row) => row.month === month && row.currency === monthCurrency && row.level === 'total');
      const store = input.store.find((row) => row.month === month && row.currency === monthCurrency);
      const storeView = store === undefined ? null : storeLine(store);
      const zero = formatMoney('0', monthCurrency);
      months.push({
        href: relativeHref(path, paths.month(month)),
        month,
        title: monthTitle(month),
        currency: monthCurrency,
        platformRevenue: total === undefined ? zero : formatMoney(total.platformRevenue, monthCurrency),
        lastTouchRevenue: total === undefined ? zero : formatMoney(total.lastTouchRevenue, monthCurrency),
        doubleAttributionRemoved: total === undefined ? zero : formatMoney(total.doubleAttributionRemoved, monthCurrency),
        removedPercent: total?.removedPercent == null ? '—' : formatPercent(total.removedPercent),
        storeRevenue: storeView?.storeRevenue ?? 'no Shopify data',
        attributedShare: storeView?.attributedShare ?? 'no Shopify data',
        findings: findings === 0 ? 'none' : formatCount(findings),
      });
    }
  }
  return {
    path,
    clientId: client.clientId,
    links: { index: relativeHref(path, 'index.html'), coverage: relativeHref(path, paths.coverage) },
    asOf: input.asOf,
    settings: settingsOf(client),
    chartCurrency: currency,
    otherCurrencies: currencies.filter((item) => item !== currency).join(', '),
    charts: currency === null ? [] : overviewCharts(input, currency),
    months,
    quality: input.quality.filter((row) => row.month === null).map(qualityLine),
  };
}

export interface CoveragePage {
  path: string;
  clientId: string;
  links: { index: string; overview: string };
  asOf: string;
  chart: ChartBlock;
  uploads: {
    uploadId: string; platform: string; fileName: string; rows: string; importedAt: string;
    window: string; windowSource: string; state: string; stateClass: string;
  }[];
  gaps: { platform: string; from: string; to: string; days: string; note: string }[];
  partial: QualityLine[];
  quality: { month: string; lines: QualityLine[] }[];
}

export function buildCoveragePage(input: ClientInput & { uploads: readonly UploadRow[]; gaps: readonly GapRow[] }): CoveragePage {
  const { client, paths } = input;
  const path = paths.coverage;
  const kinds = ['covered', 'removed', 'not built yet', 'gap'];
  const bars = [
    ...input.uploads
      .filter((upload) => upload.windowFrom !== null && upload.windowTo !== null)
      .map((upload) => ({
        // One lane per upload: two uploads of a platform often overlap, and one bar would hide the other.
        lane: `${upload.platformLabel} #${upload.uploadId}`,
        start: upload.windowFrom ?? '',
        end: upload.windowTo ?? '',
        kind: upload.removed ? 'removed' : upload.afterBuild ? 'not built yet' : 'covered',
        label: `upload ${upload.uploadId}: ${upload.fileName}`,
      })),
    ...input.gaps.map((gap) => ({ lane: `${gap.platformLabel} gap`, start: gap.gapFrom, end: gap.gapTo, kind: 'gap', label: `no upload covers ${gap.gapFrom} to ${gap.gapTo}` })),
  ];
  const byMonth = new Map<string, QualityLine[]>();
  for (const row of input.quality) {
    const key = row.month === null ? 'Not about one month' : monthTitle(row.month);
    byMonth.set(key, [...(byMonth.get(key) ?? []), qualityLine(row)]);
  }
  return {
    path,
    clientId: client.clientId,
    links: { index: relativeHref(path, 'index.html'), overview: relativeHref(path, paths.overview) },
    asOf: input.asOf,
    chart: {
      svg: timeline({
        id: 'coverage',
        title: `Days each upload covers, per platform`,
        description: `A time line per platform: one bar per upload's coverage window, removed uploads and the gaps no upload covers marked apart. ${bars.length} bars.`,
        bars,
        kinds,
        width: 860,
      }),
    },
    uploads: input.uploads.map((upload) => ({
      uploadId: String(upload.uploadId),
      platform: upload.platformLabel,
      fileName: upload.fileName,
      rows: formatCount(upload.rows),
      importedAt: upload.importedAt,
      window: upload.windowFrom === null ? 'unknown' : `${upload.windowFrom} to ${upload.windowTo ?? ''}`,
      windowSource: upload.windowExplicit ? 'given at import' : 'first and last order dates',
      state: upload.removed ? 'removed' : upload.afterBuild ? 'not in these figures yet' : 'in the figures',
      stateClass: upload.removed ? 'removed' : upload.afterBuild ? 'pending' : 'current',
    })),
    gaps: input.gaps.map((gap) => ({
      platform: gap.platformLabel,
      from: gap.gapFrom,
      to: gap.gapTo,
      days: formatCount(gap.days),
      note: gap.inferredEdge ? 'possibly days without orders: a window beside it was taken from order dates' : '',
    })),
    partial: input.quality
      .filter((row) => ['month_not_fully_covered', 'platform_month_missing', 'coverage_gap', 'possible_coverage_gap'].includes(row.checkName))
      .map(qualityLine),
    quality: [...byMonth].map(([month, found]) => ({ month, lines: found })),
  };
}
