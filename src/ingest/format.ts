// What every export format shares: its columns with their header aliases, how a header row is matched
// to them (by name, never by position), and how one cell is read into a typed value or a problem.
import type { DuckDBValue } from '@duckdb/node-api';
import type { BulkColumns } from './bulk.js';
import { InputError, quoted } from './errors.js';
export { ImportRefusedError, InputError, MAX_REPORTED_PROBLEMS, quoted, refuse, shown } from './errors.js';
import { DuckDBDecimalValue, structValue, timestampValue, type DuckDBStructValue } from '@duckdb/node-api';
import {
  cleanText,
  normalizeHeader,
  parseInteger,
  parseMoney,
  parseNumber,
  parseTimestamp,
  parseTimestampOrEpoch,
  phoneToE164,
  type Parsed,
} from './values.js';

import type { Platform } from './platforms.js';
export { PLATFORMS, type Platform } from './platforms.js';

export interface ColumnSpec {
  canonical: string;
  aliases: readonly string[];
  required: boolean;
}

/** A value stored in a raw table, keyed by the raw table's column name. */
export type RawRecord = Record<string, DuckDBValue>;

export interface ImportContext {
  file: string;
}

/** One row of an export, read cell by cell; each failed read is remembered, never thrown. */
export class RowReader {
  readonly problems: InputError[] = [];
  private cells: string[] = [];
  line = 0;

  constructor(
    private readonly context: ImportContext,
    private readonly columns: ReadonlyMap<string, { index: number; header: string }>,
  ) {}

  reset(cells: string[], line: number): void {
    this.cells = cells;
    this.line = line;
    this.problems.length = 0;
  }

  has(canonical: string): boolean {
    return this.columns.has(canonical);
  }

  headerOf(canonical: string): string | undefined {
    return this.columns.get(canonical)?.header;
  }

  /** The raw cell under the canonical column, or '' where the column is absent. */
  raw(canonical: string): string {
    const column = this.columns.get(canonical);
    return column === undefined ? '' : (this.cells[column.index] ?? '');
  }

  text(canonical: string): string | null {
    const value = cleanText(this.raw(canonical));
    return value === '' ? null : value;
  }

  problem(canonical: string, problem: string): null {
    const column = this.columns.get(canonical);
    this.problems.push(
      new InputError(this.context.file, this.line, column?.header ?? canonical, this.raw(canonical), problem),
    );
    return null;
  }

  private read<T>(canonical: string, required: boolean, parse: (raw: string) => Parsed<T>): T | null {
    const raw = this.raw(canonical);
    if (cleanText(raw) === '') {
      return required ? this.problem(canonical, 'is empty; a value is required') : null;
    }
    const parsed = parse(raw);
    return parsed.ok ? parsed.value : this.problem(canonical, parsed.problem);
  }

  money(canonical: string, required: boolean): { amount: DuckDBDecimalValue; currency: string | null } | null {
    const header = this.headerOf(canonical) ?? '';
    const inCents = normalizeHeader(header).endsWith('cents');
    const money = this.read(canonical, required, (raw) => parseMoney(raw, { inCents }));
    return money === null ? null : { amount: new DuckDBDecimalValue(money.cents, 18, 2), currency: money.currency };
  }

  /** A timestamp as written (raw tables keep its wall-clock time and offset; the build reads them). */
  timestamp(canonical: string, required: boolean, allowEpoch = false): DuckDBStructValue | null {
    const written = this.read(canonical, required, allowEpoch ? parseTimestampOrEpoch : parseTimestamp);
    return written === null
      ? null
      : structValue({ wall: timestampValue(written.wallMicros), offset_minutes: written.offsetMinutes });
  }

  number(canonical: string): number | null {
    return this.read(canonical, false, parseNumber);
  }

  integer(canonical: string): number | null {
    return this.read(canonical, false, parseInteger);
  }

  phone(canonical: string): { raw: string | null; e164: string | null } {
    const raw = this.text(canonical);
    return { raw, e164: raw === null ? null : phoneToE164(raw) };
  }

  /** A value from a closed list: the aliases map each accepted spelling (lower-case) to its meaning. */
  oneOf(canonical: string, required: boolean, aliases: ReadonlyMap<string, string>, what: string): string | null {
    return this.read(canonical, required, (raw) => {
      const meaning = aliases.get(cleanText(raw).toLowerCase());
      return meaning === undefined
        ? { ok: false, problem: `is not a known ${what} (accepted: ${[...new Set(aliases.keys())].join(', ')})` }
        : { ok: true, value: meaning };
    });
  }

  currency(canonical: string, fromAmount: string | null): string | null {
    const written = this.text(canonical);
    if (written !== null && !/^[A-Za-z]{3}$/.test(written)) {
      return this.problem(canonical, 'is not a three-letter currency code');
    }
    if (written !== null && fromAmount !== null && written.toUpperCase() !== fromAmount) {
      return this.problem(canonical, `disagrees with the currency written in the amount (${fromAmount})`);
    }
    return written?.toUpperCase() ?? fromAmount;
  }
}

export interface FormatDefinition {
  platform: Platform;
  label: string;
  rawTable: string;
  /** The raw column with the order's creation time, which dates a row (on Shopify's order rows). */
  dateColumn: string;
  columns: readonly ColumnSpec[];
  /** Groups of canonical columns of which at least one must be present. */
  requiredOneOf: readonly (readonly string[])[];
  /**
   * Reads one row into the raw table's columns; problems are left on the reader. ordersSeen holds the
   * orders of the rows before this one in the same file.
   */
  readRow(reader: RowReader, ordersSeen: ReadonlySet<string>): RawRecord | null;
  /** The order this row belongs to (for counting orders). */
  orderOf(record: RawRecord): string | null;
  /**
   * The same reading as readRow, as SQL for the bulk loader: raw column -> expression over the row's
   * cells (src/ingest/bulk.ts). An expression declines (lt_decline) where readRow would need to look closer.
   */
  bulkSelect(columns: BulkColumns): Record<string, string>;
}

/** The fields every claim row carries: its order (an id, a name or both), order time, revenue, currency. */
export function readClaimOrder(reader: RowReader): RawRecord {
  const orderId = reader.text('order_id');
  const orderName = reader.text('order_name');
  if (orderId === null && orderName === null) {
    reader.problem(reader.has('order_id') ? 'order_id' : 'order_name', 'is empty; an order id or order name is required');
  }
  const revenue = reader.money('revenue', true);
  return {
    order_id: orderId,
    order_name: orderName,
    order_created_at: reader.timestamp('order_created_at', true),
    revenue: revenue?.amount ?? null,
    currency: reader.currency('currency', revenue?.currency ?? null),
  };
}

/** readClaimOrder for the bulk loader. */
export function bulkClaimOrder(columns: BulkColumns): Record<string, string> {
  return {
    order_id: `CASE WHEN NOT ${columns.present('order_id')} AND NOT ${columns.present('order_name')}
      THEN lt_decline('order id or name missing', NULL) ELSE ${columns.text('order_id')} END`,
    order_name: columns.text('order_name'),
    order_created_at: columns.required(columns.timestamp('order_created_at')),
    revenue: columns.required(columns.money('revenue')),
    currency: columns.currency('currency'),
  };
}

/** The order a claim row names, for counting the orders of an upload. */
export function claimOrderOf(record: RawRecord): string | null {
  return (record.order_id ?? record.order_name ?? null) as string | null;
}

export interface HeaderMatch {
  columns: Map<string, { index: number; header: string }>;
  missing: string[];
}

/** A header as the file writes it, for a person: without a BOM and surrounding spaces. */
export function headerText(header: string): string {
  return header.replace(/^\uFEFF/, '').trim();
}

/**
 * Headers with the same name (after normalisation) as one before them: [its index, the earlier one's].
 * Such a file is ambiguous, whether or not lasttouch reads the column: which of two "Revenue" columns is
 * the revenue, and which cell is the one kept under the name? Empty headers are not names. One pair is
 * not ambiguous: two headers written differently that the format lists, as written, as aliases of two
 * different columns ($event_id, the order id, and Event ID, the event id, of Klaviyo): each serves its own.
 */
export function repeatedHeaders(headers: readonly string[], format?: FormatDefinition): Array<[number, number]> {
  const columnOf = (header: string): string | undefined => {
    const written = headerText(header).toLowerCase();
    return format?.columns.find((column) => column.aliases.some((alias) => alias.toLowerCase() === written))?.canonical;
  };
  const apart = (a: string, b: string): boolean => {
    const [columnA, columnB] = [columnOf(a), columnOf(b)];
    return columnA !== undefined && columnB !== undefined && columnA !== columnB;
  };
  const earlier = new Map<string, number[]>();
  const repeated: Array<[number, number]> = [];
  headers.forEach((header, index) => {
    const name = normalizeHeader(header);
    if (name === '') return;
    const before = earlier.get(name) ?? [];
    const clash = before.find((first) => !apart(header, headers[first] ?? ''));
    if (clash !== undefined) repeated.push([index, clash]);
    earlier.set(name, [...before, index]);
  });
  return repeated;
}

/**
 * Matches a header row to a format's columns. A mapping (canonical -> header) from --columns wins over
 * the aliases; each header serves one canonical column only, taken in the order the format lists them.
 * (A file whose headers repeat a name is refused before it is matched: repeatedHeaders.)
 */
export function matchHeaders(
  headers: readonly string[],
  format: FormatDefinition,
  mapping: Readonly<Record<string, string>> = {},
): HeaderMatch {
  // A name can head several columns ($event_id and Event ID are one name); each serves one column.
  const byName = new Map<string, number[]>();
  headers.forEach((header, index) => {
    const name = normalizeHeader(header);
    if (name === '') return;
    const indexes = byName.get(name);
    if (indexes) indexes.push(index);
    else byName.set(name, [index]);
  });
  const claimed = new Set<number>();
  const columns = new Map<string, { index: number; header: string }>();
  const take = (canonical: string, candidates: readonly string[]): void => {
    for (const alias of candidates) {
      const index = byName.get(normalizeHeader(alias))?.find((candidate) => !claimed.has(candidate));
      if (index !== undefined) {
        claimed.add(index);
        columns.set(canonical, { index, header: headerText(headers[index] ?? alias) });
        return;
      }
    }
  };
  // Mapped columns first, so that a mapping wins over the aliases of every column; a mapped column never
  // falls back to its aliases.
  for (const spec of format.columns) {
    const mapped = mapping[spec.canonical];
    if (mapped !== undefined) take(spec.canonical, [mapped]);
  }
  for (const spec of format.columns) {
    if (mapping[spec.canonical] === undefined) take(spec.canonical, spec.aliases);
  }
  const missing = format.columns
    .filter((spec) => spec.required && !columns.has(spec.canonical))
    .map((spec) => spec.canonical);
  for (const group of format.requiredOneOf) {
    if (!group.some((canonical) => columns.has(canonical))) missing.push(group.join(' or '));
  }
  return { columns, missing };
}

/** A missing column for a person: its canonical name and the headers accepted for it (or mapped to it). */
export function describeColumn(
  format: FormatDefinition,
  canonical: string,
  mapping: Readonly<Record<string, string>> = {},
): string {
  const names = canonical.split(' or ');
  return names
    .map((name) => {
      const mapped = mapping[name];
      if (mapped !== undefined) return `${name} (mapped by --columns to ${quoted(mapped)}, which the file does not have)`;
      const spec = format.columns.find((column) => column.canonical === name);
      return `${name} (${spec?.aliases.map((alias) => quoted(alias)).join(', ') ?? ''})`;
    })
    .join(' or ');
}

export function aliasMap(entries: Record<string, readonly string[]>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [meaning, spellings] of Object.entries(entries)) {
    for (const spelling of spellings) map.set(spelling.toLowerCase(), meaning);
  }
  return map;
}
