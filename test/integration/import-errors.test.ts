// Refused imports, against a real DuckDB file: every bad input is refused with a message that names the
// file, the line, the column and the value, and nothing at all is written. The same inputs go through
// the compiled CLI (run `npm run build` first), which must exit 1 (2 for a usage error).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, TestWarehouse } from '../helpers.js';
import { BulkLoadDeclined } from '../../src/ingest/load.js';
import { ImportRefusedError } from '../../src/ingest/format.js';
import type { ImportRequest } from '../../src/ingest/upload.js';
import { UsageError } from '../../src/errors.js';
import { InputError, type Platform } from '../../src/ingest/format.js';
import type { Row } from '../../src/warehouse/db.js';

/** The largest amount the value rules accept, in cents: 9,999,999,999.99 (lt_money in sql/ingest/values.sql). */
const MAX_AMOUNT_CENTS = 10n ** 12n - 1n;

function centsToDecimalString(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const text = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

const PS_HEADER = 'Order Date,Order Number,Order ID,Revenue,Currency,Attribution Type,Message Name,Subscriber Phone';
const PS_GOOD = [
  PS_HEADER,
  '2026-07-03T08:51:42Z,#1004,7410991464717,80.82,USD,view,Fourth of July Flash Sale,+14155550161',
  '2026-07-08 21:13:50,#1014,7410991464727,81.41,USD,click,Abandoned Cart 1,(323) 555-0135',
  '2026-07-09 10:00:00,#1015,7410991464728,"$1,015.00",USD,coupon,Welcome,',
].join('\n');

const KL_GOOD = [
  '$event_id,Order ID,Order Name,Datetime,$value,$currency,$attributed_channel,Attributed Event,$attributed_message,$send_ts',
  '5fzB81LFGxx,7410991464714,#1001,2026-07-01T05:37:25-04:00,56.75,USD,sms,Received SMS,MlKHJ5,1782896224',
  '5du9AyCfP1C,7410991464717,#1004,2026-07-03T04:51:42-04:00,80.82,USD,email,Clicked Email,Pic99X,1783042908',
].join('\n');

const SH_HEADER = 'Name,Email,Financial Status,Currency,Subtotal,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Id';
const SH_GOOD = [
  SH_HEADER,
  '#1001,a@example.com,paid,USD,46.00,56.75,2026-07-01 05:37:25 -0400,1,Socks,22.00,7410991464714',
  '#1001,,,,,,,2,Sample Pack,12.00,',
  '#1004,b@example.com,paid,USD,80.82,80.82,2026-07-03 04:51:42 -0400,1,Candle,80.82,7410991464717',
].join('\n');

/** A Postscript file: the good header and the given rows (each a full CSV line). */
function postscript(...rows: string[]): string {
  return [PS_HEADER, ...rows].join('\n') + '\n';
}

const okRow = (n: number) =>
  `2026-08-${String(n).padStart(2, '0')}T10:00:00Z,#2${String(n).padStart(3, '0')},74109914650${String(n).padStart(2, '0')},${n}.50,USD,click,Campaign ${n},+1415555${String(n).padStart(4, '0')}`;

interface Snapshot {
  counts: Row | undefined;
  uploads: Row[];
  clients: Row[];
  postscript: Row[];
  klaviyo: Row[];
  shopify: Row[];
}

async function snapshot(warehouse: TestWarehouse): Promise<Snapshot> {
  const [counts] = await warehouse.query(`SELECT
      (SELECT count(*) FROM meta.uploads) AS uploads,
      (SELECT count(*) FROM meta.clients) AS clients,
      (SELECT count(*) FROM raw.postscript_claims) AS postscript,
      (SELECT count(*) FROM raw.klaviyo_claims) AS klaviyo,
      (SELECT count(*) FROM raw.shopify_order_lines) AS shopify`);
  return {
    counts,
    uploads: await warehouse.query('SELECT * FROM meta.uploads ORDER BY upload_id'),
    clients: await warehouse.query('SELECT * FROM meta.clients ORDER BY client_id'),
    postscript: await warehouse.query('SELECT * FROM raw.postscript_claims ORDER BY upload_id, line'),
    klaviyo: await warehouse.query('SELECT * FROM raw.klaviyo_claims ORDER BY upload_id, line'),
    shopify: await warehouse.query('SELECT * FROM raw.shopify_order_lines ORDER BY upload_id, line'),
  };
}

describe('refused imports write nothing', () => {
  const warehouse = new TestWarehouse();
  let baseline: Snapshot;

  beforeAll(async () => {
    await warehouse.import({ platform: 'postscript', file: warehouse.file('ps_good.csv', PS_GOOD) });
    await warehouse.import({ platform: 'klaviyo', file: warehouse.file('kl_good.csv', KL_GOOD) });
    await warehouse.import({ platform: 'shopify', file: warehouse.file('sh_good.csv', SH_GOOD) });
    await warehouse.import({ platform: 'postscript', file: warehouse.file('ps_other.csv', PS_GOOD), clientId: 'globex' });
    baseline = await snapshot(warehouse);
  });

  afterAll(() => warehouse.cleanup());

  it('starts from non-empty tables', () => {
    expect(baseline.counts).toEqual({ uploads: 4, clients: 2, postscript: 6, klaviyo: 2, shopify: 3 });
    expect(baseline.clients.map((client) => [client.client_id, client.view_only])).toEqual([
      ['acme', 'include'],
      ['globex', 'include'],
    ]);
  });

  /** Imports through the library; expects a refusal and an unchanged warehouse; returns the message. */
  async function refusedByLibrary(request: Omit<ImportRequest, 'clientId'> & { clientId?: string }): Promise<Error> {
    const error = await warehouse.import(request).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error, 'the import should have been refused').not.toBeNull();
    expect(error instanceof ImportRefusedError || error instanceof InputError, String(error)).toBe(true);
    expect(await snapshot(warehouse)).toEqual(baseline);
    return error as Error;
  }

  /** The same through the CLI process: exit code 1, the message on stderr, the warehouse unchanged. */
  async function refusedByCli(platform: Platform, file: string, ...extra: string[]): Promise<string> {
    const result = cli(['--db', warehouse.path, 'import', platform, file, '--client', 'acme', ...extra]);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).not.toMatch(/^upload \d+/m);
    expect(result.stderr).toMatch(/^lasttouch: /);
    expect(result.stderr).not.toMatch(/\n\s+at /); // a refusal, not a crash with a stack
    expect(await snapshot(warehouse)).toEqual(baseline);
    return result.stderr;
  }

  /**
   * The same input split each way: DuckDB's CSV reader ('bulk') refuses it, or declines to split it, and
   * never imports it; the tokenizer ('cells'), and the importer left to choose, refuse it with the same
   * message. Returns that message.
   */
  async function refusedByEachReader(platform: Platform, file: string): Promise<string> {
    const viaBulk = await warehouse.import({ platform, file, reader: 'bulk' }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(viaBulk, 'DuckDB\'s reader imported a file the tokenizer refuses').not.toBeNull();
    expect(
      viaBulk instanceof BulkLoadDeclined || viaBulk instanceof ImportRefusedError || viaBulk instanceof InputError,
      String(viaBulk),
    ).toBe(true);
    expect(await snapshot(warehouse)).toEqual(baseline);
    const viaCells = await refusedByLibrary({ platform, file, reader: 'cells' });
    const viaAuto = await refusedByLibrary({ platform, file });
    expect(viaAuto.message).toBe(viaCells.message);
    if (!(viaBulk instanceof BulkLoadDeclined)) expect((viaBulk as Error).message).toBe(viaCells.message);
    return viaCells.message;
  }

  it('refuses a file without a required column, naming it and listing the headers found', async () => {
    const file = warehouse.file(
      'no_type.csv',
      'Order Date,Order ID,Revenue,Message Name\n2026-08-01T10:00:00Z,7410991465001,12.00,Summer\n',
    );
    const error = await refusedByLibrary({ platform: 'postscript', file });
    expect(error.message).toMatch(/^no_type\.csv:1: column "attribution_type \("Attribution Type", "Action Type", "Attribution", "Conversion Type"\)"/);
    expect(error.message).toMatch(/this required column is missing from the header of a Postscript Revenue Report/);
    expect(error.message).toContain('Headers found: "Order Date", "Order ID", "Revenue", "Message Name".');
    expect(error.message).toMatch(/--columns/);
    expect(error.message).toMatch(/nothing was imported$/);
    const stderr = await refusedByCli('postscript', file);
    expect(stderr).toContain('no_type.csv:1: column "attribution_type (');
    expect(stderr).toContain('Headers found: "Order Date", "Order ID", "Revenue", "Message Name".');
  });

  it('lists every missing column at once', async () => {
    const file = warehouse.file('bare.csv', 'Phone,Email\n+14155550161,a@example.com\n');
    const error = await refusedByLibrary({ platform: 'postscript', file });
    expect(error.message).toMatch(/these required columns are missing/);
    for (const canonical of ['order_created_at', 'revenue', 'attribution_type', 'order_id (', 'order_name (']) {
      expect(error.message).toContain(canonical);
    }
  });

  it('refuses an unknown attribution type, naming line, column and value', async () => {
    const file = warehouse.file('bad_type.csv', postscript(okRow(1), okRow(2).replace(',click,', ',sms-magic,')));
    const error = await refusedByLibrary({ platform: 'postscript', file });
    expect(error).toBeInstanceOf(ImportRefusedError);
    expect(error.message).toMatch(/^bad_type\.csv:3: column "Attribution Type", value "sms-magic": is not a known attribution type \(accepted: click, clicked/);
    expect((error as ImportRefusedError).problems.map((problem) => [problem.file, problem.line, problem.column, problem.value])).toEqual([
      ['bad_type.csv', 3, 'Attribution Type', 'sms-magic'],
    ]);
    const stderr = await refusedByCli('postscript', file);
    expect(stderr).toContain('bad_type.csv:3: column "Attribution Type", value "sms-magic": is not a known attribution type');
    expect(stderr).toContain('nothing was imported');
  });

  it('refuses an ambiguous amount', async () => {
    const file = warehouse.file('bad_amount.csv', postscript(okRow(1), okRow(2), okRow(3).replace(',3.50,', ',"1.234,56",')));
    const error = await refusedByLibrary({ platform: 'postscript', file });
    expect(error.message).toMatch(/^bad_amount\.csv:4: column "Revenue", value "1\.234,56": is ambiguous/);
    const stderr = await refusedByCli('postscript', file);
    expect(stderr).toContain('bad_amount.csv:4: column "Revenue", value "1.234,56": is ambiguous');
  });

  it('refuses an amount that is not a number, and an empty one', async () => {
    const file = warehouse.file(
      'bad_amounts.csv',
      postscript(okRow(1).replace(',1.50,', ',abc,'), okRow(2).replace(',2.50,', ',,'), okRow(3).replace(',3.50,', ',12.345,')),
    );
    const error = await refusedByLibrary({ platform: 'postscript', file });
    const problems = (error as ImportRefusedError).problems;
    expect(problems.map((problem) => [problem.line, problem.column, problem.value])).toEqual([
      [2, 'Revenue', 'abc'],
      [3, 'Revenue', ''],
      [4, 'Revenue', '12.345'],
    ]);
    expect(problems[1]?.message).toMatch(/is empty/);
    expect(problems[2]?.message).toMatch(/more than 2 decimal places/);
  });

  it('refuses an impossible or unreadable date', async () => {
    const file = warehouse.file(
      'bad_date.csv',
      postscript(okRow(1), okRow(2).replace('2026-08-02T10:00:00Z', '2026-02-30 10:00:00'), okRow(3).replace('2026-08-03T10:00:00Z', 'next tuesday')),
    );
    const error = await refusedByLibrary({ platform: 'postscript', file });
    expect(error.message).toContain('bad_date.csv:3: column "Order Date", value "2026-02-30 10:00:00": has no such day');
    expect(error.message).toContain('bad_date.csv:4: column "Order Date", value "next tuesday": is not a timestamp');
    const stderr = await refusedByCli('postscript', file);
    expect(stderr).toContain('bad_date.csv:3: column "Order Date", value "2026-02-30 10:00:00": has no such day');
    expect(stderr).toContain('bad_date.csv:4: column "Order Date", value "next tuesday"');
  });

  it('refuses an empty (0-byte) file', async () => {
    const file = warehouse.file('empty.csv', '');
    const error = await refusedByLibrary({ platform: 'postscript', file });
    expect(error.message).toMatch(/^empty\.csv:1: .*empty/);
    const stderr = await refusedByCli('postscript', file);
    expect(stderr).toMatch(/empty\.csv:1: .*empty/);
  });

  it('refuses a file with a header and no rows when no window says which days it covers', async () => {
    const file = warehouse.file('header_only.csv', `${PS_HEADER}\n`);
    const error = await refusedByLibrary({ platform: 'postscript', file });
    const message =
      'header_only.csv:1: the file has a header but no rows; an empty export is a valid upload only with the dates it covers: ' +
      'give them with --from and --to (a quiet period, or a correction that withdraws every claim in those dates)';
    expect(error.message.startsWith(message)).toBe(true);
    const stderr = await refusedByCli('postscript', file);
    expect(stderr).toContain(message);
  });

  it('refuses a file that is not there, or a folder, without a stack trace', async () => {
    const missing = join(warehouse.dir, 'no_such_export.csv');
    const error = await refusedByLibrary({ platform: 'postscript', file: missing });
    expect(error.message).toBe(`no_such_export.csv:1: cannot read ${missing}: no such file`);
    const stderr = await refusedByCli('postscript', missing);
    expect(stderr).toBe(`lasttouch: no_such_export.csv:1: cannot read ${missing}: no such file\n`);
    const folder = await refusedByLibrary({ platform: 'postscript', file: warehouse.dir });
    expect(folder.message).toMatch(/is not a file$/);
  });

  it('refuses a file of blank lines', async () => {
    const file = warehouse.file('blank.csv', '\n\n\n');
    const error = await refusedByLibrary({ platform: 'postscript', file });
    expect(error.message).toMatch(/^blank\.csv:1: the file is empty/);
  });

  it('refuses a Shopify export given as Postscript and says to import it as shopify', async () => {
    const file = warehouse.file('orders_export.csv', SH_GOOD);
    const error = await refusedByLibrary({ platform: 'postscript', file });
    expect(error.message).toMatch(/^orders_export\.csv:1: column "attribution_type/);
    expect(error.message).toContain('This looks like a Shopify orders export: import it with `lasttouch import shopify`.');
    const stderr = await refusedByCli('postscript', file);
    expect(stderr).toContain('lasttouch import shopify');
  });

  it('refuses a Postscript file given as Shopify and says to import it as postscript', async () => {
    const file = warehouse.file('revenue.csv', PS_GOOD);
    const error = await refusedByLibrary({ platform: 'shopify', file });
    expect(error.message).toMatch(/^revenue\.csv:1: column/);
    expect(error.message).toContain('import it with `lasttouch import postscript`');
  });

  it('refuses a file that is not UTF-8, naming line, column and the byte', async () => {
    const content = Buffer.concat([
      Buffer.from(postscript(okRow(1)) + '2026-08-02T10:00:00Z,#2002,7410991465002,2.50,USD,click,Ren'),
      Buffer.from([0xe9]),
      Buffer.from(' Dupont,+14155550002\n'),
    ]);
    const file = warehouse.file('latin1.csv', content);
    const error = await refusedByLibrary({ platform: 'postscript', file });
    expect(error.message).toMatch(/^latin1\.csv:3: column "Message Name", value "Ren\\xE9": byte 0xE9 is not UTF-8/);
    expect(error.message).toMatch(/export it again as UTF-8/);
    const stderr = await refusedByCli('postscript', file);
    expect(stderr).toContain('latin1.csv:3: column "Message Name", value "Ren\\xE9": byte 0xE9 is not UTF-8');
  });

  it('refuses a row with more fields than the header', async () => {
    const file = warehouse.file('too_many.csv', postscript(okRow(1), okRow(2), `${okRow(3)},surplus,more`));
    const error = await refusedByLibrary({ platform: 'postscript', file });
    expect(error.message).toMatch(/^too_many\.csv:4: value "surplus,more": the row has 10 fields but the header has 8/);
    const stderr = await refusedByCli('postscript', file);
    expect(stderr).toContain('too_many.csv:4: value "surplus,more": the row has 10 fields but the header has 8');
  });

  it('refuses a file that is not valid CSV', async () => {
    const file = warehouse.file('unclosed.csv', postscript(okRow(1), '2026-08-02T10:00:00Z,#2002,7410991465002,2.50,USD,click,"Unclosed,+14155550002'));
    const error = await refusedByLibrary({ platform: 'postscript', file });
    expect(error.message).toMatch(/^unclosed\.csv:\d+: the file is not valid CSV/);
  });

  it('refuses a problem on a late row (line 7 of 8)', async () => {
    const rows = [1, 2, 3, 4, 5, 6, 7].map(okRow);
    rows[5] = rows[5]!.replace('2026-08-06T10:00:00Z', '2026-13-06T10:00:00Z');
    const file = warehouse.file('late.csv', postscript(...rows));
    expect(postscript(...rows).trimEnd().split('\n')).toHaveLength(8);
    const error = await refusedByLibrary({ platform: 'postscript', file });
    expect(error.message).toMatch(/^late\.csv:7: column "Order Date", value "2026-13-06T10:00:00Z": has no such month\nnothing was imported$/);
    const stderr = await refusedByCli('postscript', file);
    expect(stderr).toContain('late.csv:7: column "Order Date", value "2026-13-06T10:00:00Z": has no such month');
  });

  it('names the line a record starts on after quoted newlines, CRLF and a BOM', async () => {
    const text =
      `\uFEFF${PS_HEADER}\r\n` +
      `2026-08-01T10:00:00Z,#2001,7410991465001,1.50,USD,click,"Two\r\nlines",+14155550001\r\n` +
      `2026-08-02T10:00:00Z,#2002,7410991465002,2.50,USD,click,"Three\nshort\nlines",+14155550002\r\n` +
      `2026-08-03T10:00:00Z,#2003,7410991465003,3.50,USD,wrong,Plain,+14155550003\r\n`;
    const file = warehouse.file('crlf.csv', text);
    const error = await refusedByLibrary({ platform: 'postscript', file });
    expect(error.message).toMatch(/^crlf\.csv:7: column "Attribution Type", value "wrong"/);
  });

  it('reports every problem of the file, each with its line', async () => {
    const file = warehouse.file(
      'many.csv',
      postscript(
        okRow(1).replace(',click,', ',clicky,'),
        okRow(2),
        okRow(3).replace(',USD,', ',US Dollars,'),
        okRow(4).replace('#2004,7410991465004', ','),
      ),
    );
    const error = (await refusedByLibrary({ platform: 'postscript', file })) as ImportRefusedError;
    expect(error.totalProblems).toBe(3);
    expect(error.problems.map((problem) => [problem.line, problem.column, problem.value])).toEqual([
      [2, 'Attribution Type', 'clicky'],
      [4, 'Currency', 'US Dollars'],
      [5, 'Order ID', ''],
    ]);
  });

  it('reports the first 20 problems of a file full of them, and how many more', async () => {
    const rows = Array.from({ length: 30 }, (_, index) => okRow(index + 1).replace(',click,', ',?,'));
    const file = warehouse.file('full_of_problems.csv', postscript(...rows));
    const error = (await refusedByLibrary({ platform: 'postscript', file })) as ImportRefusedError;
    expect(error.totalProblems).toBe(30);
    expect(error.problems).toHaveLength(20);
    expect(error.problems.at(-1)?.line).toBe(21);
    expect(error.message).toMatch(/\.\.\. and 10 more problems\nnothing was imported$/);
  });

  it('refuses a bad Klaviyo channel and touch type', async () => {
    const file = warehouse.file(
      'kl_bad.csv',
      KL_GOOD.replace(',sms,Received SMS,', ',carrier pigeon,Received SMS,').replace(',Clicked Email,', ',Liked Email,'),
    );
    const error = await refusedByLibrary({ platform: 'klaviyo', file });
    expect(error.message).toContain('kl_bad.csv:2: column "$attributed_channel", value "carrier pigeon": is not a known channel');
    expect(error.message).toContain('kl_bad.csv:3: column "Attributed Event", value "Liked Email": is not a known attributed event');
    const stderr = await refusedByCli('klaviyo', file);
    expect(stderr).toContain('kl_bad.csv:2: column "$attributed_channel", value "carrier pigeon"');
  });

  it('refuses a Shopify line item whose order has no first row, and a bad Total', async () => {
    const file = warehouse.file(
      'sh_bad.csv',
      [SH_HEADER, '#1009,,,,,,,1,Orphan,5.00,', '#1010,c@example.com,paid,USD,10.00,"10,00",2026-07-05 10:00:00 -0400,1,Mug,10.00,7410991464799'].join('\n'),
    );
    const error = await refusedByLibrary({ platform: 'shopify', file });
    expect(error.message).toContain('sh_bad.csv:2: column "Created at", value "": is empty on the first row of order #1009');
    expect(error.message).toContain('sh_bad.csv:3: column "Total", value "10,00": is ambiguous');
    const stderr = await refusedByCli('shopify', file);
    expect(stderr).toContain('sh_bad.csv:3: column "Total", value "10,00"');
  });

  describe('values beyond the range of their column', () => {
    it('refuses an amount beyond DECIMAL(18,2) (which would wrap) and one beyond the accepted range, naming each', async () => {
      const file = warehouse.file(
        'wide_amounts.csv',
        postscript(
          okRow(1),
          okRow(2).replace(',2.50,', ',12345678901234567890.00,'),
          okRow(3).replace(',3.50,', ',10000000000.00,'),
          okRow(4).replace(',4.50,', ',"$10,000,000,000,000,000.00",'),
        ),
      );
      const message = await refusedByEachReader('postscript', file);
      const range = 'is beyond the accepted range of amounts (-9,999,999,999.99 to 9,999,999,999.99)';
      expect(message).toBe(
        [
          `wide_amounts.csv:3: column "Revenue", value "12345678901234567890.00": ${range}`,
          `wide_amounts.csv:4: column "Revenue", value "10000000000.00": ${range}`,
          `wide_amounts.csv:5: column "Revenue", value "$10,000,000,000,000,000.00": ${range}`,
          'nothing was imported',
        ].join('\n'),
      );
      const stderr = await refusedByCli('postscript', file);
      expect(stderr).toContain(`wide_amounts.csv:3: column "Revenue", value "12345678901234567890.00": ${range}`);
    });

    it('refuses an amount DECIMAL(18,2) holds but the range does not, which the common form would take', async () => {
      const file = warehouse.file('wide_amount.csv', postscript(okRow(1), okRow(2).replace(',2.50,', ',99999999999999.99,')));
      const message = await refusedByEachReader('postscript', file);
      expect(message).toMatch(/^wide_amount\.csv:3: column "Revenue", value "99999999999999\.99": is beyond the accepted range/);
    });

    it('refuses wide amounts in Klaviyo, in Shopify, and in a cents column', async () => {
      const klaviyo = warehouse.file('kl_wide.csv', KL_GOOD.replace(',56.75,', ',12345678901234567890.00,'));
      expect(await refusedByEachReader('klaviyo', klaviyo)).toMatch(
        /^kl_wide\.csv:2: column "\$value", value "12345678901234567890\.00": is beyond the accepted range/,
      );
      const shopify = warehouse.file('sh_wide.csv', SH_GOOD.replace(',56.75,', ',12345678901234567890.00,').replace(',22.00,', ',10000000000,'));
      const shopifyMessage = await refusedByEachReader('shopify', shopify);
      expect(shopifyMessage).toMatch(
        /^sh_wide\.csv:2: column "Total", value "12345678901234567890\.00": is beyond the accepted range of amounts \(-9,999,999,999\.99 to 9,999,999,999\.99\)\n/,
      );
      expect(shopifyMessage).toContain('sh_wide.csv:2: column "Lineitem price", value "10000000000": is beyond the accepted range of amounts');
      const cents = warehouse.file(
        'ps_cents.csv',
        'Order Date,Order ID,Amount In Cents,Attribution Type\n2026-08-01T10:00:00Z,7410991465001,1000000000000,click\n',
      );
      expect(await refusedByEachReader('postscript', cents)).toMatch(
        /^ps_cents\.csv:2: column "Amount In Cents", value "1000000000000": is beyond the accepted range/,
      );
    });

    it('refuses a quantity beyond INTEGER and minutes that would overflow the touch time', async () => {
      const shopify = warehouse.file('sh_quantity.csv', SH_GOOD.replace(',1,Socks,', ',99999999999,Socks,'));
      expect(await refusedByEachReader('shopify', shopify)).toMatch(
        /^sh_quantity\.csv:2: column "Lineitem quantity", value "99999999999": is beyond the accepted range \(-2,147,483,648 to 2,147,483,647\)/,
      );
      const minutes = warehouse.file(
        'ps_minutes.csv',
        'Order Date,Order ID,Revenue,Attribution Type,Minutes From Action\n2026-08-01T10:00:00Z,7410991465001,1.00,view,999999999999999\n',
      );
      expect(await refusedByEachReader('postscript', minutes)).toMatch(
        /^ps_minutes\.csv:2: column "Minutes From Action", value "999999999999999": is beyond the accepted range \(-999,999,999 to 999,999,999\)/,
      );
    });
  });

  it('refuses a UTC offset no zone has (beyond 18:00, or minutes of 60 or more), in every form', async () => {
    const offset = 'has no such offset from UTC (offsets run from -18:00 to +18:00, with minutes 00 to 59)';
    const ps = warehouse.file(
      'ps_offset.csv',
      postscript(
        okRow(1).replace('2026-08-01T10:00:00Z', '2026-07-11T02:32:18+25:00'),
        okRow(2).replace('2026-08-02T10:00:00Z', '2026-07-11 02:32:18 +18:01'),
        okRow(3).replace('2026-08-03T10:00:00Z', '07/11/2026 2:32 AM -1900'),
      ),
    );
    expect(await refusedByEachReader('postscript', ps)).toBe(
      [
        `ps_offset.csv:2: column "Order Date", value "2026-07-11T02:32:18+25:00": ${offset}`,
        `ps_offset.csv:3: column "Order Date", value "2026-07-11 02:32:18 +18:01": ${offset}`,
        `ps_offset.csv:4: column "Order Date", value "07/11/2026 2:32 AM -1900": ${offset}`,
        'nothing was imported',
      ].join('\n'),
    );
    const kl = warehouse.file('kl_offset.csv', KL_GOOD.replace('2026-07-03T04:51:42-04:00', '2026-07-03T08:43:17-04:60'));
    expect(await refusedByEachReader('klaviyo', kl)).toContain(`kl_offset.csv:3: column "Datetime", value "2026-07-03T08:43:17-04:60": ${offset}`);
    const sh = warehouse.file('sh_offset.csv', SH_GOOD.replace('2026-07-03 04:51:42 -0400', '2026-07-03 04:51:42 -0475'));
    expect(await refusedByEachReader('shopify', sh)).toContain(`sh_offset.csv:4: column "Created at", value "2026-07-03 04:51:42 -0475": ${offset}`);
    const stderr = await refusedByCli('postscript', ps);
    expect(stderr).toContain(`ps_offset.csv:2: column "Order Date", value "2026-07-11T02:32:18+25:00": ${offset}`);
  });

  it('refuses a row with fewer fields than the header, as one with more', async () => {
    const file = warehouse.file(
      'too_few.csv',
      postscript(okRow(1), okRow(2).split(',').slice(0, 6).join(','), okRow(3), `${okRow(4)},surplus`, okRow(5).split(',').slice(0, 1).join(',')),
    );
    expect(await refusedByEachReader('postscript', file)).toBe(
      [
        'too_few.csv:3: column "Message Name": the row has 6 fields but the header has 8 (it ends before this column)',
        'too_few.csv:5: value "surplus": the row has 9 fields but the header has 8',
        'too_few.csv:6: column "Order Number": the row has 1 field but the header has 8 (it ends before this column)',
        'nothing was imported',
      ].join('\n'),
    );
    const stderr = await refusedByCli('postscript', file);
    expect(stderr).toContain('too_few.csv:3: column "Message Name": the row has 6 fields but the header has 8');
    // A Shopify line item whose trailing empty cells were dropped is refused too.
    const shopify = warehouse.file('sh_too_few.csv', SH_GOOD.replace('#1001,,,,,,,2,Sample Pack,12.00,', '#1001,,,,,,,2,Sample Pack'));
    expect(await refusedByEachReader('shopify', shopify)).toMatch(
      /^sh_too_few\.csv:3: column "Lineitem price": the row has 9 fields but the header has 11/,
    );
  });

  it('refuses a NUL byte inside a cell, naming line and column, and prints no NUL', async () => {
    const file = warehouse.file('nul.csv', postscript(okRow(1), okRow(2).replace('Campaign 2', 'Camp\u0000aign 2'), okRow(3)));
    const message = await refusedByEachReader('postscript', file);
    expect(message).toBe(
      'nul.csv:3: column "Message Name", value "Camp\\x00aign 2": holds a NUL byte (\\x00), which no text of an export has; export the file again\nnothing was imported',
    );
    expect(message).not.toContain('\u0000');
    const stderr = await refusedByCli('postscript', file);
    expect(stderr).toContain('nul.csv:3: column "Message Name", value "Camp\\x00aign 2": holds a NUL byte');
    expect(stderr).not.toContain('\u0000');
    // In a column lasttouch does not read, and at the end of a Shopify cell.
    const kept = warehouse.file('nul_kept.csv', `${PS_HEADER},Note\n${okRow(1)},fine\n${okRow(2)},bad\u0000\n`);
    expect(await refusedByEachReader('postscript', kept)).toMatch(/^nul_kept\.csv:3: column "Note", value "bad\\x00": holds a NUL byte/);
    const shopify = warehouse.file('sh_nul.csv', SH_GOOD.replace('Sample Pack', 'Sample Pack\u0000'));
    expect(await refusedByEachReader('shopify', shopify)).toMatch(/^sh_nul\.csv:3: column "Lineitem name", value "Sample Pack\\x00": holds a NUL byte/);
  });

  describe('a header name written twice', () => {
    const guess = 'which of the two to read, or to keep under that name, would be a guess; rename or remove one of them';

    it('refuses Revenue twice, naming both columns', async () => {
      const file = warehouse.file('two_revenues.csv', `${PS_HEADER},Revenue\n${okRow(1)},0.00\n`);
      expect(await refusedByEachReader('postscript', file)).toBe(
        `two_revenues.csv:1: column "Revenue": column 9 of the header has the same name as column 4 ("Revenue"): ${guess}\nnothing was imported`,
      );
      const stderr = await refusedByCli('postscript', file);
      expect(stderr).toContain('two_revenues.csv:1: column "Revenue": column 9 of the header has the same name as column 4 ("Revenue")');
    });

    it('refuses two spellings of one name, such as two aliases of one column', async () => {
      const file = warehouse.file('two_order_ids.csv', `${PS_HEADER},order_id\n${okRow(1)},7410991465999\n`);
      expect(await refusedByEachReader('postscript', file)).toMatch(
        /^two_order_ids\.csv:1: column "order_id": column 9 of the header has the same name as column 3 \("Order ID"\)/,
      );
      const klaviyo = warehouse.file('kl_two_values.csv', KL_GOOD.replace('$value,', '$value,Value,').replace(/,(56\.75|80\.82),/g, ',$1,1.00,'));
      expect(await refusedByEachReader('klaviyo', klaviyo)).toMatch(
        /^kl_two_values\.csv:1: column "Value": column 6 of the header has the same name as column 5 \("\$value"\)/,
      );
    });

    it('refuses a repeated header of a column lasttouch does not read, whose cells it keeps by name', async () => {
      const file = warehouse.file('two_notes.csv', `${PS_HEADER},Note,Note\n${okRow(1)},a,b\n`);
      expect(await refusedByEachReader('postscript', file)).toMatch(
        /^two_notes\.csv:1: column "Note": column 10 of the header has the same name as column 9 \("Note"\)/,
      );
    });
  });

  it('names the line where an unterminated quote opens (line 10), not the end of the file (line 61)', async () => {
    const rows = Array.from({ length: 60 }, (_, index) => okRow((index % 28) + 1));
    rows[8] = rows[8]!.replace(/,Campaign (\d+),/, ',"Campaign $1,');
    const text = postscript(...rows);
    expect(text.trimEnd().split('\n')).toHaveLength(61);
    expect(text.slice(0, text.indexOf('"')).split('\n')).toHaveLength(10);
    const file = warehouse.file('unterminated.csv', text);
    const message = await refusedByEachReader('postscript', file);
    expect(message).toBe(
      'unterminated.csv:10: the file is not valid CSV: column "Message Name", value "Campaign 9,+14155550009": the quote that opens ' +
        'this cell is never closed, so the rest of the file would be one cell; close it (a quote inside a quoted cell is written "")',
    );
    const stderr = await refusedByCli('postscript', file);
    expect(stderr).toContain('unterminated.csv:10: the file is not valid CSV: column "Message Name"');
  });

  describe('a file of one enormous line, and long values', () => {
    it('refuses a header followed by one 10 MB line within a second, in a short message', async () => {
      const file = warehouse.file('one_long_line.csv', `${PS_HEADER}\n${okRow(1).replace('Campaign 1', 'x'.repeat(10 * 1024 * 1024))}\n`);
      for (const reader of ['auto', 'cells', 'bulk'] as const) {
        const started = Date.now();
        await expect(warehouse.import({ platform: 'postscript', file, reader })).rejects.toBeInstanceOf(InputError);
        expect(Date.now() - started, reader).toBeLessThan(1000);
      }
      const message = await refusedByEachReader('postscript', file);
      expect(message).toBe(
        'one_long_line.csv:2: the line is longer than 1 MiB (1,048,576 bytes), far longer than a row of any export ' +
          '(it starts "2026-08-01T10:00:00Z,#2001,7410991465001,1.50,USD,click,xxxx"…): is this the export you meant to import?',
      );
      const stderr = await refusedByCli('postscript', file);
      expect(stderr).toMatch(/^lasttouch: one_long_line\.csv:2: the line is longer than 1 MiB/);
      expect(stderr.length).toBeLessThan(400);
    });

    it('refuses 10 MB without a line break within a second', async () => {
      const unit = `${okRow(1)},`;
      const file = warehouse.file('no_line_break.csv', unit.repeat(Math.ceil((10 * 1024 * 1024) / unit.length)));
      const started = Date.now();
      const refusal = await warehouse.import({ platform: 'postscript', file }).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(Date.now() - started).toBeLessThan(1000);
      expect(refusal).toBeInstanceOf(InputError);
      const error = await refusedByLibrary({ platform: 'postscript', file });
      expect(error.message).toBe((refusal as Error).message);
      expect(error.message).toMatch(/^no_line_break\.csv:1: the line is longer than 1 MiB/);
      expect(error.message.length).toBeLessThan(400);
    });

    it('cuts every quoted value to 60 characters and says how long it was', async () => {
      const long = 'click'.repeat(1000);
      const surplus = Array.from({ length: 3000 }, (_, index) => `surplus-cell-${index}`).join(',');
      const file = warehouse.file('long_values.csv', postscript(okRow(1).replace(',click,', `,${long},`), `${okRow(2)},${surplus}`));
      const message = await refusedByEachReader('postscript', file);
      expect(message).toBe(
        [
          `long_values.csv:2: column "Attribution Type", value "${'click'.repeat(12)}… (5000 characters)": is not a known attribution type ` +
            '(accepted: click, clicked, click-through, view, viewed, view-through, view_through, view-only, received, delivered, coupon, coupon used)',
          `long_values.csv:3: value "${surplus.slice(0, 60)}… (${surplus.length} characters)": the row has 3008 fields but the header has 8`,
          'nothing was imported',
        ].join('\n'),
      );
      // A quote inside a cell: the CSV parser's own message would quote the whole cell before it.
      const stray = warehouse.file('stray_quote.csv', postscript(okRow(1), okRow(2).replace('Campaign 2', `${'y'.repeat(5000)}"`)));
      expect(await refusedByEachReader('postscript', stray)).toBe(
        `stray_quote.csv:3: the file is not valid CSV: column "Message Name", value "${'y'.repeat(60)}… (5000 characters)": ` +
          'a quote inside a cell that does not start with one; quote the whole cell and double the quote (e.g. "5"" screen")',
      );
      const longHeader = warehouse.file('long_header.csv', `Order Date,Order ID,${'Revenue'.repeat(2000)},Attribution Type\n2026-08-01T10:00:00Z,1,1.00,click\n`);
      const headerMessage = (await refusedByLibrary({ platform: 'postscript', file: longHeader })).message;
      expect(headerMessage).toContain(`"${'Revenue'.repeat(8)}Reve… (14000 characters)"`);
      expect(headerMessage.length).toBeLessThan(1000);
    });
  });

  describe('a bad --columns mapping file', () => {
    const data = () => warehouse.file('custom.csv', 'When,Order ID,Gross,How\n2026-08-01T10:00:00Z,7410991465001,12.00,click\n');

    it('refuses a mapping that is not JSON', async () => {
      const map = warehouse.file('map_broken.json', '{ "revenue": "Gross", ');
      const error = await refusedByLibrary({ platform: 'postscript', file: data(), columnsFile: map });
      expect(error.message).toMatch(/^map_broken\.json:1: the column mapping is not readable JSON/);
      const stderr = await refusedByCli('postscript', data(), '--columns', map);
      expect(stderr).toContain('map_broken.json:1: the column mapping is not readable JSON');
    });

    it('refuses a mapping that is not an object', async () => {
      const map = warehouse.file('map_array.json', '["revenue", "Gross"]');
      const error = await refusedByLibrary({ platform: 'postscript', file: data(), columnsFile: map });
      expect(error.message).toMatch(/^map_array\.json:1: the column mapping must be a JSON object/);
    });

    it('refuses an unknown canonical name, naming it and its header', async () => {
      const map = warehouse.file('map_unknown.json', JSON.stringify({ order_created_at: 'When', gross_revenue: 'Gross' }));
      const error = await refusedByLibrary({ platform: 'postscript', file: data(), columnsFile: map });
      expect(error.message).toMatch(/^map_unknown\.json:1: column "gross_revenue", value "Gross": is not a postscript column; known: order_id, order_name/);
      const stderr = await refusedByCli('postscript', data(), '--columns', map);
      expect(stderr).toContain('map_unknown.json:1: column "gross_revenue", value "Gross": is not a postscript column');
    });

    it('refuses a header that is not a non-empty string', async () => {
      const map = warehouse.file('map_number.json', JSON.stringify({ revenue: 3 }));
      const error = await refusedByLibrary({ platform: 'postscript', file: data(), columnsFile: map });
      expect(error.message).toMatch(/^map_number\.json:1: column "revenue", value "3": must name a header/);
      const blank = warehouse.file('map_blank.json', JSON.stringify({ revenue: '  ' }));
      const second = await refusedByLibrary({ platform: 'postscript', file: data(), columnsFile: blank });
      expect(second.message).toMatch(/^map_blank\.json:1: column "revenue", value " {2}": must name a header/);
    });

    it('refuses a mapping to a header the file does not have', async () => {
      const map = warehouse.file(
        'map_absent.json',
        JSON.stringify({ order_created_at: 'When', revenue: 'Gross Sales', attribution_type: 'How' }),
      );
      const error = await refusedByLibrary({ platform: 'postscript', file: data(), columnsFile: map });
      expect(error.message).toMatch(/^custom\.csv:1: column "revenue \(/);
      expect(error.message).toContain('Headers found: "When", "Order ID", "Gross", "How".');
      const stderr = await refusedByCli('postscript', data(), '--columns', map);
      expect(stderr).toContain('custom.csv:1: column "revenue (');
    });

    it('refuses a mapping file that does not exist', async () => {
      const error = await refusedByLibrary({ platform: 'postscript', file: data(), columnsFile: `${warehouse.dir}/nowhere.json` });
      expect(error.message).toMatch(/^nowhere\.json:1: cannot read the column mapping .*nowhere\.json \(--columns\): no such file/);
      const folder = await refusedByLibrary({ platform: 'postscript', file: data(), columnsFile: warehouse.dir });
      expect(folder.message).toMatch(/cannot read the column mapping .* \(--columns\): it is a folder, not a file/);
    });
  });

  it('refuses for a new client without creating it, and for a client without changing its setting', async () => {
    const file = warehouse.file('bad_for_new.csv', postscript(okRow(1).replace(',click,', ',nope,')));
    await refusedByLibrary({ platform: 'postscript', file, clientId: 'initech' });
    await refusedByLibrary({ platform: 'postscript', file, excludeViewOnly: true });
    const stderr = await refusedByCli('postscript', file, '--exclude-view-only');
    expect(stderr).toContain('bad_for_new.csv:2: column "Attribution Type", value "nope"');
    const clients = await warehouse.query(`SELECT client_id, view_only FROM meta.clients ORDER BY 1`);
    expect(clients).toEqual([
      { client_id: 'acme', view_only: 'include' },
      { client_id: 'globex', view_only: 'include' },
    ]);
  });

  describe('usage errors (exit code 2)', () => {
    it('refuses --from without --to', async () => {
      const file = warehouse.file('window.csv', postscript(okRow(1)));
      const error = await warehouse.import({ platform: 'postscript', file, from: '2026-08-01' }).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(/--from and --to go together/);
      const result = cli(['--db', warehouse.path, 'import', 'postscript', file, '--client', 'acme', '--from', '2026-08-01']);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/--from and --to go together/);
      const toOnly = cli(['--db', warehouse.path, 'import', 'postscript', file, '--client', 'acme', '--to', '2026-08-31']);
      expect(toOnly.status, toOnly.stderr).toBe(2);
      expect(await snapshot(warehouse)).toEqual(baseline);
    });

    it('refuses an impossible --from/--to and a window that runs backwards', async () => {
      const file = warehouse.file('window.csv', postscript(okRow(1)));
      const args = ['--db', warehouse.path, 'import', 'postscript', file, '--client', 'acme'];
      const badDate = cli([...args, '--from', '2026-02-30', '--to', '2026-03-31']);
      expect(badDate.status, badDate.stderr).toBe(2);
      expect(badDate.stderr).toContain('--from "2026-02-30" has no such day');
      const backwards = cli([...args, '--from', '2026-09-01', '--to', '2026-08-01']);
      expect(backwards.status, backwards.stderr).toBe(2);
      expect(backwards.stderr).toContain('--from 2026-09-01 is after --to 2026-08-01');
      const usSyntax = cli([...args, '--from', '08/01/2026', '--to', '2026-08-31']);
      expect(usSyntax.status, usSyntax.stderr).toBe(2);
      expect(await snapshot(warehouse)).toEqual(baseline);
    });

    it('refuses an unknown platform and a missing --client', async () => {
      const file = warehouse.file('window.csv', postscript(okRow(1)));
      const unknown = cli(['--db', warehouse.path, 'import', 'tiktok', file, '--client', 'acme']);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toMatch(/tiktok/);
      const noClient = cli(['--db', warehouse.path, 'import', 'postscript', file]);
      expect(noClient.status).toBe(2);
      expect(noClient.stderr).toMatch(/--client/);
      expect(await snapshot(warehouse)).toEqual(baseline);
    });
  });

  it('still imports a good file after all those refusals', async () => {
    const file = warehouse.file('after.csv', postscript(okRow(1), okRow(2)));
    const result = cli(['--db', warehouse.path, 'import', 'postscript', file, '--client', 'acme']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^upload \d+: postscript after\.csv for client acme$/m);
    const [counts] = await warehouse.query(
      `SELECT (SELECT count(*) FROM meta.uploads) AS uploads, (SELECT count(*) FROM raw.postscript_claims) AS claims`,
    );
    expect(counts).toEqual({ uploads: 5, claims: 8 });
  });
});

// The other side of the range of amounts: whatever is accepted must also add up. Sums in the marts are
// DECIMAL(18,2) (below 10^16); every amount is below 10^10 (docs/formats.md, "Money"), so a month of a
// million orders at the largest amount still fits. Here, many orders at the largest amount and, on every
// one, claims of two platforms and a refund of the whole total.
describe('amounts at the largest accepted value', () => {
  const ORDERS = 5000;
  const MAX = centsToDecimalString(MAX_AMOUNT_CENTS);
  const total = centsToDecimalString(MAX_AMOUNT_CENTS * BigInt(ORDERS));
  const warehouse = new TestWarehouse();

  afterAll(() => warehouse.cleanup());

  it('are the largest the importer takes: one cent more is refused', async () => {
    expect(MAX).toBe('9999999999.99');
    const beyond = warehouse.file('beyond.csv', `Order Date,Order Number,Revenue,Attribution Type\n2026-08-03T10:00:00Z,#1,10000000000.00,click\n`);
    for (const reader of ['auto', 'cells'] as const) {
      await expect(warehouse.import({ platform: 'postscript', file: beyond, reader })).rejects.toThrow(
        /^beyond\.csv:2: column "Revenue", value "10000000000\.00": is beyond the accepted range/,
      );
    }
  });

  it('add up in every mart without overflow', async () => {
    const orders = Array.from({ length: ORDERS }, (_, index) => index + 1);
    const shopify = warehouse.file(
      'shopify.csv',
      ['Name,Id,Created at,Currency,Total,Refunded Amount', ...orders.map((n) => `#${n},${7_000_000_000_000 + n},2026-08-03 10:00:00 +0000,USD,${MAX},${MAX}`)].join('\n'),
    );
    const postscript = warehouse.file(
      'postscript.csv',
      ['Order Date,Order Number,Revenue,Attribution Type,Sent At', ...orders.map((n) => `2026-08-03T10:00:00Z,#${n},${MAX},click,2026-08-03T09:00:00Z`)].join('\n'),
    );
    const klaviyo = warehouse.file(
      'klaviyo.csv',
      [
        'Order Name,Datetime,Value,Currency,Channel,Attributed Event,Touch At',
        ...orders.map((n) => `#${n},2026-08-03T10:00:00Z,${MAX},USD,email,Clicked Email,2026-08-03T09:30:00Z`),
      ].join('\n'),
    );
    for (const [platform, file] of [['shopify', shopify], ['postscript', postscript], ['klaviyo', klaviyo]] as const) {
      const summary = await warehouse.import({ platform, file });
      expect(summary.rows).toBe(ORDERS);
    }
    await warehouse.build();
    expect(
      await warehouse.query(`SELECT platform, platform_revenue::VARCHAR AS platform_revenue, last_touch_revenue::VARCHAR AS last_touch,
          double_attribution_removed::VARCHAR AS removed FROM marts.revenue_summary ORDER BY platform`),
    ).toEqual([
      { platform: 'klaviyo', platform_revenue: total, last_touch: total, removed: '0.00' },
      { platform: 'postscript', platform_revenue: total, last_touch: '0.00', removed: total },
    ]);
    expect(
      await warehouse.query(`SELECT store_orders, store_revenue::VARCHAR AS store, refunded_revenue::VARCHAR AS refunded,
          attributed_revenue::VARCHAR AS attributed, attributed_store_revenue::VARCHAR AS attributed_store FROM marts.store_summary`),
    ).toEqual([{ store_orders: ORDERS, store: total, refunded: total, attributed: total, attributed_store: total }]);
    const [largest] = await warehouse.query(`SELECT max(last_touch_revenue)::VARCHAR AS largest, count(*) AS orders FROM marts.order_attribution`);
    expect(largest).toEqual({ largest: MAX, orders: ORDERS });
    // And the bound: a million of them fit DECIMAL(18,2), as the marts cast their sums.
    const [million] = await warehouse.query(
      `SELECT CAST(sum(CAST(${MAX} AS DECIMAL(18,2))) AS DECIMAL(18,2))::VARCHAR AS sum FROM range(1000000)`,
    );
    expect(million).toEqual({ sum: centsToDecimalString(MAX_AMOUNT_CENTS * 1_000_000n) });
  }, 180_000);
});
