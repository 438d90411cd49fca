// `report --pdf` in a real browser: each page printed to a PDF beside it on the paper asked for, and a
// wrong LASTTOUCH_CHROMIUM reported as such rather than replaced by another browser.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReportFailedError } from '../../src/errors.js';
import { findChromium } from '../../src/report/chromium.js';
import { printPdfs } from '../../src/report/pdf.js';
import { cli, tempDir, TestWarehouse, writeFile } from '../helpers.js';

const SHORT = `<!doctype html><html><head><meta charset="utf-8"><title>Short</title></head>
<body><h1>Acme, July 2026</h1><p>Last-touch revenue: $1,325.75</p></body></html>`;

// Wider than either paper, so that printing must cope with content that does not fit.
const WIDE = `<!doctype html><html><head><meta charset="utf-8"><title>Wide</title>
<style>td { border: 1px solid #999; padding: 4px 12px; white-space: nowrap; background: #eef; }</style></head>
<body><table><tr>${Array.from({ length: 40 }, (_, i) => `<td>column ${i + 1}: $${(i * 1234.5).toFixed(2)}</td>`).join('')}</tr></table></body></html>`;

/** Page sizes in points, as Chromium rounds them: A4 is 210 x 297 mm, Letter 8.5 x 11 in. */
const PAPER = { A4: [595, 842], Letter: [612, 792] } as const;

function pageCount(pdf: string): number {
  return [...pdf.matchAll(/\/Type\s*\/Page(?!s)/g)].length;
}

function mediaBoxes(pdf: string): number[][] {
  return [...pdf.matchAll(/\/MediaBox\s*\[\s*([-\d.\s]+)\]/g)].map((match) =>
    (match[1] ?? '').trim().split(/\s+/).map(Number),
  );
}

describe('printPdfs', () => {
  const dir = tempDir('lasttouch-pdf-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const paper of ['A4', 'Letter'] as const) {
    it(`prints each page beside itself on ${paper}`, async () => {
      const site = join(dir, paper);
      mkdirSync(join(site, 'acme'), { recursive: true });
      writeFile(site, 'index.html', SHORT);
      writeFile(join(site, 'acme'), '2026-07.html', WIDE);
      const progress: string[] = [];

      const pdfs = await printPdfs(site, ['index.html', 'acme/2026-07.html'], {
        paper,
        onPage: (done, total) => progress.push(`${done}/${total}`),
      });

      expect(pdfs).toEqual([join(site, 'index.pdf'), join(site, 'acme', '2026-07.pdf')]);
      expect(progress).toEqual(['1/2', '2/2']);
      const [width, height] = PAPER[paper];
      for (const path of pdfs) {
        expect(existsSync(path), path).toBe(true);
        // latin1 keeps every byte as one character, so the PDF's own syntax can be read as text
        const pdf = readFileSync(path).toString('latin1');
        expect(pdf.startsWith('%PDF-'), path).toBe(true);
        expect(pageCount(pdf), path).toBeGreaterThanOrEqual(1);
        const boxes = mediaBoxes(pdf);
        expect(boxes.length, path).toBeGreaterThanOrEqual(1);
        for (const [x0 = NaN, y0 = NaN, x1 = NaN, y1 = NaN] of boxes) {
          expect(Math.abs(x1 - x0 - width), `${path} width ${x1 - x0}`).toBeLessThanOrEqual(1.5);
          expect(Math.abs(y1 - y0 - height), `${path} height ${y1 - y0}`).toBeLessThanOrEqual(1.5);
        }
      }
    });
  }
});

describe('findChromium', () => {
  it('reports a LASTTOUCH_CHROMIUM that is not there, and tries nothing else', async () => {
    const folder = tempDir('lasttouch-pdf-');
    const missing = join(folder, 'no-such-chromium');
    const before = process.env['LASTTOUCH_CHROMIUM'];
    process.env['LASTTOUCH_CHROMIUM'] = missing;
    try {
      const error: unknown = await findChromium().then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(ReportFailedError);
      expect((error as ReportFailedError).message).toContain('LASTTOUCH_CHROMIUM');
      expect((error as ReportFailedError).message).toContain(missing);
    } finally {
      if (before === undefined) delete process.env['LASTTOUCH_CHROMIUM'];
      else process.env['LASTTOUCH_CHROMIUM'] = before;
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

const POSTSCRIPT = `Order Date,Order Number,Order ID,Revenue,Attribution Type,Message ID,Sent At,Clicked At
2026-07-05T10:00:00Z,#1001,5001,1200.00,click,ps-1,2026-07-05T08:00:00Z,2026-07-05T09:00:00Z
2026-08-02T15:00:00Z,#1004,5004,99.99,view,ps-4,2026-08-02T14:00:00Z,
`;

describe('lasttouch report --pdf', () => {
  const warehouse = new TestWarehouse();
  afterAll(() => warehouse.cleanup());

  it('prints every month page to a PDF beside it, and without a browser fails and publishes nothing', async () => {
    await warehouse.import({ platform: 'postscript', file: warehouse.file('postscript.csv', POSTSCRIPT) });
    await warehouse.build();
    const site = join(warehouse.dir, 'site');
    const printed = cli(['--db', warehouse.path, 'report', '--out', site, '--pdf', 'letter']);
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('2 PDFs beside the month pages');
    for (const month of ['2026-07', '2026-08']) {
      const pdf = readFileSync(join(site, 'acme', `${month}.pdf`)).toString('latin1');
      expect(pdf.startsWith('%PDF-')).toBe(true);
      for (const [x0 = NaN, y0 = NaN, x1 = NaN, y1 = NaN] of mediaBoxes(pdf)) {
        expect(Math.abs(x1 - x0 - PAPER.Letter[0])).toBeLessThanOrEqual(1.5);
        expect(Math.abs(y1 - y0 - PAPER.Letter[1])).toBeLessThanOrEqual(1.5);
      }
    }
    // The overview and the coverage page are not printed; a later report without --pdf keeps no stale PDF.
    expect(existsSync(join(site, 'acme.pdf'))).toBe(false);
    const before = readFileSync(join(site, 'acme', '2026-07.pdf'));
    const missing = join(warehouse.dir, 'no-such-chromium');
    const failed = cli(['--db', warehouse.path, 'report', '--out', site, '--pdf'], { env: { LASTTOUCH_CHROMIUM: missing } });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`LASTTOUCH_CHROMIUM=${missing}`);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(site, 'acme', '2026-07.pdf'))).toEqual(before);
    const unknownPaper = cli(['--db', warehouse.path, 'report', '--out', site, '--pdf', 'a3']);
    expect(unknownPaper.status).toBe(2);
    const plain = cli(['--db', warehouse.path, 'report', '--out', site]);
    expect(plain.status).toBe(0);
    expect(existsSync(join(site, 'acme', '2026-07.pdf'))).toBe(false);
  });
});
