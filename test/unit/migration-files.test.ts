// The meta schema changes only through numbered migration files, frozen once shipped: the checksum of
// each shipped file is written here, and a change to one fails this test (append a new migration
// instead). A warehouse records the checksum of each migration it applied, and refuses to be written by
// a version whose file of the same number differs (test/integration/migrations.test.ts).
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, readMigrations } from '../../src/warehouse/migrations.js';
import { ROOT, tempDir } from '../helpers.js';

/** The SHA-256 of every migration file that has shipped. A new migration adds its line when it ships. */
const SHIPPED = new Map([
  [1, '55fd5c84367c7b1d6d90cbee92cc60abbab1181c009560edf4a3e1f2ee425833'],
  [2, 'b7256ce2f89cbe8bb9298a942ba78fe87693c99a6e08fa84bb9e24559c24ce36'],
  [3, '9feaa186872d1af2ad43ae14846966c77c23a8c3d270be305efcd8413a18f634'],
  [4, 'a4d9df68ecb74c4721de9b72dd5329e8c08f1df202621352bb5a4c148ae073ac'],
  [5, '386bd7df5e25fbe891ac910a23107916ec0f6ee370caff340d4f351c0cb70bfb'],
  [6, 'f322ea531c82bdf97b599c37f535879bafa66733ed5328f915131ce1cb3090b1'],
  [7, 'ebd77d15446959c03367505fc2afe9731215ed40bdce3bf741ffae200f220c68'],
]);

describe('migration files', () => {
  it('are the shipped files, unchanged, numbered from 1 with none missing', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual([...SHIPPED.keys()]);
    for (const migration of MIGRATIONS) expect([migration.file, migration.checksum]).toEqual([migration.file, SHIPPED.get(migration.version)]);
  });

  it('each say what they do on their first line', () => {
    expect(MIGRATIONS.find((migration) => migration.version === 6)?.description).toBe('uploads of any platform that has an export format');
  });

  it('refuse a gap in the numbering and a file named otherwise', () => {
    const dir = tempDir('lasttouch-migrations-');
    cpSync(join(ROOT, 'migrations'), dir, { recursive: true });
    writeFileSync(join(dir, '0010_later.sql'), '-- later\nSELECT 1;\n');
    expect(() => readMigrations(dir)).toThrow(/numbered 1, 2, 3, \.\.\. with none missing/);
    rmSync(join(dir, '0010_later.sql'));
    writeFileSync(join(dir, 'extra.sql'), '-- extra\n');
    expect(() => readMigrations(dir)).toThrow(/migrations\/extra\.sql: a migration file is named NNNN_name\.sql/);
  });
});
