// Reading an export file from disk: its fingerprint, its encoding check and its CSV records, streamed
// so that memory stays flat whatever the file's size.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parse, CsvError } from 'csv-parse';
import { InputError } from './format.js';

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
   * False when the file has something the bulk loader must not be trusted with (a line ended by a bare CR,
   * a quote inside an unquoted cell, an unterminated quote): such a file is read cell by cell.
   */
  plain: boolean;
}

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

  push(buf: Buffer): void {
    const length = buf.length;
    if (length === 0) return;
    if (this.pendingCR && buf[0] !== LF) this.plain = false;
    this.pendingCR = false;
    for (let k = buf.indexOf(CR); k !== -1; k = buf.indexOf(CR, k + 1)) {
      if (k + 1 === length) this.pendingCR = true;
      else if (buf[k + 1] !== LF) this.plain = false;
    }
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
        }
        if (hasContent(buf, from, end)) this.startRecord();
        if (quote === -1) break;
        const before = quote > 0 ? (buf[quote - 1] ?? -1) : this.previousByte;
        const opensCell =
          before === COMMA || before === LF || before === -1 || (before === 0xbf && this.offset + quote === 3);
        const escaped = this.closingQuoteAt === this.offset + quote - 1;
        if (!opensCell && !escaped) this.plain = false;
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
    return { records: this.record + (this.recordStarted ? 1 : 0), shifts: this.shifts, plain: this.plain };
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
  }
  if (carry.length > 0) await locateUtf8Error(path);
  return { sha256: hash.digest('hex'), bytes: size, layout: scanner.finish() };
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
      const context = `${lineText.split(',').pop() ?? ''}\\x${bad.toString('hex').toUpperCase()}`;
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

/** The CSV records of a file, header first; a malformed CSV is reported with its line. */
export async function* readRecords(path: string): AsyncGenerator<CsvRecord> {
  const name = basename(path);
  const parser = createReadStream(path).pipe(
    parse({ bom: true, info: true, raw: true, skip_empty_lines: true, relax_column_count: true }),
  );
  // Lines are counted here from each record's raw text, not taken from csv-parse's info.lines: that is
  // the line where a record ends (and counts a CRLF inside quotes twice). A record's raw text holds the
  // empty lines skipped before it, the record, and the first character of its record delimiter (the
  // `\n` of a CRLF delimiter is not in it), so CRLF, LF and CR each count as one line break.
  const breaks = (text: string): number => text.match(/\r\n|\r|\n/g)?.length ?? 0;
  let nextLine = 1;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const skipped = /^[\r\n]*/.exec(item.raw)?.[0] ?? '';
      const line = nextLine + breaks(skipped);
      nextLine += breaks(item.raw);
      yield { cells: item.record, line };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 0;
      throw new InputError(name, line, null, null, `the file is not valid CSV: ${error.message}`);
    }
    throw error;
  }
}
