// The SQL that types a file's cells into its raw table and finds its bad cells, derived from the format's
// declaration and the file's header. Every value is read by a macro of sql/ingest/values.sql; the same
// macros name what is wrong with a cell that does not read, so a file is typed and checked by one set of
// rules, whichever way its cells were split (DuckDB's CSV reader, or the tokenizer of source-file.ts).
//
// The cells come from a query (cellsSql) with a column `line` and, for the file's i-th field, s<i> (the
// cell as written, NULL when empty) and t<i> (lt_clean of it, '' when empty).
import { sqlLiteral } from '../warehouse/sql-literal.js';
import {
  hasOrderRows,
  orderKeyRawColumns,
  orderLevelColumns,
  rawNameOf,
  type ColumnDeclaration,
  type FormatDeclaration,
} from './declaration.js';
import { normalizeHeader } from './values.js';

export type HeaderColumns = ReadonlyMap<string, { index: number; header: string }>;

/** The guard's message when a row does not read: the importer then asks typing-sql which cells and why. */
export const ROW_REFUSED = 'lasttouch: a row of the file does not read';

const EMPTY_REQUIRED = 'is empty; a value is required';
const EMPTY_CURRENCY = 'is empty; a currency is required';

/** The macro family of a money column: a header ending in "cents" holds whole cents. */
function moneyMacro(header: string): 'lt_money' | 'lt_cents' {
  return normalizeHeader(header).endsWith('cents') ? 'lt_cents' : 'lt_money';
}

interface TypedColumn {
  column: ColumnDeclaration;
  /** Its position among the declared columns (problems of a row are told in this order). */
  position: number;
  index: number;
  header: string;
  /** The typed value's SQL over the row's cells (NULL when empty or not readable). */
  value: string;
  /** A value read by one macro of the cell alone: typedRows reads the cells of a macro together. */
  read?: string;
  /** The problem's SQL over the row's cells and v_<canonical> (its value); NULL when there is none. */
  problem: string;
  /** Whether the row is refused for this column, over the cells and v_<canonical>. */
  refused: string;
}

/** Reads of a format's columns present in the header, with their value, problem and refusal expressions. */
export class FileTyping {
  readonly present: TypedColumn[];
  readonly orderRows: boolean;

  constructor(
    readonly format: FormatDeclaration,
    readonly columns: HeaderColumns,
  ) {
    this.orderRows = hasOrderRows(format);
    this.present = format.columns.flatMap((column, position) => {
      const found = columns.get(column.canonical);
      return found ? [this.typed(column, position, found.index, found.header)] : [];
    });
  }

  private cell(canonical: string): string | null {
    const found = this.columns.get(canonical);
    return found === undefined ? null : `t${found.index}`;
  }

  /** Whether the row holds the order's own fields (a format with order rows). */
  get isOrderRow(): string {
    const cells = orderLevelColumns(this.format).flatMap((column) => {
      const cell = this.cell(column.canonical);
      return cell ? [`${cell} <> ''`] : [];
    });
    return cells.length === 0 ? 'false' : `(${cells.join(' OR ')})`;
  }

  /** The amount column a currency column stands beside, when the header has it. */
  private amountOf(column: ColumnDeclaration): { index: number; header: string } | undefined {
    return column.kind !== 'currency' || column.amount === undefined ? undefined : this.columns.get(column.amount);
  }

  /**
   * The currency written with the amount a currency column stands beside, or NULL: a column of typedRows
   * (lt_money_currency is read once a row, however many expressions use it).
   */
  private amountCurrency(column: ColumnDeclaration): string {
    const amount = this.amountOf(column);
    return amount === undefined ? 'CAST(NULL AS VARCHAR)' : `lt_currency_from_t${amount.index}`;
  }

  private typed(column: ColumnDeclaration, position: number, index: number, header: string): TypedColumn {
    const t = `t${index}`;
    const v = `v_${column.canonical}`;
    const inKey = this.format.orderKey.columns.includes(column.canonical);
    const onOrderRow = column.level === 'order';
    const requiredHere = (column.required ?? false) && !inKey;
    const whenRequired = (condition: string): string =>
      onOrderRow ? `(${this.isOrderRow} AND ${condition})` : condition;
    let value: string;
    let problem: string;
    let refused: string;
    let read: string | undefined;
    switch (column.kind) {
      case 'text':
      case 'phone':
        value = `nullif(${t}, '')`;
        problem = requiredHere ? `CASE WHEN ${whenRequired(`${t} = ''`)} THEN ${sqlLiteral(EMPTY_REQUIRED)} END` : 'NULL';
        refused = requiredHere ? whenRequired(`${t} = ''`) : 'false';
        break;
      case 'currency': {
        const fromAmount = this.amountCurrency(column);
        value = `lt_currency(${t}, ${fromAmount})`;
        const empty = requiredHere ? whenRequired(`${v} IS NULL`) : 'false';
        problem = `coalesce(lt_currency_problem(${t}, ${fromAmount}), CASE WHEN ${empty} THEN ${sqlLiteral(EMPTY_CURRENCY)} END)`;
        refused = `(lt_currency_problem(${t}, ${fromAmount}) IS NOT NULL OR ${empty})`;
        break;
      }
      case 'choice': {
        const meanings = Object.entries(column.choices?.meanings ?? {});
        const spellings = meanings.flatMap(([meaning, written]) => written.map((spelling) => [spelling.toLowerCase(), meaning] as const));
        const accepted = [...new Set(spellings.map(([spelling]) => spelling))].join(', ');
        value = `CASE lower(${t}) ${spellings.map(([spelling, meaning]) => `WHEN ${sqlLiteral(spelling)} THEN ${sqlLiteral(meaning)}`).join(' ')} END`;
        problem = this.valueProblem(t, v, sqlLiteral(`is not a known ${column.choices?.what ?? column.canonical} (accepted: ${accepted})`), requiredHere, whenRequired);
        refused = this.valueRefused(t, v, requiredHere, whenRequired);
        break;
      }
      default: {
        const macro = column.kind === 'money' ? moneyMacro(header) : `lt_${column.kind}`;
        value = `${macro}(${t})`;
        read = macro;
        problem = this.valueProblem(t, v, `${macro}_problem(${t})`, requiredHere, whenRequired);
        refused = this.valueRefused(t, v, requiredHere, whenRequired);
      }
    }
    return { column, position, index, header, value, read, problem, refused };
  }

  private valueProblem(t: string, v: string, why: string, required: boolean, whenRequired: (c: string) => string): string {
    const empty = required ? `WHEN ${whenRequired(`${t} = ''`)} THEN ${sqlLiteral(EMPTY_REQUIRED)}` : '';
    return `CASE ${empty} WHEN ${t} <> '' AND ${v} IS NULL THEN ${why} END`;
  }

  private valueRefused(t: string, v: string, required: boolean, whenRequired: (c: string) => string): string {
    return `(${required ? `${whenRequired(`${t} = ''`)} OR ` : ''}(${t} <> '' AND ${v} IS NULL))`;
  }

  /** Every row names its order: a row whose order key columns are all empty is refused. */
  private get keyMissing(): string {
    const cells = this.format.orderKey.columns.flatMap((canonical) => {
      const cell = this.cell(canonical);
      return cell ? [`${cell} = ''`] : [];
    });
    return cells.length === 0 ? 'true' : `(${cells.join(' AND ')})`;
  }

  /**
   * The row's typed values beside its cells: `SELECT cells.*, <v_...> FROM (cellsSql) AS cells`.
   *
   * DuckDB expands a macro where it is called and binds the expansion, so every call costs its whole
   * body in planning (a timestamp some 13 ms, an amount 8 ms), before a single row is read: for a small
   * file, most of the import. So the cells that one macro reads are read together, in one call on the
   * list of them (list_transform, the macro bound once), and each value is taken from that list; the
   * currency written with an amount is read once, as a column. The values are the same.
   */
  private typedRows(cellsSql: string): string {
    const byMacro = new Map<string, TypedColumn[]>();
    for (const typed of this.present) {
      if (typed.read !== undefined) byMacro.set(typed.read, [...(byMacro.get(typed.read) ?? []), typed]);
    }
    const reads: string[] = [];
    const fromList = new Map<TypedColumn, string>();
    for (const [macro, typedColumns] of byMacro) {
      if (typedColumns.length < 2) continue;
      reads.push(`list_transform([${typedColumns.map((typed) => `t${typed.index}`).join(', ')}], lt_cell -> ${macro}(lt_cell)) AS lt_read_${macro}`);
      typedColumns.forEach((typed, k) => fromList.set(typed, `lt_read_${macro}[${k + 1}]`));
    }
    const amounts = new Map<number, string>();
    for (const column of this.format.columns) {
      const amount = this.amountOf(column);
      if (amount === undefined || amounts.has(amount.index)) continue;
      const inCents = moneyMacro(amount.header) === 'lt_cents';
      amounts.set(amount.index, `lt_money_currency(t${amount.index}${inCents ? ', in_cents := true' : ''}) AS lt_currency_from_t${amount.index}`);
    }
    reads.push(...amounts.values());
    const values = this.present.map((typed) => `${fromList.get(typed) ?? typed.value} AS v_${typed.column.canonical}`);
    const cells = reads.length === 0 ? cellsSql : `SELECT cells.*, ${reads.join(', ')} FROM (${cellsSql}) AS cells`;
    return `SELECT cells.*${values.map((value) => `, ${value}`).join('')} FROM (${cells}) AS cells`;
  }

  /** The raw columns with their SQL over v_... (several declared columns may fill one raw column). */
  rawValues(): Map<string, string> {
    const sources = new Map<string, string[]>();
    const add = (raw: string, expression: string): void => {
      sources.set(raw, [...(sources.get(raw) ?? []), expression]);
    };
    for (const column of this.format.columns) {
      const isPresent = this.columns.has(column.canonical);
      const v = `v_${column.canonical}`;
      if (column.kind === 'currency' && !isPresent && column.amount !== undefined && this.columns.has(column.amount)) {
        // No currency column: the code written with the amount, if any.
        add(rawNameOf(column), this.amountCurrency(column));
        continue;
      }
      if (!isPresent) continue;
      add(rawNameOf(column), v);
      if (column.kind === 'phone') add(`${rawNameOf(column)}_e164`, `lt_phone_e164(${this.cell(column.canonical)})`);
    }
    const values = new Map<string, string>();
    for (const [raw, expressions] of sources) {
      values.set(raw, expressions.length === 1 ? (expressions[0] ?? 'NULL') : `coalesce(${expressions.join(', ')})`);
    }
    if (this.orderRows) values.set('is_order_row', this.isOrderRow);
    return values;
  }

  /**
   * INSERT of every row into the raw table, for the rows of `cells`; a row that does not read stops it
   * with ROW_REFUSED (the transaction then rolls back and problemsSql tells why).
   */
  insertSql(cellsSql: string, uploadId: number, keptIndexes: readonly number[]): string {
    const values = this.rawValues();
    const names = [...values.keys()];
    const refused = [this.keyMissing, ...this.present.map((typed) => typed.refused)].join('\n        OR ');
    const kept = `[${keptIndexes.map((index) => `s${index}`).join(', ')}]::VARCHAR[]`;
    return `
      INSERT INTO raw.${this.format.rawTable} (upload_id, line, ${names.join(', ')}, source_cells)
      SELECT ${uploadId}, line, ${names.map((name) => `${values.get(name)}`).join(',\n        ')}, ${kept}
      FROM (${this.typedRows(cellsSql)}) AS typed
      WHERE CASE WHEN ${refused} THEN error(${sqlLiteral(ROW_REFUSED)}) ELSE true END`;
  }

  /**
   * Every problem of the file's rows, in file order and, within a row, in the order the format declares
   * its columns: line, header, value (the cell as written) and problem, with the total count beside.
   */
  problemsSql(cellsSql: string, limit: number): string {
    const firstKey = this.format.orderKey.columns.find((canonical) => this.columns.has(canonical));
    const keyFound = firstKey === undefined ? undefined : this.columns.get(firstKey);
    const entries: string[] = [];
    const entry = (position: number, header: string, index: number, problem: string): string =>
      `{'position': ${position}, 'header': ${sqlLiteral(header)}, 'value': coalesce(s${index}, ''), 'problem': ${problem}}`;
    if (keyFound) {
      entries.push(entry(-2, keyFound.header, keyFound.index, `CASE WHEN ${this.keyMissing} THEN ${sqlLiteral(this.format.orderKey.missing)} END`));
    }
    const orderLevel = orderLevelColumns(this.format);
    const firstOrderLevel = orderLevel.map((column) => this.columns.get(column.canonical)).find((found) => found !== undefined);
    if (this.orderRows && firstOrderLevel) {
      const fields = orderLevel.map((column) => column.aliases[0] ?? column.canonical).join(', ');
      const key = `coalesce(${orderKeyRawColumns(this.format).map((raw) => `raw_${raw}`).join(', ')})`;
      entries.push(
        entry(
          -1,
          firstOrderLevel.header,
          firstOrderLevel.index,
          `CASE WHEN NOT is_order_row AND first_of_order THEN 'is empty on the first row of order ' || ${key} || ${sqlLiteral(
            `; the order's own fields (${fields}) belong on its first row`,
          )} END`,
        ),
      );
    }
    for (const typed of this.present) entries.push(entry(typed.position, typed.header, typed.index, typed.problem));
    const keyRaw = orderKeyRawColumns(this.format);
    const keyValues = keyRaw.map((raw) => `${this.rawValues().get(raw) ?? 'NULL'} AS raw_${raw}`);
    const key = `coalesce(${keyRaw.map((raw) => `raw_${raw}`).join(', ')})`;
    return `
      WITH typed AS (
        SELECT *, ${keyValues.join(', ')}${this.orderRows ? `, ${this.isOrderRow} AS is_order_row` : ''}
        FROM (${this.typedRows(cellsSql)})
      ),
      ordered AS (
        SELECT *${this.orderRows ? `, row_number() OVER (PARTITION BY ${key} ORDER BY line) = 1 AS first_of_order` : ''}
        FROM typed
      ),
      found AS (
        SELECT line, unnest(list_filter([${entries.join(',\n          ')}], p -> p.problem IS NOT NULL), recursive := true)
        FROM ordered
      )
      SELECT line, header, value, problem, count(*) OVER () AS total
      FROM found
      ORDER BY line, position
      LIMIT ${limit}`;
  }

  /** The upload's orders, and those whose first row lacks the order's own fields (a format with order rows). */
  factsSql(): string {
    const key = `coalesce(${orderKeyRawColumns(this.format).join(', ')})`;
    return `
      SELECT count(*) AS orders, count(*) FILTER (WHERE NOT first_is_order) AS orders_without_first_row
      FROM (
        SELECT ${key} AS order_key, arg_min(${this.orderRows ? 'is_order_row' : 'true'}, line) AS first_is_order
        FROM raw.${this.format.rawTable} WHERE upload_id = $1 GROUP BY ALL
      )`;
  }
}
