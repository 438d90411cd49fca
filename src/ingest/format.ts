// How a file's header row is matched to a format's declared columns: by name, never by position.
import { quoted } from './errors.js';
export { ImportRefusedError, InputError, MAX_REPORTED_PROBLEMS, quoted, refuse, shown } from './errors.js';
import { requiredOneOf, type ColumnDeclaration, type FormatDeclaration } from './declaration.js';
import { normalizeHeader } from './values.js';
export type { Platform } from './platforms.js';

/** An export format: its declaration (declaration.ts). */
export type FormatDefinition = FormatDeclaration;
export type ColumnSpec = ColumnDeclaration;

export interface HeaderMatch {
  columns: Map<string, { index: number; header: string }>;
  missing: string[];
}

/** A header as the file writes it, for a person: without a BOM and surrounding spaces. */
export function headerText(header: string): string {
  return header.replace(/^\uFEFF/, '').trim();
}

/**
 * Headers with the same name (after normalisation) as one before them: [its index, the earlier one's].
 * Such a file is ambiguous, whether or not lasttouch reads the column: which of two "Revenue" columns is
 * the revenue, and which cell is the one kept under the name? Empty headers are not names. One pair is
 * not ambiguous: two headers written differently that the format lists, as written, as aliases of two
 * different columns ($event_id, the order id, and Event ID, the event id, of Klaviyo): each serves its own.
 */
export function repeatedHeaders(headers: readonly string[], format?: FormatDefinition): Array<[number, number]> {
  const columnOf = (header: string): string | undefined => {
    const written = headerText(header).toLowerCase();
    return format?.columns.find((column) => column.aliases.some((alias) => alias.toLowerCase() === written))?.canonical;
  };
  const apart = (a: string, b: string): boolean => {
    const [columnA, columnB] = [columnOf(a), columnOf(b)];
    return columnA !== undefined && columnB !== undefined && columnA !== columnB;
  };
  const earlier = new Map<string, number[]>();
  const repeated: Array<[number, number]> = [];
  headers.forEach((header, index) => {
    const name = normalizeHeader(header);
    if (name === '') return;
    const before = earlier.get(name) ?? [];
    const clash = before.find((first) => !apart(header, headers[first] ?? ''));
    if (clash !== undefined) repeated.push([index, clash]);
    earlier.set(name, [...before, index]);
  });
  return repeated;
}

/**
 * Matches a header row to a format's columns. A mapping (canonical -> header) from --columns wins over
 * the aliases; each header serves one canonical column only, taken in the order the format lists them.
 * (A file whose headers repeat a name is refused before it is matched: repeatedHeaders.)
 */
export function matchHeaders(
  headers: readonly string[],
  format: FormatDefinition,
  mapping: Readonly<Record<string, string>> = {},
): HeaderMatch {
  // A name can head several columns ($event_id and Event ID are one name); each serves one column.
  const byName = new Map<string, number[]>();
  headers.forEach((header, index) => {
    const name = normalizeHeader(header);
    if (name === '') return;
    const indexes = byName.get(name);
    if (indexes) indexes.push(index);
    else byName.set(name, [index]);
  });
  const claimed = new Set<number>();
  const columns = new Map<string, { index: number; header: string }>();
  const take = (canonical: string, candidates: readonly string[]): void => {
    for (const alias of candidates) {
      const index = byName.get(normalizeHeader(alias))?.find((candidate) => !claimed.has(candidate));
      if (index !== undefined) {
        claimed.add(index);
        columns.set(canonical, { index, header: headerText(headers[index] ?? alias) });
        return;
      }
    }
  };
  // Mapped columns first, so that a mapping wins over the aliases of every column; a mapped column never
  // falls back to its aliases.
  for (const spec of format.columns) {
    const mapped = mapping[spec.canonical];
    if (mapped !== undefined) take(spec.canonical, [mapped]);
  }
  for (const spec of format.columns) {
    if (mapping[spec.canonical] === undefined) take(spec.canonical, spec.aliases);
  }
  const missing = format.columns
    .filter((spec) => spec.required && !columns.has(spec.canonical))
    .map((spec) => spec.canonical);
  for (const group of requiredOneOf(format)) {
    if (!group.some((canonical) => columns.has(canonical))) missing.push(group.join(' or '));
  }
  return { columns, missing };
}

/** A missing column for a person: its canonical name and the headers accepted for it (or mapped to it). */
export function describeColumn(
  format: FormatDefinition,
  canonical: string,
  mapping: Readonly<Record<string, string>> = {},
): string {
  const names = canonical.split(' or ');
  return names
    .map((name) => {
      const mapped = mapping[name];
      if (mapped !== undefined) return `${name} (mapped by --columns to ${quoted(mapped)}, which the file does not have)`;
      const spec = format.columns.find((column) => column.canonical === name);
      return `${name} (${spec?.aliases.map((alias) => quoted(alias)).join(', ') ?? ''})`;
    })
    .join(' or ');
}
