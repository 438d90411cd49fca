// One export file becomes one upload: every row is read and checked, and the rows, the upload record and
// any client setting it carries land in one transaction, or nothing does.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { DuckDBAppender } from '@duckdb/node-api';
import type { Warehouse } from '../warehouse/db.js';
import { defaultSettings, ensureClient, getClient } from '../warehouse/clients.js';
import {
  describeColumn,
  InputError,
  matchHeaders,
  RowReader,
  type FormatDefinition,
  type Platform,
  type RawRecord,
} from './format.js';
import { inspectFile, readRecords } from './source-file.js';
import { postscriptFormat } from './postscript.js';
import { klaviyoFormat } from './klaviyo.js';
import { shopifyFormat } from './shopify.js';
import { parseDate } from './values.js';

export const FORMATS: Readonly<Record<Platform, FormatDefinition>> = {
  postscript: postscriptFormat,
  klaviyo: klaviyoFormat,
  shopify: shopifyFormat,
};

const MAX_REPORTED_PROBLEMS = 20;

/** Options that contradict each other or name impossible values: exit code 2. */
export class UsageError extends Error {}

/** The file was refused: every problem found, in file order (the first MAX_REPORTED_PROBLEMS of them). */
export class ImportRefusedError extends Error {
  constructor(
    readonly problems: InputError[],
    readonly totalProblems: number,
  ) {
    const more = totalProblems - problems.length;
    super(
      problems.map((problem) => problem.message).join('\n') +
        (more > 0 ? `\n... and ${more} more problem${more === 1 ? '' : 's'}` : '') +
        '\nnothing was imported',
    );
  }
}

export interface ImportRequest {
  platform: Platform;
  file: string;
  clientId: string;
  excludeViewOnly?: boolean;
  from?: string;
  to?: string;
  columnsFile?: string;
  onProgress?: (rowsRead: number) => void;
}

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
  supersedes: { uploadId: number; claims: number }[];
  warnings: string[];
}

function refuse(problem: InputError): never {
  throw new ImportRefusedError([problem], 1);
}

export function readColumnMapping(path: string, format: FormatDefinition): Record<string, string> {
  const name = basename(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    refuse(new InputError(name, 1, null, null, `the column mapping is not readable JSON: ${(error as Error).message}`));
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    refuse(new InputError(name, 1, null, null, 'the column mapping must be a JSON object of canonical name -> header'));
  }
  const mapping: Record<string, string> = {};
  const known = new Set(format.columns.map((column) => column.canonical));
  for (const [canonical, header] of Object.entries(parsed as Record<string, unknown>)) {
    if (!known.has(canonical)) {
      refuse(
        new InputError(name, 1, canonical, String(header), `is not a ${format.platform} column; known: ${[...known].join(', ')}`),
      );
    }
    if (typeof header !== 'string' || header.trim() === '') {
      refuse(new InputError(name, 1, canonical, String(header), 'must name a header (a non-empty string)'));
    }
    mapping[canonical] = header;
  }
  return mapping;
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

function otherFormatHint(headers: readonly string[], format: FormatDefinition): string {
  for (const other of Object.values(FORMATS)) {
    if (other === format) continue;
    const match = matchHeaders(headers, other);
    if (match.missing.length === 0 && match.columns.size >= 4) {
      return ` This looks like a ${other.label}: import it with \`lasttouch import ${other.platform}\`.`;
    }
  }
  return ' If your export names it differently, map it with --columns MAP.json (canonical name -> header).';
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

  const client = (await getClient(warehouse, request.clientId)) ?? defaultSettings(request.clientId);
  const columns = await rawColumns(warehouse, format.rawTable);

  return warehouse.transaction(async () => {
    await ensureClient(warehouse, request.clientId, request.excludeViewOnly ? { view_only: 'exclude' } : {});
    const idRow = await warehouse.one(`SELECT nextval('meta.upload_id_seq') AS id`);
    const uploadId = Number(idRow?.id);
    const appender = await warehouse.connection.createAppender(format.rawTable, 'raw');
    const problems: InputError[] = [];
    let totalProblems = 0;
    let headers: string[] | null = null;
    let reader: RowReader | null = null;
    let recordKeys: string[] = [];
    const ordersSeen = new Set<string>();
    let rows = 0;
    try {
      for await (const { cells, line } of readRecords(request.file)) {
        if (headers === null) {
          headers = cells;
          const match = matchHeaders(headers, format, mapping);
          if (match.missing.length > 0) {
            const found = headers.map((header) => `"${header.replace(/^\uFEFF/, '').trim()}"`).join(', ');
            refuse(
              new InputError(
                fileName,
                line,
                match.missing.map((canonical) => describeColumn(format, canonical, mapping)).join('; '),
                null,
                `${match.missing.length === 1 ? 'this required column is' : 'these required columns are'} missing from the header of a ${format.label}. Headers found: ${found}.${otherFormatHint(headers, format)}`,
              ),
            );
          }
          recordKeys = sourceRecordKeys(headers);
          reader = new RowReader(
            { file: fileName, sourceTimezone: client.source_timezone, clientCurrency: client.currency },
            match.columns,
          );
          continue;
        }
        if (reader === null) break;
        rows += 1;
        if (cells.length > headers.length) {
          totalProblems += 1;
          if (problems.length < MAX_REPORTED_PROBLEMS) {
            problems.push(
              new InputError(fileName, line, null, cells.slice(headers.length).join(','), `the row has ${cells.length} fields but the header has ${headers.length}`),
            );
          }
          continue;
        }
        reader.reset(cells, line);
        const record = format.readRow(reader, ordersSeen);
        if (record === null) {
          totalProblems += reader.problems.length;
          problems.push(...reader.problems.slice(0, Math.max(MAX_REPORTED_PROBLEMS - problems.length, 0)));
          continue;
        }
        const order = format.orderOf(record);
        if (order !== null) ordersSeen.add(order);
        if (totalProblems > 0) continue;
        const sourceRecord: Record<string, string> = {};
        recordKeys.forEach((key, index) => {
          sourceRecord[key] = cells[index] ?? '';
        });
        appendRecord(appender, columns, {
          ...record,
          upload_id: uploadId,
          line,
          source_record: JSON.stringify(sourceRecord),
        });
        if (request.onProgress && rows % 50_000 === 0) request.onProgress(rows);
      }
      if (totalProblems > 0) throw new ImportRefusedError(problems, totalProblems);
      if (headers === null || rows === 0) {
        refuse(new InputError(fileName, 1, null, null, headers === null ? 'the file is empty' : 'the file has a header but no rows'));
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }

    const windowSql = format.platform === 'shopify' ? 'created_at' : 'order_created_at';
    const computed = await warehouse.one(
      `SELECT min(timezone($2, ${windowSql}))::DATE::VARCHAR AS first_day, max(timezone($2, ${windowSql}))::DATE::VARCHAR AS last_day
       FROM raw.${format.rawTable} WHERE upload_id = $1`,
      [uploadId, client.timezone],
    );
    const explicit = window.from !== null;
    await warehouse.run(
      `INSERT INTO meta.uploads (upload_id, client_id, platform, file_name, file_sha256, row_count, order_count,
         window_from, window_to, window_explicit, options)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::DATE, $9::DATE, $10, $11)`,
      [
        uploadId,
        request.clientId,
        request.platform,
        fileName,
        facts.sha256,
        rows,
        ordersSeen.size,
        window.from ?? (computed?.first_day as string | null) ?? null,
        window.to ?? (computed?.last_day as string | null) ?? null,
        explicit,
        JSON.stringify({
          exclude_view_only: request.excludeViewOnly ?? false,
          columns: mapping,
          source_timezone: client.source_timezone,
          client_timezone: client.timezone,
          bytes: facts.bytes,
        }),
      ],
    );
    const summary = await describeUpload(warehouse, uploadId);
    if (explicit) {
      const outside = await warehouse.one(
        `SELECT count(*) AS n FROM raw.${format.rawTable}
         WHERE upload_id = $1 AND timezone($2, ${windowSql})::DATE NOT BETWEEN $3::DATE AND $4::DATE`,
        [uploadId, client.timezone, window.from, window.to],
      );
      const count = Number(outside?.n ?? 0);
      if (count > 0) {
        summary.warnings.push(
          `${count} row${count === 1 ? ' falls' : 's fall'} outside the coverage window ${window.from} .. ${window.to} given with --from/--to`,
        );
      }
    }
    return { ...summary, status: 'imported' };
  });
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
  // Claims of older uploads of the same client and platform on dates this upload's window covers.
  const supersedes = await warehouse.all(
    `SELECT r.upload_id, count(*) AS claims
     FROM raw.${format.rawTable} r JOIN meta.uploads older ON older.upload_id = r.upload_id
     WHERE older.client_id = $1 AND older.platform = $2 AND older.upload_id < $3
       AND timezone($4, r.${dateSql})::DATE BETWEEN $5::DATE AND $6::DATE
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
    supersedes: supersedes.map((row) => ({ uploadId: Number(row.upload_id), claims: Number(row.claims) })),
    warnings: [],
  };
}
