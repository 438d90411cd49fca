// Shared test plumbing: a real DuckDB file in a fresh temporary folder, the importer and the model runner
// called as the CLI calls them, and queries returning plain values.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { Warehouse, type Row } from '../src/warehouse/db.js';
import { importFile, type ImportRequest } from '../src/ingest/upload.js';
import type { ImportSummary } from '../src/ingest/summary.js';
import { compileProject } from '../src/models/compile.js';
import { runBuild, type BuildResult } from '../src/models/run.js';
import { ensureClient, type ClientChanges } from '../src/warehouse/clients.js';
import { setUploadRemoved } from '../src/warehouse/uploads.js';

export type ImportOptions = Omit<ImportRequest, 'clientId'> & { clientId?: string };

/** What was done to a test warehouse, in order, so that it can be done again (test/scenarios/shuffle.ts). */
export type Operation =
  | { kind: 'import'; request: ImportOptions; fileName: string; content: Buffer; refused: boolean }
  | { kind: 'client'; clientId: string; changes: ClientChanges }
  | { kind: 'remove' | 'restore'; uploadId: number }
  | { kind: 'build'; options: { select?: string; fullRefresh?: boolean }; marts: Row[][] | null };

/** The public marts, every row in a stable order (the same data gives the same value). */
export const MARTS = ['marts.order_attribution', 'marts.revenue_summary', 'marts.store_summary', 'marts.data_quality'] as const;

export const ROOT = resolve(import.meta.dirname, '..');

/** A copy of the project's sql/ and seeds/channels.csv that a test may change (a rule, a header, a broken model). */
export function projectCopy(): string {
  const root = tempDir('lasttouch-project-');
  cpSync(join(ROOT, 'sql'), join(root, 'sql'), { recursive: true });
  mkdirSync(join(root, 'seeds'));
  cpSync(join(ROOT, 'seeds', 'channels.csv'), join(root, 'seeds', 'channels.csv'));
  return root;
}

/** The smallest pair of exports that builds every mart: one Shopify order and one Postscript claim on it. */
export const ONE_ORDER = {
  shopify: `Name,Id,Created at,Currency,Total
#1001,7000000000001,2026-08-03 10:00:00 +0000,USD,80.00
`,
  postscript: `Order Date,Order Number,Revenue,Attribution Type,Sent At
2026-08-03T10:00:00Z,#1001,80.00,click,2026-08-03T09:00:00Z
`,
} as const;

/** A small seeded generator (mulberry32), so that a failing random test can be run again. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tempDir(prefix = 'lasttouch-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes text to a file in dir and returns its path. */
export function writeFile(dir: string, name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export class TestWarehouse {
  readonly dir: string;
  readonly path: string;
  /** Every import, setting, removal and build, with the marts after each build. */
  readonly log: Operation[] = [];

  constructor() {
    this.dir = tempDir();
    this.path = join(this.dir, 'warehouse.duckdb');
  }

  async with<T>(fn: (warehouse: Warehouse) => Promise<T>): Promise<T> {
    const warehouse = await Warehouse.open(this.path);
    try {
      return await fn(warehouse);
    } finally {
      warehouse.close();
    }
  }

  file(name: string, text: string | Buffer): string {
    return writeFile(this.dir, name, text);
  }

  async import(request: ImportOptions): Promise<ImportSummary> {
    const operation: Operation = {
      kind: 'import',
      request,
      fileName: basename(request.file),
      content: existsSync(request.file) && statSync(request.file).isFile() ? readFileSync(request.file) : Buffer.alloc(0),
      refused: true,
    };
    this.log.push(operation);
    const summary = await this.with((warehouse) => importFile(warehouse, { clientId: 'acme', ...request }));
    operation.refused = false;
    return summary;
  }

  async client(clientId: string, changes: ClientChanges): Promise<unknown> {
    this.log.push({ kind: 'client', clientId, changes });
    return this.with((warehouse) => ensureClient(warehouse, clientId, changes));
  }

  async removeUpload(uploadId: number): Promise<void> {
    this.log.push({ kind: 'remove', uploadId });
    await this.with((warehouse) => setUploadRemoved(warehouse, uploadId, true));
  }

  async restoreUpload(uploadId: number): Promise<void> {
    this.log.push({ kind: 'restore', uploadId });
    await this.with((warehouse) => setUploadRemoved(warehouse, uploadId, false));
  }

  async build(options: { select?: string; fullRefresh?: boolean } = {}): Promise<BuildResult> {
    const project = compileProject(ROOT);
    const operation: Operation = { kind: 'build', options, marts: null };
    this.log.push(operation);
    const result = await this.with((warehouse) => runBuild(warehouse, project, options));
    operation.marts = await this.marts();
    return result;
  }

  /** Every row of every public mart, in a stable order. */
  async marts(): Promise<Row[][]> {
    const result: Row[][] = [];
    for (const mart of MARTS) result.push(await this.query(`SELECT * FROM ${mart} ORDER BY ALL`));
    return result;
  }

  /** A query on the warehouse, with the models' macros (sql/macros/) at hand, e.g. lt_instant. */
  query(sql: string): Promise<Row[]> {
    return this.with(async (warehouse) => {
      await warehouse.run(compileProject(ROOT).macros);
      return warehouse.all(sql);
    });
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A raw timestamp column as the instant a build reads (naive times in zone), under its own name. */
export function instant(column: string, zone = 'UTC'): string {
  return `lt_instant(${column}, '${zone}') AS ${column.replace(/^.*\./, '')}`;
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (bin/lasttouch.js) as a separate process. */
export function cli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; bin?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [options.bin ?? join(ROOT, 'bin', 'lasttouch.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs the built CLI as a separate process without blocking this one: for tests whose process serves the
 * CLI (an SMTP server on loopback), which a synchronous spawn would starve.
 */
export function cliAsync(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'lasttouch.js'), ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ status: code ?? -1, stdout, stderr });
    });
  });
}

/** A query through the CLI process, its JSON output parsed. */
export function cliQuery(db: string, sql: string): unknown {
  const result = cli(['--db', db, 'query', sql, '--format', 'json']);
  if (result.status !== 0) throw new Error(`query failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** Every row of every public mart for one client, through the CLI. */
export function cliMartsOf(db: string, clientId: string): unknown[] {
  return MARTS.map((mart) => cliQuery(db, `SELECT * FROM ${mart} WHERE client_id = '${clientId}' ORDER BY ALL`));
}

/** Asserts the revenue identity of docs/attribution.md section 6 on every revenue_summary row; returns the rows. */
export async function revenueIdentityViolations(warehouse: TestWarehouse): Promise<Row[]> {
  return warehouse.query(`
    SELECT * FROM marts.revenue_summary
    WHERE platform_revenue <> last_touch_revenue + double_attribution_removed + view_only_excluded_revenue`);
}
