// Shared test plumbing: a real DuckDB file in a fresh temporary folder, the importer and the model runner
// called as the CLI calls them, and queries returning plain values.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Warehouse, type Row } from '../src/warehouse/db.js';
import { importFile, type ImportRequest } from '../src/ingest/upload.js';
import type { ImportSummary } from '../src/ingest/summary.js';
import { compileProject } from '../src/models/compile.js';
import { runBuild, type BuildResult } from '../src/models/run.js';
import { ensureClient, type ClientChanges } from '../src/warehouse/clients.js';

export const ROOT = resolve(import.meta.dirname, '..');

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

  import(request: Omit<ImportRequest, 'clientId'> & { clientId?: string }): Promise<ImportSummary> {
    return this.with((warehouse) => importFile(warehouse, { clientId: 'acme', ...request }));
  }

  client(clientId: string, changes: ClientChanges): Promise<unknown> {
    return this.with((warehouse) => ensureClient(warehouse, clientId, changes));
  }

  build(options: { select?: string; fullRefresh?: boolean } = {}): Promise<BuildResult> {
    const project = compileProject(ROOT);
    return this.with((warehouse) => runBuild(warehouse, project, options));
  }

  query(sql: string): Promise<Row[]> {
    return this.with((warehouse) => warehouse.all(sql));
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (bin/lasttouch.js) as a separate process. */
export function cli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'lasttouch.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Asserts the revenue identity of attribution.md section 6 on every revenue_summary row; returns the rows. */
export async function revenueIdentityViolations(warehouse: TestWarehouse): Promise<Row[]> {
  return warehouse.query(`
    SELECT * FROM marts.revenue_summary
    WHERE platform_revenue <> last_touch_revenue + double_attribution_removed + view_only_excluded_revenue`);
}
