// Loading a file's rows into its raw table: its cells are split into fields (by DuckDB's own CSV reader,
// streaming, or, for a file that reader must not be trusted with, by the tokenizer below), then typed and
// checked by one SQL statement derived from the format (typing-sql.ts) with the value macros of
// sql/ingest/values.sql. A file with a bad cell is refused with every problem, found by the same macros.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project.js';
import { sqlLiteral, type Warehouse } from '../warehouse/db.js';
import { ImportRefusedError, InputError, MAX_REPORTED_PROBLEMS } from './errors.js';
import { headerText } from './format.js';
import { readRecords, type RecordLayout } from './source-file.js';
import { ROW_REFUSED, type FileTyping } from './typing-sql.js';

/** DuckDB's CSV reader cannot split this file as it is (reader 'bulk' only; 'auto' tokenizes it instead). */
export class BulkLoadDeclined extends Error {}

/** Problems of a file, in file order: the first MAX_REPORTED_PROBLEMS kept, all counted. */
export class ProblemLog {
  readonly kept: InputError[] = [];
  total = 0;

  add(problems: readonly InputError[], total = problems.length): void {
    this.total += total;
    this.kept.push(...problems);
    this.kept.sort((a, b) => a.line - b.line);
    this.kept.length = Math.min(this.kept.length, MAX_REPORTED_PROBLEMS);
  }

  refusal(): ImportRefusedError {
    return new ImportRefusedError(this.kept, this.total);
  }
}

let macros: string | null = null;
const withMacros = new WeakSet<Warehouse>();

/** Creates the value macros on the warehouse's connection, once. */
export async function ensureValueMacros(warehouse: Warehouse): Promise<void> {
  if (withMacros.has(warehouse)) return;
  macros ??= readFileSync(join(projectRoot(), 'sql', 'ingest', 'values.sql'), 'utf8');
  await warehouse.run(macros);
  withMacros.add(warehouse);
}

/** Where a file's rows come from: `cells` as SQL (line, s<i>, t<i>), and how many data rows it has. */
export interface CellSource {
  sql: string;
  /** The file's data rows. */
  rows: number;
  /** 'bulk': DuckDB's CSV reader; 'cells': the tokenizer. */
  reader: 'bulk' | 'cells';
}

function cellColumns(indexes: { read: readonly number[]; kept: readonly number[] }, from: string): string {
  const raw = [...new Set([...indexes.read, ...indexes.kept])].sort((a, b) => a - b);
  return [...raw.map((index) => `${from}.c${index} AS s${index}`), ...indexes.read.map((index) => `lt_clean(${from}.c${index}) AS t${index}`)].join(', ');
}

/**
 * The line of each row for DuckDB's reader: record r starts on line r + 1 plus the shift in force at r.
 * Where the file has shifts (quoted line breaks, empty lines), the line of every record is worked out
 * once, into a list held in a session variable, and each row takes its own by position. (A join of the
 * reader's rows with a table of lines made DuckDB hold the rows of the file: a Shopify month of a
 * million-order store then ran out of the import's memory, 256 MiB, and fell back to the much slower
 * tokenizer. The list of a million records is 8 MB.)
 */
async function lineExpression(warehouse: Warehouse, layout: RecordLayout): Promise<string> {
  if (layout.shifts.length === 0) return 'src.ordinality + 1';
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
    `SET VARIABLE lt_record_lines = (
       SELECT list(r.range + 1 + s.extra ORDER BY r.range)
       FROM range(1, ${layout.records}) AS r ASOF JOIN lt_line_shifts AS s ON r.range >= s.record)`,
  );
  return "getvariable('lt_record_lines')[src.ordinality]";
}

/** The file's cells as DuckDB's CSV reader splits them: every field as text, strictly as many as the header's. */
export async function csvReaderSource(
  warehouse: Warehouse,
  file: string,
  headers: readonly string[],
  layout: RecordLayout,
  indexes: { read: readonly number[]; kept: readonly number[] },
): Promise<CellSource> {
  const line = await lineExpression(warehouse, layout);
  const columnTypes = headers.map((_, index) => `'c${index}': 'VARCHAR'`).join(', ');
  // A row with fewer or more fields than the header stops the read (strict_mode, no null_padding): the
  // tokenizer then names its line.
  return {
    sql: `SELECT ${line} AS line, ${cellColumns(indexes, 'src')}
      FROM read_csv(${sqlLiteral(file)}, header = true, columns = {${columnTypes}}, delim = ',', quote = '"',
                    escape = '"', null_padding = false, strict_mode = true, auto_detect = false)
           WITH ORDINALITY AS src`,
    rows: layout.records - 1,
    reader: 'bulk',
  };
}

/** A header, for a message: as written, or by its position when it is empty. */
export function headerName(headers: readonly string[], index: number): string {
  return headerText(headers[index] ?? '') || `field ${index + 1}`;
}

/** The cells of a record that hold a NUL byte, each as a problem naming its column. */
export function nulProblems(fileName: string, line: number, headers: readonly string[], cells: readonly string[]): InputError[] {
  const problems: InputError[] = [];
  cells.forEach((cell, index) => {
    if (cell.includes('\0')) {
      problems.push(
        new InputError(fileName, line, headerName(headers, index), cell, 'holds a NUL byte (\\x00), which no text of an export has; export the file again'),
      );
    }
  });
  return problems;
}

/**
 * Splits the file with the tokenizer of source-file.ts into a temp table of text cells (line, c0, c1, ...)
 * and returns it as a source; a record with another number of fields than the header, or a NUL byte, is
 * a problem of its line, and is left out.
 */
export async function tokenizedSource(
  warehouse: Warehouse,
  file: string,
  fileName: string,
  headers: readonly string[],
  nul: boolean,
  indexes: { read: readonly number[]; kept: readonly number[] },
  problems: ProblemLog,
  onProgress?: (rowsRead: number, totalRows: number) => void,
  totalRows = 0,
): Promise<CellSource> {
  const fields = headers.length;
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE lt_cells (line INTEGER${headers.map((_, index) => `, c${index} VARCHAR`).join('')})`,
  );
  const appender = await warehouse.connection.createAppender('lt_cells', 'main', 'temp');
  let rows = 0;
  let first = true;
  onProgress?.(0, totalRows);
  try {
    for await (const { cells, line } of readRecords(file)) {
      if (first) {
        first = false;
        continue;
      }
      rows += 1;
      if (cells.length > fields) {
        const extra = cells.slice(fields).join(',');
        problems.add([new InputError(fileName, line, null, extra, `the row has ${cells.length} fields but the header has ${fields}`)]);
        continue;
      }
      if (cells.length < fields) {
        // Its missing cells would silently be empty; which ones are missing is not known either (a comma
        // lost in the middle shifts every cell after it).
        problems.add([
          new InputError(
            fileName,
            line,
            headerName(headers, cells.length),
            null,
            `the row has ${cells.length} field${cells.length === 1 ? '' : 's'} but the header has ${fields} (it ends before this column)`,
          ),
        ]);
        continue;
      }
      if (nul) {
        const found = nulProblems(fileName, line, headers, cells);
        if (found.length > 0) {
          problems.add(found);
          continue;
        }
      }
      appender.appendInteger(line);
      for (const cell of cells) {
        if (cell === '') appender.appendNull();
        else appender.appendVarchar(cell);
      }
      appender.endRow();
      if (onProgress && rows % 10_000 === 0) onProgress(rows, Math.max(rows, totalRows));
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  onProgress?.(rows, rows);
  return { sql: `SELECT src.line AS line, ${cellColumns(indexes, 'src')} FROM temp.lt_cells AS src`, rows, reader: 'cells' };
}

/** A row of the file does not read: problemsOf tells which cells and why. */
export class RowsRefused extends Error {}

/**
 * Types and inserts every row of the source into the raw table, within the caller's transaction; a row
 * that does not read, or an order whose first row lacks its own fields, throws RowsRefused.
 */
export async function insertRows(
  warehouse: Warehouse,
  typing: FileTyping,
  source: CellSource,
  uploadId: number,
  keptIndexes: readonly number[],
  onProgress?: (rowsRead: number, totalRows: number) => void,
): Promise<{ rows: number; orders: number }> {
  const sql = typing.insertSql(source.sql, uploadId, keptIndexes);
  // DuckDB tracks a query's progress only with its progress bar on (printing nothing here); it reports a
  // share of the work, which the row count turns into rows. Polled five times a second: the caller decides
  // what to show of it.
  if (onProgress) await warehouse.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
  onProgress?.(0, source.rows);
  const progress = onProgress
    ? setInterval(() => {
        const share = warehouse.connection.progress.percentage / 100;
        if (share > 0 && share < 1) onProgress(Math.round(share * source.rows), source.rows);
      }, 200)
    : null;
  let inserted: number;
  try {
    const result = await warehouse.connection.run(sql);
    inserted = Number(result.rowsChanged);
  } catch (error) {
    if (error instanceof Error && error.message.includes(ROW_REFUSED)) throw new RowsRefused(ROW_REFUSED);
    throw error;
  } finally {
    if (progress) clearInterval(progress);
    if (onProgress) await warehouse.run('RESET enable_progress_bar; RESET enable_progress_bar_print').catch(() => undefined);
  }
  if (inserted !== source.rows) {
    throw new BulkLoadDeclined(`DuckDB read ${inserted} rows where the file has ${source.rows} records`);
  }
  const facts = await warehouse.one(typing.factsSql(), [uploadId]);
  if (Number(facts?.orders_without_first_row ?? 0) > 0) throw new RowsRefused('an order whose first row lacks its own fields');
  onProgress?.(inserted, source.rows);
  return { rows: inserted, orders: Number(facts?.orders ?? 0) };
}

/** Every problem of the source's rows, by the same macros that type them, into the log. */
export async function problemsOf(
  warehouse: Warehouse,
  typing: FileTyping,
  source: CellSource,
  fileName: string,
  problems: ProblemLog,
): Promise<void> {
  const rows = await warehouse.all(typing.problemsSql(source.sql, MAX_REPORTED_PROBLEMS));
  const found = rows.map(
    (row) => new InputError(fileName, Number(row.line), String(row.header), String(row.value), String(row.problem)),
  );
  problems.add(found, Number(rows[0]?.total ?? 0));
}
