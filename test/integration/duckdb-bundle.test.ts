// DuckDB's client in one file (dist/vendor, made by `npm run build`): the built command line loads it, it
// is the module every require('@duckdb/node-api') then gives, it runs queries, and a bundle made from
// another version than the one installed is passed over for the package. Each case runs in a process of
// its own, since loading the client fills Node's module cache for the rest of the process.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';

const DUCKDB_MODULE = pathToFileURL(join(ROOT, 'dist', 'warehouse', 'duckdb.js')).href;
const VENDOR = join(ROOT, 'dist', 'vendor');

/** Runs an ES module script in a node process of its own; its stdout as JSON. */
function inProcess(script: string): Record<string, unknown> {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe("DuckDB's client in one file", () => {
  it('is made from the installed client', () => {
    const require = createRequire(join(ROOT, 'package.json'));
    const installed = (JSON.parse(readFileSync(require.resolve('@duckdb/node-api/package.json'), 'utf8')) as { version: string }).version;
    expect(JSON.parse(readFileSync(join(VENDOR, 'duckdb-node-api.json'), 'utf8'))).toEqual({ version: installed });
    expect(readFileSync(join(VENDOR, 'duckdb-node-api.cjs'), 'utf8')).toContain(`@duckdb/node-api ${installed} in one file`);
  });

  it('is what the built command line loads, the module that require gives after it, and it runs queries', () => {
    const seen = inProcess(`
      const { createRequire } = await import('node:module');
      const m = await import(${JSON.stringify(DUCKDB_MODULE)});
      const require = createRequire(${JSON.stringify(join(ROOT, 'package.json'))});
      const api = require('@duckdb/node-api');
      const instance = await m.DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      const reader = await connection.runAndReadAll("SELECT 40 + 2 AS answer, DATE '2026-08-03' AS day");
      const [row] = reader.getRowObjects();
      console.log(JSON.stringify({
        source: m.duckdbSource,
        same: api.DuckDBInstance === m.DuckDBInstance && api.DuckDBDateValue === m.DuckDBDateValue,
        answer: row.answer,
        day: row.day instanceof api.DuckDBDateValue ? row.day.toString() : null,
      }));`);
    expect(seen).toEqual({ source: 'bundle', same: true, answer: 42, day: '2026-08-03' });
  });

  it('is passed over for the package when it was made from another version, or is missing', () => {
    const other = tempDir('lasttouch-vendor-');
    cpSync(VENDOR, other, { recursive: true });
    writeFileSync(join(other, 'duckdb-node-api.json'), '{"version": "0.0.1"}\n');
    const empty = tempDir('lasttouch-vendor-');
    for (const dir of [other, empty]) {
      const seen = inProcess(`
        const { loadDuckDB } = await import(${JSON.stringify(DUCKDB_MODULE)});
        const { createRequire } = await import('node:module');
        const require = createRequire(${JSON.stringify(join(ROOT, 'package.json'))});
        // This process loaded the client already (the module's own load): what a second load gives.
        const again = loadDuckDB(${JSON.stringify(dir)});
        delete require.cache[require.resolve('@duckdb/node-api')];
        const fresh = loadDuckDB(${JSON.stringify(dir)});
        const instance = await fresh.duckdb.DuckDBInstance.create(':memory:');
        const reader = await (await instance.connect()).runAndReadAll('SELECT 1 AS one');
        console.log(JSON.stringify({ again: again.source, fresh: fresh.source, one: reader.getRowObjects()[0].one,
          fromPackage: fresh.duckdb === require('@duckdb/node-api') }));`);
      expect(seen).toEqual({ again: 'package', fresh: 'package', one: 1, fromPackage: true });
    }
  });
});
