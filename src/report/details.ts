// The figures below a month's revenue summary (daily revenue, top messages, touch types) and the
// coverage page's uploads and gaps. Each query is a file under reports/queries/, beside the templates
// that show it, so an analyst reads and changes the SQL a page runs without touching the renderer.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import type { Row, Warehouse } from '../warehouse/db.js';
import { ReportFailedError } from '../errors.js';

export interface DailyRow { clientId: string; month: string; day: string; currency: string; channel: string; lastTouchRevenue: string }
export interface MessageRow {
  clientId: string; month: string; currency: string; rank: number; platform: string; channel: string;
  messageId: string | null; messageName: string | null;
  platformRevenue: string; platformOrders: number; lastTouchRevenue: string; lastTouchOrders: number;
}
export interface TouchTypeRow {
  clientId: string; month: string; currency: string; touchType: string;
  lastTouchRevenue: string; lastTouchOrders: number; platformRevenue: string;
}
export interface UploadRow {
  clientId: string; uploadId: number; platform: string; platformLabel: string; fileName: string; rows: number;
  importedAt: string; windowFrom: string | null; windowTo: string | null; windowExplicit: boolean;
  afterBuild: boolean; removed: boolean;
}
export interface GapRow { clientId: string; platform: string; platformLabel: string; gapFrom: string; gapTo: string; days: number; inferredEdge: boolean }

export interface DetailData {
  daily: DailyRow[];
  messages: MessageRow[];
  touchTypes: TouchTypeRow[];
  uploads: UploadRow[];
  gaps: GapRow[];
}

const str = (row: Row, key: string): string => String(row[key] ?? '');
const maybe = (row: Row, key: string): string | null => (row[key] === null || row[key] === undefined ? null : String(row[key]));
const num = (row: Row, key: string): number => Number(row[key] ?? 0);

async function run(warehouse: Warehouse, reportsDir: string, name: string, params: DuckDBValue[]): Promise<Row[]> {
  const path = join(reportsDir, 'queries', `${name}.sql`);
  if (!existsSync(path)) throw new ReportFailedError(`report query missing: ${path}`);
  try {
    return await warehouse.all(readFileSync(path, 'utf8'), params);
  } catch (error) {
    throw new ReportFailedError(`report query ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Reads the details of the selected client (all when undefined) and month (all when undefined). */
export async function readDetails(
  warehouse: Warehouse,
  reportsDir: string,
  selection: { clientId?: string; month?: string },
): Promise<DetailData> {
  const client = selection.clientId ?? null;
  const month = selection.month ?? null;
  const daily = await run(warehouse, reportsDir, 'daily-by-channel', [client, month]);
  const messages = await run(warehouse, reportsDir, 'top-messages', [client, month]);
  const touchTypes = await run(warehouse, reportsDir, 'touch-types', [client, month]);
  const uploads = await run(warehouse, reportsDir, 'uploads', [client]);
  const gaps = await run(warehouse, reportsDir, 'coverage-gaps', [client]);
  return {
    daily: daily.map((row) => ({
      clientId: str(row, 'client_id'), month: str(row, 'month'), day: str(row, 'day'), currency: str(row, 'currency'),
      channel: str(row, 'channel_label'), lastTouchRevenue: str(row, 'last_touch_revenue'),
    })),
    messages: messages.map((row) => ({
      clientId: str(row, 'client_id'), month: str(row, 'month'), currency: str(row, 'currency'), rank: num(row, 'rank'),
      platform: str(row, 'platform_label'), channel: str(row, 'channel_label'),
      messageId: maybe(row, 'message_id'), messageName: maybe(row, 'message_name'),
      platformRevenue: str(row, 'platform_revenue'), platformOrders: num(row, 'platform_orders'),
      lastTouchRevenue: str(row, 'last_touch_revenue'), lastTouchOrders: num(row, 'last_touch_orders'),
    })),
    touchTypes: touchTypes.map((row) => ({
      clientId: str(row, 'client_id'), month: str(row, 'month'), currency: str(row, 'currency'), touchType: str(row, 'touch_type'),
      lastTouchRevenue: str(row, 'last_touch_revenue'), lastTouchOrders: num(row, 'last_touch_orders'),
      platformRevenue: str(row, 'platform_revenue'),
    })),
    uploads: uploads.map((row) => ({
      clientId: str(row, 'client_id'), uploadId: num(row, 'upload_id'), platform: str(row, 'platform'),
      platformLabel: str(row, 'platform_label'), fileName: str(row, 'file_name'), rows: num(row, 'row_count'),
      importedAt: str(row, 'imported_at'), windowFrom: maybe(row, 'window_from'), windowTo: maybe(row, 'window_to'),
      windowExplicit: row.window_explicit === true, afterBuild: row.after_build === true, removed: row.removed === true,
    })),
    gaps: gaps.map((row) => ({
      clientId: str(row, 'client_id'), platform: str(row, 'platform'), platformLabel: str(row, 'platform_label'),
      gapFrom: str(row, 'gap_from'), gapTo: str(row, 'gap_to'), days: num(row, 'days'), inferredEdge: row.inferred_edge === true,
    })),
  };
}
