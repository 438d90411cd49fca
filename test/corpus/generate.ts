// The malformed-input corpus: every case is a mutation of one of the demo exports under seeds/demo/ (or of
// the command line that imports it), written into a folder, with the exit code the CLI must give and what
// its message must name. test/corpus/corpus.test.ts runs every case against a copy of the demo warehouse.
//
//   import { generateCorpus } from './generate.js';
//   const cases = generateCorpus('/tmp/corpus');   // writes the inputs, returns the cases
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const DEMO = resolve(import.meta.dirname, '..', '..', 'seeds', 'demo');

/** The client of the demo warehouse: most cases import into it, so a wrong acceptance would land for real. */
export const DEMO_CLIENT = 'demo-brand';
/** A client the demo warehouse does not have: a refusal for it must not create it. */
export const NEW_CLIENT = 'corpus-new';

export interface CorpusCase {
  name: string;
  /** The command line after the global --db option (the test adds `--db PATH`). */
  args: string[];
  /** 1: refused input; 2: usage error. */
  exit: 1 | 2;
  /** The file name (base name) the message must name; null for a usage error, which names its option instead. */
  file: string | null;
  /** Lines the message must name, as `file:line:`. */
  lines?: number[];
  /** Header text the message must name, as `column "header"`. */
  column?: string;
  /** Canonical names of missing required columns the message must name, as `name (`. */
  missing?: string[];
  /** The value the message must name, as `value "..."`; a value longer than 60 characters only by its start. */
  value?: string;
  /** The start of the value the message must name (for a value whose rest cannot be printed as it is). */
  valueStart?: string;
  /** Any further text the message must contain (an option, the rule, which import to use). */
  mentions?: (string | RegExp)[];
  /** Run against a --db path that does not exist yet: after the refusal nothing may be left there. */
  freshDb?: boolean;
  /** What the case exercises, for a person reading a failure. */
  why: string;
}

// ---------------------------------------------------------------------------------------------------
// A small RFC 4180 reader and writer, enough to mutate the demo exports cell by cell.

export interface CsvRecord {
  cells: string[];
  /** 1-based line where the record starts. */
  line: number;
}

export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let started = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (inQuotes) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else inQuotes = false;
      } else {
        if (char === '\n') line += 1;
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell === '') {
      inQuotes = true;
      started = true;
    } else if (char === ',') {
      cells.push(cell);
      cell = '';
      started = true;
    } else if (char === '\r' && text[i + 1] === '\n') {
      // the \n ends the record
    } else if (char === '\n') {
      cells.push(cell);
      records.push({ cells, line: recordLine });
      cells = [];
      cell = '';
      started = false;
      line += 1;
      recordLine = line;
    } else {
      cell += char;
      started = true;
    }
  }
  if (started || cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push({ cells, line: recordLine });
  }
  return records;
}

function quoteCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export function writeCsv(rows: readonly (readonly string[])[], eol = '\n'): string {
  return rows.map((cells) => cells.map(quoteCell).join(',')).join(eol) + eol;
}

/** One demo export, parsed: its header and data rows (row 1 is the first data row, on line 2 of a plain file). */
class Export {
  header: string[];
  rows: string[][];

  constructor(readonly source: string) {
    const records = parseCsv(readFileSync(join(DEMO, source), 'utf8'));
    const [header, ...rows] = records.map((record) => record.cells);
    if (!header || rows.length === 0) throw new Error(`seeds/demo/${source} has no rows`);
    this.header = header;
    this.rows = rows;
  }

  copy(): Export {
    const clone = Object.create(Export.prototype) as Export;
    Object.assign(clone, { source: this.source, header: [...this.header], rows: this.rows.map((row) => [...row]) });
    return clone;
  }

  index(header: string): number {
    const index = this.header.indexOf(header);
    if (index < 0) throw new Error(`seeds/demo/${this.source} has no column "${header}"`);
    return index;
  }

  row(row: number): string[] {
    const cells = this.rows[row - 1];
    if (!cells) throw new Error(`seeds/demo/${this.source} has no row ${row}`);
    return cells;
  }

  get(row: number, header: string): string {
    return this.row(row)[this.index(header)] ?? '';
  }

  /** Sets one cell; the demo's cell must differ, so that the mutation is a mutation. */
  set(row: number, header: string, value: string): this {
    if (this.get(row, header) === value) throw new Error(`${this.source} row ${row} "${header}" is already ${value}`);
    this.row(row)[this.index(header)] = value;
    return this;
  }

  /** Removes whole columns, header and cells. */
  drop(...headers: string[]): this {
    const indexes = new Set(headers.map((header) => this.index(header)));
    this.header = this.header.filter((_, index) => !indexes.has(index));
    this.rows = this.rows.map((row) => row.filter((_, index) => !indexes.has(index)));
    return this;
  }

  /** The first data row (1-based) that satisfies test. */
  find(test: (cells: string[], get: (header: string) => string) => boolean): number {
    const index = this.rows.findIndex((cells) => test(cells, (header) => cells[this.index(header)] ?? ''));
    if (index < 0) throw new Error(`no such row in seeds/demo/${this.source}`);
    return index + 1;
  }

  text(eol = '\n'): string {
    return writeCsv([this.header, ...this.rows], eol);
  }

  /** The line a data row starts on in text(eol), counting the line breaks inside quoted cells. */
  lineOf(row: number, eol = '\n'): number {
    const record = parseCsv(this.text(eol))[row];
    if (!record) throw new Error(`no row ${row}`);
    return record.line;
  }
}

// ---------------------------------------------------------------------------------------------------
// The corpus

const PS1 = 'postscript_revenue_2026-09-15.csv';
const PS2 = 'postscript_revenue_2026-11-01.csv';
const KL = 'klaviyo_attributed_orders.csv';
const SH = 'shopify_orders.csv';

/** The client id rule, as the message of a refused id must state it: length, characters, first character. */
const CLIENT_RULE: RegExp[] = [/--client|client id/i, /64/, /a-z/, /0-9/];

/** A Postscript export derived from the first demo report with other order numbers and ids: a valid, new file. */
export function freshPostscript(prefix: string): string {
  const ps = new Export(PS1).copy();
  const name = ps.index('Order Number');
  const id = ps.index('Order ID');
  for (const row of ps.rows) {
    if (row[name]) row[name] = row[name].replace(/^#\d/, `#${prefix}`);
    if (row[id]) row[id] = row[id].replace(/^741099146/, `74109914${prefix}`);
  }
  return ps.text();
}

export function generateCorpus(dir: string): CorpusCase[] {
  mkdirSync(dir, { recursive: true });
  const cases: CorpusCase[] = [];
  const write = (name: string, content: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const ps1 = new Export(PS1);
  const ps2 = new Export(PS2);
  const kl = new Export(KL);
  const sh = new Export(SH);

  /** An import case of one mutated file. */
  const importCase = (
    spec: Omit<CorpusCase, 'args' | 'file' | 'exit'> & {
      platform: 'postscript' | 'klaviyo' | 'shopify';
      fileName: string;
      content: string | Buffer;
      client?: string;
      extra?: string[];
      exit?: 1 | 2;
    },
  ): void => {
    const { platform, fileName, content, client, extra, exit, ...rest } = spec;
    const path = write(fileName, content);
    cases.push({
      ...rest,
      args: ['import', platform, path, '--client', client ?? DEMO_CLIENT, ...(extra ?? [])],
      exit: exit ?? 1,
      file: fileName,
    });
  };

  /** A case where one cell of one row of a demo export is replaced. */
  const cellCase = (spec: {
    name: string;
    source: Export;
    platform: 'postscript' | 'klaviyo' | 'shopify';
    row: number;
    header: string;
    value: string;
    why: string;
    client?: string;
    mentions?: (string | RegExp)[];
  }): void => {
    const mutated = spec.source.copy().set(spec.row, spec.header, spec.value);
    importCase({
      name: spec.name,
      platform: spec.platform,
      fileName: `${spec.name}.csv`,
      content: mutated.text(),
      client: spec.client,
      lines: [mutated.lineOf(spec.row)],
      column: spec.header,
      value: spec.value,
      mentions: spec.mentions,
      why: spec.why,
    });
  };

  // --- every required column missing, one case per column per format ---------------------------------
  const missing: Array<[string, Export, 'postscript' | 'klaviyo' | 'shopify', string[], string[]]> = [
    ['ps-missing-order_created_at', ps1, 'postscript', ['Order Date'], ['order_created_at']],
    ['ps-missing-revenue', ps1, 'postscript', ['Revenue'], ['revenue']],
    ['ps-missing-attribution_type', ps1, 'postscript', ['Attribution Type'], ['attribution_type']],
    ['ps-missing-order_id-and-order_name', ps1, 'postscript', ['Order Number', 'Order ID'], ['order_id', 'order_name']],
    ['ps2-missing-revenue', ps2, 'postscript', ['Attributed Revenue'], ['revenue']],
    ['kl-missing-order_created_at', kl, 'klaviyo', ['Datetime'], ['order_created_at']],
    ['kl-missing-revenue', kl, 'klaviyo', ['$value'], ['revenue']],
    ['kl-missing-channel', kl, 'klaviyo', ['$attributed_channel'], ['channel']],
    ['kl-missing-attributed_event', kl, 'klaviyo', ['Attributed Event'], ['attributed_event']],
    // $event_id would stand in for Order ID, so it goes too.
    ['kl-missing-order_id-and-order_name', kl, 'klaviyo', ['$event_id', 'Order ID', 'Order Name'], ['order_id', 'order_name']],
    ['sh-missing-name', sh, 'shopify', ['Name'], ['name']],
    ['sh-missing-created_at', sh, 'shopify', ['Created at'], ['created_at']],
    ['sh-missing-total', sh, 'shopify', ['Total'], ['total']],
    ['sh-missing-currency', sh, 'shopify', ['Currency'], ['currency']],
  ];
  for (const [name, source, platform, headers, canonicals] of missing) {
    importCase({
      name,
      platform,
      fileName: `${name}.csv`,
      content: source.copy().drop(...headers).text(),
      lines: [1],
      missing: canonicals,
      why: `the required column ${canonicals.join(' / ')} (${headers.join(', ')} removed) is missing`,
    });
  }

  // --- unknown values of a closed list ------------------------------------------------------------
  cellCase({ name: 'ps-attribution-type-unknown', source: ps1, platform: 'postscript', row: 7, header: 'Attribution Type', value: 'Clicked Twice', why: 'not a known attribution type' });
  cellCase({ name: 'ps2-attribution-unknown-new-client', source: ps2, platform: 'postscript', row: 12, header: 'Attribution', value: 'swiped', client: NEW_CLIENT, why: 'not a known attribution type, for a client the warehouse does not have (it must not be created)' });
  cellCase({ name: 'kl-channel-unknown', source: kl, platform: 'klaviyo', row: 5, header: '$attributed_channel', value: '$tiktok_channel', why: 'not a known channel' });
  cellCase({ name: 'kl-attributed-event-unknown', source: kl, platform: 'klaviyo', row: 9, header: 'Attributed Event', value: 'Bounced Email', why: 'not a known attributed event' });
  const shOrder1002 = sh.find((_, get) => get('Name') === '#1002' && get('Created at') !== '');
  cellCase({ name: 'ps-currency-not-a-code', source: ps1, platform: 'postscript', row: 3, header: 'Currency', value: 'US Dollar', why: 'a currency that is not a three-letter code' });
  const shOrder1003 = sh.find((_, get) => get('Name') === '#1003' && get('Created at') !== '');
  cellCase({ name: 'sh-currency-symbol', source: sh, platform: 'shopify', row: shOrder1003, header: 'Currency', value: '$', why: 'a currency symbol where a code belongs' });
  {
    // The amount says CAD, the currency column USD: the row is refused at its currency cell, naming the other.
    const mutated = kl.copy().set(2, '$value', 'CAD 80.82');
    if (mutated.get(2, '$currency') !== 'USD') throw new Error('expected USD on row 2 of the Klaviyo demo export');
    importCase({
      name: 'kl-currency-disagrees-with-amount',
      platform: 'klaviyo',
      fileName: 'kl-currency-disagrees-with-amount.csv',
      content: mutated.text(),
      lines: [mutated.lineOf(2)],
      column: '$currency',
      value: 'USD',
      mentions: ['CAD'],
      why: 'the amount says CAD, the currency column USD',
    });
  }

  // --- impossible dates and times ------------------------------------------------------------------
  cellCase({ name: 'ps-date-feb-30', source: ps1, platform: 'postscript', row: 4, header: 'Order Date', value: '2026-02-30T17:52:20Z', why: 'February 30th' });
  cellCase({ name: 'kl-date-month-13', source: kl, platform: 'klaviyo', row: 6, header: 'Datetime', value: '2026-13-04T09:37:32-04:00', why: 'month 13' });
  cellCase({ name: 'sh-date-hour-25', source: sh, platform: 'shopify', row: shOrder1002, header: 'Created at', value: '2026-07-01 25:56:05 -0400', why: 'hour 25' });
  cellCase({ name: 'ps2-sent-at-hour-25', source: ps2, platform: 'postscript', row: 5, header: 'Message Sent At', value: '2026-08-06 25:56:17', why: 'hour 25 in an optional timestamp column' });
  cellCase({ name: 'kl-touch-at-day-32', source: kl, platform: 'klaviyo', row: 8, header: 'Touch At', value: '2026-07-32T09:49:14Z', why: 'day 32 in an optional timestamp column' });
  cellCase({ name: 'ps-date-not-a-timestamp', source: ps1, platform: 'postscript', row: 14, header: 'Order Date', value: 'next tuesday', why: 'words where a timestamp belongs' });

  // --- amounts beyond DECIMAL(18,2) ------------------------------------------------------------------
  cellCase({ name: 'ps-revenue-beyond-decimal-18-2', source: ps1, platform: 'postscript', row: 10, header: 'Revenue', value: '12345678901234567890.00', why: 'revenue with 20 digits before the point' });
  cellCase({ name: 'kl-revenue-beyond-decimal-18-2', source: kl, platform: 'klaviyo', row: 10, header: '$value', value: '12345678901234567890.00', why: 'revenue with 20 digits before the point' });
  const shOrder1004 = sh.find((_, get) => get('Name') === '#1004' && get('Created at') !== '');
  cellCase({ name: 'sh-total-beyond-decimal-18-2', source: sh, platform: 'shopify', row: shOrder1004, header: 'Total', value: '12345678901234567890.00', why: 'a total with 20 digits before the point' });
  cellCase({ name: 'ps2-revenue-just-beyond-decimal-18-2', source: ps2, platform: 'postscript', row: 6, header: 'Attributed Revenue', value: '$10,000,000,000,000,000.00', why: '10^16, one cent beyond the largest DECIMAL(18,2), written with thousands separators' });

  // --- offsets ------------------------------------------------------------------------------------
  cellCase({ name: 'ps-offset-plus-25-hours', source: ps1, platform: 'postscript', row: 5, header: 'Order Date', value: '2026-07-11T02:32:18+25:00', why: 'an offset beyond +18:00' });
  cellCase({ name: 'kl-offset-minutes-60', source: kl, platform: 'klaviyo', row: 3, header: 'Datetime', value: '2026-07-03T08:43:17-04:60', why: 'offset minutes of 60' });
  const shOrder1005 = sh.find((_, get) => get('Name') === '#1005' && get('Created at') !== '');
  cellCase({ name: 'sh-offset-minutes-75', source: sh, platform: 'shopify', row: shOrder1005, header: 'Created at', value: '2026-07-03 08:43:17 -0475', why: 'offset minutes of 75' });
  cellCase({ name: 'kl-touch-at-offset-minus-19', source: kl, platform: 'klaviyo', row: 4, header: 'Touch At', value: '2026-07-04T09:49:14-19:00', why: 'an offset beyond -18:00 in an optional column' });

  // --- other values ---------------------------------------------------------------------------------
  cellCase({ name: 'ps-revenue-ambiguous-comma', source: ps1, platform: 'postscript', row: 16, header: 'Revenue', value: '1.234,56', why: 'a decimal comma' });
  cellCase({ name: 'ps-revenue-empty', source: ps1, platform: 'postscript', row: 17, header: 'Revenue', value: '', why: 'an empty required amount' });
  cellCase({ name: 'ps-minutes-not-a-number', source: ps1, platform: 'postscript', row: 1, header: 'Minutes From Action', value: 'about 15', why: 'words where a number belongs' });
  const shLineItem = sh.find((_, get) => get('Lineitem quantity') === '1');
  cellCase({ name: 'sh-quantity-not-whole', source: sh, platform: 'shopify', row: shLineItem, header: 'Lineitem quantity', value: '1.5', why: 'half a line item' });
  cellCase({ name: 'sh-name-empty', source: sh, platform: 'shopify', row: shOrder1004, header: 'Name', value: '', why: 'a row that names no order' });
  {
    const mutated = ps1.copy().set(18, 'Order Number', '').set(18, 'Order ID', '');
    importCase({
      name: 'ps-order-id-and-name-empty',
      platform: 'postscript',
      fileName: 'ps-order-id-and-name-empty.csv',
      content: mutated.text(),
      lines: [mutated.lineOf(18)],
      column: 'Order ID',
      why: 'a claim that names no order',
    });
  }
  {
    // #1001's first row keeps only its line-item cells: the order's own fields are missing from its first row.
    const mutated = sh.copy();
    const first = mutated.find((_, get) => get('Name') === '#1001');
    for (const header of ['Created at', 'Total', 'Currency', 'Subtotal', 'Financial Status']) mutated.set(first, header, '');
    importCase({
      name: 'sh-first-row-of-order-is-bare',
      platform: 'shopify',
      fileName: 'sh-first-row-of-order-is-bare.csv',
      content: mutated.text(),
      lines: [mutated.lineOf(first)],
      column: 'Created at',
      why: "an order's first row without the order's own fields",
    });
  }

  // --- line numbers that need counting ----------------------------------------------------------------
  {
    // A problem after the record whose Notes cell spans two lines: its line is one more than its record number.
    const mutated = sh.copy();
    const notes = mutated.index('Notes');
    const multi = mutated.rows.findIndex((row) => (row[notes] ?? '').includes('\n')) + 1;
    if (multi < 1) throw new Error('the demo Shopify export has no multi-line Notes');
    const after = mutated.find((cells, get) => mutated.rows.indexOf(cells) + 1 > multi + 2 && get('Created at') !== '');
    mutated.set(after, 'Total', 'n/a');
    const line = mutated.lineOf(after);
    if (line !== after + 2) throw new Error(`expected the multi-line Notes to shift the line (row ${after}, line ${line})`);
    importCase({
      name: 'sh-error-after-multiline-notes',
      platform: 'shopify',
      fileName: 'sh-error-after-multiline-notes.csv',
      content: mutated.text(),
      lines: [line],
      column: 'Total',
      value: 'n/a',
      why: 'the line of a row that follows a quoted cell with a line break',
    });
  }
  {
    const mutated = ps1.copy().set(30, 'Attribution Type', 'clicky');
    importCase({
      name: 'ps-crlf-error-on-line-31',
      platform: 'postscript',
      fileName: 'ps-crlf-error-on-line-31.csv',
      content: mutated.text('\r\n'),
      lines: [31],
      column: 'Attribution Type',
      value: 'clicky',
      why: 'CRLF line ends count one line each',
    });
  }
  {
    const last = ps1.rows.length;
    const mutated = ps1.copy().set(last, 'Revenue', 'lots');
    importCase({
      name: 'ps-error-on-last-line',
      platform: 'postscript',
      fileName: 'ps-error-on-last-line.csv',
      content: mutated.text(),
      lines: [last + 1],
      column: 'Revenue',
      value: 'lots',
      why: 'a problem on the last line of the file',
    });
  }

  // --- rows of the wrong shape ---------------------------------------------------------------------------
  {
    const mutated = ps1.copy();
    mutated.rows[14] = mutated.row(15).slice(0, -4);
    importCase({
      name: 'ps-row-with-too-few-fields',
      platform: 'postscript',
      fileName: 'ps-row-with-too-few-fields.csv',
      content: mutated.text(),
      lines: [16],
      why: 'a row with 4 fields fewer than the header',
    });
  }
  {
    const mutated = kl.copy();
    mutated.rows[19] = mutated.row(20).slice(0, 5);
    importCase({
      name: 'kl-row-with-too-few-fields',
      platform: 'klaviyo',
      fileName: 'kl-row-with-too-few-fields.csv',
      content: mutated.text(),
      lines: [21],
      why: 'a row with 5 of 16 fields',
    });
  }
  {
    const mutated = ps1.copy();
    mutated.rows[19] = [...mutated.row(20), 'surplus', 'more'];
    importCase({
      name: 'ps-row-with-too-many-fields',
      platform: 'postscript',
      fileName: 'ps-row-with-too-many-fields.csv',
      content: mutated.text(),
      lines: [21],
      value: 'surplus,more',
      why: 'a row with 2 fields more than the header',
    });
  }
  {
    const mutated = sh.copy();
    const row = mutated.find((_, get) => get('Name') === '#1006');
    mutated.rows[row - 1] = [...mutated.row(row), 'extra'];
    importCase({
      name: 'sh-row-with-too-many-fields',
      platform: 'shopify',
      fileName: 'sh-row-with-too-many-fields.csv',
      content: mutated.text(),
      lines: [mutated.lineOf(row)],
      value: 'extra',
      why: 'a Shopify row with one field more than its 79 headers',
    });
  }
  {
    const surplus = Array.from({ length: 3000 }, (_, index) => `surplus-cell-${index}`);
    const mutated = ps1.copy();
    mutated.rows[24] = [...mutated.row(25), ...surplus];
    importCase({
      name: 'ps-row-with-3000-extra-fields',
      platform: 'postscript',
      fileName: 'ps-row-with-3000-extra-fields.csv',
      content: mutated.text(),
      lines: [26],
      value: surplus.join(','),
      why: 'a row whose surplus is 50 KB: the message must cut the value',
    });
  }
  {
    const mutated = ps1.copy();
    mutated.rows[4] = mutated.row(5).slice(0, 6);
    mutated.rows[8] = [...mutated.row(9), 'x', 'y', 'z'];
    mutated.rows[12] = mutated.row(13).slice(0, 10);
    importCase({
      name: 'ps-ragged-rows',
      platform: 'postscript',
      fileName: 'ps-ragged-rows.csv',
      content: mutated.text(),
      lines: [6, 10, 14],
      why: 'three rows of 6, 17 and 10 fields under a 14-field header',
    });
  }
  {
    const value = 'click'.repeat(1000);
    const mutated = ps1.copy().set(11, 'Attribution Type', value);
    importCase({
      name: 'ps-5000-character-value',
      platform: 'postscript',
      fileName: 'ps-5000-character-value.csv',
      content: mutated.text(),
      lines: [12],
      column: 'Attribution Type',
      value,
      why: 'a 5000-character cell: the message must cut it to about 60 characters',
    });
  }

  // --- bytes that are not text, or not this text ---------------------------------------------------------
  {
    const mutated = ps1.copy().set(8, 'Message Name', 'Abandoned\u0000Cart 2');
    importCase({
      name: 'ps-nul-byte-in-cell',
      platform: 'postscript',
      fileName: 'ps-nul-byte-in-cell.csv',
      content: mutated.text(),
      lines: [9],
      column: 'Message Name',
      valueStart: 'Abandoned',
      mentions: [/^[^\0]*$/],
      why: 'a NUL byte inside a cell (the message names the value up to it and prints no NUL)',
    });
  }
  {
    const mutated = sh.copy();
    const row = mutated.find((_, get) => get('Name') === '#1007');
    mutated.set(row, 'Lineitem name', `${mutated.get(row, 'Lineitem name')}\u0000`);
    importCase({
      name: 'sh-nul-byte-in-cell',
      platform: 'shopify',
      fileName: 'sh-nul-byte-in-cell.csv',
      content: mutated.text(),
      lines: [mutated.lineOf(row)],
      column: 'Lineitem name',
      mentions: [/^[^\0]*$/],
      why: 'a NUL byte at the end of a Shopify cell',
    });
  }
  {
    const row = kl.find((_, get) => get('Message Name') === 'Welcome Series: Email 1');
    const mutated = kl.copy().set(row, 'Message Name', 'Welcome S\u00e9ries: Email 1');
    const text = mutated.text();
    if (!/^[\x00-\xff]*$/.test(text)) throw new Error('the Klaviyo demo export is not Latin-1 encodable');
    importCase({
      name: 'kl-latin1-e-acute',
      platform: 'klaviyo',
      fileName: 'kl-latin1-e-acute.csv',
      content: Buffer.from(text, 'latin1'),
      lines: [mutated.lineOf(row)],
      column: 'Message Name',
      valueStart: 'Welcome S',
      why: 'a Latin-1 file: é is the byte 0xE9',
    });
  }
  importCase({
    name: 'ps-utf16le-with-bom',
    platform: 'postscript',
    fileName: 'ps-utf16le-with-bom.csv',
    content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ps1.text(), 'utf16le')]),
    lines: [1],
    mentions: [/UTF-16/],
    why: 'a UTF-16 LE file with its byte order mark',
  });
  importCase({
    name: 'ps-gzip-compressed',
    platform: 'postscript',
    fileName: 'ps-gzip-compressed.csv.gz',
    content: gzipSync(readFileSync(join(DEMO, PS1))),
    lines: [1],
    why: 'a gzip-compressed export',
  });

  // --- headers ------------------------------------------------------------------------------------------
  {
    const mutated = ps1.copy();
    mutated.header.push('Revenue');
    mutated.rows = mutated.rows.map((row) => [...row, '0.00']);
    importCase({
      name: 'ps-duplicate-header-revenue',
      platform: 'postscript',
      fileName: 'ps-duplicate-header-revenue.csv',
      content: mutated.text(),
      lines: [1],
      column: 'Revenue',
      why: 'two columns named Revenue with different amounts: which one is the revenue?',
    });
  }
  {
    const mutated = sh.copy();
    mutated.header.push('Total');
    mutated.rows = mutated.rows.map((row) => [...row, row[mutated.index('Total')] === '' ? '' : '1.00']);
    importCase({
      name: 'sh-duplicate-header-total',
      platform: 'shopify',
      fileName: 'sh-duplicate-header-total.csv',
      content: mutated.text(),
      lines: [1],
      column: 'Total',
      why: 'two columns named Total',
    });
  }

  // --- files that are not exports ------------------------------------------------------------------------
  {
    // 60 lines: the header and the first 59 rows; line 10 opens a quote that nothing closes.
    const lines = writeCsv([ps1.header, ...ps1.rows.slice(0, 59)]).split('\n');
    const target = lines[9] ?? '';
    const cells = target.split(',');
    cells[7] = `"${cells[7]}`;
    lines[9] = cells.join(',');
    const text = lines.join('\n');
    const quote = text.indexOf('"');
    if (text.split('\n').length !== 61 || text.slice(0, quote).split('\n').length !== 10 || text.indexOf('"', quote + 1) !== -1) {
      throw new Error('the unterminated-quote file is not as intended');
    }
    importCase({
      name: 'ps-unterminated-quote-on-line-10',
      platform: 'postscript',
      fileName: 'ps-unterminated-quote-on-line-10.csv',
      content: text,
      lines: [10],
      why: 'a quote opened on line 10 of 60 that nothing closes',
    });
  }
  {
    // Every row of the first report, again and again, on one line: 10 MB with no line break at all.
    const unit = writeCsv(ps1.rows).replace(/\n/g, ',');
    const text = unit.repeat(Math.ceil((10 * 1024 * 1024) / unit.length)).replace(/,$/, '');
    importCase({
      name: 'ps-10mb-single-line',
      platform: 'postscript',
      fileName: 'ps-10mb-single-line.csv',
      content: text,
      lines: [1],
      why: 'a 10 MB file of one line (its "header" is 1.5 million cells)',
    });
  }
  importCase({ name: 'empty-file-0-bytes', platform: 'postscript', fileName: 'empty-file-0-bytes.csv', content: '', lines: [1], why: 'a 0-byte file' });
  importCase({
    name: 'kl-header-only-without-window',
    platform: 'klaviyo',
    fileName: 'kl-header-only-without-window.csv',
    content: writeCsv([kl.header]),
    lines: [1],
    mentions: ['--from', '--to'],
    why: 'a header and no rows, without --from/--to',
  });
  importCase({ name: 'bom-only', platform: 'shopify', fileName: 'bom-only.csv', content: Buffer.from([0xef, 0xbb, 0xbf]), lines: [1], why: 'a UTF-8 byte order mark and nothing else' });
  importCase({ name: 'blank-lines-only', platform: 'postscript', fileName: 'blank-lines-only.csv', content: '\n\r\n\n', lines: [1], why: 'line breaks and nothing else' });

  // --- the wrong platform -------------------------------------------------------------------------------
  importCase({
    name: 'klaviyo-file-imported-as-postscript',
    platform: 'postscript',
    fileName: 'klaviyo-file-imported-as-postscript.csv',
    content: readFileSync(join(DEMO, KL)),
    lines: [1],
    mentions: ['lasttouch import klaviyo'],
    why: 'a Klaviyo export given as Postscript',
  });
  importCase({
    name: 'shopify-file-imported-as-klaviyo',
    platform: 'klaviyo',
    fileName: 'shopify-file-imported-as-klaviyo.csv',
    content: readFileSync(join(DEMO, SH)),
    lines: [1],
    mentions: ['lasttouch import shopify'],
    why: 'a Shopify export given as Klaviyo',
  });
  importCase({
    name: 'postscript-file-imported-as-shopify',
    platform: 'shopify',
    fileName: 'postscript-file-imported-as-shopify.csv',
    content: readFileSync(join(DEMO, PS2)),
    lines: [1],
    mentions: ['lasttouch import postscript'],
    why: 'a Postscript export given as Shopify',
  });

  // --- paths that are not files ---------------------------------------------------------------------------
  {
    const folder = join(dir, 'export-folder.csv');
    mkdirSync(folder, { recursive: true });
    cases.push({ name: 'directory-as-file', args: ['import', 'postscript', folder, '--client', DEMO_CLIENT], exit: 1, file: 'export-folder.csv', mentions: [/not a file|directory/i], why: 'a folder given as the export' });
    const absent = join(dir, 'no-such-export.csv');
    cases.push({ name: 'missing-file', args: ['import', 'postscript', absent, '--client', DEMO_CLIENT], exit: 1, file: 'no-such-export.csv', mentions: [/no such file|does not exist|not found/i], why: 'an export that is not there' });
  }

  // --- --columns ---------------------------------------------------------------------------------------------
  {
    // The first report with "Revenue" renamed to "Gross": it needs a mapping, and its bytes are new.
    const renamed = ps1.copy();
    renamed.header[renamed.index('Revenue')] = 'Gross';
    const data = write('ps-revenue-renamed-gross.csv', renamed.text());
    const mapCase = (name: string, mapName: string, map: string | null, expect: Partial<CorpusCase> & { file: string }): void => {
      const mapPath = map === null ? join(dir, mapName) : write(mapName, map);
      cases.push({ name, args: ['import', 'postscript', data, '--client', DEMO_CLIENT, '--columns', mapPath], exit: 1, why: '', ...expect });
    };
    mapCase('columns-map-not-json', 'map-not-json.json', '{revenue: Gross,}', { file: 'map-not-json.json', lines: [1], mentions: [/JSON/], why: 'a mapping that is not JSON' });
    mapCase('columns-map-is-an-array', 'map-array.json', '["revenue", "Gross"]', { file: 'map-array.json', lines: [1], why: 'a mapping that is not an object' });
    mapCase('columns-map-unknown-canonical', 'map-unknown.json', JSON.stringify({ revnue: 'Gross' }), { file: 'map-unknown.json', lines: [1], column: 'revnue', value: 'Gross', why: 'a mapping key that is no canonical Postscript column' });
    mapCase('columns-map-header-not-in-file', 'map-absent.json', JSON.stringify({ revenue: 'Gross Sales' }), { file: 'ps-revenue-renamed-gross.csv', lines: [1], missing: ['revenue'], mentions: ['Gross Sales'], why: 'a mapping to a header the file does not have' });
    mapCase('columns-map-file-missing', 'map-nowhere.json', null, { file: 'map-nowhere.json', lines: [1], why: 'a mapping file that is not there' });
    mapCase('columns-map-empty-header', 'map-blank.json', JSON.stringify({ revenue: '' }), { file: 'map-blank.json', lines: [1], column: 'revenue', why: 'a mapping to an empty header' });
  }

  // --- usage errors: the window -----------------------------------------------------------------------------
  {
    const valid = write('ps-valid-for-usage-errors.csv', freshPostscript('7'));
    const usage = (name: string, extra: string[], mentions: (string | RegExp)[], why: string): void => {
      cases.push({ name, args: ['import', 'postscript', valid, '--client', DEMO_CLIENT, ...extra], exit: 2, file: null, mentions, why });
    };
    usage('from-not-a-date', ['--from', 'yesterday', '--to', '2026-09-14'], ['--from', '"yesterday"'], '--from that is not a date');
    usage('to-impossible-date', ['--from', '2026-07-01', '--to', '2026-09-31'], ['--to', '"2026-09-31"'], '--to on a day September does not have');
    usage('from-us-syntax', ['--from', '07/01/2026', '--to', '2026-09-14'], ['--from', '07/01/2026'], '--from in US syntax');
    usage('from-after-to', ['--from', '2026-09-14', '--to', '2026-07-01'], ['--from', '--to', '2026-09-14', '2026-07-01'], 'a window that runs backwards');
    usage('from-without-to', ['--from', '2026-07-01'], ['--from', '--to'], '--from alone');
    usage('to-without-from', ['--to', '2026-09-14'], ['--from', '--to'], '--to alone');
    usage('both-view-only-flags', ['--exclude-view-only', '--include-view-only'], ['--exclude-view-only', '--include-view-only'], 'two view-only flags that contradict each other');
    cases.push({ name: 'unknown-platform', args: ['import', 'tiktok', valid, '--client', DEMO_CLIENT], exit: 2, file: null, mentions: ['tiktok'], why: 'a platform lasttouch does not know' });
    cases.push({ name: 'client-option-missing', args: ['import', 'postscript', valid], exit: 2, file: null, mentions: ['--client'], why: 'no --client at all' });

    // --- usage errors: client ids --------------------------------------------------------------------------
    const badIds: Array<[string, string, string]> = [
      ['client-id-empty', '', 'an empty client id'],
      ['client-id-with-space', 'Acme Co', 'a client id with a space (and upper case)'],
      ['client-id-sql-injection', "acme'; drop table meta.uploads; --", 'a client id that is an SQL injection'],
      ['client-id-path-traversal', '../etc', 'a client id that climbs out of a folder'],
      ['client-id-65-characters', `a${'b'.repeat(64)}`, 'a client id of 65 characters'],
      ['client-id-leading-dash', '-acme', "a client id starting with '-'"],
      ['client-id-leading-dot', '.acme', "a client id starting with '.'"],
      ['client-id-upper-case', 'Acme', 'a client id with an upper-case letter'],
    ];
    for (const [name, id, why] of badIds) {
      cases.push({
        name,
        // --client=VALUE, so that an id starting with '-' reaches the rule instead of looking like an option.
        args: ['import', 'postscript', valid, `--client=${id}`],
        exit: 2,
        file: null,
        ...(id === '' ? {} : { value: id }),
        mentions: CLIENT_RULE,
        why: `${why} (valid: 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit)`,
      });
    }
  }

  // --- a warehouse path that does not exist yet ---------------------------------------------------------
  {
    const bad = ps1.copy().set(7, 'Attribution Type', 'Clicked Twice');
    const path = write('fresh-db-refused-content.csv', bad.text());
    cases.push({ name: 'fresh-db-refused-content', args: ['import', 'postscript', path, '--client', NEW_CLIENT], exit: 1, file: 'fresh-db-refused-content.csv', lines: [8], column: 'Attribution Type', value: 'Clicked Twice', freshDb: true, why: 'a refused file into a new --db path leaves no file there' });
    cases.push({ name: 'fresh-db-missing-file', args: ['import', 'postscript', join(dir, 'not-here.csv'), '--client', NEW_CLIENT], exit: 1, file: 'not-here.csv', freshDb: true, why: 'a missing file into a new --db path leaves no file there' });
    const valid = write('fresh-db-valid.csv', freshPostscript('6'));
    cases.push({ name: 'fresh-db-bad-client-id', args: ['import', 'postscript', valid, '--client', 'Acme Co'], exit: 2, file: null, value: 'Acme Co', mentions: CLIENT_RULE, freshDb: true, why: 'a refused client id with a new --db path leaves no file there' });
  }

  const names = new Set<string>();
  for (const corpusCase of cases) {
    if (names.has(corpusCase.name)) throw new Error(`two corpus cases are named ${corpusCase.name}`);
    names.add(corpusCase.name);
  }
  return cases;
}
