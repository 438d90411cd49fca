// Reading single cells: money, timestamps, dates, phones and text, as docs/formats.md ("Values") describes
// them. No database.
import { describe, expect, it } from 'vitest';
import { quoted, shown } from '../../src/ingest/errors.js';
import {
  centsToDecimalString,
  cleanText,
  isValidTimeZone,
  MAX_AMOUNT_CENTS,
  parseDate,
  parseInteger,
  parseMoney,
  parseNumber,
  parseTimestamp,
  parseTimestampOrEpoch,
  phoneToE164,
  type Parsed,
} from '../../src/ingest/values.js';
import { isoFromMicros } from '../../src/warehouse/values.js';

function value<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(`expected a value, got the problem "${parsed.problem}"`);
  return parsed.value;
}

function problem<T>(parsed: Parsed<T>): string {
  if (parsed.ok) throw new Error(`expected a problem, got the value ${String(parsed.value)}`);
  return parsed.problem;
}

/** Microseconds since the epoch for an ISO instant. */
function micros(iso: string): bigint {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) throw new Error(`bad test instant ${iso}`);
  return BigInt(millis) * 1000n;
}


describe('parseMoney', () => {
  it.each([
    ['1234.56', 123456n],
    ['1,234.56', 123456n],
    ['$1,234.56', 123456n],
    ['1,234,567.89', 123456789n],
    ['0.5', 50n],
    ['12', 1200n],
    ['12.3', 1230n],
    ['-12.00', -1200n],
    ['(12.00)', -1200n],
    ['($1,234.56)', -123456n],
    ['-$5', -500n],
    ['$-5', -500n],
    ['  42.10  ', 4210n],
    ["'42.10", 4210n],
    ['€9.99', 999n],
  ])('reads %j as %d cents', (raw, cents) => {
    const money = value(parseMoney(raw));
    expect(money.cents).toBe(cents);
    expect(money.currency).toBeNull();
  });

  it('captures a currency code written before or after the amount', () => {
    expect(value(parseMoney('USD 1234.56'))).toEqual({ cents: 123456n, currency: 'USD' });
    expect(value(parseMoney('USD1234.56'))).toEqual({ cents: 123456n, currency: 'USD' });
    expect(value(parseMoney('12.00 EUR'))).toEqual({ cents: 1200n, currency: 'EUR' });
    expect(value(parseMoney('cad -3.50'))).toEqual({ cents: -350n, currency: 'CAD' });
  });

  it('reads a cents column as whole cents', () => {
    expect(value(parseMoney('1234', { inCents: true })).cents).toBe(1234n);
    expect(value(parseMoney('-99', { inCents: true })).cents).toBe(-99n);
    expect(value(parseMoney('0', { inCents: true })).cents).toBe(0n);
    expect(problem(parseMoney('12.34', { inCents: true }))).toMatch(/whole number of cents/);
  });

  it('refuses an empty cell', () => {
    expect(problem(parseMoney(''))).toMatch(/empty/);
    expect(problem(parseMoney('   '))).toMatch(/empty/);
  });

  it.each(['1.234,56', '12,34', '1234,56', '1,23', '1,2345.00'])('refuses the ambiguous amount %j', (raw) => {
    expect(problem(parseMoney(raw))).toMatch(/ambiguous|not an amount/);
  });

  it.each(['abc', 'USD', '1e5', '12.34.56', '--5', '$', 'twelve', '12 34', '0x10'])('refuses %j as not an amount', (raw) => {
    expect(parseMoney(raw).ok).toBe(false);
  });

  it('refuses two minus signs', () => {
    expect(problem(parseMoney('(-12.00)'))).toMatch(/two minus signs/);
  });

  it('refuses more than 2 decimals, which would be silently rounded', () => {
    expect(problem(parseMoney('12.345'))).toMatch(/more than 2 decimal places/);
    expect(problem(parseMoney('0.001'))).toMatch(/more than 2 decimal places/);
    expect(problem(parseMoney('1,234.567'))).toMatch(/more than 2 decimal places/);
  });

  it('accepts a float artefact of an exact cent amount', () => {
    expect(value(parseMoney('54.990000000001')).cents).toBe(5499n);
    expect(value(parseMoney('54.989999999999')).cents).toBe(5499n);
    expect(value(parseMoney('0.30000000000000004')).cents).toBe(30n);
    expect(value(parseMoney('-19.9900000001')).cents).toBe(-1999n);
    expect(value(parseMoney('12.500')).cents).toBe(1250n);
  });

  describe('the accepted range, up to 9,999,999,999.99 either way', () => {
    it('accepts the largest amount in every form', () => {
      expect(MAX_AMOUNT_CENTS).toBe(999_999_999_999n);
      for (const raw of ['9999999999.99', '9,999,999,999.99', '$9,999,999,999.99', 'USD 9999999999.99', '0009999999999.99']) {
        expect(value(parseMoney(raw)).cents, raw).toBe(MAX_AMOUNT_CENTS);
      }
      expect(value(parseMoney('-9999999999.99')).cents).toBe(-MAX_AMOUNT_CENTS);
      expect(value(parseMoney('(9,999,999,999.99)')).cents).toBe(-MAX_AMOUNT_CENTS);
      expect(value(parseMoney('999999999999', { inCents: true })).cents).toBe(MAX_AMOUNT_CENTS);
      expect(value(parseMoney('9999999999.990000000001')).cents).toBe(MAX_AMOUNT_CENTS);
    });

    it.each([
      ['twenty digits, which DECIMAL(18,2) would wrap', '12345678901234567890.00'],
      ['one cent beyond the largest', '10000000000.00'],
      ['one cent beyond the smallest', '-10000000000'],
      ['DECIMAL(18,2) plus one cent, with separators', '$10,000,000,000,000,000.00'],
      ['beyond DECIMAL(18,2)', '99999999999999999.99'],
      ['rounding that would reach 10^10', '9999999999.995'],
      ['400 digits, which no float holds', `${'9'.repeat(400)}.001`],
    ])('refuses %s', (_what, raw) => {
      expect(problem(parseMoney(raw))).toMatch(/beyond the accepted range of amounts \(-9,999,999,999\.99 to 9,999,999,999\.99\)|more than 2 decimal places/);
    });

    it('refuses amounts beyond the range even where they are whole cents', () => {
      expect(problem(parseMoney('12345678901234567890.00'))).toMatch(/beyond the accepted range/);
      expect(problem(parseMoney('1000000000000', { inCents: true }))).toMatch(/beyond the accepted range/);
      expect(problem(parseMoney('-1234567890123456789012', { inCents: true }))).toMatch(/beyond the accepted range/);
    });
  });

  it('prints cents back as a decimal string', () => {
    expect(centsToDecimalString(123456n)).toBe('1234.56');
    expect(centsToDecimalString(-5n)).toBe('-0.05');
    expect(centsToDecimalString(0n)).toBe('0.00');
    expect(centsToDecimalString(-1200n)).toBe('-12.00');
  });
});

/** A timestamp as read: its wall-clock time in ISO form (no zone) and its offset in minutes, or null. */
function written(raw: string): { wall: string; offset: number | null } {
  const result = value(parseTimestamp(raw));
  const iso = isoFromMicros(result.wallMicros);
  return { wall: iso.slice(0, -1), offset: result.offsetMinutes };
}

// The cell reader keeps a timestamp as written; instants are the build's (sql/macros/time.sql, whose
// zone and daylight-saving cases are in test/integration/time-macros.test.ts).
describe('parseTimestamp', () => {
  it('keeps Z and explicit offsets with the wall time as written', () => {
    for (const [raw, wall, offset] of [
      ['2025-10-07T07:50:26Z', '2025-10-07T07:50:26.000', 0],
      ['2025-10-07 07:50:26Z', '2025-10-07T07:50:26.000', 0],
      ['2025-10-07 07:50:26 UTC', '2025-10-07T07:50:26.000', 0],
      ['2025-10-07 09:50:26 +0200', '2025-10-07T09:50:26.000', 120],
      ['2025-10-07T09:50:26+02:00', '2025-10-07T09:50:26.000', 120],
      ['2025-10-07 09:50:26+02', '2025-10-07T09:50:26.000', 120],
      ['2025-10-07T03:50:26-0400', '2025-10-07T03:50:26.000', -240],
      ['2025-10-07 03:50:26 -04:00', '2025-10-07T03:50:26.000', -240],
      ['2025-10-07T13:20:26+05:30', '2025-10-07T13:20:26.000', 330],
    ] as const) {
      expect(written(raw), raw).toEqual({ wall, offset });
    }
  });

  it('reads a naive timestamp, with T or a space, as a wall time without offset', () => {
    expect(written('2025-10-07 09:50:26')).toEqual({ wall: '2025-10-07T09:50:26.000', offset: null });
    expect(written('2025-10-07T09:50:26')).toEqual({ wall: '2025-10-07T09:50:26.000', offset: null });
    expect(written('2025-10-07 09:50')).toEqual({ wall: '2025-10-07T09:50:00.000', offset: null });
  });

  it('reads a date alone as 00:00', () => {
    expect(written('2026-07-01')).toEqual({ wall: '2026-07-01T00:00:00.000', offset: null });
  });

  it('reads US month/day/year with AM and PM', () => {
    const wall = (raw: string): string => written(raw).wall;
    expect(wall('10/07/2025 9:50 AM')).toBe('2025-10-07T09:50:00.000');
    expect(wall('10/07/2025 9:50 PM')).toBe('2025-10-07T21:50:00.000');
    expect(wall('10/07/2025 9:50pm')).toBe('2025-10-07T21:50:00.000');
    expect(wall('10/07/2025 12:05 AM')).toBe('2025-10-07T00:05:00.000');
    expect(wall('10/07/2025 12:05 PM')).toBe('2025-10-07T12:05:00.000');
    expect(wall('10/07/2025 21:50:15')).toBe('2025-10-07T21:50:15.000');
    expect(wall('1/2/2026')).toBe('2026-01-02T00:00:00.000');
    expect(written('10/07/2025 9:50 AM -0400')).toEqual({ wall: '2025-10-07T09:50:00.000', offset: -240 });
  });

  it('accepts offsets up to 18:00 either way, in every form', () => {
    for (const [raw, offset] of [
      ['2026-07-11T02:32:18+18:00', 1080],
      ['2026-07-11T02:32:18-18:00', -1080],
      ['2026-07-11 02:32:18 +1400', 840],
      ['2026-07-11 02:32:18 -0959', -599],
      ['2026-07-11 02:32:18-12', -720],
      ['07/11/2026 2:32 AM +0545', 345],
    ] as const) {
      expect(written(raw).offset, raw).toBe(offset);
    }
  });

  it.each([
    '2026-07-11T02:32:18+25:00',
    '2026-07-11T02:32:18-19:00',
    '2026-07-11T02:32:18+18:01',
    '2026-07-11T02:32:18+99',
    '2026-07-03T08:43:17-04:60',
    '2026-07-03 08:43:17 -0475',
    '2026-07-03 08:43:17 +2500',
    '2026-07-03 08:43 -0499',
    '07/03/2026 8:43 AM -0460',
    '07/03/2026 -1900',
  ])('refuses the offset no zone has in %j', (raw) => {
    expect(problem(parseTimestamp(raw))).toMatch(/has no such offset from UTC \(offsets run from -18:00 to \+18:00, with minutes 00 to 59\)/);
  });

  it('refuses a year before 1000, which would otherwise be read as 19xx', () => {
    expect(problem(parseTimestamp('0050-01-01 10:00:00'))).toMatch(/year before 1000/);
    expect(problem(parseTimestamp('01/01/0999'))).toMatch(/year before 1000/);
    expect(written('1000-01-01').wall).toBe('1000-01-01T00:00:00.000');
  });

  it('refuses an AM/PM hour outside 1..12', () => {
    expect(problem(parseTimestamp('10/07/2025 13:50 PM'))).toMatch(/AM\/PM/);
    expect(problem(parseTimestamp('10/07/2025 0:50 AM'))).toMatch(/AM\/PM/);
  });

  it('keeps fractional seconds to the microsecond', () => {
    expect(value(parseTimestamp('2025-10-07T07:50:26.123456Z')).wallMicros).toBe(micros('2025-10-07T07:50:26Z') + 123456n);
    expect(value(parseTimestamp('2025-10-07 07:50:26.5')).wallMicros).toBe(micros('2025-10-07T07:50:26Z') + 500000n);
    expect(value(parseTimestamp('2025-10-07T09:50:26.001+02:00')).wallMicros).toBe(micros('2025-10-07T09:50:26Z') + 1000n);
    // Digits past the microsecond are dropped, not rounded into the next second.
    expect(value(parseTimestamp('2025-10-07T07:50:26.999999999Z')).wallMicros).toBe(micros('2025-10-07T07:50:26Z') + 999999n);
  });

  it('accepts 29 February in a leap year only', () => {
    expect(written('2024-02-29 12:00:00').wall).toBe('2024-02-29T12:00:00.000');
    expect(problem(parseTimestamp('2025-02-29 12:00:00'))).toMatch(/no such day/);
  });

  it.each([
    ['2026-02-30 10:00:00', /no such day/],
    ['2026-04-31', /no such day/],
    ['2026-13-01 10:00:00', /no such month/],
    ['2026-00-10', /no such month/],
    ['13/01/2026 9:00 AM', /no such month/],
    ['2026-01-01 24:00:00', /no such time/],
    ['2026-01-01 10:60:00', /no such time/],
  ])('refuses the impossible %j', (raw, pattern) => {
    expect(problem(parseTimestamp(raw))).toMatch(pattern);
  });

  it.each(['yesterday', 'abc', '2026/01/02', '07.10.2025 09:50', '2026-1-2', '20251007', '1782896224', 'Oct 7, 2025'])(
    'refuses the garbage %j',
    (raw) => {
      expect(problem(parseTimestamp(raw))).toMatch(/is not a timestamp/);
    },
  );

  it('refuses an empty cell', () => {
    expect(problem(parseTimestamp(''))).toMatch(/empty/);
    expect(problem(parseTimestamp('  '))).toMatch(/empty/);
  });

  it('strips the Excel apostrophe and surrounding spaces', () => {
    expect(written("  '2025-10-07 09:50:26  ")).toEqual({ wall: '2025-10-07T09:50:26.000', offset: null });
  });
});

describe('parseTimestampOrEpoch', () => {
  it('reads a numeric value as epoch seconds, an exact UTC time', () => {
    expect(value(parseTimestampOrEpoch('1782896224'))).toEqual({ wallMicros: 1782896224n * 1_000_000n, offsetMinutes: 0 });
    expect(value(parseTimestampOrEpoch('1782896224.25'))).toEqual({ wallMicros: 1782896224n * 1_000_000n + 250_000n, offsetMinutes: 0 });
    expect(value(parseTimestampOrEpoch(' 1782896224 '))).toEqual({ wallMicros: 1782896224n * 1_000_000n, offsetMinutes: 0 });
  });

  it('reads any other timestamp as parseTimestamp does', () => {
    expect(value(parseTimestampOrEpoch('2026-07-01 09:00:00'))).toEqual({ wallMicros: micros('2026-07-01T09:00:00Z'), offsetMinutes: null });
    expect(value(parseTimestampOrEpoch('2026-07-01T08:58:31Z'))).toEqual({ wallMicros: micros('2026-07-01T08:58:31Z'), offsetMinutes: 0 });
  });

  it('does not take epoch milliseconds for seconds', () => {
    expect(parseTimestampOrEpoch('1782896224000').ok).toBe(false);
    expect(parseTimestampOrEpoch('abc').ok).toBe(false);
  });
});

describe('parseInteger and parseNumber: the ranges their columns hold', () => {
  it('reads a whole number within INTEGER', () => {
    expect(value(parseInteger('2147483647'))).toBe(2147483647);
    expect(value(parseInteger('-2147483648'))).toBe(-2147483648);
    expect(problem(parseInteger('2147483648'))).toMatch(/beyond the accepted range \(-2,147,483,648 to 2,147,483,647\)/);
    expect(problem(parseInteger('-99999999999999999999'))).toMatch(/beyond the accepted range/);
  });

  it('reads a plain number of up to 9 digits before the point', () => {
    expect(value(parseNumber('999999999.5'))).toBe(999999999.5);
    expect(value(parseNumber('-000999999999'))).toBe(-999999999);
    expect(problem(parseNumber('1000000000'))).toMatch(/beyond the accepted range \(-999,999,999 to 999,999,999\)/);
    expect(problem(parseNumber('999999999999999'))).toMatch(/beyond the accepted range/);
    expect(problem(parseNumber('9'.repeat(400)))).toMatch(/beyond the accepted range/);
  });
});

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

describe('cleanText', () => {
  it('trims and drops the leading apostrophe Excel adds', () => {
    expect(cleanText('  #1001 ')).toBe('#1001');
    expect(cleanText("'+33610826417")).toBe('+33610826417');
    expect(cleanText(" ' 0042")).toBe('0042');
    expect(cleanText("O'Brien")).toBe("O'Brien");
    expect(cleanText('')).toBe('');
  });
});

describe('phoneToE164', () => {
  it.each([
    ['+15551234567', '+15551234567'],
    ['(555) 123-4567', '+15551234567'],
    ['555-123-4567', '+15551234567'],
    ['555.123.4567', '+15551234567'],
    ['1 555 123 4567', '+15551234567'],
    ['+1 (555) 123-4567', '+15551234567'],
    ["'+33610826417", '+33610826417'],
    ['+33 6 10 82 64 17', '+33610826417'],
    [' +44 20 7946 0958 ', '+442079460958'],
  ])('derives %j as %j', (raw, e164) => {
    expect(phoneToE164(raw)).toBe(e164);
  });

  it.each([
    ['', 'empty'],
    ['555-1234', 'seven digits: no area code'],
    ['06 10 82 64 17', 'a French national number, not North American'],
    ['0610826417', 'ten digits that no North American area code starts with'],
    ['123-456-7890', 'an area code starting with 1'],
    ['+1234', 'too short for E.164'],
    ['+1234567890123456', 'too long for E.164'],
    ['call me', 'no digits'],
    ['555-123-4567 ext 12', 'an extension'],
  ])('leaves %j without E.164 (%s)', (raw) => {
    expect(phoneToE164(raw)).toBeNull();
  });
});
