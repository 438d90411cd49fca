// Reads what a report shows from the marts (the public contract) and the meta tables. Every total is
// summed here, in SQL, next to the figures it totals; money leaves the warehouse as exact decimal text.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Row, Warehouse } from '../warehouse/db.js';
import { executeOne, meta } from '../warehouse/kysely.js';
import { ReportFailedError } from '../errors.js';

// The tables the pages read: the marts, the seeds' labels, the settings of the last build and the upload
// windows and gaps of the coverage page.
const REQUIRED_TABLES = [
  'marts.revenue_summary',
  'marts.message_revenue',
  'marts.store_summary',
  'marts.data_quality',
  'seeds.channels',
  'seeds.platforms',
  'staging.stg_clients',
  'dedup.dedup_upload_windows',
  'dedup.dedup_coverage_gaps',
] as const;

export interface ClientRow {
  clientId: string;
  viewOnly: string;
  model: string;
  timezone: string;
  sourceTimezone: string;
  currency: string;
  platformPriority: string[];
  /** Uploads imported, or settings changed, after the last build: the marts do not show them yet. */
  uploadsSinceBuild: number;
  settingsChangedSinceBuild: boolean;
}

export interface BuildRow {
  buildId: number;
  finishedAt: string;
}

export interface RevenueRow {
  clientId: string;
  month: string;
  currency: string;
  /**
   * Which grouping the row is: one platform and channel ('line'), a channel over its platforms
   * ('channel', the subtotal: SMS = Postscript SMS + Klaviyo SMS), a platform over its channels
   * ('platform'), or the month's total per currency ('total').
   */
  level: 'line' | 'channel' | 'platform' | 'total';
  isTotal: boolean;
  /** Double attribution removal as a share of platform revenue, in percent to one decimal; null without claims. */
  removedPercent: string | null;
  platformLabel: string;
  channelLabel: string;
  platformRevenue: string;
  lastTouchRevenue: string;
  doubleAttributionRemoved: string;
  viewOnlyExcluded: string;
  claimedOrders: number;
  lastTouchOrders: number;
  anyTracked: boolean;
  allTracked: boolean;
  sends: number;
  clicks: number;
}

export interface StoreRow {
  clientId: string;
  month: string;
  currency: string;
  storeOrders: number | null;
  storeRevenue: string | null;
  refundedRevenue: string | null;
  attributedRevenue: string;
  /** Of it, on orders store revenue counts, and the rest (no Shopify order, or a cancelled one). */
  attributedStoreRevenue: string;
  attributedOutsideStoreRevenue: string;
  /** attributed_share as a percentage, rounded to one decimal by the warehouse. */
  attributedPercent: string | null;
}

export interface QualityRow {
  clientId: string;
  /** YYYY-MM, or null for a finding not about one month. */
  month: string | null;
  checkName: string;
  severity: string;
  affectedRows: number;
  detail: string;
}

export interface Selection {
  clientId?: string;
  month?: string;
}

export interface MartData {
  clients: ClientRow[];
  build: BuildRow | null;
  revenue: RevenueRow[];
  store: StoreRow[];
  quality: QualityRow[];
  /** Any month with data, per client, newest first, regardless of --month (to say what exists). */
  months: { clientId: string; month: string }[];
}

function text(row: Row, key: string): string {
  const value = row[key];
  if (value === null || value === undefined) throw new Error(`report query: ${key} is unexpectedly NULL`);
  return String(value);
}

function optionalText(row: Row, key: string): string | null {
  const value = row[key];
  return value === null || value === undefined ? null : String(value);
}

function count(row: Row, key: string): number {
  const value = row[key];
  return value === null || value === undefined ? 0 : Number(value);
}

/** WHERE clause over a client and month column, with its parameters. */
function selectionFilter(selection: Selection, alias: string, withMonth: boolean): { where: string; params: DuckDBValue[] } {
  const conditions: string[] = [];
  const params: DuckDBValue[] = [];
  if (selection.clientId !== undefined) {
    params.push(selection.clientId);
    conditions.push(`${alias}.client_id = $${params.length}`);
  }
  if (withMonth && selection.month !== undefined) {
    params.push(selection.month);
    conditions.push(`strftime(${alias}.month, '%Y-%m') = $${params.length}`);
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

export async function assertMartsBuilt(warehouse: Warehouse): Promise<void> {
  const rows = await warehouse.all(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
     WHERE table_schema IN ('marts', 'seeds', 'staging', 'dedup')`,
  );
  const present = new Set(rows.map((row) => text(row, 'name')));
  const missing = REQUIRED_TABLES.filter((table) => !present.has(table));
  if (missing.length > 0) {
    throw new ReportFailedError(
      `the marts are not built (missing ${missing.join(', ')}): run \`lasttouch build\` first`,
    );
  }
}

async function readClients(warehouse: Warehouse, selection: Selection): Promise<ClientRow[]> {
  const filter = selectionFilter(selection, 'c', false);
  const rows = await warehouse.all(
    `WITH last_build AS (SELECT max(finished_at) AS finished_at FROM meta.builds)
     -- The settings the figures follow: those of the last build (staging.stg_clients), else the current ones.
     SELECT
         c.client_id,
         coalesce(s.view_only, c.view_only) AS view_only,
         coalesce(s.model, c.model) AS model,
         coalesce(s.timezone, c.timezone) AS timezone,
         coalesce(s.source_timezone, c.source_timezone) AS source_timezone,
         upper(coalesce(s.currency, c.currency)) AS currency,
         coalesce(s.platform_priority, c.platform_priority) AS platform_priority,
         (SELECT count(*) FROM meta.uploads AS u
          WHERE u.client_id = c.client_id AND (b.finished_at IS NULL OR u.imported_at > b.finished_at))
             AS uploads_since_build,
         b.finished_at IS NOT NULL AND c.updated_at > b.finished_at AS settings_changed_since_build
     FROM meta.clients AS c
     CROSS JOIN last_build AS b
     LEFT JOIN staging.stg_clients AS s ON s.client_id = c.client_id
     ${filter.where}
     ORDER BY c.client_id`,
    filter.params,
  );
  return rows.map((row) => ({
    clientId: text(row, 'client_id'),
    viewOnly: text(row, 'view_only'),
    model: text(row, 'model'),
    timezone: text(row, 'timezone'),
    sourceTimezone: text(row, 'source_timezone'),
    currency: text(row, 'currency'),
    platformPriority: Array.isArray(row.platform_priority) ? row.platform_priority.map(String) : [],
    uploadsSinceBuild: count(row, 'uploads_since_build'),
    settingsChangedSinceBuild: row.settings_changed_since_build === true,
  }));
}

async function readBuild(warehouse: Warehouse): Promise<BuildRow | null> {
  const row = await executeOne(warehouse, meta.selectFrom('builds').select(['build_id', 'finished_at']).orderBy('build_id', 'desc').limit(1));
  return row ? { buildId: row.build_id, finishedAt: row.finished_at } : null;
}

async function readRevenue(warehouse: Warehouse, selection: Selection): Promise<RevenueRow[]> {
  const filter = selectionFilter(selection, 'r', true);
  // One row per platform and channel, plus (grouping sets) each channel over its platforms, each platform
  // over its channels, and the month's total per currency. Sends and clicks total only the sources that
  // track them; any_tracked/all_tracked say which.
  const rows = await warehouse.all(
    `SELECT
         r.client_id,
         strftime(r.month, '%Y-%m') AS month,
         r.currency,
         CASE grouping(r.platform, r.channel) WHEN 0 THEN 'line' WHEN 1 THEN 'platform' WHEN 2 THEN 'channel' ELSE 'total' END
             AS level,
         coalesce(any_value(p.label), any_value(r.platform)) AS platform_label,
         coalesce(any_value(ch.label), any_value(r.channel)) AS channel_label,
         min(ch.sort_order) AS channel_order,
         CAST(sum(r.platform_revenue) AS VARCHAR) AS platform_revenue,
         CAST(sum(r.last_touch_revenue) AS VARCHAR) AS last_touch_revenue,
         CAST(sum(r.double_attribution_removed) AS VARCHAR) AS double_attribution_removed,
         CAST(sum(r.view_only_excluded_revenue) AS VARCHAR) AS view_only_excluded,
         CAST(CAST(sum(r.double_attribution_removed) * 100 / nullif(sum(r.platform_revenue), 0) AS DECIMAL(18, 1)) AS VARCHAR)
             AS removed_percent,
         CAST(sum(r.platform_orders) AS BIGINT) AS claimed_orders,
         CAST(sum(r.last_touch_orders) AS BIGINT) AS last_touch_orders,
         bool_or(r.engagement_tracked) AS any_tracked,
         bool_and(r.engagement_tracked) AS all_tracked,
         CAST(coalesce(sum(r.sends) FILTER (WHERE r.engagement_tracked), 0) AS BIGINT) AS sends,
         CAST(coalesce(sum(r.clicks) FILTER (WHERE r.engagement_tracked), 0) AS BIGINT) AS clicks
     FROM marts.revenue_summary AS r
     LEFT JOIN seeds.channels AS ch ON ch.channel = r.channel
     LEFT JOIN seeds.platforms AS p ON p.platform = r.platform
     ${filter.where}
     GROUP BY GROUPING SETS (
         (r.client_id, r.month, r.currency, r.platform, r.channel),
         (r.client_id, r.month, r.currency, r.channel),
         (r.client_id, r.month, r.currency, r.platform),
         (r.client_id, r.month, r.currency))
     ORDER BY r.client_id, r.month DESC, r.currency, grouping(r.platform, r.channel), channel_order NULLS LAST, channel_label, platform_label`,
    filter.params,
  );
  return rows.map((row) => ({
    clientId: text(row, 'client_id'),
    month: text(row, 'month'),
    currency: text(row, 'currency'),
    level: text(row, 'level') as RevenueRow['level'],
    isTotal: row.level === 'total',
    removedPercent: optionalText(row, 'removed_percent'),
    platformLabel: text(row, 'platform_label'),
    channelLabel: text(row, 'channel_label'),
    platformRevenue: text(row, 'platform_revenue'),
    lastTouchRevenue: text(row, 'last_touch_revenue'),
    doubleAttributionRemoved: text(row, 'double_attribution_removed'),
    viewOnlyExcluded: text(row, 'view_only_excluded'),
    claimedOrders: count(row, 'claimed_orders'),
    lastTouchOrders: count(row, 'last_touch_orders'),
    anyTracked: row.any_tracked === true,
    allTracked: row.all_tracked === true,
    sends: count(row, 'sends'),
    clicks: count(row, 'clicks'),
  }));
}

async function readStore(warehouse: Warehouse, selection: Selection): Promise<StoreRow[]> {
  const filter = selectionFilter(selection, 's', true);
  const rows = await warehouse.all(
    `SELECT
         s.client_id,
         strftime(s.month, '%Y-%m') AS month,
         s.currency,
         s.store_orders,
         CAST(s.store_revenue AS VARCHAR) AS store_revenue,
         CAST(s.refunded_revenue AS VARCHAR) AS refunded_revenue,
         CAST(s.attributed_revenue AS VARCHAR) AS attributed_revenue,
         CAST(s.attributed_store_revenue AS VARCHAR) AS attributed_store_revenue,
         CAST(s.attributed_outside_store_revenue AS VARCHAR) AS attributed_outside_store_revenue,
         CAST(CAST(s.attributed_share * 100 AS DECIMAL(18, 1)) AS VARCHAR) AS attributed_percent
     FROM marts.store_summary AS s
     ${filter.where}
     ORDER BY s.client_id, s.month DESC, s.currency`,
    filter.params,
  );
  return rows.map((row) => ({
    clientId: text(row, 'client_id'),
    month: text(row, 'month'),
    currency: text(row, 'currency'),
    storeOrders: row.store_orders === null ? null : count(row, 'store_orders'),
    storeRevenue: optionalText(row, 'store_revenue'),
    refundedRevenue: optionalText(row, 'refunded_revenue'),
    attributedRevenue: text(row, 'attributed_revenue'),
    attributedStoreRevenue: text(row, 'attributed_store_revenue'),
    attributedOutsideStoreRevenue: text(row, 'attributed_outside_store_revenue'),
    attributedPercent: optionalText(row, 'attributed_percent'),
  }));
}

/** The findings of the selection: with --month, that month's and those not about one month. */
async function readQuality(warehouse: Warehouse, selection: Selection): Promise<QualityRow[]> {
  const filter = selectionFilter(selection, 'q', false);
  const params = [...filter.params];
  const conditions = filter.where === '' ? [] : [filter.where.replace(/^WHERE /, '')];
  if (selection.month !== undefined) {
    params.push(selection.month);
    conditions.push(`(q.month IS NULL OR strftime(q.month, '%Y-%m') = $${params.length})`);
  }
  const rows = await warehouse.all(
    `SELECT q.client_id, strftime(q.month, '%Y-%m') AS month, q.check_name, q.severity, q.affected_rows, q.detail
     FROM marts.data_quality AS q
     ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
     ORDER BY q.client_id, q.month DESC NULLS FIRST, CASE q.severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END, q.check_name, q.detail`,
    params,
  );
  return rows.map((row) => ({
    clientId: text(row, 'client_id'),
    month: optionalText(row, 'month'),
    checkName: text(row, 'check_name'),
    severity: text(row, 'severity'),
    affectedRows: count(row, 'affected_rows'),
    detail: optionalText(row, 'detail') ?? '',
  }));
}

async function readMonths(warehouse: Warehouse, selection: Selection): Promise<{ clientId: string; month: string }[]> {
  const filter = selectionFilter(selection, 'm', false);
  const rows = await warehouse.all(
    `SELECT DISTINCT m.client_id, strftime(m.month, '%Y-%m') AS month
     FROM (
         SELECT client_id, month FROM marts.revenue_summary
         UNION
         SELECT client_id, month FROM marts.store_summary
     ) AS m
     ${filter.where}
     ORDER BY m.client_id, month DESC`,
    filter.params,
  );
  return rows.map((row) => ({ clientId: text(row, 'client_id'), month: text(row, 'month') }));
}

/** Everything the selected pages show, read in one read-only session. */
export async function readMarts(warehouse: Warehouse, selection: Selection): Promise<MartData> {
  await assertMartsBuilt(warehouse);
  return {
    clients: await readClients(warehouse, selection),
    build: await readBuild(warehouse),
    revenue: await readRevenue(warehouse, selection),
    store: await readStore(warehouse, selection),
    quality: await readQuality(warehouse, selection),
    months: await readMonths(warehouse, { clientId: selection.clientId }),
  };
}
