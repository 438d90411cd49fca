// The e-mails as a mail server receives them: a real SMTP server (smtp-server) on a free local port, the
// message read back from the raw DATA it was given, and servers that refuse, hang up or never answer.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { ImportSummary } from '../../src/ingest/summary.js';
import { maskAddress, maskSmtpUrl, parseRecipients } from '../../src/notify/addresses.js';
import { importCompleteMail, monthlyReportMail, type MonthlyReportInput } from '../../src/notify/compose.js';
import { deliver, mailSettings, type MailSettings } from '../../src/notify/deliver.js';
import { tempDir } from '../helpers.js';
import { parseMessage, startRaw, startSmtp, type Running } from '../smtp.js';

const NASTY = '<script>alert(1)</script> & "x"';
const FROM = 'lasttouch@reports.example';

function summary(overrides: Partial<ImportSummary> = {}): ImportSummary {
  return {
    status: 'imported',
    uploadId: 7,
    clientId: 'acme',
    platform: 'postscript',
    fileName: 'revenue.csv',
    rows: 1234,
    orders: 1001,
    revenue: [
      { currency: 'EUR', amount: '98765.4' },
      { currency: 'USD', amount: '1234.56' },
    ],
    window: { from: '2026-08-03', to: '2026-10-31', explicit: true },
    rowsOutsideWindow: 0,
    supersedes: [
      { uploadId: 3, claims: 12, withdrawn: 4 },
      { uploadId: 5, claims: 1, withdrawn: 0 },
    ],
    removedAt: null,
    notices: ["set the client's view_only setting to exclude"],
    warnings: ['2 rows have no order id or order number'],
    ...overrides,
  };
}

const MONTHLY: MonthlyReportInput = {
  clientId: 'acme',
  month: '2026-11',
  to: 'owner@acme.example',
  outcome: { kind: 'ready', pageLocation: '/srv/lasttouch/out/site/acme.html' },
  channels: [
    { platform: 'postscript', channel: 'sms', currency: 'USD', platformRevenue: '12000.5', lastTouchRevenue: '9000.25', doubleAttributionRemoved: '3000.25', shareOfStoreRevenue: '12.3' },
    { platform: 'klaviyo', channel: 'email', currency: 'USD', platformRevenue: '4000', lastTouchRevenue: '3500', doubleAttributionRemoved: '500', shareOfStoreRevenue: null },
  ],
  store: [{ currency: 'USD', storeRevenue: '73170.73', attributedShare: '79.6' }],
  imported: [{ fileName: 'orders_export.csv', platform: 'shopify', uploadId: 11, rows: 2500 }],
  rejected: [{ fileName: 'klaviyo (1).csv', reason: 'column "Order ID" is missing' }],
};

function settings(smtpUrl: string | null, overrides: Partial<MailSettings> = {}): MailSettings {
  return { smtpUrl, outboxDir: join(tempDir(), 'outbox'), from: FROM, timeoutMs: 5000, ...overrides };
}

describe('notification mail over SMTP', () => {
  let smtp: Running;
  let refusing: Running;
  beforeAll(async () => {
    smtp = await startSmtp();
    refusing = await startSmtp({
      onRcptTo(address, _session, callback) {
        callback(Object.assign(new Error(`<${address.address}> mailbox unavailable`), { responseCode: 550 }));
      },
    });
  });
  afterAll(async () => {
    await smtp.close();
    await refusing.close();
  });

  it('delivers "import complete" with the same facts in both parts', async () => {
    const mail = importCompleteMail(summary(), 'jane.doe@acme.example');
    const delivery = await deliver(mail, settings(`smtp://127.0.0.1:${smtp.port}`));
    expect(delivery.status).toBe('sent');
    const got = smtp.received.at(-1)!;
    expect(got.mailFrom).toBe(FROM);
    expect(got.rcptTo).toEqual(['jane.doe@acme.example']);
    const { headers, text, html } = parseMessage(got.raw);
    expect(headers.get('subject')).toBe('lasttouch: import complete for acme (postscript, revenue.csv)');
    expect(headers.get('to')).toBe('jane.doe@acme.example');
    expect(headers.get('from')).toBe(FROM);
    for (const part of [text, html]) {
      for (const fact of ['acme', 'postscript', 'revenue.csv', '1,234', '1,001', 'USD 1,234.56', 'EUR 98,765.40',
        '2026-08-03 .. 2026-10-31', 'given with --from/--to', '12 rows of upload 3', '4 of them name an order this file no longer lists',
        '1 row of upload 5', '2 rows have no order id or order number']) {
        expect(part).toContain(fact);
      }
      expect(part).toContain('view_only setting to exclude');
    }
    expect(text).toMatch(/^Upload: +7$/m);
    expect(html).toMatch(/<table[^>]*>[\s\S]*Coverage window[\s\S]*<\/table>/);
    expect(html).not.toMatch(/<link|<img|<script|src=|url\(/i);
  });

  it('escapes file names, warnings and client ids in the HTML part and keeps them verbatim in the text', async () => {
    const mail = importCompleteMail(summary({ fileName: `${NASTY}.csv`, warnings: [NASTY], window: { from: '2026-08-01', to: '2026-08-09', explicit: false } }), 'jane.doe@acme.example');
    expect((await deliver(mail, settings(`smtp://127.0.0.1:${smtp.port}`))).status).toBe('sent');
    const { headers, text, html } = parseMessage(smtp.received.at(-1)!.raw);
    expect(headers.get('subject')).toContain(`(postscript, ${NASTY}.csv)`);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(text).toContain(`${NASTY}.csv`);
    expect(text).toMatch(new RegExp(`^ {2}- ${NASTY.replace(/[()]/g, '\\$&')}$`, 'm'));
    expect(text).toContain('first and last order dates in the file');
    const monthly = monthlyReportMail({ ...MONTHLY, clientId: NASTY, rejected: [{ fileName: NASTY, reason: NASTY }] });
    expect(monthly.html).not.toMatch(/<script/i);
    expect(monthly.text.split(NASTY).length).toBeGreaterThan(3);
    const held = monthlyReportMail({ ...MONTHLY, outcome: { kind: 'held-back', reason: NASTY, pageLocation: `/srv/${NASTY}.html` } });
    expect(held.html).not.toMatch(/<script/i);
    expect(held.html).toContain('Reason: &lt;script&gt;');
    expect(held.text).toContain(`Reason: ${NASTY}`);
  });

  it('delivers "monthly report" with the headline figures per channel, store share and page', async () => {
    const mail = monthlyReportMail(MONTHLY);
    expect((await deliver(mail, settings(`smtp://127.0.0.1:${smtp.port}`))).status).toBe('sent');
    const { headers, text, html } = parseMessage(smtp.received.at(-1)!.raw);
    expect(headers.get('subject')).toBe('lasttouch: monthly report ready for acme, November 2026');
    for (const part of [text, html]) {
      for (const fact of ['Platform Revenue', 'Last-Touch Revenue', 'Double Attribution Removal', '% of store revenue',
        'USD 12,000.50', 'USD 9,000.25', 'USD 3,000.25', '12.3%', 'USD 4,000.00', 'USD 3,500.00', 'USD 500.00', 'n/a',
        'USD 73,170.73', '79.6%', 'orders_export.csv', 'upload 11', '2,500 rows', 'klaviyo (1).csv', 'is missing']) {
        expect(part).toContain(fact);
      }
    }
    expect(text).toMatch(/Platform Revenue: +USD 12,000.50\n +Last-Touch Revenue: +USD 9,000.25\n +Double Attribution Removal: +USD 3,000.25\n +% of store revenue: +12.3%/);
    expect(text).toContain('Page: /srv/lasttouch/out/site/acme.html');
    expect(html).toContain('<a href="file:///srv/lasttouch/out/site/acme.html"');
    expect(html).toMatch(/<th[^>]*>Platform Revenue<\/th>\s*<th[^>]*>Last-Touch Revenue<\/th>\s*<th[^>]*>Double Attribution Removal<\/th>\s*<th[^>]*>% of store revenue<\/th>/);

    const held = monthlyReportMail({ ...MONTHLY, outcome: { kind: 'held-back', reason: 'data test unmatched_claims failed: 41 of 50 claims match no order', pageLocation: null } });
    expect(held.subject).toBe("lasttouch: acme's November 2026 report was not updated");
    for (const part of [held.text, held.html]) {
      expect(part).toContain('data test unmatched_claims failed: 41 of 50 claims match no order');
      expect(part).toContain('No page has been published');
      expect(part).toContain('USD 12,000.50');
    }
    const heldWithPage = monthlyReportMail({ ...MONTHLY, outcome: { kind: 'held-back', reason: 'x', pageLocation: '/srv/site/acme.html' } });
    expect(heldWithPage.text).toContain('The last good page is still there: /srv/site/acme.html');
  });

  it('reports a refused recipient as failed, with the address masked and no password', async () => {
    const mail = importCompleteMail(summary(), 'jane.doe@acme.example');
    const delivery = await deliver(mail, settings(`smtp://mailer:hunter2@127.0.0.1:${refusing.port}`));
    expect(delivery.status).toBe('failed');
    const reason = delivery.status === 'failed' ? delivery.reason : '';
    expect(reason).toMatch(/refused/);
    expect(reason).toContain('mailbox unavailable');
    expect(reason).toContain('j***@acme.example');
    expect(reason).not.toContain('jane.doe');
    expect(reason).not.toContain('hunter2');
    expect(reason).not.toMatch(/\n/);
    expect(refusing.received).toHaveLength(0);
  });

  it('fails fast on a server that hangs up at once', async () => {
    const server = await startRaw((socket) => socket.destroy());
    try {
      const started = Date.now();
      const delivery = await deliver(monthlyReportMail(MONTHLY), settings(`smtp://u:hunter2@127.0.0.1:${server.port}`));
      expect(delivery.status).toBe('failed');
      expect(Date.now() - started).toBeLessThan(4000);
      if (delivery.status === 'failed') expect(delivery.reason).not.toContain('hunter2');
    } finally {
      await server.close();
    }
  });

  it('fails within the timeout on a server that never answers', async () => {
    const server = await startRaw(() => undefined);
    try {
      const started = Date.now();
      const delivery = await deliver(monthlyReportMail(MONTHLY), settings(`smtp://127.0.0.1:${server.port}`, { timeoutMs: 1000 }));
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(delivery.status).toBe('failed');
      if (delivery.status === 'failed') expect(delivery.reason).toMatch(/timed out/);
    } finally {
      await server.close();
    }
  });

  it('gives up on a server that trickles bytes forever, and lets go of the connection', async () => {
    let open = 0;
    const server = await startRaw((socket) => {
      open += 1;
      socket.write('220 slow.example ESMTP\r\n');
      const drip = setInterval(() => socket.write(' '), 200);
      socket.on('close', () => {
        clearInterval(drip);
        open -= 1;
      });
    });
    try {
      const started = Date.now();
      const delivery = await deliver(monthlyReportMail(MONTHLY), settings(`smtp://127.0.0.1:${server.port}`, { timeoutMs: 1000 }));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(delivery).toEqual({ status: 'failed', reason: expect.stringMatching(/timed out/) });
      // The server sees the connection close once its next drip meets the reset.
      for (let waited = 0; open > 0 && waited < 2000; waited += 50) await new Promise((done) => setTimeout(done, 50));
      expect(open).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('notification mail without a server', () => {
  it('writes an .eml per message into the outbox, atomically and under distinct names', async () => {
    const dir = join(tempDir(), 'not', 'yet');
    try {
      const mail = importCompleteMail(summary(), 'jane.doe@acme.example');
      const first = await deliver(mail, settings(null), dir);
      const second = await deliver(mail, settings(null), dir);
      expect(first.status).toBe('written');
      expect(second.status).toBe('written');
      const names = readdirSync(dir).sort();
      expect(names).toHaveLength(2);
      for (const name of names) expect(name).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-import-complete-acme-[0-9a-f]{6}\.eml$/);
      const path = first.status === 'written' ? first.path : '';
      expect(names).toContain(path.slice(dir.length + 1));
      const { headers, text, html } = parseMessage(readFileSync(path, 'utf8'));
      expect(headers.get('to')).toBe('jane.doe@acme.example');
      expect(headers.get('from')).toBe(FROM);
      expect(headers.get('date')).toBeTruthy();
      expect(headers.get('message-id')).toMatch(/^<.+@.+>$/);
      expect(text).toContain('USD 1,234.56');
      expect(html).toContain('USD 1,234.56');
    } finally {
      rmSync(join(dir, '..', '..'), { recursive: true, force: true });
    }
  });

  it('refuses a list where one recipient belongs, without throwing', async () => {
    const delivery = await deliver(importCompleteMail(summary(), 'a.b@x.example, c.d@y.example'), settings(null));
    expect(delivery).toEqual({ status: 'failed', reason: expect.stringContaining('a***@x.example') });
  });
});

describe('addresses and settings', () => {
  it('parses recipient lists and masks addresses and URLs for logs', () => {
    expect(parseRecipients('')).toEqual([]);
    expect(parseRecipients('  \n ')).toEqual([]);
    expect(parseRecipients('a@x.com, b@y.org  c@z.co.uk,a@x.com')).toEqual(['a@x.com', 'b@y.org', 'c@z.co.uk']);
    expect(() => parseRecipients('a@x.com, not-an-address')).toThrow(UsageError);
    expect(() => parseRecipients('a@x.com, not-an-address')).toThrow(/"not-an-address"/);
    expect(() => parseRecipients('a@x')).toThrow(UsageError);
    expect(maskAddress('jane.doe@acme.example')).toBe('j***@acme.example');
    expect(maskAddress('j@acme.example')).toBe('***@acme.example');
    expect(maskSmtpUrl('smtp://user:secret@host:2525')).toBe('smtp://user:***@host:2525');
    expect(maskSmtpUrl('smtps://user:secret@mail.example.com')).toBe('smtps://user:***@mail.example.com');
    expect(maskSmtpUrl('smtp://host:2525')).toBe('smtp://host:2525');
    expect(maskSmtpUrl('not a url hunter2')).toBe('(invalid LASTTOUCH_SMTP_URL)');
  });

  it('reads the settings from the environment and refuses bad ones', () => {
    const defaults = mailSettings({}, '/srv/work');
    expect(defaults).toMatchObject({ smtpUrl: null, outboxDir: '/srv/work/out/outbox', timeoutMs: 20_000 });
    expect(defaults.from).toMatch(/^lasttouch@/);
    const set = mailSettings(
      { LASTTOUCH_SMTP_URL: 'smtps://u:p%40ss@mail.example.com:465', LASTTOUCH_OUTBOX: 'mail', LASTTOUCH_MAIL_FROM: 'Reports <r@acme.example>', LASTTOUCH_SMTP_TIMEOUT: '2.5' },
      '/srv/work',
    );
    expect(set).toEqual({ smtpUrl: 'smtps://u:p%40ss@mail.example.com:465', outboxDir: '/srv/work/mail', from: 'Reports <r@acme.example>', timeoutMs: 2500 });
    for (const env of [
      { LASTTOUCH_SMTP_URL: 'http://u:hunter2@host' },
      { LASTTOUCH_SMTP_URL: 'smtp://u:hunter2@' },
      { LASTTOUCH_SMTP_URL: 'hunter2' },
      { LASTTOUCH_SMTP_TIMEOUT: 'soon' },
      { LASTTOUCH_SMTP_TIMEOUT: '0' },
      { LASTTOUCH_MAIL_FROM: 'nobody' },
    ]) {
      expect(() => mailSettings(env, '/srv/work')).toThrow(UsageError);
      try {
        mailSettings(env, '/srv/work');
      } catch (error) {
        expect((error as Error).message).not.toContain('hunter2');
      }
    }
  });
});
