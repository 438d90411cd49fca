// Where the records of a CSV file start, found without parsing it (src/ingest/source-file.ts): the bulk
// loader numbers the lines of its rows from this, so it must agree with a CSV parser, chunk by chunk.
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, RecordScanner, type RecordLayout } from '../../src/ingest/source-file.js';

function scan(text: string, chunkSize = 1 << 20): RecordLayout {
  const bytes = Buffer.from(text, 'utf8');
  const scanner = new RecordScanner();
  for (let at = 0; at < bytes.length; at += chunkSize) scanner.push(bytes.subarray(at, at + chunkSize));
  return scanner.finish();
}

/** Start line of every record, from a layout. */
function lines(layout: RecordLayout): number[] {
  const extraAt = (record: number): number =>
    layout.shifts.filter(([from]) => from <= record).at(-1)?.[1] ?? 0;
  return Array.from({ length: layout.records }, (_, record) => record + 1 + extraAt(record));
}

describe('RecordScanner', () => {
  const cases: [string, string, number[]][] = [
    ['plain LF', 'a,b\n1,2\n3,4\n', [1, 2, 3]],
    ['no final line break', 'a,b\n1,2\n3,4', [1, 2, 3]],
    ['CRLF', 'a,b\r\n1,2\r\n3,4\r\n', [1, 2, 3]],
    ['a quoted line break', 'a,b\n"x\ny",2\n3,4\n', [1, 2, 4]],
    ['a quoted CRLF and escaped quotes', 'a,b\r\n"say ""hi""\r\nthere",2\r\n3,4\r\n', [1, 2, 4]],
    ['empty lines', 'a,b\n\n1,2\n\r\n\n3,4\n\n', [1, 3, 6]],
    ['a BOM and a quoted header', '\uFEFF"a\nb",c\n1,2\n', [1, 3]],
    ['a quoted cell with a comma', 'a,b\n"1,5",2\n"",3\n', [1, 2, 3]],
  ];

  it.each(cases)('%s', (_what, text, expected) => {
    const layout = scan(text);
    expect(layout.plain).toBe(true);
    expect(layout.records).toBe(expected.length);
    expect(lines(layout)).toEqual(expected);
    // The same, whatever the chunks: one byte at a time, and three.
    expect(scan(text, 1)).toEqual(layout);
    expect(scan(text, 3)).toEqual(layout);
  });

  it.each([
    ['a quote inside an unquoted cell', 'a,b\n1,5" screen\n'],
    ['a bare CR line end', 'a,b\r1,2\r'],
    ['an unterminated quote', 'a,b\n1,"open\n'],
    ['a bare CR at the very end', 'a,b\n1,2\r'],
  ])('is not plain with %s', (_what, text) => {
    expect(scan(text).plain).toBe(false);
    expect(scan(text, 1).plain).toBe(false);
  });

  it('is not plain with a NUL byte, and says so', () => {
    const text = 'a,b\n1,x\u0000y\n';
    expect(scan(text).plain).toBe(false);
    expect(scan(text).nul).toBe(true);
    expect(scan(text, 1)).toEqual(scan(text));
    expect(scan('a,b\n1,2\n').nul).toBe(false);
  });

  describe('a quote that is never closed', () => {
    // 61 lines: the header, rows on lines 2-9, the quote opened on line 10, rows after it.
    const row = (n: number): string => `2026-08-01T10:00:00Z,#20${n},12.00,click,Camp`;
    const lines = ['Order Date,Order Number,Revenue,Attribution Type,Message Name'];
    for (let n = 2; n <= 61; n += 1) lines.push(n === 10 ? '2026-08-01T10:00:00Z,#2010,12.00,click,"Unclosed' : row(n));
    const text = `${lines.join('\n')}\n`;

    it('is found on the line where it opens, not where the file ends', () => {
      const quote = scan(text).unclosedQuote;
      const offset = text.indexOf('"');
      expect(quote).toEqual({ line: 10, offset, recordOffset: text.lastIndexOf('\n', offset) + 1 });
      for (const size of [1, 3, 64]) expect(scan(text, size).unclosedQuote, `chunks of ${size}`).toEqual(quote);
    });

    it('is found after quoted cells with line breaks and escaped quotes, in a record of several lines', () => {
      const tricky = 'a,b,c\n"x\ny","say ""hi""",2\n1,"two\r\nlines","open\n3,4,5\n';
      const layout = scan(tricky);
      expect(layout.unclosedQuote).toEqual({ line: 5, offset: tricky.indexOf('"open'), recordOffset: tricky.indexOf('1,"two') });
      expect(scan(tricky, 1)).toEqual(layout);
    });

    it('is not claimed after a stray quote, where a CSV parser stops first', () => {
      expect(scan('a,b\n1,5" screen\n2,"ok"\n').unclosedQuote).toBeNull();
    });

    it('is not there in a file whose quotes all close', () => {
      expect(scan('a,b\n"x\ny",2\n').unclosedQuote).toBeNull();
    });
  });

  describe('a line longer than MAX_LINE_BYTES', () => {
    it('is found, with its line and where it starts, whatever the chunks and line ends', () => {
      const long = 'x'.repeat(MAX_LINE_BYTES + 1);
      for (const [eol, what] of [['\n', 'LF'], ['\r\n', 'CRLF'], ['\r', 'CR']] as const) {
        const text = `a,b${eol}1,2${eol}${long}${eol}3,4${eol}`;
        const layout = scan(text);
        expect(layout.longLine, what).toEqual({ line: 3, offset: 6 + 2 * eol.length });
        expect(scan(text, 1000), what).toEqual(layout);
        expect(scan(text, 4097), what).toEqual(layout);
      }
    });

    it('is found in a file of one line without a line break', () => {
      expect(scan('y'.repeat(3 * MAX_LINE_BYTES)).longLine).toEqual({ line: 1, offset: 0 });
    });

    it('leaves a line of exactly MAX_LINE_BYTES, and a long record of short lines', () => {
      expect(scan(`a\n${'x'.repeat(MAX_LINE_BYTES)}\n`).longLine).toBeNull();
      expect(scan(`a\n${'x'.repeat(MAX_LINE_BYTES)}`).longLine).toBeNull();
      expect(scan(`a\n"${'x\n'.repeat(MAX_LINE_BYTES)}"\n`).longLine).toBeNull();
    });
  });
});
