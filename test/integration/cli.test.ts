// The whole road as a user walks it, with the CLI as a separate process: import the three exports, set
// the client's time zone, build, query the marts as JSON, render the report and read the figures on it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { withWriterLock } from '../../src/warehouse/db.js';
import { cli, ROOT, tempDir, writeFile, type CliResult } from '../helpers.js';

const SHOPIFY = `Name,Id,Created at,Currency,Total,Lineitem name,Cancelled at
#1001,7000000000001,2026-08-01 02:30:00 +0000,USD,100.00,Shirt,
#1001,,,,,Hat,
#1002,7000000000002,2026-08-05 12:00:00 +0000,USD,50.00,"Mug, big",
`;
const POSTSCRIPT = `Order Date,Order Number,Order ID,Revenue,Attribution Type,Message ID,Sent At,Clicked At
2026-08-01T02:30:00Z,#1001,,100.00,click,10,2026-08-01T01:00:00Z,2026-08-01T01:30:00Z
2026-08-05T12:00:00Z,,7000000000002,$50.00,view,11,2026-08-05T11:00:00Z,
2026-08-06T12:00:00Z,#9999,,20.00,coupon,12,,
`;
// $send_ts 1785927600 = 2026-08-05T11:00:00Z, the same instant as Postscript's send for #1002.
const KLAVIYO = `$event_id,Order ID,Datetime,$value,$attributed_channel,Attributed Event,$attributed_message,Touch At,$send_ts
e1,7000000000001,2026-08-01T02:30:00Z,100.00,email,Clicked Email,m1,2026-08-01T02:00:00Z,
e2,7000000000002,2026-08-05T12:00:00Z,50.00,$sms_channel,Received SMS,m2,,1785927600
`;

describe('lasttouch as a process: import, build, query, report', () => {
  let dir: string;
  let db: string;
  const run = (...args: string[]): CliResult => cli(['--db', db, ...args]);

  beforeAll(() => {
    dir = tempDir();
    db = join(dir, 'warehouse.duckdb');
    expect(run('client', 'set', 'acme', '--timezone', 'America/New_York').status).toBe(0);
    for (const [platform, name, text] of [
      ['shopify', 'orders_export.csv', SHOPIFY],
      ['postscript', 'revenue.csv', POSTSCRIPT],
      ['klaviyo', 'klaviyo.csv', KLAVIYO],
    ] as const) {
      const result = run('import', platform, writeFile(dir, name, text), '--client', 'acme');
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
    const build = run('build');
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints what an import holds, and says so when the same bytes come again', () => {
    const again = run('import', 'klaviyo', join(dir, 'klaviyo.csv'), '--client', 'acme');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('already imported');
    const other = run('import', 'postscript', writeFile(dir, 'more.csv', POSTSCRIPT.replace('20.00', '21.00')), '--client', 'acme');
    expect(other.status).toBe(0);
    expect(other.stdout).toMatch(/rows: 3, orders: 3/);
    expect(other.stdout).toContain('revenue USD: 171.00');
    // Its window (first..last order date in New York: 2026-07-31 .. 2026-08-06) covers every row of upload 2.
    expect(other.stdout).toContain('supersedes: 3 rows of upload 2');
  });

  it('answers query --format json with the marts as the contract types them', () => {
    // The re-sent Postscript file above supersedes upload 2 only from the next build on; the marts
    // below are those of the build in beforeAll.
    const result = run('query', "select * from marts.revenue_summary order by month, platform, channel", '--format', 'json');
    expect(result.status).toBe(0);
    const rows = JSON.parse(result.stdout) as Record<string, unknown>[];
    // #1001 (2026-07-31 22:30 in New York): Klaviyo email click 02:00Z beats Postscript click 01:30Z.
    // #1002: both views at 11:00Z, same type: platform name decides, klaviyo before postscript.
    // #9999: Postscript coupon, unknown time, no Shopify order: wins alone.
    expect(rows).toEqual([
      { client_id: 'acme', month: '2026-07-01', platform: 'klaviyo', channel: 'email', currency: 'USD', platform_orders: 1, platform_revenue: 100, view_only_excluded_revenue: 0, double_attribution_removed: 0, last_touch_orders: 1, last_touch_revenue: 100, engagement_tracked: false, sends: 0, clicks: 0 },
      { client_id: 'acme', month: '2026-07-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 1, platform_revenue: 100, view_only_excluded_revenue: 0, double_attribution_removed: 100, last_touch_orders: 0, last_touch_revenue: 0, engagement_tracked: false, sends: 0, clicks: 0 },
      { client_id: 'acme', month: '2026-08-01', platform: 'klaviyo', channel: 'sms', currency: 'USD', platform_orders: 1, platform_revenue: 50, view_only_excluded_revenue: 0, double_attribution_removed: 0, last_touch_orders: 1, last_touch_revenue: 50, engagement_tracked: false, sends: 0, clicks: 0 },
      // 100 of #1002's view lost to Klaviyo: 50 removed; #9999 20 last touch: 70 = 20 + 50 + 0.
      { client_id: 'acme', month: '2026-08-01', platform: 'postscript', channel: 'sms', currency: 'USD', platform_orders: 2, platform_revenue: 70, view_only_excluded_revenue: 0, double_attribution_removed: 50, last_touch_orders: 1, last_touch_revenue: 20, engagement_tracked: false, sends: 0, clicks: 0 },
    ]);
  });

  it('types timestamps, dates and booleans in JSON as the contract says', () => {
    const result = run('query', "select order_key, order_created_at, month, winner_touch_at, shopify_matched, last_touch_revenue from marts.order_attribution order by order_key", '--format', 'json');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { order_key: '1001', order_created_at: '2026-08-01T02:30:00.000Z', month: '2026-07-01', winner_touch_at: '2026-08-01T02:00:00.000Z', shopify_matched: true, last_touch_revenue: 100 },
      { order_key: '1002', order_created_at: '2026-08-05T12:00:00.000Z', month: '2026-08-01', winner_touch_at: '2026-08-05T11:00:00.000Z', shopify_matched: true, last_touch_revenue: 50 },
      { order_key: '9999', order_created_at: '2026-08-06T12:00:00.000Z', month: '2026-08-01', winner_touch_at: null, shopify_matched: false, last_touch_revenue: 20 },
    ]);
    const big = run('query', 'select 9007199254740993::BIGINT AS big, 42::BIGINT AS small', '--format', 'json');
    expect(JSON.parse(big.stdout)).toEqual([{ big: '9007199254740993', small: 42 }]);
  });

  it('prints CSV with a header line and quoted fields', () => {
    const result = run('query', `select 'a,b' AS x, 'say "hi"' AS y, NULL AS z, 1.50::DECIMAL(18,2) AS d`, '--format', 'csv');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('x,y,z,d\r\n"a,b","say ""hi""",,1.50\r\n');
  });

  it('refuses to write through query', () => {
    const result = run('query', 'delete from meta.uploads');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/read-only/i);
  });

  it('stops quietly when the reader of its output stops early (| head)', () => {
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" bin/lasttouch.js --db "${db}" query "select * from range(100000)" | head -2`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(piped.stdout.split('\n').slice(0, 2)).toEqual(['range', '-----']);
    // Only the line that says which build it read: no broken-pipe error.
    expect(piped.stderr).toMatch(/^lasttouch: read build \d+ of [\d-]+ [\d:]+ UTC(; \d+ uploads? imported since (is|are) not built yet)?\n$/);
  });

  it('reports a usage error with exit code 2 and an unknown command likewise', () => {
    expect(run('query', 'select 1', '--format', 'xml').status).toBe(2);
    expect(run('frobnicate').status).toBe(2);
    expect(run('import', 'mailchimp', 'x.csv', '--client', 'acme').status).toBe(2);
  });

  it('shows uploads, windows and the last build in status', () => {
    const result = run('status', '--client', 'acme');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('acme / postscript');
    expect(result.stdout).toContain('2026-07-31 .. 2026-08-06');
    expect(result.stdout).toMatch(/last build: 1 at/);
    expect(result.stdout).toMatch(/marts\.revenue_summary\s+v2/);
  });

  it('keeps client settings and shows them', () => {
    expect(run('client', 'set', 'acme', '--timezone', 'Mars/Olympus').status).toBe(2);
    const shown = run('client', 'show', 'acme');
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('timezone:          America/New_York');
    expect(run('client', 'show', 'nobody').status).toBe(1);
    expect(run('client', 'list').stdout).toMatch(/^acme\tview_only=include/m);
  });

  it('renders the report with the figures of the marts', () => {
    const out = join(dir, 'site');
    const result = run('report', '--out', out);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(join(out, 'index.html'));
    const august = readFileSync(join(out, 'acme', '2026-08.html'), 'utf8');
    const cell = (html: string, testId: string): string | undefined =>
      new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)?.[1]?.trim();
    const row = (platform: string): string => {
      const start = august.indexOf(`data-testid="revenue-row" data-currency="USD" data-channel="SMS" data-platform="${platform}"`);
      return august.slice(start, august.indexOf('</tr>', start));
    };
    // August: Postscript claims #1002 (50, lost to Klaviyo's SMS view) and #9999 (20, won).
    expect(cell(row('Postscript'), 'platform-revenue')).toBe('USD 70.00');
    expect(cell(row('Postscript'), 'last-touch-revenue')).toBe('USD 20.00');
    expect(cell(row('Postscript'), 'double-attribution-removed')).toBe('USD 50.00');
    // Neither source tracks engagement: no Sends column, one line says the sources are revenue-only.
    expect(august).not.toContain('>Sends</th>');
    expect(august).toContain('The sources of these figures report revenue only');
    expect(cell(row('Klaviyo'), 'last-touch-revenue')).toBe('USD 50.00');
    // Totals: 70 + 50 claimed, 20 + 50 last touch, 50 removed; store revenue is #1002's 50.00. Of the
    // 70 last touch, 50 is on store orders (#1002) and 20 outside (the unmatched #9999), so the share
    // compares like with like: 50 / 50 = 100.0%.
    expect(cell(august, 'total-platform-revenue')).toBe('USD 120.00');
    expect(cell(august, 'total-last-touch-revenue')).toBe('USD 70.00');
    expect(cell(august, 'total-double-attribution-removed')).toBe('USD 50.00');
    expect(cell(august, 'store-revenue')).toBe('USD 50.00');
    expect(cell(august, 'attributed-revenue')).toBe('USD 70.00');
    expect(cell(august, 'attributed-store-revenue')).toBe('USD 50.00');
    expect(cell(august, 'attributed-outside-store-revenue')).toBe('USD 20.00');
    expect(cell(august, 'attributed-share')).toBe('100.0%');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('href="acme.html"');
  });

  /** Runs fn while another process holds DuckDB's lock on the file at path. */
  async function whileHeld(path: string, fn: () => void | Promise<void>): Promise<void> {
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         const instance = await DuckDBInstance.create(${JSON.stringify(path)});
         await instance.connect();
         process.stdout.write('holding\\n');
         setTimeout(() => process.exit(0), 20000);`,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((ready, failed) => {
        holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('holding') && ready());
        holder.on('exit', () => failed(new Error('the lock holder exited early')));
      });
      await fn();
    } finally {
      holder.kill();
    }
  }

  it('lets one writer at a time take the writer lock, while readers go on reading', async () => {
    await whileHeld(`${db}.lock`, () => {
      const writer = run('--wait', '1', 'client', 'set', 'acme', '--currency', 'USD');
      expect(writer.status).toBe(3);
      expect(writer.stderr).toContain(`the warehouse ${db} is busy`);
      const reader = run('--wait', '0', 'query', 'select count(*) as n from meta.clients', '--format', 'json');
      expect(reader.status).toBe(0);
      expect(JSON.parse(reader.stdout)).toEqual([{ n: 1 }]);
    });
  });

  it('stops waiting for the writer lock when the open is aborted, with the reason it was given', async () => {
    // A build compiles its models while the warehouse opens; models that do not compile end the wait.
    await whileHeld(`${db}.lock`, async () => {
      const stop = new AbortController();
      const waits: number[] = [];
      setTimeout(() => stop.abort(new Error('the models do not compile')), 200);
      const opening = withWriterLock(db, { waitSeconds: 60, signal: stop.signal, onWait: (_, seconds) => waits.push(seconds) }, async () => 'written');
      await expect(opening).rejects.toThrow('the models do not compile');
      expect(waits).toEqual([60]);
    });
    expect(await withWriterLock(db, { waitSeconds: 0 }, async (writer) => writer.readPublished(async (warehouse) => warehouse.readOnly))).toBe(true);
  });

  it('lets the published file go after a read that failed inside a transaction, with the read\'s own error', async () => {
    const reads = await withWriterLock(db, { waitSeconds: 0 }, async (writer) => {
      const failed = await writer
        .readPublished(async (warehouse) => {
          await warehouse.run('BEGIN TRANSACTION');
          await warehouse.run('SELECT * FROM meta.no_such_table');
        })
        .then(
          () => null,
          (error: unknown) => String(error),
        );
      const again = await writer.readPublished(async (warehouse) => (await warehouse.all('SELECT count(*)::INTEGER AS n FROM meta.clients'))[0]);
      return { failed, again };
    });
    expect(reads.failed).toMatch(/no_such_table/);
    expect(reads.again).toEqual({ n: 1 });
  });

  it('refuses a warehouse file that DuckDB would name like one of its schemas, writing nothing', () => {
    const dir = tempDir('lasttouch-named-');
    for (const file of ['marts.duckdb', 'Meta.v2.duckdb']) {
      const named = join(dir, file);
      const refused = cli(['--db', named, 'client', 'set', 'acme', '--currency', 'USD']);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(`the warehouse file ${named} would be the database "${file.split('.')[0]}"`);
      expect(cli(['--db', named, 'build']).status).toBe(2);
      expect(cli(['--db', named, 'query', 'select 1']).status).toBe(2);
    }
    expect(readdirSync(dir)).toEqual([]);
    // A name that only contains one is a name of its own.
    const fine = join(dir, 'marts-warehouse.duckdb');
    expect(cli(['--db', fine, 'client', 'set', 'acme', '--currency', 'USD']).status).toBe(0);
    const built = cli(['--db', fine, 'build']);
    expect(built.status, built.stderr).toBe(0);
    expect(cli(['--db', fine, 'build']).stdout).toMatch(/^nothing to build: /);
  });

  it('exits with 3 when another process holds the warehouse longer than --wait', async () => {
    await whileHeld(db, () => {
      const started = Date.now();
      const result = run('--wait', '1', 'query', 'select 1');
      expect(result.status).toBe(3);
      expect(result.stderr).toMatch(/busy/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    });
  });
});
