// An export format, declared as data: its columns (header aliases, kind of value, required, order- or
// line-level), the order a row belongs to, the column that dates a row and the revenue it reports.
// Everything else is derived from it: how a header is matched (format.ts), the SQL that types and checks
// every cell (typing-sql.ts, with the value rules of sql/ingest/values.sql), the problems a refused file
// is told, the raw table's columns (rawColumnsOf), and what an import's summary counts.

/** How a cell is read; each kind has its rule in sql/ingest/values.sql. */
export type ValueKind =
  | 'text'
  | 'money'
  | 'currency'
  | 'timestamp'
  /** A timestamp, or epoch seconds (Klaviyo's numeric $send_ts). */
  | 'timestamp_or_epoch'
  | 'integer'
  | 'number'
  /** The text as written, and beside it (raw column `<raw>_e164`) its E.164 form where one can be derived. */
  | 'phone'
  /** A value from a closed list: each meaning with its accepted spellings. */
  | 'choice';

export interface ColumnDeclaration {
  /** The column's canonical name, which --columns maps to a header. */
  canonical: string;
  /** The headers it is found under, in order of preference (compared by normalizeHeader). */
  aliases: readonly string[];
  kind: ValueKind;
  /**
   * The raw column it fills: its canonical name unless given. Several columns may fill one raw column
   * (Shopify's Phone and Billing Phone): the first, in the order declared, that has a value wins.
   */
  raw?: string;
  /** The header must have it, and every row (every order row, for an order-level column) a value in it. */
  required?: boolean;
  /**
   * 'order': one of the order's own fields, written on the order's first row only and empty on the rows
   * of its further line items (Shopify's export). Default 'line': a value of every row.
   */
  level?: 'order' | 'line';
  /** For a choice: what the list is (for a message) and each meaning with its accepted spellings. */
  choices?: { what: string; meanings: Readonly<Record<string, readonly string[]>> };
  /** For a currency: the money column whose code (`USD 12.00`) it must agree with, and which stands in for it. */
  amount?: string;
  /**
   * For a claims format: the field of the claim shape (claim-shape.ts) this column fills, when its raw
   * name is not that field's name (Postscript's attribution_type is the claim's touch_type).
   */
  claimField?: string;
}

export interface FormatDeclaration {
  /** The platform's name on the command line (`lasttouch import <platform>`) and in the warehouse. */
  platform: string;
  /** The platform's name for a person (Postscript), in reports. */
  name: string;
  /** How a person calls the export. */
  label: string;
  /** Its table in the raw schema. */
  rawTable: string;
  /** 'orders': the store's own orders; 'claims': a platform's attributed orders. */
  kind: 'orders' | 'claims';
  columns: readonly ColumnDeclaration[];
  /**
   * The order a row belongs to: the first of these columns that has a value. A row with none is refused
   * with `missing`. When no column of them is required, the header must have at least one of them.
   */
  orderKey: { columns: readonly string[]; missing: string };
  /** The raw column whose time dates a row (the order's creation time). */
  dateColumn: string;
  /** The raw column with the revenue a row reports (on order rows, for a format with order-level columns). */
  revenueColumn: string;
  /** For a claims export of one channel that has no channel column: that channel (Postscript: sms). */
  channel?: string;
  /** Whether the export reports sends and clicks beside revenue (none does yet; default false). */
  engagementTracked?: boolean;
}

/** A column of a raw table: its name, DuckDB type and whether it may be NULL. */
export interface RawColumn {
  name: string;
  type: string;
  notNull: boolean;
}

export const WRITTEN_TIMESTAMP_TYPE = 'STRUCT(wall TIMESTAMP, offset_minutes SMALLINT)';

const RAW_TYPES: Readonly<Record<ValueKind, string>> = {
  text: 'VARCHAR',
  money: 'DECIMAL(18,2)',
  currency: 'VARCHAR',
  timestamp: WRITTEN_TIMESTAMP_TYPE,
  timestamp_or_epoch: WRITTEN_TIMESTAMP_TYPE,
  integer: 'INTEGER',
  number: 'DOUBLE',
  phone: 'VARCHAR',
  choice: 'VARCHAR',
};

export function rawNameOf(column: ColumnDeclaration): string {
  return column.raw ?? column.canonical;
}

/** Whether the format writes the order's own fields on its first row only (then rows carry is_order_row). */
export function hasOrderRows(format: FormatDeclaration): boolean {
  return format.columns.some((column) => column.level === 'order');
}

/** The order-level columns, in the order declared. */
export function orderLevelColumns(format: FormatDeclaration): ColumnDeclaration[] {
  return format.columns.filter((column) => column.level === 'order');
}

export function columnOf(format: FormatDeclaration, canonical: string): ColumnDeclaration {
  const column = format.columns.find((candidate) => candidate.canonical === canonical);
  if (!column) throw new Error(`format ${format.platform} declares no column ${canonical}`);
  return column;
}

/** Groups of columns of which the header must have at least one: the order key, when none of it is required. */
export function requiredOneOf(format: FormatDeclaration): string[][] {
  const key = format.orderKey.columns;
  return key.length > 1 && !key.some((canonical) => columnOf(format, canonical).required) ? [[...key]] : [];
}

/** The raw columns of the order key, in order (an upload's orders are counted by their first non-NULL). */
export function orderKeyRawColumns(format: FormatDeclaration): string[] {
  return format.orderKey.columns.map((canonical) => rawNameOf(columnOf(format, canonical)));
}

/**
 * The raw table's columns, as the declaration implies them: the upload and line of each row, a raw
 * column per declared one (two for a phone), is_order_row for a format with order rows, and the cells of
 * every header no column reads (source_cells). A required line-level column is NOT NULL.
 */
export function rawColumnsOf(format: FormatDeclaration): RawColumn[] {
  const columns = new Map<string, RawColumn>();
  const add = (column: RawColumn): void => {
    const before = columns.get(column.name);
    columns.set(column.name, before ? { ...before, notNull: before.notNull && column.notNull } : column);
  };
  add({ name: 'upload_id', type: 'INTEGER', notNull: true });
  add({ name: 'line', type: 'INTEGER', notNull: true });
  for (const column of format.columns) {
    const notNull = (column.required ?? false) && column.level !== 'order';
    add({ name: rawNameOf(column), type: RAW_TYPES[column.kind], notNull });
    if (column.kind === 'phone') add({ name: `${rawNameOf(column)}_e164`, type: 'VARCHAR', notNull: false });
  }
  if (hasOrderRows(format)) add({ name: 'is_order_row', type: 'BOOLEAN', notNull: true });
  add({ name: 'source_cells', type: 'VARCHAR[]', notNull: true });
  return [...columns.values()];
}

/** CREATE TABLE for a format's raw table, from its declaration (for a format added after the migrations). */
export function rawTableDdl(format: FormatDeclaration): string {
  const columns = rawColumnsOf(format).map((column) => `${column.name} ${column.type}${column.notNull ? ' NOT NULL' : ''}`);
  return `CREATE TABLE IF NOT EXISTS raw.${format.rawTable} (\n  ${columns.join(',\n  ')}\n)`;
}

const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

/** What is wrong with a declaration on its own (the registry checks what formats must not share). */
export function declarationProblems(format: FormatDeclaration): string[] {
  const problems: string[] = [];
  if (!IDENTIFIER.test(format.platform)) problems.push(`platform "${format.platform}" is not a lower-case name (a-z, 0-9, _)`);
  if (!IDENTIFIER.test(format.rawTable)) problems.push(`rawTable "${format.rawTable}" is not a lower-case table name`);
  if (format.name.trim() === '' || format.label.trim() === '') problems.push('name and label must not be empty');
  const canonicals = new Set<string>();
  const raws = new Set(rawColumnsOf(format).map((column) => column.name));
  for (const column of format.columns) {
    if (canonicals.has(column.canonical)) problems.push(`column ${column.canonical} is declared twice`);
    canonicals.add(column.canonical);
    if (!IDENTIFIER.test(rawNameOf(column))) problems.push(`column ${column.canonical}: raw name "${rawNameOf(column)}" is not a lower-case name`);
    if (column.aliases.length === 0) problems.push(`column ${column.canonical} has no header alias`);
    if ((column.kind === 'choice') !== (column.choices !== undefined)) {
      problems.push(`column ${column.canonical}: choices go with kind choice, and only with it`);
    }
    if (column.kind === 'currency' && column.amount !== undefined && format.columns.find((other) => other.canonical === column.amount)?.kind !== 'money') {
      problems.push(`column ${column.canonical}: its amount ${column.amount} is not a money column`);
    }
  }
  for (const canonical of format.orderKey.columns) {
    if (!canonicals.has(canonical)) problems.push(`the order key names column ${canonical}, which is not declared`);
  }
  for (const [what, raw] of [['dateColumn', format.dateColumn], ['revenueColumn', format.revenueColumn]] as const) {
    if (!raws.has(raw)) problems.push(`${what} ${raw} is not a raw column of the format`);
  }
  if (format.kind === 'orders' && format.channel !== undefined) problems.push('channel is for a claims format');
  return problems;
}
