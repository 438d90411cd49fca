// Where the records of a CSV file start, found without parsing it (src/ingest/source-file.ts): the bulk
// loader numbers the lines of its rows from this, so it must agree with a CSV parser, chunk by chunk.
import { describe, expect, it } from 'vitest';
import { RecordScanner, type RecordLayout } from '../../src/ingest/source-file.js';

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
});
