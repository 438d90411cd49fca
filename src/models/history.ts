// The record of every build a command started and every model it ran (meta.build_runs, meta.model_runs):
// published, held back or failed, with fingerprints, version labels, times, rows and errors. A failed
// build's transaction is rolled back; its record is written after, in a transaction of its own.
import type { Warehouse } from '../warehouse/db.js';
import { createHash } from 'node:crypto';
import { byText } from '../text-order.js';
import type { Project } from './compile.js';
import type { PlannedModel } from './plan.js';

export interface ModelRun {
  model: string;
  action: 'build' | 'update';
  clients: string[] | null;
  fingerprint: string;
  version: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  rows: number | null;
  status: 'built' | 'failed' | 'rolled back';
  error: string | null;
}

export interface BuildRun {
  /** The published build's id; null when it failed. */
  buildId: number | null;
  startedAt: Date;
  status: 'built' | 'held back' | 'failed';
  selector: string | null;
  fullRefresh: boolean;
  /** The hash of the data tests it ran (testsFingerprint). */
  testsFingerprint: string | null;
  error: string | null;
}

/** The data tests of a project, as one hash of their SQL. */
export function testsFingerprint(project: Project): string {
  const hash = createHash('sha256');
  for (const test of [...project.tests].sort((a, b) => byText(a.id, b.id))) hash.update(`${test.id}\n${test.definition}\n`);
  return hash.digest('hex');
}

/** A model about to run, as its run will be recorded. */
export function startRun(step: PlannedModel): ModelRun {
  return {
    model: step.node.id,
    action: step.action === 'update' ? 'update' : 'build',
    clients: step.action === 'update' ? [...step.clients] : null,
    fingerprint: step.fingerprint,
    version: step.node.version,
    startedAt: new Date(),
    finishedAt: null,
    rows: null,
    status: 'built',
    error: null,
  };
}

/** Writes the record of one build and its model runs, inside the caller's transaction; returns its run id. */
export async function recordRuns(warehouse: Warehouse, build: BuildRun, runs: readonly ModelRun[]): Promise<number> {
  // Loaded here, not with this file: `lasttouch models` reads the runs without it, and a build that has
  // nothing to do records none.
  const { executeOne, meta, run: runStatement, sql } = await import('../warehouse/kysely.js');
  const row = await executeOne(
    warehouse,
    meta
      .insertInto('build_runs')
      .values({
        build_id: build.buildId,
        started_at: build.startedAt.toISOString(),
        finished_at: sql<string>`now()`,
        status: build.status,
        selector: build.selector,
        full_refresh: build.fullRefresh,
        tests_fingerprint: build.testsFingerprint,
        error: build.error,
      })
      .returning('run_id'),
  );
  if (row === undefined) throw new Error('the record of the build was not written');
  for (const run of runs) {
    await runStatement(
      warehouse,
      meta.insertInto('model_runs').values({
        run_id: row.run_id,
        model: run.model,
        action: run.action,
        clients: run.clients,
        fingerprint: run.fingerprint,
        version: run.version,
        started_at: run.startedAt.toISOString(),
        finished_at: (run.finishedAt ?? new Date()).toISOString(),
        row_count: run.rows,
        status: run.status,
        error: run.error,
      }),
    );
  }
  return row.run_id;
}

/**
 * Records a build that failed, after its transaction was rolled back: the models it had run are rolled
 * back, the one that failed says why. A record that cannot be written leaves the build's own error as
 * the one the user sees.
 */
export async function recordFailure(
  warehouse: Warehouse,
  build: Omit<BuildRun, 'buildId' | 'status' | 'testsFingerprint'>,
  runs: readonly ModelRun[],
): Promise<void> {
  const ran = runs.map((run) => (run.status === 'failed' ? run : { ...run, status: 'rolled back' as const }));
  try {
    await warehouse.transaction(() => recordRuns(warehouse, { ...build, buildId: null, status: 'failed', testsFingerprint: null }, ran));
  } catch {
    // The failure of the build is what matters; its record is lost with this write.
  }
}

export interface LastRun {
  runId: number;
  /** When it ended, in UTC, as `2026-12-02 03:39:28 UTC`. */
  finishedAt: string;
  action: string;
  status: string;
  rows: number | null;
  error: string | null;
}

/** The last run of each model that has run, by model id. */
export async function lastRuns(warehouse: Warehouse): Promise<Map<string, LastRun>> {
  const rows = await warehouse.all(
    `SELECT model, run_id, strftime(finished_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S UTC') AS finished_at, action, status, row_count, error
     FROM meta.model_runs QUALIFY row_number() OVER (PARTITION BY model ORDER BY run_id DESC) = 1`,
  );
  return new Map(
    rows.map((row) => [
      String(row.model),
      {
        runId: Number(row.run_id),
        finishedAt: String(row.finished_at),
        action: String(row.action),
        status: String(row.status),
        rows: row.row_count === null ? null : Number(row.row_count),
        error: row.error === null ? null : String(row.error),
      },
    ]),
  );
}
