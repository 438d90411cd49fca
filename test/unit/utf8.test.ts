// The encoding check: firstInvalidUtf8 on one buffer, and inspectFile streaming a file in chunks, where
// a character can be split between two chunks. No database.
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { firstInvalidUtf8, inspectFile, readRecords } from '../../src/ingest/source-file.js';
import { InputError } from '../../src/ingest/format.js';
import { tempDir, writeFile } from '../helpers.js';
import { rmSync } from 'node:fs';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('firstInvalidUtf8', () => {
  it('accepts ASCII, multi-byte text and an empty buffer', () => {
    expect(firstInvalidUtf8(Buffer.from('Order ID,Revenue\n#1001,12.00\n'))).toEqual({ invalidAt: -1, incompleteFrom: -1 });
    expect(firstInvalidUtf8(Buffer.from('René, Zoë, 日本, Ελλάδα, 😀, €9.99, \uFEFF'))).toEqual({
      invalidAt: -1,
      incompleteFrom: -1,
    });
    expect(firstInvalidUtf8(new Uint8Array())).toEqual({ invalidAt: -1, incompleteFrom: -1 });
  });

  it('finds a Latin-1 byte', () => {
    // "Ren\xE9 D" : 0xE9 opens a three-byte sequence but a space follows.
    expect(firstInvalidUtf8(Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x20, 0x44]))).toEqual({ invalidAt: 3, incompleteFrom: -1 });
    // Windows-1252 curly quote 0x93 is a lone continuation byte.
    expect(firstInvalidUtf8(bytes(0x61, 0x93, 0x62))).toEqual({ invalidAt: 1, incompleteFrom: -1 });
  });

  it.each([
    ['a byte that never appears in UTF-8 (0xFF)', bytes(0x41, 0xff, 0x41), 1],
    ['0xF5 and above', bytes(0xf5, 0x80, 0x80, 0x80), 0],
    ['an overlong two-byte form (0xC0 0xAF)', bytes(0xc0, 0xaf), 0],
    ['an overlong two-byte form (0xC1 0xBF)', bytes(0x41, 0xc1, 0xbf), 1],
    ['an overlong three-byte form (0xE0 0x80 0xAF)', bytes(0xe0, 0x80, 0xaf), 0],
    ['a UTF-16 surrogate (0xED 0xA0 0x80)', bytes(0x41, 0x42, 0xed, 0xa0, 0x80), 2],
    ['an overlong four-byte form (0xF0 0x80 0x80 0x80)', bytes(0xf0, 0x80, 0x80, 0x80), 0],
    ['a code point past U+10FFFF (0xF4 0x90 0x80 0x80)', bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ['a sequence cut short by an ASCII byte', bytes(0xe6, 0x97, 0x41, 0x42), 0],
  ])('refuses %s', (_what, buf, at) => {
    expect(firstInvalidUtf8(buf).invalidAt).toBe(at);
  });

  it('reports a sequence split at the end of the chunk as incomplete, not invalid', () => {
    const whole = Buffer.from('ab日'); // 日 = E6 97 A5
    expect(firstInvalidUtf8(whole.subarray(0, 3))).toEqual({ invalidAt: -1, incompleteFrom: 2 });
    expect(firstInvalidUtf8(whole.subarray(0, 4))).toEqual({ invalidAt: -1, incompleteFrom: 2 });
    const emoji = Buffer.from('x😀'); // F0 9F 98 80
    expect(firstInvalidUtf8(emoji.subarray(0, 2))).toEqual({ invalidAt: -1, incompleteFrom: 1 });
    expect(firstInvalidUtf8(emoji.subarray(0, 4))).toEqual({ invalidAt: -1, incompleteFrom: 1 });
    expect(firstInvalidUtf8(emoji)).toEqual({ invalidAt: -1, incompleteFrom: -1 });
  });

  it('finds an invalid byte even inside an incomplete tail', () => {
    // E6 opens three bytes; 0x41 is not a continuation byte, though the buffer ends before the third.
    expect(firstInvalidUtf8(bytes(0x61, 0xe6, 0x41))).toEqual({ invalidAt: 1, incompleteFrom: -1 });
  });

  it('checks each chunk of a split character so that the halves agree with the whole', () => {
    const text = Buffer.from('Zoë;日本;😀;Ελλάδα');
    for (let cut = 0; cut <= text.length; cut += 1) {
      const first = firstInvalidUtf8(text.subarray(0, cut));
      expect(first.invalidAt, `cut at ${cut}`).toBe(-1);
      const restFrom = first.incompleteFrom >= 0 ? first.incompleteFrom : cut;
      expect(firstInvalidUtf8(text.subarray(restFrom)), `cut at ${cut}`).toEqual({ invalidAt: -1, incompleteFrom: -1 });
    }
  });
});

describe('inspectFile', () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // createReadStream reads 64 KiB chunks.
  const CHUNK = 64 * 1024;
  const HEADER = 'Order ID,Message Name,Revenue\n';

  async function refusal(path: string): Promise<InputError> {
    const error = await inspectFile(path).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }

  it('hashes a valid UTF-8 file with a BOM and returns its size', async () => {
    const content = Buffer.from(`\uFEFF${HEADER}1,Zoë's 日本 sale 😀,12.00\r\n`);
    const path = writeFile(dir, 'good.csv', content);
    const facts = await inspectFile(path);
    expect(facts.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(facts.bytes).toBe(content.length);
  });

  it('accepts a multi-byte character split between two chunks', async () => {
    for (const split of [1, 2, 3]) {
      // The emoji (4 bytes) starts `split` bytes before the end of the first chunk.
      const prefix = Buffer.from(HEADER + '1,'.padEnd(CHUNK - split - HEADER.length, 'x'));
      const content = Buffer.concat([prefix, Buffer.from('😀,12.00\n2,日本,3.00\n')]);
      expect(prefix.length).toBe(CHUNK - split);
      const path = writeFile(dir, `split-${split}.csv`, content);
      const facts = await inspectFile(path);
      expect(facts.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    }
  });

  it('refuses a Latin-1 byte, naming the line, the column and the value', async () => {
    const content = Buffer.concat([
      Buffer.from(`${HEADER}1,Summer,12.00\n2,Ren`),
      Buffer.from([0xe9]),
      Buffer.from(' Dupont,13.00\n'),
    ]);
    const error = await refusal(writeFile(dir, 'latin1.csv', content));
    expect(error.file).toBe('latin1.csv');
    expect(error.line).toBe(3);
    expect(error.column).toBe('Message Name');
    expect(error.value).toContain('Ren');
    expect(error.message).toMatch(/^latin1\.csv:3: column "Message Name", value "Ren\\xE9": byte 0xE9 is not UTF-8/);
  });

  it('refuses a Latin-1 byte that is the last byte of a chunk', async () => {
    const prefix = Buffer.from(HEADER + '1,'.padEnd(CHUNK - 1 - HEADER.length, 'x'));
    const content = Buffer.concat([prefix, Buffer.from([0xe9]), Buffer.from(',12.00\n')]);
    const error = await refusal(writeFile(dir, 'latin1-edge.csv', content));
    expect(error.line).toBe(2);
    expect(error.column).toBe('Message Name');
    expect(error.message).toMatch(/byte 0xE9 is not UTF-8/);
  });

  it('counts lines across chunks when it names the line', async () => {
    const rows = Array.from({ length: 5000 }, (_, index) => `${index + 1},message ${index + 1},1.00\n`).join('');
    const content = Buffer.concat([Buffer.from(HEADER + rows), Buffer.from('5001,caf'), Buffer.from([0xe9]), Buffer.from(',1.00\n')]);
    expect(content.length).toBeGreaterThan(CHUNK);
    const error = await refusal(writeFile(dir, 'late.csv', content));
    expect(error.line).toBe(5002);
    expect(error.column).toBe('Message Name');
  });

  it('refuses a file that ends inside a character', async () => {
    const content = Buffer.concat([Buffer.from(`${HEADER}1,caf`), Buffer.from([0xc3])]);
    const error = await refusal(writeFile(dir, 'cut.csv', content));
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/ends inside a UTF-8 character/);
  });

  it('refuses UTF-16 with a message that says so', async () => {
    const content = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER, 'utf16le')]);
    const error = await refusal(writeFile(dir, 'utf16.csv', content));
    expect(error.message).toMatch(/UTF-16/);
  });

  it('refuses an empty file', async () => {
    const error = await refusal(writeFile(dir, 'empty.csv', ''));
    expect(error.message).toMatch(/^empty\.csv:1: .*empty/);
  });
});

describe('readRecords', () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function records(text: string | Buffer) {
    const path = writeFile(dir, 'records.csv', text);
    const result: { cells: string[]; line: number }[] = [];
    for await (const record of readRecords(path)) result.push(record);
    return result;
  }

  it('drops the BOM and gives each record the line it starts on', async () => {
    const result = await records(
      '\uFEFFOrder ID,Message Name,Revenue\r\n1,"Sale, ""big""\r\nsecond line",12.00\r\n2,plain,3.00\r\n\r\n3,"a\nb\nc",4.00\r\n',
    );
    expect(result).toEqual([
      { cells: ['Order ID', 'Message Name', 'Revenue'], line: 1 },
      { cells: ['1', 'Sale, "big"\r\nsecond line', '12.00'], line: 2 },
      { cells: ['2', 'plain', '3.00'], line: 4 },
      { cells: ['3', 'a\nb\nc', '4.00'], line: 6 },
    ]);
  });

  it('numbers the lines of a plain LF file from 1', async () => {
    const result = await records('Order ID,Revenue\n1,2.00\n2,3.00\n\n\n3,4.00');
    expect(result.map((record) => record.line)).toEqual([1, 2, 3, 6]);
    expect(result[3]?.cells).toEqual(['3', '4.00']);
  });

  it('numbers the lines of a CRLF file with empty lines and quoted newlines', async () => {
    const result = await records('a,b\r\n\r\n1,"x\r\ny\r\nz"\r\n2,"p\nq"\r\n\r\n\r\n3,r\r\n');
    expect(result.map((record) => record.line)).toEqual([1, 3, 6, 10]);
  });

  it('numbers the lines of a file read in many chunks', async () => {
    const rows = Array.from({ length: 20_000 }, (_, index) =>
      index % 1000 === 0 ? `${index},"two\r\nlines"\r\n` : `${index},plain\r\n`,
    ).join('');
    const result = await records(`id,text\r\n${rows}`);
    expect(result).toHaveLength(20_001);
    // Rows 0, 1000, ... take two lines each: row i starts after i lines plus one per earlier two-line row.
    for (const index of [0, 1, 999, 1000, 1001, 19_999]) {
      const expected = 2 + index + Math.ceil(index / 1000);
      expect(result[index + 1]?.line, `row ${index}`).toBe(expected);
      expect(result[index + 1]?.cells[0]).toBe(String(index));
    }
  });

  it('reports malformed CSV as an InputError with its line', async () => {
    const error = await records('Order ID,Message Name\n1,"unclosed\n2,x\n').then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^records\.csv:\d+: the file is not valid CSV/);
  });
});
