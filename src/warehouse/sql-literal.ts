// A text as an SQL string literal. Its own module, so that code that only writes SQL (the export formats'
// declarations, the model compiler) does not load DuckDB to quote a string.
export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
