// Undoing a wrong import through the command line (docs/attribution.md section 2): one client's Klaviyo
// export imported for another gets a warning at import; `upload list` shows it, `upload remove` takes it
// out of every later build (its raw rows kept, the removal recorded with its time) and `upload restore`
// brings it back. Also: what `import --exclude-view-only` / `--include-view-only` say they did, and the
// coverage windows of `import`, `status` and the models agreeing after a change of time zone.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliMartsOf, tempDir, writeFile, type CliResult } from '../helpers.js';

const ACME_SHOPIFY = `Name,Id,Created at,Currency,Total
#1001,7001,2026-08-03 12:00:00,USD,100.00
#1002,7002,2026-08-04 12:00:00,USD,50.00
#1003,7003,2026-08-05 12:00:00,USD,30.00
`;
const GLOBEX_SHOPIFY = `Name,Id,Created at,Currency,Total
#5001,9001,2026-08-03 12:00:00,USD,80.00
#5002,9002,2026-08-06 12:00:00,USD,20.00
`;
const GLOBEX_POSTSCRIPT = `Order Number,Order Date,Revenue,Attribution Type,Sent At
#5001,2026-08-03 12:00:00,80.00,click,2026-08-03 10:00:00
`;
// acme's Klaviyo export: its three orders, none of them globex's
const ACME_KLAVIYO = `Order Name,Datetime,$value,$attributed_channel,Attributed Event,Touch At
#1001,2026-08-03 12:00:00,100.00,email,Clicked Email,2026-08-03 11:00:00
#1002,2026-08-04 12:00:00,50.00,email,Clicked Email,2026-08-04 11:00:00
#1003,2026-08-05 12:00:00,30.00,email,Opened Email,2026-08-05 11:00:00
`;

describe('upload list, remove and restore', () => {
  let dir: string;
  let db: string;
  const run = (...args: string[]): CliResult => cli(['--db', db, ...args]);
  const ok = (result: CliResult): CliResult => {
    expect(result.status, result.stderr).toBe(0);
    return result;
  };
  const martsOf = (client: string): unknown[] => cliMartsOf(db, client);
  let before: unknown[];
  let wrong: CliResult;
  let wrongId: number;

  beforeAll(() => {
    dir = tempDir();
    db = join(dir, 'warehouse.duckdb');
    ok(run('import', 'shopify', writeFile(dir, 'acme-orders.csv', ACME_SHOPIFY), '--client', 'acme'));
    ok(run('import', 'shopify', writeFile(dir, 'globex-orders.csv', GLOBEX_SHOPIFY), '--client', 'globex'));
    ok(run('import', 'postscript', writeFile(dir, 'globex-ps.csv', GLOBEX_POSTSCRIPT), '--client', 'globex'));
    ok(run('build'));
    before = martsOf('globex');
    wrong = ok(run('import', 'klaviyo', writeFile(dir, 'acme-klaviyo.csv', ACME_KLAVIYO), '--client', 'globex'));
    wrongId = Number(/^upload (\d+):/m.exec(wrong.stdout)?.[1]);
    ok(run('build'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('warns at import when most claims match no Shopify order of the client', () => {
    expect(wrongId).toBe(4);
    expect(wrong.stdout).toContain(
      "  warning: 3 of the 3 claims dated on days client globex's Shopify uploads cover match no Shopify order of globex: " +
        "is this another client's export? `lasttouch upload remove 4` takes it out of every later build",
    );
  });

  it('does not warn when the claims match', () => {
    const right = ok(run('import', 'klaviyo', writeFile(dir, 'acme-klaviyo-right.csv', ACME_KLAVIYO), '--client', 'acme'));
    expect(right.stdout).not.toMatch(/warning/);
  });

  it('the wrong upload counts until it is removed', () => {
    const share = JSON.parse(
      run('query', "SELECT attributed_revenue, attributed_outside_store_revenue FROM marts.store_summary WHERE client_id = 'globex'", '--format', 'json').stdout,
    );
    // 80 (Postscript #5001) + 180 of acme's orders, which are no store order of globex's
    expect(share).toEqual([{ attributed_revenue: 260, attributed_outside_store_revenue: 180 }]);
  });

  it('lists the uploads with their state', () => {
    const list = ok(run('upload', 'list', '--client', 'globex'));
    expect(list.stdout).toMatch(/^client globex$/m);
    expect(list.stdout).toMatch(/upload {4}4 {2}active {3}klaviyo +3 rows +window from its rows +imported .*acme-klaviyo\.csv$/m);
    expect(list.stdout).toMatch(/upload {4}3 {2}active {3}postscript +1 row +window from its rows .*globex-ps\.csv$/m);
  });

  it('remove takes it out of the next build, as if never imported, and keeps its rows', () => {
    const removed = ok(run('upload', 'remove', '4'));
    expect(removed.stdout).toMatch(
      /^upload 4 \(klaviyo acme-klaviyo\.csv of client globex\) removed: the next build treats it as never imported; its rows are kept, and `lasttouch upload restore 4` brings it back$/m,
    );
    expect(ok(run('upload', 'remove', '4')).stdout).toMatch(/^upload 4 was already removed \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\); nothing to do$/m);
    expect(ok(run('upload', 'list', '--client', 'globex')).stdout).toMatch(/upload {4}4 {2}removed .*\(removed \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/m);
    ok(run('build'));
    expect(martsOf('globex')).toEqual(before);
    const raw = JSON.parse(run('query', 'SELECT count(*) AS n FROM raw.klaviyo_claims WHERE upload_id = 4', '--format', 'json').stdout);
    expect(raw).toEqual([{ n: 3 }]);
    expect(ok(run('status', '--client', 'globex')).stdout).toMatch(/upload {4}4 {2}removed .*brings it back\)$/m);
  });

  it('re-importing the removed bytes says so instead of importing them again', () => {
    const again = ok(run('import', 'klaviyo', join(dir, 'acme-klaviyo.csv'), '--client', 'globex'));
    expect(again.stdout).toMatch(
      /these exact bytes were already imported for client globex as upload 4; nothing to do \(upload 4 was removed .*: `lasttouch upload restore 4` brings it back\)/,
    );
  });

  it('restore brings it back, and the removal stays on record', () => {
    const restored = ok(run('upload', 'restore', '4'));
    expect(restored.stdout).toMatch(/^upload 4 \(klaviyo acme-klaviyo\.csv of client globex\) restored: the next build counts it again$/m);
    expect(ok(run('upload', 'restore', '4')).stdout).toMatch(/^upload 4 is not removed; nothing to do$/m);
    ok(run('build'));
    const share = JSON.parse(
      run('query', "SELECT attributed_revenue FROM marts.store_summary WHERE client_id = 'globex'", '--format', 'json').stdout,
    );
    expect(share).toEqual([{ attributed_revenue: 260 }]);
    const history = JSON.parse(
      run('query', 'SELECT upload_id, removed_at IS NOT NULL AS removed, restored_at IS NOT NULL AS restored FROM meta.upload_removals', '--format', 'json').stdout,
    );
    expect(history).toEqual([{ upload_id: 4, removed: true, restored: true }]);
  });

  it('refuses an upload id that is not one', () => {
    const missing = run('upload', 'remove', '99');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/there is no upload 99; `lasttouch upload list` lists them/);
    const garbage = run('upload', 'remove', 'abc');
    expect(garbage.status).toBe(2);
    expect(garbage.stderr).toMatch(/"abc" is not an upload id/);
  });
});

describe('import --exclude-view-only and --include-view-only say what they did', () => {
  let dir: string;
  let db: string;
  const run = (...args: string[]): CliResult => cli(['--db', db, ...args]);

  beforeAll(() => {
    dir = tempDir();
    db = join(dir, 'warehouse.duckdb');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('changes the setting for every later build, and says so, and says when nothing changed', () => {
    const one = run('import', 'postscript', writeFile(dir, 'a.csv', GLOBEX_POSTSCRIPT), '--client', 'acme', '--exclude-view-only');
    expect(one.status, one.stderr).toBe(0);
    expect(one.stdout).toContain(
      '  client acme: view_only changed from include to exclude; every later build leaves view-only claims out of the competition and reports their revenue as view-only excluded (`lasttouch client set acme --view-only include` changes it back)',
    );
    const two = run('import', 'postscript', writeFile(dir, 'b.csv', `${GLOBEX_POSTSCRIPT}#5002,2026-08-06 12:00:00,20.00,view,\n`), '--client', 'acme', '--exclude-view-only');
    expect(two.stdout).toContain('  client acme already excludes view-only claims (view_only = exclude): nothing changed');
    const three = run('import', 'postscript', writeFile(dir, 'c.csv', `${GLOBEX_POSTSCRIPT}#5003,2026-08-07 12:00:00,20.00,view,\n`), '--client', 'acme', '--include-view-only');
    expect(three.stdout).toContain(
      '  client acme: view_only changed from exclude to include; every later build lets view-only claims compete like any other (`lasttouch client set acme --view-only exclude` changes it back)',
    );
    expect(run('client', 'show', 'acme').stdout).toMatch(/view_only: +include/);
  });

  it('refuses both at once, writing nothing', () => {
    const both = run('import', 'postscript', writeFile(dir, 'd.csv', GLOBEX_POSTSCRIPT), '--client', 'beta', '--exclude-view-only', '--include-view-only');
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--exclude-view-only and --include-view-only contradict each other/);
    expect(run('client', 'list').stdout).not.toMatch(/^beta/m);
  });
});

describe('the coverage window is the same in import, status and the models', () => {
  let dir: string;
  let db: string;
  const run = (...args: string[]): CliResult => cli(['--db', db, ...args]);
  // Orders at 02:00 UTC: in New York, the evening before.
  const CLAIMS = `Order ID,Order Date,Revenue,Attribution Type
1,2026-08-01 02:00:00 +0000,10.00,click
2,2026-08-31 02:00:00 +0000,10.00,click
`;

  beforeAll(() => {
    dir = tempDir();
    db = join(dir, 'warehouse.duckdb');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const modelWindow = (): unknown =>
    JSON.parse(run('query', 'SELECT window_from, window_to FROM dedup.dedup_upload_windows', '--format', 'json').stdout);

  it('follows the client time zone, before and after a change', () => {
    const imported = run('import', 'postscript', writeFile(dir, 'claims.csv', CLAIMS), '--client', 'acme');
    expect(imported.stdout).toMatch(/coverage window: 2026-08-01 \.\. 2026-08-31 \(first and last order dates/);
    expect(run('status').stdout).toMatch(/upload {4}1 {2}2026-08-01 \.\. 2026-08-31 /);
    expect(run('build').status).toBe(0);
    expect(modelWindow()).toEqual([{ window_from: '2026-08-01', window_to: '2026-08-31' }]);

    expect(run('client', 'set', 'acme', '--timezone', 'America/New_York').status).toBe(0);
    // status reads the models' rule on today's settings, before any build
    const status = run('status');
    expect(status.stdout).toMatch(/upload {4}1 {2}2026-07-31 \.\. 2026-08-30 /);
    expect(status.stdout).toMatch(/settings of 1 client\(s\) changed: run `lasttouch build`/);
    expect(run('build').status).toBe(0);
    expect(modelWindow()).toEqual([{ window_from: '2026-07-31', window_to: '2026-08-30' }]);
    // and a re-import prints the same
    expect(run('import', 'postscript', join(dir, 'claims.csv'), '--client', 'acme').stdout).toMatch(/already imported/);
  });
});
