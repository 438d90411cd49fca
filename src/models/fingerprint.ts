// What decides a rebuild is what a model means, not how it is written: its SQL with comments dropped and
// whitespace collapsed, its materialisation and incremental key, and the macros it may call. A comment, a
// description, a version label or a re-indented line leaves the definition as it was.
import { createHash } from 'node:crypto';

/**
 * SQL with comments removed and every run of whitespace outside string literals and quoted identifiers
 * made one space. Literals are kept byte for byte: 'a  b' and 'a b' are different values.
 */
export function normalizeSql(sql: string): string {
  let out = '';
  let pendingSpace = false;
  let index = 0;
  const emit = (text: string): void => {
    if (pendingSpace && out !== '') out += ' ';
    pendingSpace = false;
    out += text;
  };
  while (index < sql.length) {
    const char = sql[index] as string;
    if (char === '-' && sql[index + 1] === '-') {
      const end = sql.indexOf('\n', index);
      index = end === -1 ? sql.length : end;
      pendingSpace = true;
    } else if (char === '/' && sql[index + 1] === '*') {
      const end = sql.indexOf('*/', index + 2);
      index = end === -1 ? sql.length : end + 2;
      pendingSpace = true;
    } else if (char === "'" || char === '"') {
      let end = index + 1;
      for (;;) {
        const close = sql.indexOf(char, end);
        if (close === -1) {
          end = sql.length;
          break;
        }
        // A doubled quote is the quote itself, inside the literal.
        if (sql[close + 1] === char) end = close + 2;
        else {
          end = close + 1;
          break;
        }
      }
      emit(sql.slice(index, end));
      index = end;
    } else if (/\s/.test(char)) {
      pendingSpace = true;
      index += 1;
    } else {
      let end = index + 1;
      while (end < sql.length && !/[\s'"]/.test(sql[end] as string) && !sql.startsWith('--', end) && !sql.startsWith('/*', end)) end += 1;
      emit(sql.slice(index, end));
      index = end;
    }
  }
  return out;
}

export interface Definition {
  body: string;
  materialized: 'table' | 'view';
  incremental: string | null;
  /** The macros a model may call (sql/macros/), or '' for a node that calls none. */
  macros: string;
}

/** The hash of a model's meaning: the part of its fingerprint that is its own. */
export function definitionHash(definition: Definition): string {
  return createHash('sha256')
    .update(`materialized=${definition.materialized}\n`)
    .update(`incremental=${definition.incremental ?? ''}\n`)
    .update(`${normalizeSql(definition.body)}\n`)
    .update(normalizeSql(definition.macros))
    .digest('hex');
}
