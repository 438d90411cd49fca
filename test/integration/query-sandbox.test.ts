// `query` reads the warehouse and can write nothing anywhere: every write attempt a user could type is
// refused with one line and exit 1 (2 for more than one statement), and the warehouse file's bytes and
// every other file stay as they were. What users wanted from those attempts, a file of the result, comes
// from --output, written whole or not at all.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { cli, tempDir, writeFile } from '../helpers.js';

const POSTSCRIPT = `Order Date,Order Number,Order ID,Revenue,Attribution Type,Message ID
2026-08-01T02:30:00Z,#1001,,100.00,click,10
2026-08-05T12:00:00Z,#1002,,"1,050.25",view,11
`;

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('query cannot write', () => {
  let dir: string;
  let db: string;
  let other: string;
  let outside: string;
  const query = (...args: string[]) => cli(['--db', db, 'query', ...args]);

  beforeAll(async () => {
    dir = tempDir();
    db = join(dir, 'warehouse.duckdb');
    expect(cli(['--db', db, 'import', 'postscript', writeFile(dir, 'ps.csv', POSTSCRIPT), '--client', 'acme']).status).toBe(0);
    expect(cli(['--db', db, 'build']).status).toBe(0);
    // Another database file, which a statement might attach and change.
    other = join(dir, 'other.duckdb');
    const instance = await DuckDBInstance.create(other);
    const connection = await instance.connect();
    await connection.run('CREATE TABLE kept AS SELECT 1 AS x');
    connection.closeSync();
    instance.closeSync();
    outside = join(dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'targets.csv'), 'client_id,target\nacme,500\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const attempts: [string, (paths: { db: string; dir: string; other: string }) => string, RegExp][] = [
    ['COPY over the warehouse file', (p) => `copy (select 'garbage' as g) to '${p.db}' (format csv)`, /query does not write files/],
    ['COPY to another file', (p) => `copy (select 1 as x) to '${p.dir}/x.csv'`, /query may not access .*x\.csv.*writes nothing/],
    ['EXPORT DATABASE', (p) => `export database '${p.dir}/exported'`, /query may not access .*exported/],
    ['ATTACH read-write, then DROP', (p) => `attach '${p.other}' as o (READ_WRITE)`, /query reads this warehouse only: "attach/],
    ['DELETE', () => 'delete from meta.uploads', /query is read-only .*"delete from meta\.uploads" is refused/],
    ['DROP', () => 'drop table marts.revenue_summary', /query is read-only .*"drop table marts\.revenue_summary" is refused/],
    ['CREATE', () => 'create table marts.x as select 1', /query does not create anything/],
    ['INSTALL', () => 'install httpfs', /query does not install or load DuckDB extensions: "install httpfs"/],
    ['LOAD', () => 'load httpfs', /query does not install or load DuckDB extensions: "load httpfs"/],
    ['SET to re-enable file access', () => 'set enable_external_access = true', /query does not change settings/],
    ['CHECKPOINT', () => 'checkpoint', /query is read-only .*"checkpoint" is refused/],
    ['reading a file outside the warehouse', () => `select * from read_csv('/etc/passwd')`, /query may not access \/etc\/passwd/],
    ['a PIVOT that creates a type', () => 'pivot marts.revenue_summary on platform using sum(platform_revenue)', /PIVOT without IN/],
  ];

  it.each(attempts)('refuses %s with one line, exit 1, and every file unchanged', (_name, sql, message) => {
    const before = { db: sha256(db), other: sha256(other), files: readdirSync(dir).sort() };
    const result = query(sql({ db, dir, other }));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
    expect({ db: sha256(db), other: sha256(other), files: readdirSync(dir).sort() }).toEqual(before);
  });

  it('runs one statement per call: several are a usage error and none of them runs', () => {
    const before = sha256(db);
    const result = query(`select 1; attach '${other}' as o (READ_WRITE); drop table o.kept`);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/query runs one statement per call; this SQL holds 3/);
    expect(sha256(db)).toBe(before);
    expect(cli(['--db', other, 'query', 'select count(*) as n from kept', '--format', 'json']).stdout).toMatch(/"n": 1/);
    expect(query('  ').status).toBe(2);
  });

  it('reads a folder the user allows with --allow-read, and still writes nothing there', () => {
    const sql = `select * from read_csv('${outside}/targets.csv')`;
    expect(query(sql).status).toBe(1);
    const allowed = query(sql, '--allow-read', outside, '--format', 'json');
    expect(allowed.stderr).toMatch(/^lasttouch: read build 1 of /);
    expect(allowed.status).toBe(0);
    expect(JSON.parse(allowed.stdout)).toEqual([{ client_id: 'acme', target: 500 }]);
    const write = query(`copy (select 1 as x) to '${outside}/y.csv'`, '--allow-read', outside);
    expect(write.status).toBe(1);
    expect(write.stderr).toMatch(/query does not write files/);
    expect(readdirSync(outside)).toEqual(['targets.csv']);
    expect(query(sql, '--allow-read', join(dir, 'nope')).status).toBe(2);
  });

  it('writes the result with --output as CSV, JSON or Parquet, whole, and says which build it read', () => {
    const sql = 'select client_id, platform, platform_revenue from marts.revenue_summary order by all';
    const csv = query(sql, '--output', join(dir, 'summary.csv'));
    expect(csv.status).toBe(0);
    expect(csv.stdout).toBe('');
    expect(csv.stderr).toMatch(/lasttouch: read build 1 of .* UTC\nlasttouch: wrote .*summary\.csv\n$/);
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8')).toBe('client_id,platform,platform_revenue\r\nacme,postscript,1150.25\r\n');
    expect(query(sql, '--output', join(dir, 'summary.out'), '--format', 'json').status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'summary.out'), 'utf8'))).toEqual([{ client_id: 'acme', platform: 'postscript', platform_revenue: 1150.25 }]);
    expect(query(sql, '--output', join(dir, 'summary.parquet')).status).toBe(0);
    const back = query(`select * from read_parquet('${dir}/summary.parquet')`, '--allow-read', dir, '--format', 'csv');
    expect(back.stdout).toBe('client_id,platform,platform_revenue\r\nacme,postscript,1150.25\r\n');
    // A statement that fails leaves the earlier file as it was, and no temporary file beside it.
    const before = readFileSync(join(dir, 'summary.csv'), 'utf8');
    expect(query('select * from nowhere', '--output', join(dir, 'summary.csv')).status).toBe(1);
    expect(query(`copy (select 1) to '${dir}/z.csv'`, '--output', join(dir, 'summary.parquet')).status).toBe(1);
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    // Parquet goes to a file only; an unknown extension needs --format.
    expect(query(sql, '--format', 'parquet').status).toBe(2);
    expect(query(sql, '--output', join(dir, 'summary.xyz')).status).toBe(2);
    expect(existsSync(join(dir, 'summary.xyz'))).toBe(false);
  });
});
