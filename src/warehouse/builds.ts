// The last build, and what changed in the warehouse since: the one answer to "are the marts current?"
// that `status` prints and the monthly job acts on.
import type { Warehouse } from './db.js';

export interface LastBuild {
  buildId: number;
  finished: string;
  modelsRun: number;
  testsRun: number;
  /** What changed since, in words (empty when the marts are current with the uploads and settings). */
  changedSince: string[];
}

export async function lastBuild(warehouse: Warehouse): Promise<LastBuild | null> {
  const build = await warehouse.one(
    `SELECT build_id, strftime(finished_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC') AS finished, models_run, tests_run,
            (SELECT count(*) FROM meta.uploads u WHERE u.imported_at > b.finished_at) AS newer_uploads,
            (SELECT count(*) FROM meta.clients c WHERE c.updated_at > b.finished_at) AS changed_clients,
            (SELECT count(*) FROM meta.upload_removals r WHERE greatest(r.removed_at, coalesce(r.restored_at, r.removed_at)) > b.finished_at)
              AS changed_removals
     FROM meta.builds b ORDER BY build_id DESC LIMIT 1`,
  );
  if (!build) return null;
  const changedSince = [
    Number(build.newer_uploads) > 0 ? `${build.newer_uploads} upload(s) imported` : null,
    Number(build.changed_clients) > 0 ? `settings of ${build.changed_clients} client(s) changed` : null,
    Number(build.changed_removals) > 0 ? `${build.changed_removals} upload(s) removed or restored` : null,
  ].filter((part) => part !== null);
  return {
    buildId: Number(build.build_id),
    finished: String(build.finished),
    modelsRun: Number(build.models_run),
    testsRun: Number(build.tests_run),
    changedSince,
  };
}

/** The clients the last build held back, with the tests they failed. */
export async function heldBackAtLastBuild(warehouse: Warehouse): Promise<Map<string, { test: string; failingRows: number }[]>> {
  const { execute, meta } = await import('./kysely.js');
  const rows = await execute(
    warehouse,
    meta
      .selectFrom('build_failures')
      .select(['client_id', 'test', 'failing_rows'])
      .where('build_id', '=', (eb) => eb.selectFrom('builds').select((inner) => inner.fn.max('build_id').as('last')))
      .orderBy('client_id')
      .orderBy('test'),
  );
  const held = new Map<string, { test: string; failingRows: number }[]>();
  for (const row of rows) {
    const list = held.get(row.client_id) ?? [];
    list.push({ test: row.test, failingRows: row.failing_rows });
    held.set(row.client_id, list);
  }
  return held;
}
