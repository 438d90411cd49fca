// What an upload holds, as `import` prints it: rows, orders, revenue per currency, coverage window, and
// the rows of older uploads it supersedes. The window and the supersession are the models' own rules
// (dedup.dedup_upload_windows, dedup.dedup_superseded_rows), evaluated on the uploads as they are now
// (src/models/preview.ts), so the summary says what the next build will do. Each question is asked of
// the rows it depends on alone: the window of the upload's own rows; what it supersedes of the rows of
// its platform's uploads dated around that window.
import type { Project } from '../models/compile.js';
import { previewModels } from '../models/preview.js';
import type { Warehouse } from '../warehouse/db.js';
import type { Platform } from './format.js';
import { CLAIM_ROWS, claimColumns } from './claim-shape.js';
import { formatOf, ORDERS_FORMAT } from './registry.js';
import { hasOrderRows } from './declaration.js';

export interface ImportSummary {
  status: 'imported' | 'already-imported';
  uploadId: number;
  clientId: string;
  platform: Platform;
  fileName: string;
  rows: number;
  orders: number;
  revenue: { currency: string; amount: string }[];
  window: { from: string | null; to: string | null; explicit: boolean };
  /** Rows of the upload dated outside the window given with --from/--to. */
  rowsOutsideWindow: number;
  /** Rows of older uploads on dates this window covers; withdrawn: those whose order this file no longer lists. */
  supersedes: { uploadId: number; claims: number; withdrawn: number }[];
  /** When the upload was removed (`lasttouch upload remove`), and is not restored. */
  removedAt: string | null;
  /** What the import did to the client's settings, in words. */
  notices: string[];
  warnings: string[];
}

/**
 * Rows of a platform whose time as written lies within two days of a window: every row whose date in any
 * time zone can fall in it (offsets are under a day each way). The source is the relation the models read
 * the platform's rows from: raw.claim_rows for claims (its dating column under the claim shape's name),
 * else the format's raw table.
 */
function around(platform: Platform, window: { from: string; to: string }): { source: string; near: string } {
  const format = formatOf(platform);
  const [source, dateColumn] =
    format.kind === 'claims'
      ? [CLAIM_ROWS, [...claimColumns(format)].find(([, raw]) => raw === format.dateColumn)?.[0] ?? format.dateColumn]
      : [`raw.${format.rawTable}`, format.dateColumn];
  return {
    source,
    near: `(${dateColumn}).wall BETWEEN DATE '${window.from}' - INTERVAL 2 DAY AND DATE '${window.to}' + INTERVAL 3 DAY`,
  };
}

/**
 * What an upload holds, as `import` prints it. Without the rules (rules: false), only what the upload
 * records: its rows, orders, revenue and the window given at import.
 */
export async function describeUpload(
  warehouse: Warehouse,
  project: Project,
  uploadId: number,
  options: { rules?: boolean } = {},
): Promise<ImportSummary> {
  const upload = await warehouse.one(
    `SELECT u.*, c.currency AS client_currency,
            (SELECT strftime(max(r.removed_at) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC') FROM meta.upload_removals AS r
             WHERE r.upload_id = u.upload_id AND r.restored_at IS NULL) AS removed_at
     FROM meta.uploads u JOIN meta.clients c USING (client_id)
     WHERE upload_id = $1`,
    [uploadId],
  );
  if (!upload) throw new Error(`upload ${uploadId} does not exist`);
  const clientId = String(upload.client_id);
  const platform = upload.platform as Platform;
  const format = formatOf(platform);
  // Revenue as the upload reports it: of its order rows, for a format that writes an order's own fields
  // on its first row only; a row without a currency is in the client's.
  const revenueSql = `SELECT coalesce(currency, $2) AS currency, sum(${format.revenueColumn})::VARCHAR AS amount
     FROM raw.${format.rawTable} WHERE upload_id = $1${hasOrderRows(format) ? ' AND is_order_row' : ''} GROUP BY ALL ORDER BY 1`;
  const revenue = await warehouse.all(revenueSql, [uploadId, String(upload.client_currency)]);

  const given = {
    from: (upload.window_from as string | null) === null ? null : String(upload.window_from),
    to: (upload.window_to as string | null) === null ? null : String(upload.window_to),
  };
  let windowRow: Record<string, unknown> | undefined = { window_from: given.from, window_to: given.to, outside: 0 };
  if (options.rules ?? true) {
    // The upload's window, from its own rows, and its rows outside it. The dated rows are asked for here
    // too (a target beside the window), so that the preview computes them once, as a table: the query
    // below reads them twice, and the window reads them.
    const own = await previewModels(warehouse, project, ['dedup.dedup_upload_windows', 'staging.stg_dated_rows'], {
      clients: [clientId],
      uploads: [uploadId],
      name: 'upload',
    });
    windowRow = await warehouse.one(
      `SELECT w.window_from::VARCHAR AS window_from, w.window_to::VARCHAR AS window_to,
              (SELECT count(*) FROM ${own.relation('staging.stg_dated_rows')} AS d
               WHERE d.order_date NOT BETWEEN w.window_from AND w.window_to) AS outside
       FROM ${own.relation('dedup.dedup_upload_windows')} AS w`,
    );
  }
  const from = (windowRow?.window_from as string | null | undefined) ?? null;
  const to = (windowRow?.window_to as string | null | undefined) ?? null;

  // The older rows this upload is authoritative for, and how many of them name an order (by id or name)
  // that this upload does not list: the platform withdrew those.
  let supersedes: Record<string, unknown>[] = [];
  if ((options.rules ?? true) && from !== null && to !== null) {
    const platformUploads = await warehouse.all('SELECT upload_id FROM meta.uploads WHERE client_id = $1 AND platform = $2', [
      clientId,
      platform,
    ]);
    const uploads = platformUploads.map((row) => Number(row.upload_id));
    const { source, near } = around(platform, { from, to });
    // Only a row of an older upload (a smaller id) of the platform, dated around the window, can be
    // superseded by this one: when there is none, it supersedes nothing, and the models need not say so.
    const older = uploads.filter((id) => id < uploadId);
    const olderNearby =
      older.length > 0 &&
      (await warehouse.one(`SELECT 1 AS found FROM ${source} WHERE upload_id IN (${older.join(', ')}) AND (${near}) LIMIT 1`)) !== undefined;
    if (olderNearby) {
      const nearby = await previewModels(warehouse, project, ['dedup.dedup_superseded_rows'], {
        clients: [clientId],
        uploads,
        where: { [source]: near },
        name: 'supersedes',
      });
      const dated = nearby.relation('staging.stg_dated_rows');
      supersedes = await warehouse.all(
        `WITH listed_ids AS (SELECT DISTINCT order_id FROM ${dated} WHERE upload_id = $1 AND order_id IS NOT NULL),
              listed_names AS (SELECT DISTINCT order_name_key FROM ${dated} WHERE upload_id = $1 AND order_name_key IS NOT NULL)
         SELECT s.upload_id, count(*) AS claims,
                count(*) FILTER (WHERE NOT (coalesce(s.order_id IN (SELECT order_id FROM listed_ids), false)
                                         OR coalesce(s.order_name_key IN (SELECT order_name_key FROM listed_names), false))) AS withdrawn
         FROM ${nearby.relation('dedup.dedup_superseded_rows')} AS s
         WHERE s.superseded_by = $1
         GROUP BY s.upload_id ORDER BY s.upload_id`,
        [uploadId],
      );
    }
  }
  return {
    status: 'imported',
    uploadId,
    clientId,
    platform,
    fileName: String(upload.file_name),
    rows: Number(upload.row_count),
    orders: Number(upload.order_count),
    revenue: revenue.map((row) => ({ currency: String(row.currency), amount: String(row.amount) })),
    window: { from, to, explicit: Boolean(upload.window_explicit) },
    rowsOutsideWindow: Number(windowRow?.outside ?? 0),
    supersedes: supersedes.map((row) => ({
      uploadId: Number(row.upload_id),
      claims: Number(row.claims),
      withdrawn: Number(row.withdrawn),
    })),
    removedAt: (upload.removed_at as string | null) ?? null,
    notices: [],
    warnings: [],
  };
}

/**
 * Of a claim upload's claims dated on days the client's Shopify uploads cover, how many the order-key
 * rule (dedup.dedup_claim_rows) matches to no Shopify order: most of them unmatched suggests another
 * client's export. Asked of the upload's claims and the Shopify orders dated around its window.
 */
export async function unmatchedClaims(
  warehouse: Warehouse,
  project: Project,
  summary: ImportSummary,
): Promise<{ covered: number; unmatched: number }> {
  const { from, to } = summary.window;
  if (from === null || to === null) return { covered: 0, unmatched: 0 };
  // The Shopify uploads that can hold orders of those days: a window given at import that meets them, or
  // one taken from the upload's own rows.
  const shopify = await warehouse.all(
    `SELECT upload_id FROM meta.uploads
     WHERE client_id = $1 AND platform = $4
       AND (NOT window_explicit OR (window_from <= $3::DATE + 2 AND window_to >= $2::DATE - 2))`,
    [summary.clientId, from, to, ORDERS_FORMAT.platform],
  );
  if (shopify.length === 0) return { covered: 0, unmatched: 0 };
  const orders = around(ORDERS_FORMAT.platform, { from, to });
  const preview = await previewModels(warehouse, project, ['dedup.dedup_claim_rows', 'dedup.dedup_upload_windows'], {
    clients: [summary.clientId],
    uploads: [summary.uploadId, ...shopify.map((row) => Number(row.upload_id))],
    where: { [orders.source]: orders.near },
    name: 'matches',
  });
  const row = await warehouse.one(
    `SELECT count(*) AS covered, count(*) FILTER (WHERE NOT c.shopify_matched) AS unmatched
     FROM ${preview.relation('dedup.dedup_claim_rows')} AS c
     WHERE c.upload_id = $1
       AND EXISTS (
         SELECT 1 FROM ${preview.relation('dedup.dedup_upload_windows')} AS w
         WHERE w.platform = $2 AND c.order_date BETWEEN w.window_from AND w.window_to
       )`,
    [summary.uploadId, ORDERS_FORMAT.platform],
  );
  return { covered: Number(row?.covered ?? 0), unmatched: Number(row?.unmatched ?? 0) };
}
