// What is read outside a file's cells: dates on the command line, time zone names, and how a message
// quotes a value. The cells themselves are read by the macros of sql/ingest/values.sql, whose cases are
// the table test/value-cases.tsv (test/integration/value-rules.test.ts). No database.
import { describe, expect, it } from 'vitest';
import { quoted, shown } from '../../src/ingest/errors.js';
import { isValidTimeZone, parseDate, type Parsed } from '../../src/ingest/values.js';

function value<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(`expected a value, got the problem "${parsed.problem}"`);
  return parsed.value;
}

describe('shown: how a message quotes a value', () => {
  it('shows a short value as it is', () => {
    expect(shown('1.234,56')).toBe('1.234,56');
    expect(quoted('x'.repeat(60))).toBe(`"${'x'.repeat(60)}"`);
  });

  it('cuts a long value to its first 60 characters and gives its length', () => {
    expect(shown('x'.repeat(61))).toBe(`${'x'.repeat(60)}… (61 characters)`);
    expect(quoted('click'.repeat(1000))).toBe(`"${'click'.repeat(12)}… (5000 characters)"`);
    expect(shown('y'.repeat(10 * 1024 * 1024))).toHaveLength(60 + '… (10485760 characters)'.length);
    // characters, not UTF-16 units
    expect(shown('☕'.repeat(61))).toBe(`${'☕'.repeat(60)}… (61 characters)`);
  });

  it('writes out the bytes a terminal would act on', () => {
    expect(shown('Ca\u0000mp')).toBe('Ca\\x00mp');
    expect(shown('two\nlines\r')).toBe('two\\nlines\\r');
    expect(shown('\u001b[31mred')).toBe('\\x1B[31mred');
    expect(shown('Ren\\xE9')).toBe('Ren\\xE9');
  });
});

describe('parseDate', () => {
  it('accepts YYYY-MM-DD', () => {
    expect(value(parseDate('2026-08-03'))).toBe('2026-08-03');
    expect(value(parseDate(' 2024-02-29 '))).toBe('2024-02-29');
  });

  it.each(['2026-02-29', '2026-02-30', '2026-13-01', '2026-8-3', '08/03/2026', 'tomorrow', ''])('refuses %j', (raw) => {
    expect(parseDate(raw).ok).toBe(false);
  });
});

describe('isValidTimeZone', () => {
  it('knows IANA zones and refuses invented ones', () => {
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('New York')).toBe(false);
  });
});

