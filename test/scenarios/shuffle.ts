// The property of docs/attribution.md section 4.5: the result never depends on the order of rows (or of
// columns) in a file. A scenario's warehouse keeps a log of what was done to it (test/helpers.ts); here it
// is done again in a fresh warehouse with every file shuffled, and the marts after every build must be
// the same rows. A Shopify export keeps each order's rows together and in their order (its format puts
// the order's own fields on the order's first row); its orders, and every other file's rows, move freely.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { parse } from 'csv-parse/sync';
import { normalizeHeader } from '../../src/ingest/values.js';
import { seededRandom as random, TestWarehouse, type Operation } from '../helpers.js';

/** The items in a random order; for seed 0, reversed (which upsets every "the first row wins"). */
function shuffled<T>(items: readonly T[], next: (() => number) | null): T[] {
  if (next === null) return [...items].reverse();
  const result = [...items];
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}

function field(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** The same export with its rows (Shopify: its orders) and its columns in another order. */
export function shuffleExport(content: Buffer, platform: string, seed: number): Buffer {
  const text = content.toString('utf8');
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  let records: string[][];
  try {
    records = parse(text.slice(bom.length), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch {
    return content;
  }
  const [header, ...rows] = records;
  if (header === undefined) return content;
  const next = seed === 0 ? null : random(seed);
  let ordered: string[][];
  if (platform === 'shopify') {
    const nameIndex = header.findIndex((cell) => normalizeHeader(cell) === 'name');
    const orders = new Map<string, string[][]>();
    for (const row of rows) {
      const name = row[nameIndex] ?? '';
      orders.set(name, [...(orders.get(name) ?? []), row]);
    }
    ordered = shuffled([...orders.values()], next).flat();
  } else {
    ordered = shuffled(rows, next);
  }
  const sameWidth = ordered.every((row) => row.length === header.length);
  const columns = sameWidth ? shuffled(header.map((_, index) => index), next) : header.map((_, index) => index);
  const lines = [header, ...ordered].map((row) =>
    (sameWidth ? columns.map((index) => row[index] ?? '') : row).map(field).join(','),
  );
  return Buffer.from(bom + lines.join(newline) + newline, 'utf8');
}

/**
 * Replays a warehouse's log with every file shuffled (first every file reversed, rows and columns, then
 * in a random order); the marts after each build must be the same.
 */
export async function expectShuffleInvariant(original: TestWarehouse, seeds: readonly number[] = [0, 7]): Promise<void> {
  const builds = original.log.filter((operation) => operation.kind === 'build');
  expect(builds.length, 'the scenario builds at least once').toBeGreaterThan(0);
  for (const seed of seeds) {
    const copy = new TestWarehouse();
    try {
      let step = 0;
      for (const operation of original.log) {
        step += 1;
        await replay(copy, operation, seed, `seed ${seed}, step ${step}`);
      }
    } finally {
      copy.cleanup();
    }
  }
}

async function replay(copy: TestWarehouse, operation: Operation, seed: number, where: string): Promise<void> {
  switch (operation.kind) {
    case 'import': {
      const platform = operation.request.platform;
      // The same bytes shuffle the same way, so that a re-import of a file stays a re-import.
      const fileSeed = seed === 0 ? 0 : seed * 7919 + createHash('sha256').update(operation.content).digest().readUInt32BE(0);
      const file = copy.file(operation.fileName, shuffleExport(operation.content, platform, fileSeed));
      const outcome = await copy.import({ ...operation.request, file }).then(
        () => 'imported',
        () => 'refused',
      );
      expect(outcome, `${where}: import of ${operation.fileName}`).toBe(operation.refused ? 'refused' : 'imported');
      return;
    }
    case 'client':
      await copy.client(operation.clientId, operation.changes);
      return;
    case 'remove':
      await copy.removeUpload(operation.uploadId);
      return;
    case 'restore':
      await copy.restoreUpload(operation.uploadId);
      return;
    case 'build': {
      const built = await copy.build(operation.options).then(
        () => true,
        () => false,
      );
      expect(built, `${where}: build`).toBe(operation.marts !== null);
      if (operation.marts !== null) expect(await copy.marts(), `${where}: the marts after the build`).toEqual(operation.marts);
      return;
    }
  }
}
