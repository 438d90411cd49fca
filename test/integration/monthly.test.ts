// The monthly job through the command line, on an inbox with two clients, a real SMTP server on loopback
// and a real warehouse file: what moves where, what the marts and the report hold, what the mail says,
// and that a second run (or two at once) changes nothing.
//
// acme: a Shopify export, a Postscript export whose revenue column is named differently (mapped in its
// client.json), the same Postscript bytes under another name, a broken Postscript export.
// bravo: a Postscript export, and a Shopify export with an order named "#": its key is empty, so the data
// test tests.shopify_orders_unique_key fails for bravo's rows and bravo is held back.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliAsync, cliQuery, ROOT, tempDir, type CliResult } from '../helpers.js';
import { parseMessage, startRaw, startSmtp, type Running } from '../smtp.js';

const SEEDS = join(ROOT, 'seeds', 'demo');
const POSTSCRIPT = readFileSync(join(SEEDS, 'postscript_revenue_2026-11-01.csv'), 'utf8');
// The same export with its revenue column renamed, which only client.json's mapping makes readable.
const RENAMED = POSTSCRIPT.replace('Attributed Revenue', 'Rev (gross)');
const BROKEN = `${RENAMED.split('\n')[0]}\n2026-10-04 09:15:43,#1078,7410991464791,lots,USD,view,automation,Abandoned Cart 1,ps-aut-201,2026-10-03 23:15:43,,,\n`;
const BRAVO_CLAIMS = `Order ID,Order Date,Revenue,Attribution Type,Message ID,Sent At
5001,2026-10-05 12:00:00,40.00,click,m1,2026-10-05 10:00:00
`;
const BRAVO_BAD_SHOPIFY = `Name,Id,Created at,Currency,Total
#7002,7002,2026-10-03 12:00:00,USD,25.00
#,7003,2026-10-04 12:00:00,USD,99.00
`;

/** Every file under dir with its sha256, as relative path -> hash. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

function place(dir: string, name: string, text: string, minutesAgo: number): void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text);
  const when = new Date(Date.now() - minutesAgo * 60_000);
  utimesSync(path, when, when);
}

describe('lasttouch monthly', () => {
  let dir: string;
  let db: string;
  let inbox: string;
  let smtp: Running;
  let env: NodeJS.ProcessEnv;
  let first: CliResult;
  let second: CliResult;
  let afterFirst: { files: Record<string, string>; marts: unknown; mails: number };
  const today = (): string => {
    const now = new Date();
    return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  };
  const monthly = (...extra: string[]): Promise<CliResult> =>
    cliAsync(['--db', db, 'monthly', '--inbox', inbox, '--out', join(dir, 'site'), ...extra], { cwd: dir, env });
  const marts = (): unknown =>
    ['revenue_summary', 'store_summary', 'order_attribution', 'data_quality'].map((mart) =>
      cliQuery(db, `SELECT * FROM marts.${mart} ORDER BY ALL`),
    );
  const mailsTo = (address: string): ReturnType<typeof parseMessage>[] =>
    smtp.received.filter((mail) => mail.rcptTo.includes(address)).map((mail) => parseMessage(mail.raw));

  beforeAll(async () => {
    dir = tempDir();
    db = join(dir, 'warehouse.duckdb');
    inbox = join(dir, 'inbox');
    smtp = await startSmtp();
    env = { LASTTOUCH_SMTP_URL: `smtp://reports:hunter2@127.0.0.1:${smtp.port}`, LASTTOUCH_MAIL_FROM: 'reports@agency.example', LASTTOUCH_OUTBOX: join(dir, 'outbox') };
    const acme = join(inbox, 'acme');
    place(acme, 'orders_export.csv', readFileSync(join(SEEDS, 'shopify_orders.csv'), 'utf8'), 50);
    place(acme, 'revenue-report.csv', RENAMED, 40);
    place(acme, 'revenue-report (1).csv', RENAMED, 30);
    place(acme, 'broken.csv', BROKEN, 20);
    place(acme, 'download.csv.crdownload', 'half a file', 10);
    writeFileSync(
      join(acme, 'client.json'),
      JSON.stringify({ timezone: 'America/New_York', notify: ['ops@acme.example', 'cmo@acme.example'], columns: { postscript: { revenue: 'Rev (gross)' } } }),
    );
    const bravo = join(inbox, 'bravo');
    place(bravo, 'claims.csv', BRAVO_CLAIMS, 20);
    place(bravo, 'orders.csv', BRAVO_BAD_SHOPIFY, 10);
    writeFileSync(join(bravo, 'client.json'), JSON.stringify({ notify: 'team@bravo.example' }));

    first = await monthly('--month', '2026-10');
    afterFirst = { files: { ...tree(inbox), ...tree(join(dir, 'site')) }, marts: marts(), mails: smtp.received.length };
    second = await monthly('--month', '2026-10');
  }, 240_000);

  afterAll(async () => {
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 1 and says what needs attention: a file rejected, a client held back', () => {
    expect(first.status, first.stderr).toBe(1);
    expect(first.stderr).toMatch(/monthly: 1 file rejected; client bravo not updated/);
    expect(first.stdout).toMatch(/^client acme \(month 2026-10\)$/m);
    expect(first.stdout).toMatch(/imported {2}shopify orders_export\.csv: upload \d+, 424 rows, 320 orders/);
    expect(first.stdout).toMatch(/imported {2}postscript revenue-report\.csv: upload \d+, 72 rows/);
    expect(first.stdout).toMatch(/already {3}postscript revenue-report \(1\)\.csv: the same bytes are upload \d+; nothing imported/);
    expect(first.stdout).toMatch(/rejected {2}broken\.csv: broken\.csv:2: column "Rev \(gross\)", value "lots"/);
    expect(first.stdout).toMatch(/held back: its data failed the data test tests\.shopify_orders_unique_key \(1 row\)/);
  });

  it('moves each file where it belongs and deletes nothing', () => {
    const acme = join(inbox, 'acme');
    expect(readdirSync(join(acme, 'imported', today())).sort()).toEqual(['orders_export.csv', 'revenue-report (1).csv', 'revenue-report.csv']);
    expect(readFileSync(join(acme, 'imported', today(), 'revenue-report.csv'), 'utf8')).toBe(RENAMED);
    expect(readdirSync(join(acme, 'rejected')).sort()).toEqual(['broken.csv', 'broken.csv.txt']);
    expect(readFileSync(join(acme, 'rejected', 'broken.csv'), 'utf8')).toBe(BROKEN);
    const note = readFileSync(join(acme, 'rejected', 'broken.csv.txt'), 'utf8');
    expect(note).toMatch(/broken\.csv:2: column "Rev \(gross\)", value "lots"/);
    expect(note).toMatch(/Nothing of it is in the warehouse/);
    // A download in progress and the settings stay where they are.
    expect(readdirSync(acme).sort()).toEqual(['client.json', 'download.csv.crdownload', 'imported', 'rejected']);
    expect(readdirSync(join(inbox, 'bravo', 'imported', today())).sort()).toEqual(['claims.csv', 'orders.csv']);
  });

  it('applies client.json before the imports: the time zone, the addresses, the column mapping', () => {
    const clients = cliQuery(db, `SELECT client_id, timezone, notify FROM meta.clients ORDER BY client_id`);
    expect(clients).toEqual([
      { client_id: 'acme', timezone: 'America/New_York', notify: 'ops@acme.example, cmo@acme.example' },
      { client_id: 'bravo', timezone: 'UTC', notify: 'team@bravo.example' },
    ]);
    const uploads = cliQuery(db, `SELECT client_id, platform, file_name FROM meta.uploads ORDER BY upload_id`);
    expect(uploads).toEqual([
      { client_id: 'acme', platform: 'shopify', file_name: 'orders_export.csv' },
      { client_id: 'acme', platform: 'postscript', file_name: 'revenue-report.csv' },
      { client_id: 'bravo', platform: 'postscript', file_name: 'claims.csv' },
      { client_id: 'bravo', platform: 'shopify', file_name: 'orders.csv' },
    ]);
  });

  it('builds once: acme has its marts, bravo is held back by the data test it failed', () => {
    expect(cliQuery(db, `SELECT count(*) AS n FROM meta.builds`)).toEqual([{ n: 1 }]);
    const revenue = cliQuery(db, `SELECT DISTINCT client_id FROM marts.revenue_summary WHERE client_id = 'acme'`);
    expect(revenue).toEqual([{ client_id: 'acme' }]);
    expect(cliQuery(db, `SELECT client_id, test FROM meta.build_failures`)).toEqual([
      { client_id: 'bravo', test: 'tests.shopify_orders_unique_key' },
    ]);
  });

  it('publishes the report for acme and no new page for bravo', () => {
    const site = join(dir, 'site');
    expect(existsSync(join(site, 'acme.html'))).toBe(true);
    expect(existsSync(join(site, 'acme', '2026-10.html'))).toBe(true);
    expect(existsSync(join(site, 'bravo.html'))).toBe(false);
    expect(existsSync(join(site, 'bravo'))).toBe(false);
    expect(readFileSync(join(site, 'index.html'), 'utf8')).not.toMatch(/bravo/);
    expect(first.stdout).toContain('report    site/acme/2026-10.html');
  });

  it('mails "import complete" per upload and recipient, and "monthly report ready" with the month\'s figures', () => {
    const ops = mailsTo('ops@acme.example');
    expect(ops.map((mail) => mail.headers.get('subject')).sort()).toEqual([
      'lasttouch: import complete for acme (postscript, revenue-report.csv)',
      'lasttouch: import complete for acme (shopify, orders_export.csv)',
      'lasttouch: monthly report ready for acme, October 2026',
    ]);
    expect(mailsTo('cmo@acme.example')).toHaveLength(3);
    const ready = ops.find((mail) => /monthly report ready/.test(mail.headers.get('subject') ?? ''));
    expect(ready?.headers.get('from')).toMatch(/reports@agency\.example/);
    // The headline figures are the marts' own, for each channel of October.
    const rows = cliQuery(
      db,
      `SELECT channel, CAST(sum(platform_revenue) AS VARCHAR) AS platform, CAST(sum(last_touch_revenue) AS VARCHAR) AS last_touch,
              CAST(sum(double_attribution_removed) AS VARCHAR) AS removed
       FROM marts.revenue_summary WHERE client_id = 'acme' AND month = DATE '2026-10-01' AND currency = 'USD' GROUP BY ALL`,
    ) as { channel: string; platform: string; last_touch: string; removed: string }[];
    expect(rows.length).toBeGreaterThan(0);
    const money = (amount: string): string => `USD ${Number(amount).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
    for (const row of rows) {
      for (const part of [ready?.text ?? '', ready?.html ?? '']) {
        expect(part).toContain(money(row.platform));
        expect(part).toContain(money(row.last_touch));
      }
    }
    expect(ready?.text).toContain(join(dir, 'site', 'acme', '2026-10.html'));
    expect(ready?.html).toMatch(/Double Attribution Removal/);
    expect(ready?.text).toMatch(/broken\.csv/);
    const bravo = mailsTo('team@bravo.example');
    const notUpdated = bravo.find((mail) => /was not updated/.test(mail.headers.get('subject') ?? ''));
    expect(notUpdated?.text).toMatch(/shopify_orders_unique_key/);
    expect(bravo.filter((mail) => /import complete/.test(mail.headers.get('subject') ?? ''))).toHaveLength(2);
  });

  it('records every message as delivered and never prints an address or the password in full', () => {
    expect(cliQuery(db, `SELECT status, count(*) AS n FROM meta.notifications GROUP BY ALL`)).toEqual([{ status: 'sent', n: 9 }]);
    const status = cli(['--db', db, 'status']);
    expect(status.stdout).toMatch(/notifications: every one delivered/);
    for (const output of [first.stdout, first.stderr, second.stdout, second.stderr]) {
      expect(output).not.toMatch(/ops@acme\.example|hunter2/);
    }
    expect(first.stdout).toMatch(/mail "monthly report ready" sent to o\*\*\*@acme\.example/);
  });

  it('a second run finds nothing new and changes nothing', () => {
    // bravo's data still fails its test, so the run still says so.
    expect(second.status, second.stderr).toBe(1);
    expect(second.stderr).toMatch(/monthly: client bravo not updated/);
    expect(second.stdout).toMatch(/no new files/);
    expect(second.stdout).toMatch(/build: not run, nothing new since build \d+/);
    expect({ ...tree(inbox), ...tree(join(dir, 'site')) }).toEqual(afterFirst.files);
    expect(marts()).toEqual(afterFirst.marts);
    expect(smtp.received).toHaveLength(afterFirst.mails);
  });
});

describe('lasttouch monthly, when mail cannot be delivered and when two runs start at once', () => {
  let dir: string;
  let db: string;
  let inbox: string;
  const run = (args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> =>
    cliAsync(['--db', db, ...args], { cwd: dir, env: { LASTTOUCH_OUTBOX: join(dir, 'outbox'), ...env } });

  beforeAll(() => {
    dir = tempDir();
    db = join(dir, 'warehouse.duckdb');
    inbox = join(dir, 'inbox');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an import whose mail server is down still lands; status lists the mail; the next monthly run delivers it', async () => {
    const down = await startRaw((socket) => socket.destroy());
    const claims = join(dir, 'claims.csv');
    writeFileSync(claims, BRAVO_CLAIMS);
    const imported = await run(['import', 'postscript', claims, '--client', 'bravo', '--notify', 'team@bravo.example'], {
      LASTTOUCH_SMTP_URL: `smtp://u:hunter2@127.0.0.1:${down.port}`,
    });
    await down.close();
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^upload 1: postscript claims\.csv for client bravo$/m);
    expect(imported.stderr).toMatch(/mail "import complete" to t\*\*\*@bravo\.example NOT delivered: .+; recorded/);
    expect(imported.stderr + imported.stdout).not.toMatch(/hunter2|team@bravo/);
    expect(cliQuery(db, 'SELECT count(*) AS n FROM meta.uploads')).toEqual([{ n: 1 }]);
    const status = cli(['--db', db, 'status']);
    expect(status.stdout).toMatch(/notifications not delivered: 1/);
    expect(status.stdout).toMatch(/bravo {2}import-complete to t\*\*\*@bravo\.example: 1 attempt, last: /);

    const smtp = await startSmtp();
    try {
      mkdirSync(join(inbox, 'bravo'), { recursive: true });
      const retried = await run(['monthly', '--inbox', inbox, '--out', join(dir, 'site')], {
        LASTTOUCH_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      });
      expect(retried.status, retried.stderr).toBe(0);
      expect(retried.stdout).toMatch(/retried: mail "import complete" sent to t\*\*\*@bravo\.example/);
      const subjects = smtp.received.map((mail) => parseMessage(mail.raw).headers.get('subject'));
      expect(subjects).toContain('lasttouch: import complete for bravo (postscript, claims.csv)');
      expect(cli(['--db', db, 'status']).stdout).toMatch(/notifications: every one delivered/);
    } finally {
      await smtp.close();
    }
  }, 120_000);

  it('two runs at once import each file once', async () => {
    const other = join(inbox, 'carol');
    place(other, 'a.csv', BRAVO_CLAIMS.replace('5001', '6001'), 5);
    place(other, 'b.csv', POSTSCRIPT, 4);
    cpSync(join(other, 'b.csv'), join(other, 'c.csv'));
    const [one, two] = await Promise.all([
      run(['--wait', '120', 'monthly', '--inbox', inbox, '--out', join(dir, 'site'), '--json'], {}),
      run(['--wait', '120', 'monthly', '--inbox', inbox, '--out', join(dir, 'site'), '--json'], {}),
    ]);
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    const outcomes = [one, two].flatMap((result) =>
      (JSON.parse(result.stdout) as { clients: { client_id: string; files: { outcome: string }[] }[] }).clients
        .filter((client) => client.client_id === 'carol')
        .flatMap((client) => client.files.map((file) => file.outcome)),
    );
    expect(outcomes.sort()).toEqual(['already-imported', 'imported', 'imported']);
    expect(cliQuery(db, `SELECT count(*) AS n FROM meta.uploads WHERE client_id = 'carol'`)).toEqual([{ n: 2 }]);
    expect(readdirSync(other).sort()).toEqual(['imported']);
  }, 240_000);
});
