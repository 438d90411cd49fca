// What is read outside a file's cells: header names (compared after normalisation), dates given on the
// command line and time zone names. The cells of an export are read by the macros of
// sql/ingest/values.sql alone (test/value-cases.tsv holds their cases).

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

/** Header names compare equal after trimming, dropping a BOM, lower-casing and unifying separators. */
export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_\-$.]+/g, ' ')
    .trim();
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date (YYYY-MM-DD), as given on the command line (--from, --to, --month). */
export function parseDate(raw: string): Parsed<string> {
  const text = raw.trim();
  const match = DATE_ONLY.exec(text);
  if (!match) return fail('is not a date (expected YYYY-MM-DD)');
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000) return fail('has a year before 1000');
  if (month < 1 || month > 12) return fail('has no such month');
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return fail('has no such day');
  return ok(text);
}
