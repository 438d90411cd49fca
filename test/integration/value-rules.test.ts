// The value rules, sql/ingest/values.sql, against their cases in test/value-cases.tsv (the file's header
// says how a case is written). Each case is run in a real DuckDB as the importer runs it: the cell cleaned
// with lt_clean, then read with the kind's macros, which give the value and the problem. For every cell
// that is not empty, exactly one of the two is NULL. Naive timestamps with a zone are also turned into
// instants with lt_instant (sql/macros/time.sql), as a build does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { ROOT } from '../helpers.js';

const KINDS = ['money', 'cents', 'currency', 'integer', 'number', 'timestamp', 'timestamp_or_epoch', 'phone', 'clean'] as const;
type Kind = (typeof KINDS)[number];

interface Case {
  line: number;
  kind: Kind;
  input: string;
  zone: string;
  expected: string;
}

/** \t, \n, \r, \\ and \uXXXX, as the case file writes them. */
function unescape(text: string): string {
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|([tnr\\]))/g, (match, hex: string | undefined, letter: string | undefined) => {
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    return { t: '\t', n: '\n', r: '\r', '\\': '\\' }[letter ?? ''] ?? match;
  });
}

function readCases(): Case[] {
  const lines = readFileSync(join(ROOT, 'test', 'value-cases.tsv'), 'utf8').split(/\r?\n/);
  const cases: Case[] = [];
  let header: string | null = null;
  lines.forEach((text, index) => {
    if (text.trim() === '' || text.startsWith('#')) return;
    if (header === null) {
      header = text;
      if (header !== 'kind\tinput\tzone\texpected') throw new Error(`test/value-cases.tsv: unexpected header ${JSON.stringify(header)}`);
      return;
    }
    // An editor may drop trailing tabs: a missing field is empty.
    const [kind = '', input = '', zone = '', expected = '', ...rest] = text.split('\t');
    if (rest.length > 0 || !(KINDS as readonly string[]).includes(kind)) {
      throw new Error(`test/value-cases.tsv line ${index + 1}: not a case: ${JSON.stringify(text)}`);
    }
    cases.push({ line: index + 1, kind: kind as Kind, input: unescape(input), zone, expected });
  });
  return cases;
}

// Each kind's value, problem and whether the value IS NULL, of the cleaned cell t (from_amount is a currency
// case's second part); then the value as the cases write it (NULL for none), of v (the value) and zone.
const WALL = (w: string): string =>
  `strftime(${w}, '%Y-%m-%d %H:%M:%S') || CASE WHEN strftime(${w}, '%f') = '000000' THEN '' ELSE '.' || strftime(${w}, '%f') END`;
const OFFSET = `CASE WHEN v.offset_minutes IS NULL THEN ''
  ELSE CASE WHEN v.offset_minutes < 0 THEN '-' ELSE '+' END
    || lpad((abs(v.offset_minutes) // 60)::VARCHAR, 2, '0') || ':' || lpad((abs(v.offset_minutes) % 60)::VARCHAR, 2, '0')
END`;
const INSTANT = `CASE WHEN zone IS NULL THEN '' ELSE ' => ' || replace(${WALL("timezone('UTC', instant)")}, ' ', 'T') || 'Z' END`;
const WRITTEN = `CASE WHEN v IS NOT NULL THEN ${WALL('v.wall')} || ${OFFSET} || ${INSTANT} END`;
const AMOUNT = `CASE WHEN v IS NOT NULL THEN v::VARCHAR || coalesce(' ' || currency, '') END`;

interface Read {
  /** The value v, and where the text needs them, the amount's currency and the instant. */
  read: string;
  problem: string;
  text: string;
}

const READ: Record<Kind, Read> = {
  money: { read: 'lt_money(t) AS v, lt_money_currency(t) AS currency', problem: 'lt_money_problem(t)', text: AMOUNT },
  cents: { read: 'lt_cents(t) AS v, lt_money_currency(t, in_cents := true) AS currency', problem: 'lt_cents_problem(t)', text: AMOUNT },
  currency: { read: 'lt_currency(t, from_amount) AS v', problem: 'lt_currency_problem(t, from_amount)', text: 'v' },
  integer: { read: 'lt_integer(t) AS v', problem: 'lt_integer_problem(t)', text: 'v::VARCHAR' },
  // A DOUBLE, written by String() below, as the cases write it.
  number: { read: 'lt_number(t) AS v', problem: 'lt_number_problem(t)', text: 'v' },
  timestamp: { read: 'lt_timestamp(t) AS v', problem: 'lt_timestamp_problem(t)', text: WRITTEN },
  timestamp_or_epoch: { read: 'lt_timestamp_or_epoch(t) AS v', problem: 'lt_timestamp_or_epoch_problem(t)', text: WRITTEN },
  phone: { read: 'lt_phone_e164(t) AS v', problem: 'NULL', text: 'v' },
  clean: { read: 't AS v', problem: 'NULL', text: 'v' },
};

/** The kinds that have problems: for a cell that is not empty, value and problem are never both NULL. */
const WITH_PROBLEMS: ReadonlySet<Kind> = new Set(['money', 'cents', 'currency', 'integer', 'number', 'timestamp', 'timestamp_or_epoch']);

function query(kind: Kind, cells = "lt_clean($1::VARCHAR) AS t, nullif($2::VARCHAR, '') AS from_amount, nullif($3::VARCHAR, '') AS zone"): string {
  const { read, problem, text } = READ[kind];
  const instant = kind.startsWith('timestamp') ? ', lt_instant(v, zone) AS instant' : '';
  return `SELECT t, ${text} AS value, problem, v IS NULL AS value_is_null
    FROM (SELECT *${instant} FROM (SELECT t, zone, ${read}, ${problem} AS problem FROM (SELECT ${cells})))`;
}

/** A case's input as the macros get it: the cell, and for currency the code written with the amount. */
function parameters(c: Case): [string, string, string] {
  if (c.kind !== 'currency') return [c.input, '', c.zone];
  const bar = c.input.lastIndexOf('|');
  if (bar < 0) throw new Error(`test/value-cases.tsv line ${c.line}: a currency case is cell|from_amount`);
  return [c.input.slice(0, bar), c.input.slice(bar + 1), c.zone];
}

function expectedOf(c: Case): { value: string | null; problem: string | null } {
  if (c.expected.startsWith('problem: ')) return { value: null, problem: c.expected.slice('problem: '.length) };
  if (c.expected === 'NULL' && c.kind !== 'clean') return { value: null, problem: null };
  return { value: unescape(c.expected), problem: null };
}

/** A value as the cases write it (a DOUBLE by JavaScript's String()). */
function text(value: DuckDBValue): string | null {
  return value === null ? null : String(value);
}

function shortened(input: string): string {
  const shown = JSON.stringify(input);
  return shown.length > 70 ? `${shown.slice(0, 60)}… (${input.length} characters)` : shown;
}

const CASES = readCases();

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  // Each file as one multi-statement string, as the importer and the build run them.
  await connection.run(readFileSync(join(ROOT, 'sql', 'ingest', 'values.sql'), 'utf8'));
  await connection.run(readFileSync(join(ROOT, 'sql', 'macros', 'time.sql'), 'utf8'));
});

afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
});

describe('test/value-cases.tsv', () => {
  it('has the cases of every kind', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CASES.map((c) => c.kind))).toEqual(new Set(KINDS));
    // A zone only with a timestamp, whose expected value then gives the instant.
    for (const c of CASES.filter((c) => c.zone !== '')) {
      expect(c.kind, `line ${c.line}`).toMatch(/^timestamp/);
      expect(c.expected, `line ${c.line}`).toMatch(/^problem: | => \d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/);
    }
  });
});

describe('the value rules', () => {
  it.each(CASES.map((c) => [`${c.kind} ${shortened(c.input)}${c.zone ? ` in ${c.zone}` : ''} (line ${c.line})`, c] as const))(
    '%s',
    async (_name, c) => {
      const reader = await connection.runAndReadAll(query(c.kind), parameters(c));
      const [row] = reader.getRowObjects();
      if (row === undefined) throw new Error('no row');
      const got = { value: text(row.value ?? null), problem: text(row.problem ?? null) };
      expect(got).toEqual(expectedOf(c));
      if (WITH_PROBLEMS.has(c.kind) && row.t !== '') {
        expect(row.value_is_null, 'the value is NULL exactly when there is a problem').toBe(got.problem !== null);
      }
    },
  );

  it('never raises an error, even where DuckDB folds a constant cell', async () => {
    const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
    for (const c of CASES) {
      const [cell, fromAmount] = parameters(c);
      // The macros straight on a literal, which DuckDB folds while it plans the query.
      const on = (sql: string): string =>
        sql.replace(/\bt\b/g, () => `lt_clean(${literal(cell)})`).replace(/\bfrom_amount\b/g, () => `nullif(${literal(fromAmount)}, '')`);
      const sql = `SELECT ${on(READ[c.kind].read)}, ${on(READ[c.kind].problem)} AS problem`;
      await expect(connection.runAndReadAll(sql), `line ${c.line}`).resolves.toBeDefined();
    }
  });

  it('reads a NULL cell as an empty one', async () => {
    const reader = await connection.runAndReadAll(`SELECT
      lt_clean(NULL) AS clean, lt_money(NULL) AS money, lt_money_problem(NULL) AS money_problem, lt_money_currency(NULL) AS money_currency,
      lt_cents(NULL) AS cents, lt_cents_problem(NULL) AS cents_problem, lt_currency(NULL, 'EUR') AS currency,
      lt_currency_problem(NULL, 'EUR') AS currency_problem, lt_integer(NULL) AS integer, lt_integer_problem(NULL) AS integer_problem,
      lt_number(NULL) AS number, lt_number_problem(NULL) AS number_problem, lt_timestamp(NULL) AS timestamp,
      lt_timestamp_problem(NULL) AS timestamp_problem, lt_timestamp_or_epoch(NULL) AS timestamp_or_epoch,
      lt_timestamp_or_epoch_problem(NULL) AS timestamp_or_epoch_problem, lt_phone_e164(NULL) AS phone`);
    const [row] = reader.getRowObjects();
    expect(row).toEqual({
      clean: '',
      money: null,
      money_problem: null,
      money_currency: null,
      cents: null,
      cents_problem: null,
      currency: 'EUR',
      currency_problem: null,
      integer: null,
      integer_problem: null,
      number: null,
      number_problem: null,
      timestamp: null,
      timestamp_problem: null,
      timestamp_or_epoch: null,
      timestamp_or_epoch_problem: null,
      phone: null,
    });
  });
});
