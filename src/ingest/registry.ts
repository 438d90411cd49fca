// The export formats, found by themselves: every module in ./formats/ whose default export is a format
// declaration (declaration.ts). Adding a platform is adding its file there. Each declaration is checked
// when it is loaded, so that a mistake in one names its file before any import runs.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { byText } from '../text-order.js';
import { claimShapeProblems } from './claim-shape.js';
import { declarationProblems } from './declaration.js';
import { matchHeaders, type FormatDefinition, type Platform } from './format.js';

const FORMATS_DIR = fileURLToPath(new URL('./formats/', import.meta.url));

async function discover(): Promise<FormatDefinition[]> {
  const files = readdirSync(FORMATS_DIR)
    .filter((file) => /\.(js|ts)$/.test(file) && !file.endsWith('.d.ts'))
    .sort();
  const found: FormatDefinition[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(FORMATS_DIR, file)).href)) as { default?: FormatDefinition };
    const format = module.default;
    if (format === undefined) {
      problems.push(`${file}: no default export (a format file's default export is its declaration)`);
      continue;
    }
    const own = [...declarationProblems(format), ...(format.kind === 'claims' ? claimShapeProblems(format) : [])];
    problems.push(...own.map((problem) => `${file}: ${problem}`));
    for (const other of found) {
      if (other.platform === format.platform) problems.push(`${file}: platform ${format.platform} is declared twice`);
      if (other.rawTable === format.rawTable) problems.push(`${file}: raw table ${format.rawTable} is another format's`);
    }
    found.push(format);
  }
  const orders = found.filter((format) => format.kind === 'orders');
  if (orders.length !== 1) problems.push(`exactly one format holds the store's orders (kind 'orders'); found ${orders.length}`);
  if (problems.length > 0) throw new Error(`export formats in ${FORMATS_DIR}:\n  ${problems.join('\n  ')}`);
  // Claims formats first, then the store's orders; by platform name within each.
  return found.sort((a, b) => (a.kind === b.kind ? byText(a.platform, b.platform) : a.kind === 'claims' ? -1 : 1));
}

const DISCOVERED = await discover();

export const FORMATS: Readonly<Record<Platform, FormatDefinition>> = Object.fromEntries(
  DISCOVERED.map((format) => [format.platform, format]),
);

/** The platforms `lasttouch import` takes: each claims platform, then the store's orders. */
export const PLATFORMS: readonly Platform[] = DISCOVERED.map((format) => format.platform);

/** The formats of platforms' claims, which raw.claim_rows unites. */
export const CLAIM_FORMATS: readonly FormatDefinition[] = DISCOVERED.filter((format) => format.kind === 'claims');

/** The store's own orders, which every claim is reconciled against: the one format of kind 'orders'. */
export const ORDERS_FORMAT: FormatDefinition = DISCOVERED.find((format) => format.kind === 'orders') as FormatDefinition;

/** The format of a platform the registry knows (a platform from the command line is checked before). */
export function formatOf(platform: Platform): FormatDefinition {
  const format = FORMATS[platform];
  if (format === undefined) throw new Error(`no export format for platform "${platform}" (known: ${PLATFORMS.join(', ')})`);
  return format;
}

/** The end of a missing-column message: which import a file of another format wants, else --columns. */
export function otherFormatHint(headers: readonly string[], format: FormatDefinition): string {
  for (const other of DISCOVERED) {
    if (other === format) continue;
    const match = matchHeaders(headers, other);
    if (match.missing.length === 0 && match.columns.size >= 4) {
      return ` This looks like a ${other.label}: import it with \`lasttouch import ${other.platform}\`.`;
    }
  }
  return ' If your export names it differently, map it with --columns MAP.json (canonical name -> header).';
}
