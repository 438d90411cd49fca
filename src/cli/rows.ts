// Query results as a table, RFC 4180 CSV or JSON typed as the contract says.
import type { DuckDBValue } from '@duckdb/node-api';
import { DuckDBDecimalValue } from '../warehouse/duckdb.js';
import { toPlain } from '../warehouse/values.js';

export type Format = 'table' | 'csv' | 'json';

function text(value: DuckDBValue): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof DuckDBDecimalValue) return value.toString();
  const plain = toPlain(value);
  return typeof plain === 'object' && plain !== null ? JSON.stringify(plain) : String(plain);
}

export function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function renderRows(format: Format, columns: readonly string[], rows: readonly DuckDBValue[][]): string {
  if (format === 'json') {
    const objects = rows.map((row) => Object.fromEntries(columns.map((column, index) => [column, toPlain(row[index] ?? null)])));
    return `${JSON.stringify(objects, null, 2)}\n`;
  }
  const cells = rows.map((row) => row.map(text));
  if (format === 'csv') {
    return [columns, ...cells].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
  }
  const shown = cells.map((row) => row.map((cell) => cell ?? 'NULL'));
  const widths = columns.map((column, index) => Math.max(column.length, ...shown.map((row) => (row[index] ?? '').length)));
  const line = (row: readonly string[]): string => row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ').trimEnd();
  return [
    line(columns),
    widths.map((width) => '-'.repeat(width)).join('-+-'),
    ...shown.map(line),
    `(${rows.length} row${rows.length === 1 ? '' : 's'})`,
  ].join('\n') + '\n';
}
