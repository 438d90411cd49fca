// What decides a rebuild is what a model means, not how it is written: its SQL with comments dropped and
// whitespace collapsed, its materialisation and incremental key, and the macros it may call. A comment, a
// description, a version label or a re-indented line leaves the definition as it was.
import { createHash } from 'node:crypto';

/**
 * SQL with comments removed and every run of whitespace outside string literals and quoted identifiers
 * made one space. Literals are kept byte for byte: 'a  b' and 'a b' are different values.
 */
export function normalizeSql(sql: string): string {
  const parts: string[] = [];
  let pendingSpace = false;
  // One token at a time: a comment, a literal or quoted identifier (a doubled quote inside is the quote
  // itself), a run of whitespace, or a run of anything else up to the next of those.
  const token = /--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|'(?:[^']|'')*(?:'|$)|"(?:[^"]|"")*(?:"|$)|\s+|(?:[^\s'"\-/]|-(?!-)|\/(?!\*))+/y;
  token.lastIndex = 0;
  while (token.lastIndex < sql.length) {
    const match = token.exec(sql);
    if (match === null) break;
    const text = match[0];
    const first = text[0];
    if ((first === '-' && text[1] === '-') || (first === '/' && text[1] === '*') || /^\s/.test(text)) pendingSpace = true;
    else {
      if (pendingSpace && parts.length > 0) parts.push(' ');
      pendingSpace = false;
      parts.push(text);
    }
  }
  return parts.join('');
}

export interface Definition {
  body: string;
  materialized: 'table' | 'view';
  incremental: string | null;
  /** The macros a model may call (sql/macros/), or '' for a node that calls none. */
  macros: string;
}

/** Every model of a project calls the same macros: their text is normalised once. */
let macrosMemo = { text: '', normalized: '' };

/** The hash of a model's meaning: the part of its fingerprint that is its own. */
export function definitionHash(definition: Definition): string {
  // A node that calls no macros ('', a seed or a data test) leaves the memo to the models.
  if (definition.macros !== '' && definition.macros !== macrosMemo.text) {
    macrosMemo = { text: definition.macros, normalized: normalizeSql(definition.macros) };
  }
  return createHash('sha256')
    .update(`materialized=${definition.materialized}\n`)
    .update(`incremental=${definition.incremental ?? ''}\n`)
    .update(`${normalizeSql(definition.body)}\n`)
    .update(definition.macros === '' ? '' : macrosMemo.normalized)
    .digest('hex');
}
