// docs/attribution.md section 8, through the command line: in an agency's warehouse, a data test that
// fails for one client's rows fails that client only. Its marts stay as they were at its last good build,
// the build names the client and the test and exits 1, and every other client's marts are published. Once
// the bad upload is removed, the next build brings the client back, as a full rebuild would.
//
// The failing data: a Shopify export with an order named "#", whose normalised key is empty, so that
// tests.shopify_orders_unique_key (order key unique and not null) fails for that client's rows.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliMartsOf, cliQuery, MARTS, tempDir, writeFile, type CliResult } from '../helpers.js';
import { rmSync } from 'node:fs';

const AUGUST_CLAIMS = `Order ID,Order Date,Revenue,Attribution Type,Message ID,Sent At
5001,2026-08-05 12:00:00,40.00,click,m1,2026-08-05 10:00:00
`;
const SEPTEMBER_CLAIMS = `Order ID,Order Date,Revenue,Attribution Type,Message ID,Sent At
5002,2026-09-05 12:00:00,60.00,click,m2,2026-09-05 10:00:00
`;
const BAD_AUGUST = `Name,Id,Created at,Currency,Total
#7001,7001,2026-08-03 12:00:00,USD,30.00
`;
const BAD_SEPTEMBER = `Name,Id,Created at,Currency,Total
#7002,7002,2026-09-03 12:00:00,USD,25.00
#,7003,2026-09-04 12:00:00,USD,99.00
`;

describe('one client failing a data test in an agency warehouse', () => {
  let dir: string;
  let db: string;
  const run = (...args: string[]): CliResult => cli(['--db', db, ...args]);
  const martsOf = (client: string): unknown[] => cliMartsOf(db, client);
  let badBefore: unknown[];
  let failed: CliResult;
  let badUpload: number;

  beforeAll(() => {
    dir = tempDir();
    db = join(dir, 'warehouse.duckdb');
    const ok = (result: CliResult): CliResult => {
      expect(result.status, result.stderr).toBe(0);
      return result;
    };
    ok(run('import', 'postscript', writeFile(dir, 'good-08.csv', AUGUST_CLAIMS), '--client', 'good', '--from', '2026-08-01', '--to', '2026-08-31'));
    ok(run('import', 'shopify', writeFile(dir, 'bad-08.csv', BAD_AUGUST), '--client', 'bad', '--from', '2026-08-01', '--to', '2026-08-31'));
    ok(run('build'));
    badBefore = martsOf('bad');
    ok(run('import', 'postscript', writeFile(dir, 'good-09.csv', SEPTEMBER_CLAIMS), '--client', 'good', '--from', '2026-09-01', '--to', '2026-09-30'));
    const imported = ok(run('import', 'shopify', writeFile(dir, 'bad-09.csv', BAD_SEPTEMBER), '--client', 'bad', '--from', '2026-09-01', '--to', '2026-09-30'));
    badUpload = Number(/^upload (\d+):/m.exec(imported.stdout)?.[1]);
    failed = run('build');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 and names the client and the test that failed', () => {
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/data tests failed for client bad: building again, keeping its marts as they were/);
    expect(failed.stdout).toMatch(/^client bad:\ndata test tests\.shopify_orders_unique_key \(sql\/tests\/shopify_orders_unique_key\.sql\) failed: 1 failing row/m);
    expect(failed.stderr).toMatch(
      /data tests failed for client bad: its marts stay as they were at its last good build; every other client's marts are published/,
    );
  });

  it("publishes the other client's new month", () => {
    const rows = JSON.parse(
      run('query', "SELECT month, last_touch_revenue FROM marts.revenue_summary WHERE client_id = 'good' ORDER BY month", '--format', 'json').stdout,
    );
    expect(rows).toEqual([
      { month: '2026-08-01', last_touch_revenue: 40 },
      { month: '2026-09-01', last_touch_revenue: 60 },
    ]);
  });

  it("keeps the failing client's marts as they were at its last good build", () => {
    expect(martsOf('bad')).toEqual(badBefore);
    // August only: the September store revenue is not in
    const store = JSON.parse(run('query', "SELECT month, store_revenue FROM marts.store_summary WHERE client_id = 'bad'", '--format', 'json').stdout);
    expect(store).toEqual([{ month: '2026-08-01', store_revenue: 30 }]);
  });

  it('status says which client was held back, by which test', () => {
    const status = run('status');
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toMatch(
      /client bad held back: data test tests\.shopify_orders_unique_key failed on 1 row\(s\); its marts are those of its last good build/,
    );
  });

  it('a build with nothing new fails the client again, and changes nothing', () => {
    const again = run('build');
    expect(again.status).toBe(1);
    expect(martsOf('bad')).toEqual(badBefore);
  });

  it('once the bad upload is removed, the next build brings the client back as a full rebuild would', () => {
    expect(run('upload', 'remove', String(badUpload)).status).toBe(0);
    const fixed = run('build');
    expect(fixed.status, fixed.stdout + fixed.stderr).toBe(0);
    const incremental = martsOf('bad');
    expect(incremental).toEqual(badBefore);
    expect(run('build', '--full-refresh').status).toBe(0);
    expect(martsOf('bad')).toEqual(incremental);
    expect(run('status').stdout).not.toMatch(/held back/);
  });
});

describe('a client whose data fails a data test at its very first build', () => {
  let dir: string;
  let db: string;
  const run = (...args: string[]): CliResult => cli(['--db', db, ...args]);

  beforeAll(() => {
    dir = tempDir();
    db = join(dir, 'warehouse.duckdb');
    expect(run('import', 'postscript', writeFile(dir, 'good-08.csv', AUGUST_CLAIMS), '--client', 'good').status).toBe(0);
    expect(run('import', 'postscript', writeFile(dir, 'bad-claims.csv', SEPTEMBER_CLAIMS), '--client', 'bad').status).toBe(0);
    expect(run('import', 'shopify', writeFile(dir, 'bad-09.csv', BAD_SEPTEMBER), '--client', 'bad').status).toBe(0);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has no last good build, so none of its rows is published; the other client is', () => {
    const first = run('build');
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(/data tests failed for client bad/);
    for (const mart of MARTS) {
      expect(cliQuery(db, `SELECT count(*) AS n FROM ${mart} WHERE client_id = 'bad'`), mart).toEqual([{ n: 0 }]);
    }
    expect(cliQuery(db, `SELECT count(*) AS n FROM marts.revenue_summary WHERE client_id = 'good'`)).toEqual([{ n: 1 }]);
  });
});
