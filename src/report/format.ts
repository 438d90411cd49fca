// How figures read on a report page. The marts hand over exact decimal strings; these functions only
// lay them out (grouping, currency code, percent sign), so no figure is recomputed or rounded here.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Checks --month; the contract asks for YYYY-MM, a usage error (exit 2) otherwise. */
export function parseMonth(month: string | undefined): string | undefined {
  if (month === undefined) return undefined;
  if (!MONTH_PATTERN.test(month)) throw new UsageError(`--month "${month}" is not a month: use YYYY-MM, e.g. 2026-07`);
  return month;
}

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/** "2026-07" -> "July 2026". */
export function monthTitle(month: string): string {
  const match = MONTH_PATTERN.exec(month);
  if (!match) return month;
  return `${MONTH_NAMES[Number(match[2]) - 1] ?? match[2]} ${match[1]}`;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * "1234.5" -> "1,234.50". Works on the decimal string itself rather than a JS number, so amounts are
 * shown exactly as the warehouse holds them, however large.
 */
export function formatDecimal(value: string, fractionDigits = 2): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) return value;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const shownFraction = fraction.padEnd(fractionDigits, '0').slice(0, fractionDigits);
  const isZero = /^0*$/.test(whole) && /^0*$/.test(shownFraction);
  const body = groupThousands(whole.replace(/^0+(?=\d)/, ''));
  return `${isZero ? '' : sign}${body}${fractionDigits > 0 ? `.${shownFraction}` : ''}`;
}

/** "USD 1,234.56". */
export function formatMoney(amount: string, currency: string): string {
  return `${currency} ${formatDecimal(amount)}`;
}

/** A count with thousands separators. */
export function formatCount(value: number | string): string {
  return formatDecimal(String(value), 0);
}

/** A percentage the warehouse already rounded to one decimal: "79.6" -> "79.6%". */
export function formatPercent(oneDecimal: string): string {
  return `${formatDecimal(oneDecimal, 1)}%`;
}

/** "2026-11-28T01:39:13.080067Z" -> "2026-11-28 01:39 UTC". */
export function formatTimestamp(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** "unmatched_claims" -> "unmatched claims". */
export function humanize(name: string): string {
  return name.replace(/_/g, ' ');
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * A file name for every client's page: safe characters only, never "index", and unique even on a
 * case-insensitive file system. A client id that is already safe keeps its name, so links are stable.
 */
export function pageFileNames(clientIds: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>(['index']);
  for (const clientId of [...clientIds].sort()) {
    const safe = clientId.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
    let stem = safe !== '' && safe === clientId ? safe : `${safe === '' ? 'client' : safe}-${shortHash(clientId)}`;
    if (taken.has(stem.toLowerCase())) stem = `${stem}-${shortHash(clientId)}`;
    taken.add(stem.toLowerCase());
    names.set(clientId, `${stem}.html`);
  }
  return names;
}
