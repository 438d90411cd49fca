// What an upload holds, as `import` prints it: rows, orders, revenue per currency, coverage window, and
// the rows of older uploads its window supersedes.
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
  warnings: string[];
}

/** What an upload holds, as `import` prints it. */
export async function describeUpload(warehouse: Warehouse, uploadId: number): Promise<ImportSummary> {
  const upload = await warehouse.one(
    `SELECT u.*, u.window_from::VARCHAR AS window_from_text, u.window_to::VARCHAR AS window_to_text, c.currency AS client_currency, c.timezone AS client_timezone
     FROM meta.uploads u JOIN meta.clients c USING (client_id) WHERE upload_id = $1`,
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
  const dateSql = platform === 'shopify' ? 'created_at' : 'order_created_at';
  // Rows of older uploads of the same client and platform on dates this upload's window covers, and how
  // many of them name an order (by id or name) this upload does not list: the platform withdrew those.
  const supersedes = await warehouse.all(
    `WITH listed AS (
       SELECT order_id AS order_ref FROM raw.${format.rawTable} WHERE upload_id = $3 AND order_id IS NOT NULL
       UNION
       SELECT order_name FROM raw.${format.rawTable} WHERE upload_id = $3 AND order_name IS NOT NULL
     )
     SELECT r.upload_id, count(*) AS claims,
            count(*) FILTER (WHERE NOT (coalesce(r.order_id IN (SELECT order_ref FROM listed), false)
                                     OR coalesce(r.order_name IN (SELECT order_ref FROM listed), false))) AS withdrawn
     FROM raw.${format.rawTable} r JOIN meta.uploads older ON older.upload_id = r.upload_id
     WHERE older.client_id = $1 AND older.platform = $2 AND older.upload_id < $3
       AND timezone($4, r.${dateSql})::DATE BETWEEN $5::DATE AND $6::DATE
       -- The same dates in UTC with two days to spare, which DuckDB can check against each row group's
       -- min/max and skip most of the older rows without converting their times.
       AND r.${dateSql} BETWEEN $5::DATE::TIMESTAMPTZ - INTERVAL 2 DAY AND $6::DATE::TIMESTAMPTZ + INTERVAL 3 DAY
       ${platform === 'shopify' ? 'AND r.is_order_row' : ''}
     GROUP BY r.upload_id ORDER BY r.upload_id`,
    [String(upload.client_id), platform, uploadId, String(upload.client_timezone), String(upload.window_from_text), String(upload.window_to_text)],
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
    warnings: [],
  };
}
