// The bulk loader: DuckDB's own CSV reader streams the file into the raw table in one INSERT, and the
// macros of sql/ingest/values.sql read each cell. It takes the common forms of every value; anything else
// declines the load (BulkLoadDeclined), and the importer reads the file cell by cell instead, which either
// imports it or names every problem. Both ways give the same rows: test/integration/import-paths.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project.js';
import { sqlLiteral, type Warehouse } from '../warehouse/db.js';
import type { FormatDefinition } from './format.js';
import { normalizeHeader } from './values.js';
import type { RecordLayout } from './source-file.js';

/**
 * DuckDB's memory limit while it loads a file. It would otherwise keep up to 80% of the machine's memory
 * in its buffers; the load streams, so a small limit costs no time and keeps an import's memory flat
 * whatever the file's size.
 */
export const BULK_MEMORY_LIMIT = '256MB';
/** DuckDB's memory limit for the checkpoint that writes a loaded file's rows into the database file. */
export const CHECKPOINT_MEMORY_LIMIT = '128MB';

/** The bulk loader cannot take this file as it is; the cell-by-cell reader will. */
export class BulkLoadDeclined extends Error {}

/**
 * SQL over one row of the file, for a format's bulkSelect. The cells of the columns the format reads are
 * cleaned once (lt_clean) into t0, t1, ...; '' is an empty cell, and a column the file lacks is ''.
 */
export class BulkColumns {
  constructor(private readonly columns: ReadonlyMap<string, { index: number; header: string }>) {}

  /** The cleaned cell under a canonical column. */
  cell(canonical: string): string {
    const column = this.columns.get(canonical);
    return column === undefined ? "''" : `t${column.index}`;
  }

  text(canonical: string): string {
    return `nullif(${this.cell(canonical)}, '')`;
  }

  present(canonical: string): string {
    return `(${this.cell(canonical)} <> '')`;
  }

  required(expression: string): string {
    return `lt_required(${expression})`;
  }

  money(canonical: string): string {
    const inCents = normalizeHeader(this.columns.get(canonical)?.header ?? '').endsWith('cents');
    return `${inCents ? 'lt_cents' : 'lt_money'}(${this.cell(canonical)})`;
  }

  currency(canonical: string): string {
    return `lt_currency(${this.cell(canonical)})`;
  }

  /** A timestamp as written: STRUCT(wall, offset_minutes), the offset NULL for a naive value. */
  timestamp(canonical: string, allowEpoch = false): string {
    return `${allowEpoch ? 'lt_timestamp_or_epoch' : 'lt_timestamp'}(${this.cell(canonical)})`;
  }

  integer(canonical: string): string {
    return `lt_integer(${this.cell(canonical)})`;
  }

  number(canonical: string): string {
    return `lt_number(${this.cell(canonical)})`;
  }

  phoneE164(canonical: string): string {
    return `lt_phone_e164(${this.cell(canonical)})`;
  }

  /** A value from a closed list; the aliases map each accepted spelling (lower-case) to its meaning. */
  oneOf(canonical: string, aliases: ReadonlyMap<string, string>): string {
    const cell = this.cell(canonical);
    const cases = [...aliases].map(([spelling, meaning]) => `WHEN ${sqlLiteral(spelling)} THEN ${sqlLiteral(meaning)}`).join(' ');
    return `CASE lower(${cell}) ${cases} WHEN '' THEN NULL ELSE lt_decline('value', ${cell}) END`;
  }
}

let macros: string | null = null;

function valueMacros(): string {
  macros ??= readFileSync(join(projectRoot(), 'sql', 'ingest', 'values.sql'), 'utf8');
  return macros;
}

export interface BulkLoad {
  file: string;
  format: FormatDefinition;
  headers: readonly string[];
  columns: ReadonlyMap<string, { index: number; header: string }>;
  /** Indexes of the header cells kept as source_cells (the columns no raw column reads). */
  keptIndexes: readonly number[];
  layout: RecordLayout;
  uploadId: number;
  /** Rows read of the file's data rows: 0 at the start, a share while DuckDB reads, every row at the end. */
  onProgress?: (rowsRead: number, totalRows: number) => void;
}

/**
 * The line of each row: record r starts on line r + 1 plus the shift in force at r. Where the file has
 * shifts (quoted line breaks, empty lines), a small table maps each record to its shift.
 */
async function lineExpression(warehouse: Warehouse, layout: RecordLayout): Promise<{ line: string; join: string }> {
  if (layout.shifts.length === 0) return { line: 'cells.ordinality + 1', join: '' };
  await warehouse.run('CREATE OR REPLACE TEMP TABLE lt_line_shifts (record BIGINT, extra INTEGER)');
  const appender = await warehouse.connection.createAppender('lt_line_shifts', 'main', 'temp');
  try {
    appender.appendBigInt(0n);
    appender.appendInteger(0);
    appender.endRow();
    for (const [record, extra] of layout.shifts) {
      appender.appendBigInt(BigInt(record));
      appender.appendInteger(extra);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE lt_record_lines AS
     SELECT r.range AS record, r.range + 1 + s.extra AS line
     FROM range(1, ${layout.records}) AS r ASOF JOIN lt_line_shifts AS s ON r.range >= s.record`,
  );
  return { line: 'lines.line', join: 'JOIN temp.lt_record_lines AS lines ON lines.record = cells.ordinality' };
}

/** Loads the whole file into the raw table within the caller's transaction; returns rows and orders. */
export async function bulkLoad(warehouse: Warehouse, load: BulkLoad): Promise<{ rows: number; orders: number }> {
  const { format, headers, layout } = load;
  const dataRows = layout.records - 1;
  if (!layout.plain || dataRows < 1) throw new BulkLoadDeclined('the file needs the cell-by-cell reader');
  await warehouse.run(valueMacros());
  const select = format.bulkSelect(new BulkColumns(load.columns));
  const { line, join: lineJoin } = await lineExpression(warehouse, layout);
  const columnTypes = headers.map((_, index) => `'c${index}': 'VARCHAR'`).join(', ');
  const read = [...new Set([...load.columns.values()].map((column) => column.index))];
  const inner = [
    'src.ordinality',
    ...load.keptIndexes.map((index) => `src.c${index}`),
    ...read.map((index) => `lt_clean(src.c${index}) AS t${index}`),
  ].join(', ');
  const kept = `[${load.keptIndexes.map((index) => `cells.c${index}`).join(', ')}]::VARCHAR[]`;
  const names = Object.keys(select);
  // A row with fewer or more fields than the header stops the load (strict_mode, no null_padding): the cell
  // reader refuses it, naming its line.
  const sql = `
    INSERT INTO raw.${format.rawTable} (upload_id, line, ${names.join(', ')}, source_cells)
    SELECT ${load.uploadId}, ${line}, ${names.map((name) => `${select[name]}`).join(',\n      ')}, ${kept}
    FROM (
      SELECT ${inner}
      FROM read_csv(${sqlLiteral(load.file)}, header = true, columns = {${columnTypes}}, delim = ',', quote = '"',
                    escape = '"', null_padding = false, strict_mode = true, auto_detect = false)
           WITH ORDINALITY AS src
    ) AS cells
    ${lineJoin}`;
  // DuckDB tracks a query's progress only with its progress bar on (printing nothing here); it reports a
  // share of the file, which the scanner's record count turns into rows. Polled five times a second: the
  // caller decides what to show of it.
  if (load.onProgress) await warehouse.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
  load.onProgress?.(0, dataRows);
  const progress = load.onProgress
    ? setInterval(() => {
        const share = warehouse.connection.progress.percentage / 100;
        if (share > 0 && share < 1) load.onProgress?.(Math.round(share * dataRows), dataRows);
      }, 200)
    : null;
  let inserted: number;
  try {
    const result = await warehouse.connection.run(sql);
    inserted = Number(result.rowsChanged);
  } catch (error) {
    throw new BulkLoadDeclined(error instanceof Error ? error.message : String(error));
  } finally {
    if (progress) clearInterval(progress);
  }
  if (load.onProgress) await warehouse.run('RESET enable_progress_bar; RESET enable_progress_bar_print');
  if (inserted !== dataRows) {
    throw new BulkLoadDeclined(`DuckDB read ${inserted} rows where the file has ${dataRows} records`);
  }
  const orderKey = format.platform === 'shopify' ? 'order_name' : 'coalesce(order_id, order_name)';
  const facts = await warehouse.one(
    `SELECT count(*) AS orders, count(*) FILTER (WHERE NOT first_is_order) AS orders_without_first_row
     FROM (
       SELECT ${orderKey} AS order_key, arg_min(${format.platform === 'shopify' ? 'is_order_row' : 'true'}, line) AS first_is_order
       FROM raw.${format.rawTable} WHERE upload_id = $1 GROUP BY ALL
     )`,
    [load.uploadId],
  );
  if (Number(facts?.orders_without_first_row ?? 0) > 0) {
    throw new BulkLoadDeclined('an order whose first row lacks its own fields');
  }
  load.onProgress?.(inserted, dataRows);
  return { rows: inserted, orders: Number(facts?.orders ?? 0) };
}
