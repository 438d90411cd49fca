// The uploads of the warehouse and their state. A user who imported the wrong file removes it: from the
// next build on it counts as if it had never been imported (staging.stg_uploads leaves it out), its raw
// rows stay, and the removal is recorded with its time in meta.upload_removals; a restore brings it back.
import { NotFoundError, UsageError } from '../errors.js';
import type { Warehouse } from './db.js';

export interface UploadState {
  uploadId: number;
  clientId: string;
  platform: string;
  fileName: string;
  rows: number;
  orders: number;
  importedAt: string;
  /** The window given with --from/--to, if any. */
  givenWindow: { from: string; to: string } | null;
  /** Set while the upload is removed. */
  removedAt: string | null;
}

const STATE_SQL = `
  SELECT u.upload_id, u.client_id, u.platform, u.file_name, u.row_count, u.order_count,
         strftime(u.imported_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC') AS imported_at,
         u.window_from::VARCHAR AS given_from, u.window_to::VARCHAR AS given_to,
         (SELECT strftime(max(r.removed_at) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC') FROM meta.upload_removals AS r
          WHERE r.upload_id = u.upload_id AND r.restored_at IS NULL) AS removed_at
  FROM meta.uploads AS u`;

function toState(row: Record<string, unknown>): UploadState {
  return {
    uploadId: Number(row.upload_id),
    clientId: String(row.client_id),
    platform: String(row.platform),
    fileName: String(row.file_name),
    rows: Number(row.row_count),
    orders: Number(row.order_count),
    importedAt: String(row.imported_at),
    givenWindow: row.given_from === null ? null : { from: String(row.given_from), to: String(row.given_to) },
    removedAt: (row.removed_at as string | null) ?? null,
  };
}

export async function listUploads(warehouse: Warehouse, clientId?: string): Promise<UploadState[]> {
  const rows =
    clientId === undefined
      ? await warehouse.all(`${STATE_SQL} ORDER BY u.client_id, u.platform, u.upload_id`)
      : await warehouse.all(`${STATE_SQL} WHERE u.client_id = $1 ORDER BY u.platform, u.upload_id`, [clientId]);
  return rows.map(toState);
}

async function getUpload(warehouse: Warehouse, uploadId: number): Promise<UploadState> {
  const row = await warehouse.one(`${STATE_SQL} WHERE u.upload_id = $1`, [uploadId]);
  if (!row) throw new NotFoundError(`there is no upload ${uploadId}; \`lasttouch upload list\` lists them`);
  return toState(row);
}

export function parseUploadId(text: string): number {
  if (!/^[1-9]\d{0,9}$/.test(text.trim())) throw new UsageError(`"${text}" is not an upload id (a whole number, as \`lasttouch upload list\` shows)`);
  return Number(text.trim());
}

/**
 * Removes an upload from every later build (removed = true) or brings it back (false); changed is false
 * when it already was in that state.
 */
export async function setUploadRemoved(
  warehouse: Warehouse,
  uploadId: number,
  removed: boolean,
): Promise<{ upload: UploadState; changed: boolean }> {
  return warehouse.transaction(async () => {
    const upload = await getUpload(warehouse, uploadId);
    if ((upload.removedAt !== null) === removed) return { upload, changed: false };
    await warehouse.run(
      removed
        ? 'INSERT INTO meta.upload_removals (upload_id) VALUES ($1)'
        : 'UPDATE meta.upload_removals SET restored_at = now() WHERE upload_id = $1 AND restored_at IS NULL',
      [uploadId],
    );
    return { upload: await getUpload(warehouse, uploadId), changed: true };
  });
}
