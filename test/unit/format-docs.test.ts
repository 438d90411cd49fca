// The column and closed-list tables of docs/formats.md are generated from the declarations
// (`npm run docs:formats`): the page must be what the generator writes, for every format.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnsTable, rewriteFormatDocs } from '../../src/ingest/format-docs.js';
import { FORMATS } from '../../src/ingest/registry.js';
import postscriptFormat from '../../src/ingest/formats/postscript.js';
import { ROOT } from '../helpers.js';

const page = readFileSync(join(ROOT, 'docs', 'formats.md'), 'utf8');

describe('docs/formats.md and the declarations', () => {
  it('has every format\'s tables as the declarations give them (run `npm run docs:formats` after changing one)', () => {
    const { page: rewritten, missing, unknown } = rewriteFormatDocs(page, Object.values(FORMATS));
    expect(missing).toEqual([]);
    expect(unknown).toEqual([]);
    expect(rewritten).toBe(page);
  });

  it('tells a changed declaration from the page', () => {
    const changed = {
      ...postscriptFormat,
      columns: postscriptFormat.columns.map((column) =>
        column.canonical === 'revenue' ? { ...column, aliases: [...column.aliases, 'Gross Sales'] } : column,
      ),
    };
    const formats = Object.values(FORMATS).map((format) => (format.platform === 'postscript' ? changed : format));
    const { page: rewritten } = rewriteFormatDocs(page, formats);
    expect(rewritten).not.toBe(page);
    expect(rewritten).toContain("| `revenue` | yes | `Revenue`, `Attributed Revenue`, `Order Total`, `Total`, `Amount`, `Amount In Cents`, `Gross Sales` |");
    expect(columnsTable(changed).split('\n')).toHaveLength(changed.columns.length + 2);
  });
});
