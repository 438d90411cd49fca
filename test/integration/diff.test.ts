// `lasttouch diff` after a tie-rule change: the order whose two claims tie on everything but the platform
// changes winner when the platform tie order is reversed, and the diff shows it by key, with the columns
// that changed and the revenue summary moving from one platform to the other.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/models/compile.js';
import { diffModel, describeDiff } from '../../src/models/diff.js';
import { runBuild } from '../../src/models/run.js';
import { NotFoundError } from '../../src/errors.js';
import { TestWarehouse, cli, projectCopy, tempDir } from '../helpers.js';

// One order claimed by both platforms, clicked at the same minute: the tie goes to the platform name,
// alphabetically (klaviyo before postscript). A second order only Postscript claims.
const POSTSCRIPT = `Order Date,Order Number,Order ID,Revenue,Attribution Type,Message Name,Message ID,Sent At,Clicked At
2026-08-03T10:00:00Z,#1001,5001,80.00,click,August drop,ps-1,2026-08-03T08:00:00Z,2026-08-03T09:00:00Z
2026-08-04T10:00:00Z,#1002,5002,20.00,click,August drop,ps-1,2026-08-04T08:00:00Z,2026-08-04T09:00:00Z
`;
const KLAVIYO = `$event_id,Order ID,Datetime,$value,$attributed_channel,Attributed Event,$attributed_message,Message Name,Touch At,$send_ts
ev-1,5001,2026-08-03T10:00:00Z,80.00,email,Clicked Email,k-1,August newsletter,2026-08-03T09:00:00Z,2026-08-03T07:00:00Z
`;

describe('diff after a rule change', () => {
  let warehouse: TestWarehouse;
  let project: string;

  beforeEach(async () => {
    warehouse = new TestWarehouse();
    project = projectCopy();
    await warehouse.import({ platform: 'postscript', file: warehouse.file('ps.csv', POSTSCRIPT) });
    await warehouse.import({ platform: 'klaviyo', file: warehouse.file('k.csv', KLAVIYO) });
  });
  afterEach(() => {
    warehouse.cleanup();
    rmSync(project, { recursive: true, force: true });
  });

  const build = () => warehouse.with((db) => runBuild(db, compileProject(project)));
  const diff = (model: string) => warehouse.with((db) => diffModel(db, compileProject(project), model));

  it('shows the claims that changed winner, by key, and the revenue moving between platforms', async () => {
    await build();
    await expect(diff('attribution_claims')).rejects.toThrow(NotFoundError);
    const file = join(project, 'sql', 'attribution', 'attribution_claims.sql');
    const rule = readFileSync(file, 'utf8');
    expect(rule).toContain('                    platform,\n');
    writeFileSync(file, rule.replace('                    platform,\n', '                    platform DESC,\n').replace('-- version: 2', '-- version: 3'));
    const rebuilt = await build();
    expect(rebuilt.built).toEqual(
      expect.arrayContaining(['attribution.attribution_claims', 'marts.message_revenue', 'marts.order_attribution', 'marts.revenue_summary']),
    );
    expect(rebuilt.built).not.toContain('dedup.dedup_claims');

    const result = await diff('attribution_claims');
    expect(result.key).toEqual(['client_id', 'platform', 'order_key']);
    expect(result.previous).toMatchObject({ version: '2', build_id: rebuilt.buildId, replaced_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/) });
    expect(result.current).toEqual({ version: '3', fingerprint: expect.stringMatching(/^[0-9a-f]{16,}$/) });
    expect(result.rows).toEqual({ before: 3, after: 3, added: 0, removed: 0, changed: 2 });
    expect(result.columns.changed).toMatchObject({ is_winner: 2, revenue_outcome: 2 });
    expect(result.samples.changed.map((row) => [row.key.platform, row.changes.is_winner])).toEqual([
      ['klaviyo', { before: true, after: false }],
      ['postscript', { before: false, after: true }],
    ]);
    expect(result.summary?.map((row) => [row.platform, row.before.last_touch_revenue, row.after.last_touch_revenue])).toEqual([
      ['klaviyo', '80.00', '0.00'],
      ['postscript', '20.00', '100.00'],
    ]);
    const text = describeDiff(result);
    expect(text).toContain('rows: 3 before, 3 after; 0 added, 0 removed, 2 changed, matched by client_id, platform, order_key');
    expect(text).toMatch(/~ client_id=acme platform=postscript order_key=\S+: .*is_winner false -> true/);
    expect(text).toContain('acme 2026-08 postscript sms USD: last_touch_revenue 20.00 -> 100.00, double_attribution_removed 80.00 -> 0.00');

    // The command reads the same comparison from the warehouse.
    const shown = cli(['--db', warehouse.path, 'diff', 'attribution.attribution_claims', '--json']);
    expect(shown.status, shown.stderr).toBe(0);
    expect((JSON.parse(shown.stdout) as { rows: unknown }).rows).toEqual(result.rows);

    // A later build that rebuilds the model for new data drops the version kept.
    await warehouse.import({ platform: 'postscript', file: warehouse.file('ps2.csv', POSTSCRIPT.replace(/#1002,5002/, '#1003,5003')) });
    await build();
    await expect(diff('attribution_claims')).rejects.toThrow(/has no previous version/);
  });

  it('says when a model has no previous version, or no such model exists', async () => {
    await build();
    const none = cli(['--db', warehouse.path, 'diff', 'order_attribution']);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('marts.order_attribution has no previous version to compare with');
    const unknown = cli(['--db', warehouse.path, 'diff', 'no_such_model']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no model named "no_such_model"');
  });

  it("shows on the demo warehouse what reversing the platform tie order does", async () => {
    const out = tempDir('lasttouch-demo-diff-');
    const demo = cli(['demo', '--out', out]);
    expect(demo.status, demo.stderr).toBe(0);
    const path = join(out, 'demo.duckdb');
    const file = join(project, 'sql', 'attribution', 'attribution_claims.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace('                    platform,\n', '                    platform DESC,\n'));
    const { Warehouse } = await import('../../src/warehouse/db.js');
    const db = await Warehouse.open(path);
    try {
      const rebuilt = await runBuild(db, compileProject(project));
      expect([...rebuilt.built].sort()).toEqual([
        'attribution.attribution_claims',
        'marts.message_revenue',
        'marts.order_attribution',
        'marts.revenue_summary',
        'marts.store_summary',
      ]);
      const claims = await diffModel(db, compileProject(project), 'attribution_claims');
      const orders = await diffModel(db, compileProject(project), 'order_attribution', { sample: 1000 });
      // Each order that changes winner has two claims that tie up to the platform: both change.
      expect(claims.rows.changed).toBe(2 * (orders.rows.changed ?? 0));
      expect(orders.rows.changed).toBeGreaterThan(0);
      for (const order of orders.samples.changed) expect(order.changes.winner_platform).toEqual({ before: 'klaviyo', after: 'postscript' });
      // The revenue that moves is the claimed revenue of the claims that changed place.
      const moved = await db.all(
        `SELECT platform, sum(revenue)::VARCHAR AS revenue FROM attribution.attribution_claims
         WHERE order_key IN (${orders.samples.changed.map((order) => `'${String(order.key.order_key)}'`).join(', ')}) GROUP BY platform`,
      );
      const cents = (text: string | undefined): number => Math.round(Number(text) * 100);
      const delta = (platform: string, figure: string): number => {
        const row = orders.summary?.find((candidate) => candidate.platform === platform);
        return cents(row?.after[figure]) - cents(row?.before[figure]);
      };
      const klaviyo = cents(String(moved.find((row) => row.platform === 'klaviyo')?.revenue));
      const postscript = cents(String(moved.find((row) => row.platform === 'postscript')?.revenue));
      expect(delta('klaviyo', 'last_touch_revenue')).toBe(-klaviyo);
      expect(delta('klaviyo', 'double_attribution_removed')).toBe(klaviyo);
      expect(delta('postscript', 'last_touch_revenue')).toBe(postscript);
      expect(delta('postscript', 'double_attribution_removed')).toBe(-postscript);
    } finally {
      db.close();
      rmSync(out, { recursive: true, force: true });
    }
  });

});
