// A text as an SQL string literal. Its own module, so that code that only writes SQL (the export formats'
// declarations, the model compiler) does not load DuckDB to quote a string.
export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A name (a database, schema, table or column) as a quoted SQL identifier. */
export function sqlName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Values as the items of an SQL list, `IN (…)` or `[…]`: texts quoted, numbers as they are. */
export function sqlList(values: readonly (string | number)[]): string {
  return values.map((value) => (typeof value === 'number' ? String(value) : sqlLiteral(value))).join(', ');
}
