// DuckDB values turned into plain JSON-able values, as `query --format json` promises:
// DECIMAL and integers as numbers (a BIGINT beyond 2^53 as a string), DATE as YYYY-MM-DD,
// TIMESTAMP/TIMESTAMPTZ as ISO 8601 in UTC with Z, NULL as null.
import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBArrayValue,
  DuckDBStructValue,
  DuckDBMapValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBBlobValue,
} from './duckdb.js';
import type { DuckDBValue } from '@duckdb/node-api';

export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function bigintToPlain(value: bigint): number | string {
  return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : value.toString();
}

/** ISO 8601 in UTC from microseconds since the epoch, keeping sub-millisecond digits when present. */
export function isoFromMicros(micros: bigint): string {
  const millis = micros / 1000n;
  const rest = micros % 1000n;
  const base = new Date(Number(millis)).toISOString();
  if (rest === 0n) return base;
  const extra = (rest < 0n ? rest + 1000n : rest).toString().padStart(3, '0');
  return `${base.slice(0, -1)}${extra}Z`;
}

export function toPlain(value: DuckDBValue): PlainValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return bigintToPlain(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value instanceof DuckDBDecimalValue) return Number(value.toString());
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) {
    return isoFromMicros(value.micros);
  }
  if (value instanceof DuckDBTimestampMillisecondsValue) return isoFromMicros(value.millis * 1000n);
  if (value instanceof DuckDBTimestampSecondsValue) return isoFromMicros(value.seconds * 1000000n);
  if (value instanceof DuckDBTimestampNanosecondsValue) return isoFromMicros(value.nanos / 1000n);
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(toPlain);
  if (value instanceof DuckDBStructValue) {
    const result: Record<string, PlainValue> = {};
    for (const [key, item] of Object.entries(value.entries)) result[key] = toPlain(item);
    return result;
  }
  if (value instanceof DuckDBMapValue) {
    const result: Record<string, PlainValue> = {};
    for (const entry of value.entries) result[String(toPlain(entry.key))] = toPlain(entry.value);
    return result;
  }
  if (value instanceof DuckDBBlobValue) return value.toString();
  return String(value);
}
