// One export file becomes one upload: every row is read and checked, and the rows, the upload record and
// any client setting it carries land in one transaction, or nothing does.
import { basename } from 'node:path';
import { firstLine, UsageError } from '../errors.js';
import { defaultSettings, ensureClient, getClient, type ClientSettings } from '../warehouse/clients.js';
import type { Project } from '../models/compile.js';
import type { Warehouse } from '../warehouse/db.js';
import { readColumnMapping } from './column-mapping.js';
import {
  describeColumn,
  headerText,
  ImportRefusedError,
  InputError,
  matchHeaders,
  MAX_REPORTED_PROBLEMS,
  quoted,
  refuse,
  repeatedHeaders,
  type FormatDefinition,
  type Platform,
} from './format.js';
import { formatOf, otherFormatHint } from './registry.js';
import {
  BulkLoadDeclined,
  csvReaderSource,
  ensureValueMacros,
  insertRows,
  nulProblems,
  ProblemLog,
  problemsOf,
  RowsRefused,
  tokenizedSource,
  type CellSource,
} from './load.js';
import { FileTyping } from './typing-sql.js';
import { inspectFile, readRecords, type FileFacts } from './source-file.js';
import { describeUpload, unmatchedClaims, type ImportSummary } from './summary.js';
import { parseDate } from './values.js';
import { compileProject } from '../models/compile.js';
import { importMemoryLimit, memoryLimit } from '../warehouse/memory.js';
import { projectRoot } from '../project.js';

export interface ImportRequest {
  platform: Platform;
  file: string;
  clientId: string;
  /** Sets the client's view_only setting to exclude (true) for every later build. */
  excludeViewOnly?: boolean;
  /** Sets it back to include. */
  includeViewOnly?: boolean;
  from?: string;
  to?: string;
  columnsFile?: string;
  /** A column mapping given as data (the monthly inbox's client.json), instead of columnsFile. */
  columns?: Readonly<Record<string, string>>;
  /**
   * Rows read of the file's totalRows data rows (the records inspectFile counted): called with 0 when a
   * reader starts (again, should the tokenizer take over from DuckDB's CSV reader), every so often while
   * it reads, and with totalRows once every row is read; writing the upload and its summary follow.
   */
  onProgress?: (rowsRead: number, totalRows: number) => void;
  /**
   * How the file is split into cells: by DuckDB's CSV reader where it can ('auto', the default), always
   * by the tokenizer ('cells'), or by DuckDB's reader only ('bulk': a file it cannot split fails with
   * BulkLoadDeclined). Either way the same SQL types the cells. The last two are for tests.
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

/** How many of a file's headers a missing-column message lists (Shopify's export has 79). */
const MAX_LISTED_HEADERS = 100;

function missingColumnsError(
  fileName: string,
  line: number,
  headers: readonly string[],
  missing: readonly string[],
  format: FormatDefinition,
  mapping: Readonly<Record<string, string>>,
): InputError {
  // Every header of a real export, each cut to length; of a file with more, the first ones and a count.
  const found =
    headers.slice(0, MAX_LISTED_HEADERS).map((header) => quoted(headerText(header))).join(', ') +
    (headers.length > MAX_LISTED_HEADERS ? ` and ${headers.length - MAX_LISTED_HEADERS} more` : '');
  // The column named is not one of the file's: the canonical columns with their aliases, each quoted
  // (and so cut to length) on its own.
  const described = missing.map((canonical) => describeColumn(format, canonical, mapping)).join('; ');
  return new InputError(
    fileName,
    line,
    null,
    null,
    `column "${described}": ${missing.length === 1 ? 'this required column is' : 'these required columns are'} missing from the header of a ${format.label}. Headers found: ${found}.${otherFormatHint(headers, format)}`,
  );
}

/** The header of a file, matched to a format's columns; the file is refused when a required one is missing. */
interface FileHeader {
  cells: string[];
  columns: Map<string, { index: number; header: string }>;
  /** Indexes of the columns the format reads. */
  readIndexes: number[];
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
  for await (const { cells, line } of readRecords(file, 1)) {
    const problems = nulProblems(fileName, line, cells, cells);
    for (const [index, first] of repeatedHeaders(cells, format)) {
      problems.push(
        new InputError(
          fileName,
          line,
          headerText(cells[index] ?? ''),
          null,
          `column ${index + 1} of the header has the same name as column ${first + 1} (${quoted(headerText(cells[first] ?? ''))}): ` +
            'which of the two to read, or to keep under that name, would be a guess; rename or remove one of them',
        ),
      );
    }
    const match = matchHeaders(cells, format, mapping);
    if (match.missing.length > 0) problems.push(missingColumnsError(fileName, line, cells, match.missing, format, mapping));
    if (problems.length > 0) {
      throw new ImportRefusedError(problems.slice(0, MAX_REPORTED_PROBLEMS), problems.length);
    }
    const read = new Set([...match.columns.values()].map((column) => column.index));
    const names = sourceRecordKeys(cells);
    const keptIndexes = cells.map((_, index) => index).filter((index) => !read.has(index));
    return { cells, columns: match.columns, readIndexes: [...read].sort((a, b) => a - b), keptIndexes, keptNames: keptIndexes.map((index) => names[index] ?? '') };
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
  /** The client's settings before this import (the defaults for a new client). */
  client: ClientSettings;
  /** The view_only setting the import asks for, if any. */
  viewOnly: ClientSettings['view_only'] | null;
  project: Project;
}

/** The view_only setting an import asks for, if any. */
function requestedViewOnly(request: ImportRequest): ClientSettings['view_only'] | null {
  if (request.excludeViewOnly && request.includeViewOnly) {
    throw new UsageError('--exclude-view-only and --include-view-only contradict each other: give one of them');
  }
  return request.excludeViewOnly ? 'exclude' : request.includeViewOnly ? 'include' : null;
}

/** What an import's view-only flag did to the client's setting, in words. */
function viewOnlyNotice(clientId: string, before: ClientSettings['view_only'], after: ClientSettings['view_only']): string {
  const meaning =
    after === 'exclude'
      ? 'every later build leaves view-only claims out of the competition and reports their revenue as view-only excluded'
      : 'every later build lets view-only claims compete like any other';
  if (before === after) return `client ${clientId} already ${after}s view-only claims (view_only = ${after}): nothing changed`;
  return `client ${clientId}: view_only changed from ${before} to ${after}; ${meaning} (\`lasttouch client set ${clientId} --view-only ${before}\` changes it back)`;
}

/** DuckDB's memory limit for the checkpoint that writes a loaded file's rows into the database file. */
export const CHECKPOINT_MEMORY_LIMIT = '128MB';
/**
 * An upload of this many rows is checkpointed at once, under CHECKPOINT_MEMORY_LIMIT; a smaller one is
 * left to DuckDB's own checkpoints (a month of small files then pays for one, not one each). Either way
 * the upload is committed: what makes it safe from a crash is the writer's copy, published whole.
 */
const CHECKPOINT_AFTER_ROWS = 50_000;

/** The models, compiled once per process (the importer's summary previews a few of them). */
let importProject: Project | null = null;

/** Runs the rows' load, reports a refused file's every problem, and lands the upload in one transaction. */
async function loadUpload(warehouse: Warehouse, context: LoadContext): Promise<{ uploadId: number; rows: number }> {
  const { request, header, facts, window } = context;
  const fileName = basename(request.file);
  await ensureValueMacros(warehouse);
  const typing = new FileTyping(context.format, header.columns);
  const indexes = { read: header.readIndexes, kept: header.keptIndexes };
  const problems = new ProblemLog();
  const refused = async (source: CellSource): Promise<never> => {
    await problemsOf(warehouse, typing, source, fileName, problems);
    if (problems.total === 0) throw new Error(`${fileName}: a row was refused, but no cell of it has a problem`);
    throw problems.refusal();
  };
  if (request.reader !== 'cells' && facts.layout.plain && facts.layout.records > 1) {
    const source = await csvReaderSource(warehouse, request.file, header.cells, facts.layout, indexes);
    let failure: unknown;
    try {
      return await landUpload(warehouse, context, typing, source);
    } catch (error) {
      if (error instanceof RowsRefused) return refused(source);
      failure = error;
    }
    if (outOfMemory(failure) && importMemoryLimit() !== memoryLimit()) {
      // The reader needed more than the import's share of memory (a wide file): once more under the whole
      // limit, which still costs less time and memory than the tokenizer's reading of the same file.
      await warehouse.run(`SET memory_limit = '${memoryLimit()}'`);
      try {
        return await landUpload(warehouse, context, typing, source);
      } catch (error) {
        if (error instanceof RowsRefused) return refused(source);
        failure = error;
      } finally {
        await warehouse.run(`SET memory_limit = '${importMemoryLimit()}'`);
      }
    }
    if (request.reader === 'bulk') throw new BulkLoadDeclined(firstLine(failure));
    // DuckDB's CSV reader could not split the file (a row with another number of fields, say): the
    // tokenizer splits it, and names the line of what it cannot.
  } else if (request.reader === 'bulk') {
    throw new BulkLoadDeclined('the file is not plain enough for DuckDB\'s CSV reader');
  }
  const dataRows = Math.max(facts.layout.records - 1, 0);
  const source = await tokenizedSource(
    warehouse, request.file, fileName, header.cells, facts.layout.nul, indexes, problems, request.onProgress, dataRows,
  );
  if (problems.total > 0) return refused(source);
  if (source.rows === 0 && window.from === null) {
    refuse(
      new InputError(
        fileName,
        1,
        null,
        null,
        'the file has a header but no rows; an empty export is a valid upload only with the dates it covers: give them with --from and --to (a quiet period, or a correction that withdraws every claim in those dates)',
      ),
    );
  }
  try {
    return await landUpload(warehouse, context, typing, source);
  } catch (error) {
    if (error instanceof RowsRefused) return refused(source);
    throw error;
  }
}

function outOfMemory(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('Out of Memory Error');
}

/** The upload in one transaction: its rows, typed from the source, then its record. */
async function landUpload(
  warehouse: Warehouse,
  context: LoadContext,
  typing: FileTyping,
  source: CellSource,
): Promise<{ uploadId: number; rows: number }> {
  const { request, header, facts, mapping, window, client, viewOnly } = context;
  const fileName = basename(request.file);
  return warehouse.transaction(async () => {
    await ensureClient(warehouse, request.clientId, viewOnly !== null && viewOnly !== client.view_only ? { view_only: viewOnly } : {});
    // The next id after the last upload, not the sequence's next value: a refused file rolls its
    // transaction back, but not a sequence, and the files imported after it in the same run would skip one.
    const idRow = await warehouse.one('SELECT coalesce(max(upload_id), 0) + 1 AS id FROM meta.uploads');
    const uploadId = Number(idRow?.id);
    const { rows, orders } =
      source.rows === 0
        ? { rows: 0, orders: 0 }
        : await insertRows(warehouse, typing, source, uploadId, header.keptIndexes, request.onProgress);

    const explicit = window.from !== null;
    // Only a window given with --from/--to is the upload's own; a window from its rows' first and last
    // order dates is the models' to derive (dedup.dedup_upload_windows), with the client's settings of
    // the day.
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
        window.from,
        window.to,
        explicit,
        JSON.stringify(header.keptNames),
        JSON.stringify({
          exclude_view_only: request.excludeViewOnly ?? false,
          include_view_only: request.includeViewOnly ?? false,
          columns: mapping,
          source_timezone: client.source_timezone,
          client_timezone: client.timezone,
          bytes: facts.bytes,
          reader: source.reader,
        }),
      ],
    );
    return { uploadId, rows };
  });
}

/**
 * What an upload just committed holds, with what its import changed and what looks wrong: computed
 * after the commit and the checkpoint, so that its memory does not add to the load's.
 */
async function summarize(warehouse: Warehouse, context: LoadContext, uploadId: number, rows: number): Promise<ImportSummary> {
  const { request, format, window, client, viewOnly } = context;
  let summary: ImportSummary;
  let rulesFailed: string | null = null;
  try {
    summary = await describeUpload(warehouse, context.project, uploadId);
  } catch (error) {
    // The upload is committed: a summary that cannot be worked out (out of memory, say) must not make
    // the import look failed.
    rulesFailed = firstLine(error);
    summary = await describeUpload(warehouse, context.project, uploadId, { rules: false });
    summary.warnings.push(
      `the upload is imported, but its coverage window and what it supersedes could not be worked out here (${rulesFailed}); \`lasttouch status\` and the next build do`,
    );
  }
  if (viewOnly !== null) summary.notices.push(viewOnlyNotice(request.clientId, client.view_only, viewOnly));
  if (rows === 0) {
    summary.notices.push(
      `the export has no rows: for ${window.from} .. ${window.to} it withdraws every older ${format.label} claim of client ${request.clientId}`,
    );
  }
  const outside = summary.rowsOutsideWindow;
  if (outside > 0) {
    summary.warnings.push(
      `${outside} row${outside === 1 ? ' falls' : 's fall'} outside the coverage window ${window.from} .. ${window.to} given with --from/--to`,
    );
  }
  if (format.kind === 'claims' && rulesFailed === null) {
    const { covered, unmatched } = await unmatchedClaims(warehouse, context.project, summary).catch(() => ({ covered: 0, unmatched: 0 }));
    if (covered > 0 && unmatched * 2 > covered) {
      summary.warnings.push(
        `${unmatched} of the ${covered} claims dated on days client ${request.clientId}'s Shopify uploads cover match no Shopify order of ${request.clientId}: ` +
          `is this another client's export? \`lasttouch upload remove ${uploadId}\` takes it out of every later build`,
      );
    }
  }
  return { ...summary, status: 'imported' };
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

/** What an import checks before it needs the warehouse: its options and the file's bytes. */
export interface PreparedImport {
  format: FormatDefinition;
  fileName: string;
  window: ReturnType<typeof checkWindow>;
  viewOnly: ReturnType<typeof requestedViewOnly>;
  mapping: Readonly<Record<string, string>>;
  facts: FileFacts;
}

/**
 * The checks of an import that need no warehouse: the window and view-only options, the column mapping,
 * and one pass over the file (hash, UTF-8, records). A command runs them before it opens the warehouse,
 * so that a file refused here costs nothing of the warehouse's size.
 */
export async function prepareImport(request: ImportRequest): Promise<PreparedImport> {
  const format = formatOf(request.platform);
  return {
    format,
    fileName: basename(request.file),
    window: checkWindow(request),
    viewOnly: requestedViewOnly(request),
    mapping: request.columns ?? (request.columnsFile ? readColumnMapping(request.columnsFile, format) : {}),
    facts: await inspectFile(request.file),
  };
}

export async function importFile(
  warehouse: Warehouse,
  request: ImportRequest,
  prepared?: PreparedImport,
): Promise<ImportSummary> {
  const { format, fileName, window, viewOnly, mapping, facts } = prepared ?? (await prepareImport(request));
  importProject ??= compileProject(projectRoot());
  const project = importProject;

  const existing = await warehouse.one(
    'SELECT upload_id FROM meta.uploads WHERE client_id = $1 AND platform = $2 AND file_sha256 = $3',
    [request.clientId, request.platform, facts.sha256],
  );
  if (existing) {
    const summary = await describeUpload(warehouse, project, Number(existing.upload_id));
    return { ...summary, status: 'already-imported', fileName };
  }

  const header = await readHeader(request.file, format, mapping);
  const client = (await getClient(warehouse, request.clientId)) ?? defaultSettings(request.clientId);
  const context: LoadContext = { request, format, header, facts, mapping, window, client, viewOnly, project };
  await warehouse.run(`SET memory_limit = '${importMemoryLimit()}'`);
  let loaded: { uploadId: number; rows: number };
  try {
    loaded = await loadUpload(warehouse, context);
    if (loaded.rows >= CHECKPOINT_AFTER_ROWS) await checkpoint(warehouse);
  } finally {
    await warehouse.run(`SET memory_limit = '${memoryLimit()}'`);
  }
  await warehouse.run(`SET memory_limit = '${importMemoryLimit()}'`);
  try {
    return await summarize(warehouse, context, loaded.uploadId, loaded.rows);
  } finally {
    await warehouse.run(`SET memory_limit = '${memoryLimit()}'`);
  }
}
