// What an upload holds, as `import` prints it: rows, orders, revenue per currency, coverage window, and
// the rows of older uploads it supersedes. The window and the supersession are the models' own rules
// (dedup.dedup_upload_windows, dedup.dedup_superseded_rows), evaluated on the uploads as they are now
// (src/models/preview.ts), so the summary says what the next build will do.
import type { Project } from '../models/compile.js';
import { previewModels, type Preview } from '../models/preview.js';
import type { Warehouse } from '../warehouse/db.js';
import type { Platform } from './format.js';
import { FORMATS } from './registry.js';

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
  /** Rows of older uploads on dates this window covers; withdrawn: those whose order this file no longer lists. */
  supersedes: { uploadId: number; claims: number; withdrawn: number }[];
  /** When the upload was removed (`lasttouch upload remove`), and is not restored. */
  removedAt: string | null;
  /** What the import did to the client's settings, in words. */
  notices: string[];
  warnings: string[];
}

/** The models whose rules the summary of an upload reads. */
export const SUMMARY_MODELS = ['dedup.dedup_upload_windows', 'dedup.dedup_superseded_rows', 'dedup.dedup_claim_rows'];

/** The models an import's summary reads, evaluated for one client now. */
export function previewForClient(warehouse: Warehouse, project: Project, clientId: string): Promise<Preview> {
  return previewModels(warehouse, project, SUMMARY_MODELS, [clientId]);
}

/** What an upload holds, as `import` prints it. */
export async function describeUpload(warehouse: Warehouse, preview: Preview, uploadId: number): Promise<ImportSummary> {
  const upload = await warehouse.one(
    `SELECT u.*, c.currency AS client_currency, w.window_from::VARCHAR AS window_from_text, w.window_to::VARCHAR AS window_to_text,
            (SELECT strftime(max(r.removed_at) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC') FROM meta.upload_removals AS r
             WHERE r.upload_id = u.upload_id AND r.restored_at IS NULL) AS removed_at
     FROM meta.uploads u JOIN meta.clients c USING (client_id)
     LEFT JOIN ${preview.relation('dedup.dedup_upload_windows')} AS w USING (upload_id)
     WHERE upload_id = $1`,
    [uploadId],
  );
  if (!upload) throw new Error(`upload ${uploadId} does not exist`);
  const platform = upload.platform as Platform;
  const format = FORMATS[platform];
  const revenueSql =
    platform === 'shopify'
      ? `SELECT currency, sum(total)::VARCHAR AS amount FROM raw.shopify_order_lines WHERE upload_id = $1 AND is_order_row GROUP BY ALL ORDER BY 1`
      : `SELECT coalesce(currency, $2) AS currency, sum(revenue)::VARCHAR AS amount FROM raw.${format.rawTable} WHERE upload_id = $1 GROUP BY ALL ORDER BY 1`;
  const revenue = await warehouse.all(revenueSql, platform === 'shopify' ? [uploadId] : [uploadId, String(upload.client_currency)]);
  const dated = preview.relation('staging.stg_dated_rows');
  // The older rows this upload is now authoritative for, and how many of them name an order (by id or
  // name) that this upload does not list: the platform withdrew those.
  const supersedes = await warehouse.all(
    `WITH listed_ids AS (SELECT DISTINCT order_id FROM ${dated} WHERE upload_id = $1 AND order_id IS NOT NULL),
          listed_names AS (SELECT DISTINCT order_name_key FROM ${dated} WHERE upload_id = $1 AND order_name_key IS NOT NULL)
     SELECT s.upload_id, count(*) AS claims,
            count(*) FILTER (WHERE NOT (coalesce(s.order_id IN (SELECT order_id FROM listed_ids), false)
                                     OR coalesce(s.order_name_key IN (SELECT order_name_key FROM listed_names), false))) AS withdrawn
     FROM ${preview.relation('dedup.dedup_superseded_rows')} AS s
     WHERE s.superseded_by = $1
     GROUP BY s.upload_id ORDER BY s.upload_id`,
    [uploadId],
  );
  return {
    status: 'imported',
    uploadId,
    clientId: String(upload.client_id),
    platform,
    fileName: String(upload.file_name),
    rows: Number(upload.row_count),
    orders: Number(upload.order_count),
    revenue: revenue.map((row) => ({ currency: String(row.currency), amount: String(row.amount) })),
    window: {
      from: (upload.window_from_text as string | null) ?? null,
      to: (upload.window_to_text as string | null) ?? null,
      explicit: Boolean(upload.window_explicit),
    },
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

/** Rows of a new upload dated outside the window given with --from/--to. */
export async function rowsOutsideWindow(warehouse: Warehouse, preview: Preview, uploadId: number): Promise<number> {
  const row = await warehouse.one(
    `SELECT count(*) AS n FROM ${preview.relation('staging.stg_dated_rows')} AS d
     JOIN ${preview.relation('dedup.dedup_upload_windows')} AS w USING (upload_id)
     WHERE d.upload_id = $1 AND d.order_date NOT BETWEEN w.window_from AND w.window_to`,
    [uploadId],
  );
  return Number(row?.n ?? 0);
}

/**
 * Of a claim upload's claims dated on days the client's Shopify uploads cover, how many the order-key
 * rule matches to no Shopify order: most of them unmatched suggests another client's export.
 */
export async function unmatchedClaims(
  warehouse: Warehouse,
  preview: Preview,
  uploadId: number,
): Promise<{ covered: number; unmatched: number }> {
  const row = await warehouse.one(
    `SELECT count(*) AS covered, count(*) FILTER (WHERE NOT c.shopify_matched) AS unmatched
     FROM ${preview.relation('dedup.dedup_claim_rows')} AS c
     WHERE c.upload_id = $1
       AND EXISTS (
         SELECT 1 FROM ${preview.relation('dedup.dedup_upload_windows')} AS w
         WHERE w.platform = 'shopify' AND c.order_date BETWEEN w.window_from AND w.window_to
       )`,
    [uploadId],
  );
  return { covered: Number(row?.covered ?? 0), unmatched: Number(row?.unmatched ?? 0) };
}
