// Reading one cell of an export, as docs/formats.md describes. Every reader returns either the
// value or a problem in words; it never guesses (an ambiguous amount is refused, not interpreted).

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

/** Trims surrounding spaces and the leading apostrophe that Excel adds to keep a value as text. */
export function cleanText(raw: string): string {
  const trimmed = raw.trim();
  return trimmed.startsWith("'") ? trimmed.slice(1).trim() : trimmed;
}

/** Header names compare equal after trimming, dropping a BOM, lower-casing and unifying separators. */
export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_\-$.]+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------------
// Money

export interface Money {
  /** Whole cents, exact. */
  cents: bigint;
  /** A currency code written with the amount (`USD 12.00`, `12.00 EUR`), if any. */
  currency: string | null;
}

const CURRENCY_SYMBOLS = /[$€£¥]/g;

/**
 * The accepted range of an amount, either sign: up to 9,999,999,999.99, i.e. fewer than 10^12 cents
 * (docs/formats.md, "Money"). Raw tables hold DECIMAL(18,2) (up to 10^16), and the marts' sums are
 * DECIMAL(18,2) too: with every amount below 10^10, a million of them still add up to less than 10^16, so
 * no month of any store can overflow a mart. sql/ingest/values.sql (lt_money, lt_cents) holds the bulk loader to
 * the same range.
 */
export const MAX_AMOUNT_CENTS = 10n ** 12n - 1n;
/** Digits before the point of the largest accepted amount. */
const MAX_AMOUNT_DIGITS = 10;
const AMOUNT_RANGE = 'is beyond the accepted range of amounts (-9,999,999,999.99 to 9,999,999,999.99)';

export function parseMoney(raw: string, options: { inCents?: boolean } = {}): Parsed<Money> {
  let text = cleanText(raw);
  if (text === '') return fail('is empty; an amount is required');
  let currency: string | null = null;
  const codeMatch = /^([A-Za-z]{3})\s*(.*)$/.exec(text) ?? /^(.*?)\s*([A-Za-z]{3})$/.exec(text);
  if (codeMatch) {
    const [, first = '', second = ''] = codeMatch;
    const code = /^[A-Za-z]{3}$/.test(first) ? first : second;
    currency = code.toUpperCase();
    text = (code === first ? second : first).trim();
  }
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  text = text.replace(CURRENCY_SYMBOLS, '').trim();
  if (text.startsWith('-')) {
    if (negative) return fail('has two minus signs');
    negative = true;
    text = text.slice(1).replace(CURRENCY_SYMBOLS, '').trim();
  }
  if (text.startsWith('+')) text = text.slice(1).trim();
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) {
    text = text.replace(/,/g, '');
  } else if (/[,]/.test(text)) {
    return fail('is ambiguous (a comma that is not a thousands separator, e.g. 1.234,56); write it as 1234.56');
  }
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) return fail('is not an amount');
  if (options.inCents) {
    if (!/^\d+$/.test(text)) return fail('is not a whole number of cents');
    const cents = BigInt(text);
    if (cents > MAX_AMOUNT_CENTS) return fail(AMOUNT_RANGE);
    return ok({ cents: negative ? -cents : cents, currency });
  }
  const [whole = '0', fraction = ''] = text.split('.');
  // Checked before anything is computed, so that a long amount is never read as a float.
  if (whole.replace(/^0+/, '').length > MAX_AMOUNT_DIGITS) return fail(AMOUNT_RANGE);
  let cents: bigint;
  if (fraction.length <= 2) {
    cents = BigInt(whole || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
  } else {
    // More than two decimals is accepted only where it is a float artefact of an exact cent amount
    // (54.990000000001); anything else would be silently rounded, so it is refused.
    const asNumber = Number(text);
    const rounded = Math.round(asNumber * 100);
    if (Math.abs(asNumber * 100 - rounded) > 1e-4) return fail('has more than 2 decimal places');
    cents = BigInt(rounded);
  }
  if (cents > MAX_AMOUNT_CENTS) return fail(AMOUNT_RANGE);
  return ok({ cents: negative ? -cents : cents, currency });
}

export function centsToDecimalString(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const text = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

// ---------------------------------------------------------------------------------------------------
// Time

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A timestamp as the export wrote it: its wall-clock time (microseconds since the epoch, read as if UTC)
 * and its offset from UTC in minutes, null when the export gave none. Raw tables keep it so; every build
 * turns it into an instant, a naive one in the client's source_timezone (sql/macros/time.sql).
 */
export interface WrittenTime {
  wallMicros: bigint;
  offsetMinutes: number | null;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function checkWallTime(wall: WallTime): string | null {
  // Years before 1000 are no export's (and JavaScript would read 0050 as 1950).
  if (wall.year < 1000) return 'has a year before 1000';
  if (wall.month < 1 || wall.month > 12) return 'has no such month';
  if (wall.day < 1 || wall.day > daysInMonth(wall.year, wall.month)) return 'has no such day';
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 60) return 'has no such time of day';
  return null;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const US =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/** The largest offset from UTC accepted, either way: 18:00, as ISO 8601 and every zone database have it. */
const MAX_OFFSET_MINUTES = 18 * 60;

/** The offset of a written zone (Z, UTC, GMT, +02, +0200, +02:00) in minutes, or null for one no zone has. */
function offsetMinutes(zoneText: string): number | null {
  const upper = zoneText.toUpperCase();
  if (upper === 'Z' || upper === 'UTC' || upper === 'GMT') return 0;
  const sign = zoneText.startsWith('-') ? -1 : 1;
  const digits = zoneText.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (minutes > 59 || hours * 60 + minutes > MAX_OFFSET_MINUTES) return null;
  return sign * (hours * 60 + minutes);
}

/**
 * Reads a timestamp as written: its wall-clock time and, with Z or an offset, that offset; a naive value
 * (or a date alone, meaning 00:00) has no offset.
 */
export function parseTimestamp(raw: string): Parsed<WrittenTime> {
  const text = cleanText(raw);
  if (text === '') return fail('is empty; a timestamp is required');
  let wall: WallTime;
  let zoneText: string | undefined;
  const iso = ISO.exec(text);
  const us = iso ? null : US.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    wall = {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h ?? 0),
      minute: Number(mi ?? 0),
      second: Number(s ?? 0),
      micros: Number(((frac ?? '') + '000000').slice(0, 6)),
    };
    zoneText = zone;
  } else if (us) {
    const [, mo, d, y, h, mi, s, meridiem, zone] = us;
    let hour = Number(h ?? 0);
    if (meridiem) {
      if (hour < 1 || hour > 12) return fail('has an hour that does not fit AM/PM');
      hour = (hour % 12) + (meridiem.toUpperCase() === 'PM' ? 12 : 0);
    }
    wall = {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour,
      minute: Number(mi ?? 0),
      second: Number(s ?? 0),
      micros: 0,
    };
    zoneText = zone;
  } else {
    return fail('is not a timestamp (expected e.g. 2025-10-07 09:50:26 +0200, 2025-10-07T07:50:26Z or 10/07/2025 9:50 AM)');
  }
  const problem = checkWallTime(wall);
  if (problem) return fail(problem);
  const offset = zoneText === undefined ? null : offsetMinutes(zoneText);
  if (offset === null && zoneText !== undefined) {
    return fail('has no such offset from UTC (offsets run from -18:00 to +18:00, with minutes 00 to 59)');
  }
  const wallMillis = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return ok({ wallMicros: BigInt(wallMillis) * 1000n + BigInt(wall.micros), offsetMinutes: offset });
}

/** Epoch seconds (Klaviyo's numeric $send_ts), an exact UTC time, or any timestamp parseTimestamp reads. */
export function parseTimestampOrEpoch(raw: string): Parsed<WrittenTime> {
  const text = cleanText(raw);
  if (/^\d{9,11}(\.\d+)?$/.test(text)) {
    const [whole = '0', fraction = ''] = text.split('.');
    return ok({ wallMicros: BigInt(whole) * 1_000_000n + BigInt((fraction + '000000').slice(0, 6)), offsetMinutes: 0 });
  }
  return parseTimestamp(raw);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date (YYYY-MM-DD), as given on the command line. */
export function parseDate(raw: string): Parsed<string> {
  const text = raw.trim();
  const match = DATE_ONLY.exec(text);
  if (!match) return fail('is not a date (expected YYYY-MM-DD)');
  const problem = checkWallTime({
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: 0,
    minute: 0,
    second: 0,
    micros: 0,
  });
  return problem ? fail(problem) : ok(text);
}

// ---------------------------------------------------------------------------------------------------
// Numbers, phones

/**
 * Digits before the point of a plain number (minutes_from_action): fewer than 10^9 minutes either way
 * (about 1,900 years), so that the build's touch time (the order time minus that many minutes, in
 * microseconds as a BIGINT) can never overflow. sql/ingest/values.sql (lt_number) has the same bound.
 */
const MAX_NUMBER_DIGITS = 9;

export function parseNumber(raw: string): Parsed<number> {
  const text = cleanText(raw);
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(text)) return fail('is not a number');
  if ((text.replace(/^-/, '').split('.')[0] ?? '').replace(/^0+/, '').length > MAX_NUMBER_DIGITS) {
    return fail('is beyond the accepted range (-999,999,999 to 999,999,999)');
  }
  return ok(Number(text));
}

/** The range of a whole number (Lineitem quantity): the raw table's INTEGER. */
const MIN_INTEGER = -(2 ** 31);
const MAX_INTEGER = 2 ** 31 - 1;

export function parseInteger(raw: string): Parsed<number> {
  const text = cleanText(raw);
  if (!/^-?\d+$/.test(text)) return fail('is not a whole number');
  const value = Number(text);
  if (value < MIN_INTEGER || value > MAX_INTEGER) return fail('is beyond the accepted range (-2,147,483,648 to 2,147,483,647)');
  return ok(value);
}

/**
 * E.164 where it can be derived without guessing a country: +digits, or 10 North American digits (an
 * area code never starts with 0 or 1, so a national number such as 06 10 82 64 17 is not taken for one).
 */
export function phoneToE164(raw: string): string | null {
  const text = cleanText(raw);
  if (text === '') return null;
  const digits = text.replace(/[^\d]/g, '');
  if (text.startsWith('+') && digits.length >= 8 && digits.length <= 15) return `+${digits}`;
  if (/^[\d\s().-]+$/.test(text)) {
    if (/^[2-9]\d{9}$/.test(digits)) return `+1${digits}`;
    if (/^1[2-9]\d{9}$/.test(digits)) return `+${digits}`;
  }
  return null;
}
