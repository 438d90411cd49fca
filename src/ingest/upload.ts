// One export file becomes one upload: every row is read and checked, and the rows, the upload record and
// any client setting it carries land in one transaction, or nothing does.
import { basename } from 'node:path';
import { listValue, type DuckDBAppender } from '@duckdb/node-api';
import { UsageError } from '../errors.js';
import { defaultSettings, ensureClient, getClient, type ClientSettings } from '../warehouse/clients.js';
import type { Warehouse } from '../warehouse/db.js';
import { readColumnMapping } from './column-mapping.js';
import {
  describeColumn,
  ImportRefusedError,
  InputError,
  matchHeaders,
  MAX_REPORTED_PROBLEMS,
  refuse,
  RowReader,
  type FormatDefinition,
  type Platform,
  type RawRecord,
} from './format.js';
import { FORMATS, otherFormatHint } from './registry.js';
import { BULK_MEMORY_LIMIT, BulkLoadDeclined, bulkLoad, CHECKPOINT_MEMORY_LIMIT } from './bulk.js';
import { inspectFile, readRecords, type FileFacts } from './source-file.js';
import { describeUpload, type ImportSummary } from './summary.js';
import { parseDate } from './values.js';

export interface ImportRequest {
  platform: Platform;
  file: string;
  clientId: string;
  excludeViewOnly?: boolean;
  from?: string;
  to?: string;
  columnsFile?: string;
  onProgress?: (rowsRead: number) => void;
  /**
   * How the rows are read: by the bulk loader where it can ('auto', the default), always cell by cell
   * ('cells'), or by the bulk loader only ('bulk': a file it declines fails). The last two are for tests.
   */
  reader?: 'auto' | 'cells' | 'bulk';
}

function checkWindow(request: ImportRequest): { from: string | null; to: string | null } {
  if ((request.from === undefined) !== (request.to === undefined)) {
    throw new UsageError('--from and --to go together: give both dates of the coverage window, or neither');
  }
  if (request.from === undefined || request.to === undefined) return { from: null, to: null };
  for (const [flag, value] of [['--from', request.from], ['--to', request.to]] as const) {
    const parsed = parseDate(value);
    if (!parsed.ok) throw new UsageError(`${flag} "${value}" ${parsed.problem}`);
  }
  if (request.from > request.to) throw new UsageError(`--from ${request.from} is after --to ${request.to}`);
  return { from: request.from, to: request.to };
}

/** Keys of source_record: the headers as written, made unique so no cell is lost to a repeated header. */
function sourceRecordKeys(headers: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return headers.map((header, index) => {
    const name = header.replace(/^\uFEFF/, '').trim() || `column_${index + 1}`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

async function rawColumns(warehouse: Warehouse, table: string): Promise<string[]> {
  const rows = await warehouse.all(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((row) => String(row.column_name));
}

function appendRecord(appender: DuckDBAppender, columns: readonly string[], record: RawRecord): void {
  columns.forEach((column, index) => {
    const value = record[column];
    if (value === null || value === undefined) appender.appendNull();
    else appender.appendValue(value, appender.columnType(index));
  });
  appender.endRow();
}

/** Problems of a file, in file order: the first MAX_REPORTED_PROBLEMS kept, all counted. */
class ProblemLog {
  readonly kept: InputError[] = [];
  total = 0;

  add(problems: readonly InputError[]): void {
    this.total += problems.length;
    this.kept.push(...problems.slice(0, Math.max(MAX_REPORTED_PROBLEMS - this.kept.length, 0)));
  }
}

function missingColumnsError(
  fileName: string,
  line: number,
  headers: readonly string[],
  missing: readonly string[],
  format: FormatDefinition,
  mapping: Readonly<Record<string, string>>,
): InputError {
  const found = headers.map((header) => `"${header.replace(/^\uFEFF/, '').trim()}"`).join(', ');
  return new InputError(
    fileName,
    line,
    missing.map((canonical) => describeColumn(format, canonical, mapping)).join('; '),
    null,
    `${missing.length === 1 ? 'this required column is' : 'these required columns are'} missing from the header of a ${format.label}. Headers found: ${found}.${otherFormatHint(headers, format)}`,
  );
}

interface WriteContext {
  request: ImportRequest;
  format: FormatDefinition;
  header: FileHeader;
  sourceTimezone: string;
  uploadId: number;
  columns: readonly string[];
}

/**
 * Reads the file cell by cell into the raw table: the way for a file the bulk loader declines. Every row is
 * checked; once a problem is found nothing more is appended, and the problems are thrown together at the
 * end (the caller's transaction then rolls the appended rows back).
 */
async function writeRows(warehouse: Warehouse, context: WriteContext): Promise<{ rows: number; orders: number }> {
  const { request, format, header, uploadId, columns } = context;
  const fileName = basename(request.file);
  const appender = await warehouse.connection.createAppender(format.rawTable, 'raw');
  const problems = new ProblemLog();
  const ordersSeen = new Set<string>();
  const reader = new RowReader({ file: fileName, sourceTimezone: context.sourceTimezone }, header.columns);
  let rows = 0;
  let first = true;
  try {
    for await (const { cells, line } of readRecords(request.file)) {
      if (first) {
        first = false;
        continue;
      }
      rows += 1;
      if (cells.length > header.cells.length) {
        const extra = cells.slice(header.cells.length).join(',');
        problems.add([
          new InputError(fileName, line, null, extra, `the row has ${cells.length} fields but the header has ${header.cells.length}`),
        ]);
        continue;
      }
      reader.reset(cells, line);
      const record = format.readRow(reader, ordersSeen);
      if (record === null) {
        problems.add(reader.problems);
        continue;
      }
      const order = format.orderOf(record);
      if (order !== null) ordersSeen.add(order);
      if (problems.total > 0) continue;
      const kept = header.keptIndexes.map((index) => cells[index] || null);
      appendRecord(appender, columns, { ...record, upload_id: uploadId, line, source_cells: listValue(kept) });
      if (request.onProgress && rows % 50_000 === 0) request.onProgress(rows);
    }
    if (problems.total > 0) throw new ImportRefusedError(problems.kept, problems.total);
    if (rows === 0) refuse(new InputError(fileName, 1, null, null, 'the file has a header but no rows'));
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  return { rows, orders: ordersSeen.size };
}

/** The header of a file, matched to a format's columns; the file is refused when a required one is missing. */
interface FileHeader {
  cells: string[];
  columns: Map<string, { index: number; header: string }>;
  /** Indexes of the columns no raw column reads: their cells are kept as source_cells. */
  keptIndexes: number[];
  /** Their names, unique, in that order (meta.uploads.source_headers). */
  keptNames: string[];
}

async function readHeader(
  file: string,
  format: FormatDefinition,
  mapping: Readonly<Record<string, string>>,
): Promise<FileHeader> {
  const fileName = basename(file);
  for await (const { cells, line } of readRecords(file)) {
    const match = matchHeaders(cells, format, mapping);
    if (match.missing.length > 0) refuse(missingColumnsError(fileName, line, cells, match.missing, format, mapping));
    const read = new Set([...match.columns.values()].map((column) => column.index));
    const names = sourceRecordKeys(cells);
    const keptIndexes = cells.map((_, index) => index).filter((index) => !read.has(index));
    return { cells, columns: match.columns, keptIndexes, keptNames: keptIndexes.map((index) => names[index] ?? '') };
  }
  return refuse(new InputError(fileName, 1, null, null, 'the file is empty'));
}

interface LoadContext {
  request: ImportRequest;
  format: FormatDefinition;
  header: FileHeader;
  facts: FileFacts;
  mapping: Readonly<Record<string, string>>;
  window: { from: string | null; to: string | null };
  client: ClientSettings;
}

/**
 * One attempt at the upload in one transaction: the rows (by the bulk loader, or cell by cell), then the
 * upload record and its summary.
 */
async function loadUpload(warehouse: Warehouse, context: LoadContext, bulk: boolean): Promise<ImportSummary> {
  const { request, format, header, facts, mapping, window, client } = context;
  const fileName = basename(request.file);
  return warehouse.transaction(async () => {
    await ensureClient(warehouse, request.clientId, request.excludeViewOnly ? { view_only: 'exclude' } : {});
    const idRow = await warehouse.one(`SELECT nextval('meta.upload_id_seq') AS id`);
    const uploadId = Number(idRow?.id);
    const { rows, orders } = bulk
      ? await bulkLoad(warehouse, {
          file: request.file,
          format,
          headers: header.cells,
          columns: header.columns,
          keptIndexes: header.keptIndexes,
          layout: facts.layout,
          uploadId,
          sourceTimezone: client.source_timezone,
          ...(request.onProgress ? { onProgress: request.onProgress } : {}),
        })
      : await writeRows(warehouse, {
          request,
          format,
          header,
          sourceTimezone: client.source_timezone,
          uploadId,
          columns: await rawColumns(warehouse, format.rawTable),
        });

    const dateColumn = format.platform === 'shopify' ? 'created_at' : 'order_created_at';
    // The order dates of the upload's rows in the client's time zone, in one scan: their first and last
    // (the coverage window without --from/--to) and how many fall outside --from/--to when given.
    const computed = await warehouse.one(
      `SELECT min(order_date)::VARCHAR AS first_day, max(order_date)::VARCHAR AS last_day,
              count(*) FILTER (WHERE order_date NOT BETWEEN $3::DATE AND $4::DATE) AS outside
       FROM (SELECT timezone($2, ${dateColumn})::DATE AS order_date FROM raw.${format.rawTable} WHERE upload_id = $1)`,
      [uploadId, client.timezone, window.from, window.to],
    );
    const explicit = window.from !== null;
    await warehouse.run(
      `INSERT INTO meta.uploads (upload_id, client_id, platform, file_name, file_sha256, row_count, order_count,
         window_from, window_to, window_explicit, source_headers, options)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::DATE, $9::DATE, $10, CAST($11::JSON AS VARCHAR[]), $12)`,
      [
        uploadId,
        request.clientId,
        request.platform,
        fileName,
        facts.sha256,
        rows,
        orders,
        window.from ?? (computed?.first_day as string | null) ?? null,
        window.to ?? (computed?.last_day as string | null) ?? null,
        explicit,
        JSON.stringify(header.keptNames),
        JSON.stringify({
          exclude_view_only: request.excludeViewOnly ?? false,
          columns: mapping,
          source_timezone: client.source_timezone,
          client_timezone: client.timezone,
          bytes: facts.bytes,
          reader: bulk ? 'bulk' : 'cells',
        }),
      ],
    );
    const summary = await describeUpload(warehouse, uploadId);
    if (explicit) {
      const count = Number(computed?.outside ?? 0);
      if (count > 0) {
        summary.warnings.push(
          `${count} row${count === 1 ? ' falls' : 's fall'} outside the coverage window ${window.from} .. ${window.to} given with --from/--to`,
        );
      }
    }
    return { ...summary, status: 'imported' };
  });
}

/**
 * Writes the appended rows into the database file now, under a tight memory limit: DuckDB rewrites them
 * at its checkpoint, and left to the close of the warehouse that takes its default limit (a 1M-order
 * Shopify month: 590 MB peak instead of 380 MB, in the same time). The rows are committed already; a
 * checkpoint that fails here is left for the close.
 */
async function checkpoint(warehouse: Warehouse): Promise<void> {
  try {
    await warehouse.run(`SET memory_limit = '${CHECKPOINT_MEMORY_LIMIT}'`);
    await warehouse.run('CHECKPOINT');
  } catch {
    // committed; DuckDB checkpoints again when the warehouse closes
  }
}

export async function importFile(warehouse: Warehouse, request: ImportRequest): Promise<ImportSummary> {
  const format = FORMATS[request.platform];
  const fileName = basename(request.file);
  const window = checkWindow(request);
  const mapping = request.columnsFile ? readColumnMapping(request.columnsFile, format) : {};
  const facts = await inspectFile(request.file);

  const existing = await warehouse.one(
    'SELECT upload_id FROM meta.uploads WHERE client_id = $1 AND platform = $2 AND file_sha256 = $3',
    [request.clientId, request.platform, facts.sha256],
  );
  if (existing) {
    const summary = await describeUpload(warehouse, Number(existing.upload_id));
    return { ...summary, status: 'already-imported', fileName };
  }

  const header = await readHeader(request.file, format, mapping);
  const client = (await getClient(warehouse, request.clientId)) ?? defaultSettings(request.clientId);
  const context: LoadContext = { request, format, header, facts, mapping, window, client };
  if (request.reader !== 'cells') {
    await warehouse.run(`SET memory_limit = '${BULK_MEMORY_LIMIT}'`);
    try {
      const summary = await loadUpload(warehouse, context, true);
      await checkpoint(warehouse);
      return summary;
    } catch (error) {
      if (!(error instanceof BulkLoadDeclined) || request.reader === 'bulk') throw error;
    } finally {
      await warehouse.run('RESET memory_limit');
    }
  }
  return loadUpload(warehouse, context, false);
}
