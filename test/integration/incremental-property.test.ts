// Incremental builds by upload and by month must give what a full rebuild gives, row for row, whatever the
// history: a property test over random sequences of imports, removals, restores and setting changes, each
// followed by a build. After every build the warehouse is copied and the copy rebuilt from scratch; every
// model of the two must hold the same rows. The exports are made here, at random, to stress what the month
// slices depend on: orders near month ends, claims that date an order in another month than Shopify does
// (so one order's rows span two months), claims by id, by name or both, unmatched claims, re-exports that
// supersede older uploads over overlapping windows, identical rows, and view-only claims.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileProject, type Project } from '../../src/models/compile.js';
import { monthsText, planBuild } from '../../src/models/plan.js';
import { runBuild } from '../../src/models/run.js';
import { previewMonths, uploadChanges } from '../../src/models/slices.js';
import { readWarehouseState } from '../../src/models/state.js';
import { Warehouse } from '../../src/warehouse/db.js';
import { ROOT, seededRandom, TestWarehouse, revenueIdentityViolations } from '../helpers.js';

type Platform = 'shopify' | 'postscript' | 'klaviyo';

interface Order {
  name: string;
  id: string;
  /** Shopify's creation time, an instant. */
  created: Date;
  total: number;
}

interface Export {
  platform: Platform;
  name: string;
  text: string;
  window?: [string, string];
}

const DAY = 86_400_000;
const iso = (date: Date): string => date.toISOString().replace('.000Z', 'Z');
const day = (date: Date): string => date.toISOString().slice(0, 10);

/** Orders from June to September, a third of them within hours of a month's end in New York. */
function orders(random: () => number, count: number): Order[] {
  const ends = ['2026-07-01T04:00:00Z', '2026-08-01T04:00:00Z', '2026-09-01T04:00:00Z'].map((text) => new Date(text).getTime());
  const start = new Date('2026-06-01T04:00:00Z').getTime();
  const span = new Date('2026-10-01T04:00:00Z').getTime() - start;
  return Array.from({ length: count }, (_, index) => {
    const nearEnd = random() < 0.35;
    const at = nearEnd
      ? (ends[Math.floor(random() * ends.length)] ?? start) + Math.round((random() - 0.5) * 6 * 3_600_000)
      : start + Math.floor(random() * span);
    return { name: `#${1000 + index}`, id: String(7_000_000_000_000 + index), created: new Date(at), total: 10 + Math.floor(random() * 90) };
  });
}

/** Exports over [from, to): Shopify's orders, and claims on some of them and on orders Shopify never had. */
function exportsOf(random: () => number, all: Order[], client: string): Export[] {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const windows: [string, string][] = [
    ['2026-06-01', '2026-07-31'],
    ['2026-07-01', '2026-08-31'],
    ['2026-08-01', '2026-09-30'],
    ['2026-06-15', '2026-09-30'],
  ];
  const result: Export[] = [];
  const within = (order: Order, [from, to]: [string, string]): boolean => day(order.created) >= from && day(order.created) <= to;
  for (const [index, window] of windows.entries()) {
    const shopify = all.filter((order) => within(order, window));
    result.push({
      platform: 'shopify',
      name: `${client}-shopify-${index}.csv`,
      text: `Name,Id,Created at,Currency,Total\n${shopify
        .map((order) => `${order.name},${order.id},${iso(order.created)},USD,${(order.total + (random() < 0.2 ? 5 : 0)).toFixed(2)}`)
        .join('\n')}\n`,
      ...(random() < 0.5 ? { window } : {}),
    });
  }
  for (const [index, window] of windows.entries()) {
    for (const platform of ['postscript', 'klaviyo'] as const) {
      const claimed = all.filter((order) => within(order, window) && random() < 0.6);
      const lines: string[] = [];
      for (const order of claimed) {
        // The platform's own idea of when the order was placed: now and then hours off Shopify's, across a
        // month's end.
        const placed = new Date(order.created.getTime() + (random() < 0.25 ? Math.round((random() - 0.5) * 8 * 3_600_000) : 0));
        const touch = new Date(placed.getTime() - Math.floor(random() * 3 * DAY));
        const by = pick(['id', 'name', 'both', 'both'] as const);
        const id = by === 'name' ? '' : order.id;
        const name = by === 'id' ? '' : order.name;
        const type = pick(['click', 'click', 'view', 'open'] as const);
        const revenue = (order.total - Math.floor(random() * 5)).toFixed(2);
        const repeats = random() < 0.1 ? 2 : 1;
        for (let copy = 0; copy < repeats; copy += 1) {
          if (platform === 'postscript') {
            lines.push(`${iso(placed)},${name},${id},${revenue},USD,${type === 'open' ? 'click' : type},p${order.id.slice(-3)},${iso(touch)},`);
          } else {
            const event = type === 'click' ? 'Clicked Email' : type === 'open' ? 'Opened Email' : 'Received SMS';
            const channel = type === 'view' ? 'sms' : 'email';
            lines.push(`e${index}${order.id.slice(-4)}${copy},${id},${name},${iso(placed)},${revenue},USD,${channel},${event},k${order.id.slice(-3)},${iso(touch)},`);
          }
        }
      }
      // A claim on an order Shopify never exported, named in one upload and numbered in another.
      const stray = 9000 + Math.floor(random() * 5);
      const strayAt = iso(new Date(new Date(`${window[0]}T12:00:00Z`).getTime() + Math.floor(random() * 20) * DAY));
      if (platform === 'postscript') lines.push(`${strayAt},${random() < 0.5 ? `#${stray}` : ''},${stray},15.00,USD,click,p9,${strayAt},`);
      else lines.push(`x${index}${stray},${stray},${random() < 0.5 ? `#${stray}` : ''},${strayAt},15.00,USD,sms,Clicked SMS,k9,${strayAt},`);
      const header =
        platform === 'postscript'
          ? 'Order Date,Order Number,Order ID,Revenue,Currency,Attribution Type,Message ID,Sent At,Clicked At'
          : '$event_id,Order ID,Order Name,Datetime,$value,$currency,$attributed_channel,Attributed Event,$attributed_message,Touch At,$send_ts';
      result.push({ platform, name: `${client}-${platform}-${index}.csv`, text: `${header}\n${lines.join('\n')}\n`, ...(random() < 0.7 ? { window } : {}) });
    }
  }
  return result;
}

let warehouse: TestWarehouse;
afterEach(() => warehouse.cleanup());

async function tables(path: string, project: Project): Promise<Record<string, unknown[]>> {
  const connection = await Warehouse.open(path);
  try {
    const result: Record<string, unknown[]> = {};
    for (const node of project.nodes) result[node.id] = await connection.all(`SELECT * FROM ${node.schema}.${node.name} ORDER BY ALL`);
    return result;
  } finally {
    connection.close();
  }
}

/**
 * What build --dry-run works out before the build: per client whose uploads alone changed, the months in
 * words (monthsText), read-only.
 */
async function monthsBeforeBuild(project: Project): Promise<Map<string, string>> {
  const connection = await Warehouse.open(warehouse.path, { readOnly: true });
  try {
    const plan = planBuild(project, await readWarehouseState(connection, project));
    const changes = uploadChanges(plan);
    const months = await previewMonths(connection, project, changes);
    if (months === null) throw new Error('the months of this plan cannot be told before the build');
    // Every client whose uploads changed is named, with no months where they touch none.
    expect([...months.keys()].sort()).toEqual([...changes.keys()].sort());
    return new Map([...months].map(([client, these]) => [client, monthsText(these)]));
  } finally {
    connection.close();
  }
}

/** Copies the warehouse, rebuilds the copy from scratch, and expects every model of both to agree. */
async function expectSameAsFullRebuild(project: Project, step: string): Promise<void> {
  const copy = join(warehouse.dir, 'full.duckdb');
  copyFileSync(warehouse.path, copy);
  if (existsSync(`${warehouse.path}.wal`)) copyFileSync(`${warehouse.path}.wal`, `${copy}.wal`);
  const connection = await Warehouse.open(copy);
  try {
    await runBuild(connection, project, { fullRefresh: true });
  } finally {
    connection.close();
  }
  const incremental = await tables(warehouse.path, project);
  const full = await tables(copy, project);
  for (const node of project.nodes) expect(incremental[node.id], `${node.id} after ${step}`).toEqual(full[node.id]);
}

describe('incremental builds equal a full rebuild', () => {
  for (const seed of [11, 23, 37]) {
    it(`over a random history of imports, removals, restores and settings (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      const project = compileProject(ROOT);
      warehouse = new TestWarehouse();
      const pool: { client: string; file: Export }[] = [];
      for (const client of ['acme', 'beta']) {
        await warehouse.client(client, { timezone: 'America/New_York', currency: 'USD' });
        for (const file of exportsOf(random, orders(random, 40), client)) pool.push({ client, file });
      }
      const live: number[] = [];
      const removed: number[] = [];
      const history: string[] = [];
      const sliced = { uploads: 0, months: 0 };
      let foretoldChecked = 0;
      for (let step = 0; step < 14; step += 1) {
        const roll = random();
        if (pool.length > 0 && (roll < 0.55 || live.length === 0)) {
          const [{ client, file }] = pool.splice(Math.floor(random() * pool.length), 1) as [{ client: string; file: Export }];
          const summary = await warehouse.import({
            clientId: client,
            platform: file.platform,
            file: warehouse.file(file.name, file.text),
            ...(file.window === undefined ? {} : { from: file.window[0], to: file.window[1] }),
          });
          live.push(summary.uploadId);
          history.push(`import ${file.name} as ${summary.uploadId}`);
        } else if (roll < 0.7 && live.length > 0) {
          const [id] = live.splice(Math.floor(random() * live.length), 1) as [number];
          await warehouse.removeUpload(id);
          removed.push(id);
          history.push(`remove ${id}`);
        } else if (roll < 0.8 && removed.length > 0) {
          const [id] = removed.splice(Math.floor(random() * removed.length), 1) as [number];
          await warehouse.restoreUpload(id);
          live.push(id);
          history.push(`restore ${id}`);
        } else {
          const client = random() < 0.5 ? 'acme' : 'beta';
          const change = [
            { view_only: random() < 0.5 ? 'exclude' : 'include' },
            { model: random() < 0.5 ? 'click-priority' : 'flat' },
            { platform_priority: random() < 0.5 ? ['klaviyo', 'postscript'] : [] },
            { timezone: random() < 0.5 ? 'America/Los_Angeles' : 'America/New_York' },
          ][Math.floor(random() * 4)] as Record<string, unknown>;
          await warehouse.client(client, change);
          history.push(`client ${client} ${JSON.stringify(change)}`);
        }
        // The months the dry run tells are the ones the build rebuilds.
        const foretold = await monthsBeforeBuild(project);
        const rebuilt = new Map<string, string>();
        await warehouse.with((connection) =>
          runBuild(connection, project, {
            onModel: (event) => {
              if (event.detail?.includes(': uploads ') === true) sliced.uploads += 1;
              if (/: (no )?month/.test(event.detail ?? '')) {
                sliced.months += 1;
                for (const part of (event.detail ?? '').split('; ')) {
                  const [, client = '', months = ''] = /^client (\S+): (.*)$/.exec(part) ?? [];
                  rebuilt.set(client, months);
                }
              }
            },
          }),
        );
        for (const [client, months] of rebuilt) expect(foretold.get(client), `${client}'s months after ${history.join('; ')}`).toBe(months);
        foretoldChecked += rebuilt.size;
        await expectSameAsFullRebuild(project, history.join('; '));
      }
      expect(await revenueIdentityViolations(warehouse)).toEqual([]);
      // The history did stage uploads alone and rebuild months alone, not only whole clients.
      expect(sliced.uploads).toBeGreaterThan(0);
      expect(sliced.months).toBeGreaterThan(0);
      expect(foretoldChecked).toBeGreaterThan(0);
    }, 240_000);
  }
});
