// `lasttouch import` with several files: each is one upload, landed or refused on its own, in the order
// given, through one opening of the warehouse; a refused file is named with its problems and the command
// exits 1, leaving the others imported. Through the compiled CLI, on a real DuckDB file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, TestWarehouse } from '../helpers.js';

const HEADER = 'Order Date,Order Number,Revenue,Attribution Type';

function claims(rows: string[]): string {
  return [HEADER, ...rows].join('\n') + '\n';
}

let warehouse: TestWarehouse;
beforeEach(() => {
  warehouse = new TestWarehouse();
});
afterEach(() => warehouse.cleanup());

function files(): { a: string; bad: string; b: string } {
  return {
    a: warehouse.file('a.csv', claims(['2026-09-01 10:00:00,#1,10.00,click', '2026-09-02 10:00:00,#2,20.00,view'])),
    bad: warehouse.file('bad.csv', claims(['2026-09-03 10:00:00,#3,lots,click'])),
    b: warehouse.file('b.csv', claims(['2026-10-01 10:00:00,#4,40.00,click'])),
  };
}

describe('import of several files', () => {
  it('lands each good file as its own upload, in the order given, and names the refused one', async () => {
    const { a, bad, b } = files();
    const run = cli(['--db', warehouse.path, 'import', 'postscript', a, bad, b, '--client', 'acme']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('bad.csv:2: column "Revenue", value "lots": is not an amount');
    expect(run.stderr).toContain('lasttouch: 2 of 3 files imported; refused: bad.csv');
    expect(run.stdout).toMatch(/^upload 1: postscript a\.csv for client acme$/m);
    expect(run.stdout).toMatch(/^upload 2: postscript b\.csv for client acme$/m);
    expect(run.stdout.indexOf('a.csv')).toBeLessThan(run.stdout.indexOf('b.csv'));
    // The build hint once, after the last summary.
    expect(run.stdout.match(/run `lasttouch build`/g)?.length).toBe(1);
    expect(await warehouse.query('SELECT upload_id, file_name, row_count FROM meta.uploads ORDER BY upload_id')).toEqual([
      { upload_id: 1, file_name: 'a.csv', row_count: 2 },
      { upload_id: 2, file_name: 'b.csv', row_count: 1 },
    ]);
    expect(await warehouse.query('SELECT count(*) AS n FROM raw.postscript_claims')).toEqual([{ n: 3 }]);

    // Run again: the landed files are known by their bytes, the bad one is refused again.
    const again = cli(['--db', warehouse.path, 'import', 'postscript', a, bad, b, '--client', 'acme']);
    expect(again.status).toBe(1);
    expect(again.stdout).toContain('a.csv: these exact bytes were already imported for client acme as upload 1');
    expect(again.stdout).toContain('b.csv: these exact bytes were already imported for client acme as upload 2');
    expect(await warehouse.query('SELECT count(*) AS n FROM meta.uploads')).toEqual([{ n: 2 }]);
  });

  it('prints one JSON array with --json: a summary per imported file, the problems of a refused one', () => {
    const { a, bad, b } = files();
    const run = cli(['--db', warehouse.path, 'import', 'postscript', a, bad, b, '--client', 'acme', '--json']);
    expect(run.status).toBe(1);
    const documents = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(documents.map((document) => [document.status, document.file_name])).toEqual([
      ['imported', 'a.csv'],
      ['refused', 'bad.csv'],
      ['imported', 'b.csv'],
    ]);
    expect(documents[0]?.rows).toBe(2);
    expect(documents[1]?.problems).toEqual(['bad.csv:2: column "Revenue", value "lots": is not an amount', 'nothing was imported']);
  });

  it('with one file, a refusal is the command\'s error as before: exit 1, nothing on stdout', async () => {
    const { bad } = files();
    const run = cli(['--db', warehouse.path, 'import', 'postscript', bad, '--client', 'acme', '--json']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('bad.csv:2: column "Revenue", value "lots": is not an amount');
    expect(run.stderr).not.toContain('files imported');
  });

  it('a file that cannot be read is refused on its own, before the warehouse opens', async () => {
    const { a } = files();
    const run = cli(['--db', warehouse.path, 'import', 'postscript', a, `${warehouse.dir}/missing.csv`, '--client', 'acme']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('missing.csv');
    expect(run.stderr).toContain('lasttouch: 1 of 2 files imported; refused: missing.csv');
    expect(await warehouse.query('SELECT file_name FROM meta.uploads')).toEqual([{ file_name: 'a.csv' }]);
  });
});

describe('the memory limit', () => {
  it('is what --memory-limit or LASTTOUCH_MEMORY_LIMIT says, and an import runs under a small one', async () => {
    const { a } = files();
    const run = cli(['--db', warehouse.path, '--memory-limit', '100MB', 'import', 'postscript', a, '--client', 'acme']);
    expect(run.status, run.stderr).toBe(0);
    const setting = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      cli(['--db', warehouse.path, ...args, 'query', "SELECT current_setting('memory_limit') AS m"], { env }).stdout;
    expect(setting(['--memory-limit', '200MB'])).toContain('190.0 MiB');
    expect(setting([], { LASTTOUCH_MEMORY_LIMIT: '1GiB' })).toContain('1.0 GiB');
    expect(setting([], { LASTTOUCH_MEMORY_LIMIT: '' })).toContain('732.0 MiB');
    const bad = cli(['--db', warehouse.path, '--memory-limit', 'lots', 'query', 'SELECT 1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--memory-limit "lots" is not a memory size');
  });
});
