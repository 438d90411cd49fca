// Reading an export file from disk: its fingerprint, its encoding check and its CSV records, streamed
// so that memory stays flat whatever the file's size.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parse, CsvError } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { InputError, quoted } from './errors.js';

export interface FileFacts {
  sha256: string;
  bytes: number;
  layout: RecordLayout;
}

/** Offset of the first byte that breaks UTF-8 in buf, or -1; an incomplete sequence at the end is fine. */
export function firstInvalidUtf8(buf: Uint8Array): { invalidAt: number; incompleteFrom: number } {
  let i = 0;
  while (i < buf.length) {
    const byte = buf[i] ?? 0;
    let need: number;
    if (byte < 0x80) {
      i += 1;
      continue;
    } else if (byte >= 0xc2 && byte <= 0xdf) need = 1;
    else if (byte >= 0xe0 && byte <= 0xef) need = 2;
    else if (byte >= 0xf0 && byte <= 0xf4) need = 3;
    else return { invalidAt: i, incompleteFrom: -1 };
    if (i + need >= buf.length) {
      // The sequence runs past this chunk: what is here must be continuation bytes, the rest comes next.
      for (let k = 1; i + k < buf.length; k += 1) {
        if (((buf[i + k] ?? 0) & 0xc0) !== 0x80) return { invalidAt: i, incompleteFrom: -1 };
      }
      return { invalidAt: -1, incompleteFrom: i };
    }
    for (let k = 1; k <= need; k += 1) {
      if (((buf[i + k] ?? 0) & 0xc0) !== 0x80) return { invalidAt: i, incompleteFrom: -1 };
    }
    const second = buf[i + 1] ?? 0;
    if ((byte === 0xe0 && second < 0xa0) || (byte === 0xed && second > 0x9f) || (byte === 0xf0 && second < 0x90) || (byte === 0xf4 && second > 0x8f)) {
      return { invalidAt: i, incompleteFrom: -1 };
    }
    i += need + 1;
  }
  return { invalidAt: -1, incompleteFrom: -1 };
}

function columnAt(headerLine: string, lineText: string): string {
  // Counts separators outside quotes up to the bad byte; good enough to name the field for a person.
  let inQuotes = false;
  let index = 0;
  for (const char of lineText) {
    if (char === '"') inQuotes = !inQuotes;
    else if (char === ',' && !inQuotes) index += 1;
  }
  const headers = headerLine.replace(/^\uFEFF/, '').split(',');
  return headers[index]?.replace(/"/g, '').trim() ?? `field ${index + 1}`;
}

/**
 * Where the CSV records of a file start, counted without parsing it: record r starts on line r + 1 plus
 * the line breaks inside quoted cells and the empty lines before it. shifts lists the records where that
 * surplus changes, so a loader that numbers records can give each its line.
 */
export interface RecordLayout {
  /** Records, the header included; empty lines are not records. */
  records: number;
  /** [record index, extra lines before it], from the first record whose extra differs from the one before. */
  shifts: Array<[number, number]>;
  /**
   * False when the file has something DuckDB's CSV reader must not be trusted with (a line ended by a bare
   * CR, a quote inside an unquoted cell, an unterminated quote, a NUL byte): the tokenizer splits it.
   */
  plain: boolean;
  /** Whether the file has a NUL byte anywhere (the tokenizer then looks for it in every cell). */
  nul: boolean;
  /**
   * A quote that opens a cell and is never closed, when every quote before it is where CSV allows one:
   * the line it is on, its byte offset and that of the start of its record.
   */
  unclosedQuote: { line: number; offset: number; recordOffset: number } | null;
  /** The first line longer than MAX_LINE_BYTES: its number and the byte offset where it starts. */
  longLine: { line: number; offset: number } | null;
}

/**
 * The longest line a file may have: 1 MiB. A row of any export is far shorter (Shopify's 79 columns
 * take a few hundred bytes); a longer line is not an export, and refusing it at once, while the file is
 * inspected, keeps such a file from being parsed at all (a 10 MB line would take seconds).
 */
export const MAX_LINE_BYTES = 1 << 20;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;

/** Finds the records of a file as it streams past, chunk by chunk, jumping from quote to line break. */
export class RecordScanner {
  private inQuotes = false;
  private line = 1;
  private record = 0;
  private recordStarted = false;
  private lastExtra = 0;
  private offset = 0;
  private previousByte = -1;
  private closingQuoteAt = -2;
  private pendingCR = false;
  private readonly shifts: Array<[number, number]> = [];
  private plain = true;
  private nul = false;
  /** Offset where the current record's first line starts (after the last line break outside quotes). */
  private recordOffset = 0;
  /** The quote that opened the quoted cell the scanner is in (or was last in): line, offset, its record's. */
  private quoteLine = 0;
  private quoteOffset = 0;
  private quoteRecordOffset = 0;
  /** A quote was found where CSV allows none: the scanner's view of quoting may differ from a parser's. */
  private strayQuote = false;
  /** Physical lines (ended by LF, CRLF or a bare CR), for the length of each. */
  private physicalLine = 1;
  private lineStart = 0;
  private tooLong: { line: number; offset: number } | null = null;

  /** The first line longer than MAX_LINE_BYTES so far, if any. */
  get longLine(): { line: number; offset: number } | null {
    return this.tooLong;
  }

  push(buf: Buffer): void {
    const length = buf.length;
    if (length === 0) return;
    if (this.pendingCR && buf[0] !== LF) {
      this.plain = false;
      this.physicalLine += 1;
    }
    this.pendingCR = false;
    if (!this.nul && buf.indexOf(0) !== -1) {
      this.nul = true;
      this.plain = false;
    }
    for (let k = buf.indexOf(CR); k !== -1; k = buf.indexOf(CR, k + 1)) {
      if (k + 1 === length) this.pendingCR = true;
      else if (buf[k + 1] !== LF) this.plain = false;
    }
    if (this.tooLong === null) this.measureLines(buf);
    let pos = 0;
    while (pos < length) {
      const quote = buf.indexOf(QUOTE, pos);
      const end = quote === -1 ? length : quote;
      if (this.inQuotes) {
        for (let k = buf.indexOf(LF, pos); k !== -1 && k < end; k = buf.indexOf(LF, k + 1)) this.line += 1;
        if (quote === -1) break;
        this.inQuotes = false;
        this.closingQuoteAt = this.offset + quote;
      } else {
        let from = pos;
        for (let k = buf.indexOf(LF, from); k !== -1 && k < end; k = buf.indexOf(LF, from)) {
          if (hasContent(buf, from, k)) this.startRecord();
          if (this.recordStarted) {
            this.record += 1;
            this.recordStarted = false;
          }
          this.line += 1;
          from = k + 1;
          this.recordOffset = this.offset + from;
        }
        if (hasContent(buf, from, end)) this.startRecord();
        if (quote === -1) break;
        const before = quote > 0 ? (buf[quote - 1] ?? -1) : this.previousByte;
        const opensCell =
          before === COMMA || before === LF || before === -1 || (before === 0xbf && this.offset + quote === 3);
        const escaped = this.closingQuoteAt === this.offset + quote - 1;
        if (!opensCell && !escaped) {
          this.plain = false;
          this.strayQuote = true;
        }
        // An escaped quote ("") goes on with the cell its first half closed.
        if (!escaped) {
          this.quoteLine = this.line;
          this.quoteOffset = this.offset + quote;
          this.quoteRecordOffset = this.recordOffset;
        }
        this.startRecord();
        this.inQuotes = true;
      }
      pos = quote + 1;
    }
    this.previousByte = buf[length - 1] ?? -1;
    this.offset += length;
  }

  finish(): RecordLayout {
    if (this.inQuotes || this.pendingCR) this.plain = false;
    return {
      records: this.record + (this.recordStarted ? 1 : 0),
      shifts: this.shifts,
      plain: this.plain,
      nul: this.nul,
      unclosedQuote:
        this.inQuotes && !this.strayQuote
          ? { line: this.quoteLine, offset: this.quoteOffset, recordOffset: this.quoteRecordOffset }
          : null,
      longLine: this.tooLong,
    };
  }

  /** Finds the first physical line longer than MAX_LINE_BYTES (CRLF, LF and a bare CR each end one). */
  private measureLines(buf: Buffer): void {
    let lf = buf.indexOf(LF);
    let cr = buf.indexOf(CR);
    for (;;) {
      const k = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (k === -1) break;
      if (this.offset + k - this.lineStart > MAX_LINE_BYTES) break;
      if (buf[k] === LF) {
        this.physicalLine += 1;
        lf = buf.indexOf(LF, k + 1);
      } else {
        // A CR counts as a line end unless an LF follows (at the start of the next chunk: see push).
        if (k + 1 < buf.length && buf[k + 1] !== LF) this.physicalLine += 1;
        cr = buf.indexOf(CR, k + 1);
      }
      this.lineStart = this.offset + k + 1;
    }
    if (this.offset + buf.length - this.lineStart > MAX_LINE_BYTES) {
      this.tooLong = { line: this.physicalLine, offset: this.lineStart };
    }
  }

  private startRecord(): void {
    if (this.recordStarted) return;
    this.recordStarted = true;
    const extra = this.line - (this.record + 1);
    if (extra !== this.lastExtra) {
      this.shifts.push([this.record, extra]);
      this.lastExtra = extra;
    }
  }
}

/** Whether buf[from, to) holds anything but the CR of a CRLF. */
function hasContent(buf: Buffer, from: number, to: number): boolean {
  return to - from > 1 || (to - from === 1 && buf[from] !== CR);
}

/** How much of buf is whole UTF-8 sequences: an incomplete sequence at its end is left for the next chunk. */
function completeLength(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back += 1) {
    const byte = buf[buf.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needs > back ? buf.length - back : buf.length;
  }
  return buf.length;
}

/**
 * Hashes the file, checks that it is UTF-8 and finds where its records start, in one pass. Where the file
 * is not UTF-8, a second, byte-by-byte pass names the line, column and bytes.
 */
export async function inspectFile(path: string): Promise<FileFacts> {
  const name = basename(path);
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new InputError(name, 1, null, null, `${path} is not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(name, 1, null, null, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (size === 0) throw new InputError(name, 1, null, null, 'the file is empty: it has no header and no rows');
  const hash = createHash('sha256');
  const scanner = new RecordScanner();
  let carry = Buffer.alloc(0);
  let first = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    if (first && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
      throw new InputError(name, 1, null, null, 'the file is UTF-16; export it again as UTF-8 (CSV UTF-8)');
    }
    first = false;
    const buf = carry.length > 0 ? Buffer.concat([carry, bytes]) : bytes;
    const whole = completeLength(buf);
    if (!isUtf8(buf.subarray(0, whole))) await locateUtf8Error(path);
    carry = Buffer.from(buf.subarray(whole));
    scanner.push(bytes);
    if (scanner.longLine !== null) throw longLineError(path, scanner.longLine);
  }
  if (carry.length > 0) await locateUtf8Error(path);
  const layout = scanner.finish();
  if (layout.unclosedQuote !== null) throw await unclosedQuoteError(path, layout.unclosedQuote);
  return { sha256: hash.digest('hex'), bytes: size, layout };
}

/** Up to length bytes of the file from offset. */
function readBytes(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    return buf.subarray(0, readSync(fd, buf, 0, length, offset));
  } finally {
    closeSync(fd);
  }
}

/** Bytes as text, without the part of a character cut off at the end. */
function textOf(bytes: Buffer): string {
  return bytes.subarray(0, completeLength(bytes)).toString('utf8');
}

function longLineError(path: string, longLine: { line: number; offset: number }): InputError {
  const start = [...textOf(readBytes(path, longLine.offset, 4 * 60))].slice(0, 60).join('');
  return new InputError(
    basename(path),
    longLine.line,
    null,
    null,
    `the line is longer than 1 MiB (${MAX_LINE_BYTES.toLocaleString('en-US')} bytes), far longer than a row of any export ` +
      `(it starts ${quoted(start)}…): is this the export you meant to import?`,
  );
}

/** The quote of a cell that nothing closes, named by its line, column and the rest of its line. */
async function unclosedQuoteError(
  path: string,
  quote: { line: number; offset: number; recordOffset: number },
): Promise<InputError> {
  // Lines are at most MAX_LINE_BYTES long, so the rest of the quote's line is in this much of the file.
  const rest = textOf(readBytes(path, quote.offset + 1, MAX_LINE_BYTES)).split(/\r\n|\r|\n/)[0] ?? '';
  let column: string;
  const before = quote.offset - quote.recordOffset;
  if (before > 16 * MAX_LINE_BYTES) {
    column = 'a column';
  } else {
    // Every quote of the record before this one opens and closes a cell: the commas outside them count
    // the cells before it.
    const field = fieldIndex(readBytes(path, quote.recordOffset, before));
    const header = quote.recordOffset === 0 ? null : headerCells(path);
    column = `column ${quoted(header?.[field]?.replace(/^\uFEFF/, '').trim() || `field ${field + 1}`)}`;
  }
  return new InputError(
    basename(path),
    quote.line,
    null,
    null,
    `the file is not valid CSV: ${column}, value ${quoted(rest)}: the quote that opens this cell is never closed, so ` +
      'the rest of the file would be one cell; close it (a quote inside a quoted cell is written "")',
  );
}

/** The 0-based field of a record that starts after these bytes of it. */
function fieldIndex(bytes: Buffer): number {
  let inQuotes = false;
  let index = 0;
  for (const byte of bytes) {
    if (byte === QUOTE) inQuotes = !inQuotes;
    else if (byte === COMMA && !inQuotes) index += 1;
  }
  return index;
}

/**
 * The cells of the file's first record (its header), or null if it cannot be read, for naming the column
 * of a problem found before the file is parsed, or where parsing stopped.
 */
function headerCells(path: string): string[] | null {
  try {
    const records = parseSync(textOf(readBytes(path, 0, MAX_LINE_BYTES)), {
      bom: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      skip_empty_lines: true,
      to: 1,
    }) as string[][];
    return records[0] ?? null;
  } catch {
    return null;
  }
}

/** Reads the file byte by byte to the first byte that is not UTF-8, and throws naming where it is. */
async function locateUtf8Error(path: string): Promise<never> {
  const name = basename(path);
  let carry = Buffer.alloc(0);
  let line = 1;
  let headerLine: string | null = null;
  let currentLine = Buffer.alloc(0);
  for await (const chunk of createReadStream(path)) {
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const { invalidAt, incompleteFrom } = firstInvalidUtf8(buf);
    const checkedEnd = invalidAt >= 0 ? invalidAt : incompleteFrom >= 0 ? incompleteFrom : buf.length;
    let lineStart = 0;
    for (let i = 0; i < checkedEnd; i += 1) {
      if (buf[i] === 0x0a) {
        if (headerLine === null) headerLine = Buffer.concat([currentLine, buf.subarray(0, i)]).toString('utf8');
        line += 1;
        lineStart = i + 1;
        currentLine = Buffer.alloc(0);
      }
    }
    currentLine = Buffer.concat([currentLine, buf.subarray(lineStart, checkedEnd)]);
    if (invalidAt >= 0) {
      const bad = buf.subarray(invalidAt, invalidAt + 1);
      const lineText = currentLine.toString('utf8');
      const column = headerLine === null ? null : columnAt(headerLine, lineText);
      // The cell up to the bad byte; of a long cell its last 40 characters, so that the byte stays in view.
      const cell = [...(lineText.split(',').pop() ?? '')];
      const context = `${cell.length > 40 ? `…${cell.slice(-40).join('')}` : cell.join('')}\\x${bad.toString('hex').toUpperCase()}`;
      throw new InputError(
        name,
        line,
        column,
        context,
        `byte 0x${bad.toString('hex').toUpperCase()} is not UTF-8; the file seems to be in another encoding (e.g. Windows-1252): export it again as UTF-8`,
      );
    }
    carry = incompleteFrom >= 0 ? Buffer.from(buf.subarray(incompleteFrom)) : Buffer.alloc(0);
  }
  throw new InputError(name, line, null, `\\x${carry.subarray(0, 1).toString('hex').toUpperCase()}`, 'the file ends inside a UTF-8 character; it is not valid UTF-8');
}

export interface CsvRecord {
  cells: string[];
  /** 1-based line where the record starts. */
  line: number;
}

/**
 * The CSV records of a file, header first; a malformed CSV is reported with its line. With `records`, only
 * that many: the parser stops there (a caller that stops reading early would otherwise have the parser go
 * through the chunks already read, the whole of a small file).
 */
export async function* readRecords(path: string, records?: number): AsyncGenerator<CsvRecord> {
  const name = basename(path);
  // The record delimiters are given: csv-parse would otherwise look for one at every byte until it finds
  // it, which takes seconds on a long first line.
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      ...(records === undefined ? {} : { to: records }),
    }),
  );
  // Lines are counted here from each record's raw text, not taken from csv-parse's info.lines: that is
  // the line where a record ends (and counts a CRLF inside quotes twice). A record's raw text holds the
  // empty lines skipped before it, the record, and the first character of its record delimiter (the
  // `\n` of a CRLF delimiter is not in it), so CRLF, LF and CR each count as one line break.
  const breaks = (text: string): number => text.match(/\r\n|\r|\n/g)?.length ?? 0;
  let nextLine = 1;
  let header: string[] | null = null;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const skipped = /^[\r\n]*/.exec(item.raw)?.[0] ?? '';
      const line = nextLine + breaks(skipped);
      nextLine += breaks(item.raw);
      header ??= item.record;
      yield { cells: item.record, line };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const { lines, column, field } = error as CsvError & { lines?: number; column?: number | string; field?: string };
      if (error.code === 'INVALID_OPENING_QUOTE' && typeof field === 'string') {
        // csv-parse's own message quotes the whole cell, however long.
        const index = typeof column === 'number' ? column : -1;
        // The records before the error may not have come out of the parser: the header is read again.
        const cells = header ?? ((lines ?? 0) > 1 ? headerCells(path) : null);
        const headerName = cells?.[index]?.replace(/^\uFEFF/, '').trim() || `field ${index + 1}`;
        throw new InputError(
          name,
          lines ?? 0,
          null,
          null,
          `the file is not valid CSV: column ${quoted(headerName)}, value ${quoted(field)}: a quote inside a cell that does not ` +
            'start with one; quote the whole cell and double the quote (e.g. "5"" screen")',
        );
      }
      throw new InputError(name, lines ?? 0, null, null, `the file is not valid CSV: ${error.message}`);
    }
    throw error;
  }
}
