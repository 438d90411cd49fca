// The tables of docs/formats.md that say what each export's columns and closed lists are, generated from
// the declarations so that a column mapping is written once: `npm run docs:formats` rewrites them between
// their markers, and test/unit/format-docs.test.ts fails when the page and the declarations differ.
import { rawNameOf, requiredOneOf, type ColumnDeclaration, type FormatDeclaration } from './declaration.js';

const code = (text: string): string => `\`${text}\``;

/** What the "required" cell says of a column. */
function requiredText(format: FormatDeclaration, column: ColumnDeclaration): string {
  if (column.required) return column.level === 'order' ? 'yes, on order rows' : 'yes';
  const group = requiredOneOf(format).find((canonicals) => canonicals.includes(column.canonical));
  if (group) return `one of ${group.map(code).join(' / ')}`;
  if (column.kind === 'currency') return "no (default: the client's currency)";
  return 'no';
}

/** The table of a format's columns: canonical name, whether it is required, its header aliases. */
export function columnsTable(format: FormatDeclaration): string {
  return [
    '| canonical | required | header aliases |',
    '|---|---|---|',
    ...format.columns.map((column) => `| ${code(column.canonical)} | ${requiredText(format, column)} | ${column.aliases.map(code).join(', ')} |`),
  ].join('\n');
}

/** The table of a closed list: the spellings of each meaning. */
export function choicesTable(column: ColumnDeclaration): string {
  const meanings = Object.entries(column.choices?.meanings ?? {});
  const heading = (column.claimField ?? rawNameOf(column)).replaceAll('_', ' ');
  return [
    `| written in the export | ${heading} |`,
    '|---|---|',
    ...meanings.map(([meaning, spellings]) => `| ${spellings.map(code).join(', ')} | ${code(meaning)} |`),
  ].join('\n');
}

/** Every generated block of a format: its marker name and its text. */
export function formatDocBlocks(format: FormatDeclaration): Map<string, string> {
  const blocks = new Map<string, string>([[`${format.platform}:columns`, columnsTable(format)]]);
  for (const column of format.columns) {
    if (column.kind === 'choice') blocks.set(`${format.platform}:${column.canonical}`, choicesTable(column));
  }
  return blocks;
}

const BLOCK = /<!-- format:([a-z0-9_]+:[a-z0-9_]+) -->\n[\s\S]*?<!-- \/format -->/g;

/** The page with every generated block between its markers rewritten; the names of blocks it lacks. */
export function rewriteFormatDocs(page: string, formats: readonly FormatDeclaration[]): { page: string; missing: string[]; unknown: string[] } {
  const blocks = new Map<string, string>();
  for (const format of formats) for (const [name, text] of formatDocBlocks(format)) blocks.set(name, text);
  const seen = new Set<string>();
  const unknown: string[] = [];
  const rewritten = page.replace(BLOCK, (whole, name: string) => {
    const text = blocks.get(name);
    if (text === undefined) {
      unknown.push(name);
      return whole;
    }
    seen.add(name);
    return `<!-- format:${name} -->\n${text}\n<!-- /format -->`;
  });
  return { page: rewritten, missing: [...blocks.keys()].filter((name) => !seen.has(name)), unknown };
}
