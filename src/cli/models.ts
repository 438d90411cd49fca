// `lasttouch models`: every model and seed of the project with its layer, materialisation, version label,
// fingerprint, last run and rows, and what the next build does with it (the build plan's action).
import type { Command } from 'commander';
import { globals, print } from './common.js';

export interface ModelListing {
  id: string;
  layer: string;
  materialized: 'table' | 'view';
  incremental: string | null;
  /** Finer than the client: `upload_id`, `month(column)` or both (an update rebuilds those alone). */
  partition: string | null;
  version: string | null;
  /** The fingerprint of the model as last built (null: never built). */
  fingerprint: string | null;
  /** The last run of the model: when it finished, what it did and how it ended. */
  last_run: { run_id: number; finished_at: string; action: string; status: string; error: string | null } | null;
  rows: number | null;
  /** What `lasttouch build` would do with it now: build, update, unchanged. */
  next_build: string;
}

export function registerModels(program: Command): void {
  program
    .command('models')
    .description('list the models: layer, materialisation, version, fingerprint, last run, rows and what the next build does')
    .option('--json', 'print the list as one JSON array on stdout, nothing else')
    .addHelpText(
      'after',
      '\nWith --json, each model is {id, layer, materialized, incremental, partition, version, fingerprint, last_run:\n' +
        '{run_id, finished_at, action, status, error} or null, rows, next_build}. The runs themselves are in\n' +
        'meta.build_runs and meta.model_runs (`lasttouch query`).\n\nExamples:\n  lasttouch models\n  lasttouch models --json',
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const { dbPath, waitSeconds, onWait } = globals(command);
      const [{ compileProject, partitionText }, { planBuild }, { readWarehouseState }, { lastRuns }, { projectRoot }, { withWarehouse }] = await Promise.all([
        import('../models/compile.js'),
        import('../models/plan.js'),
        import('../models/state.js'),
        import('../models/history.js'),
        import('../project.js'),
        import('../warehouse/db.js'),
      ]);
      const { execute, meta } = await import('../warehouse/kysely.js');
      const project = compileProject(projectRoot());
      const { state, built, runs } = await withWarehouse(dbPath, { readOnly: true, currentSchema: true, waitSeconds, onWait }, async (warehouse) => ({
        state: await readWarehouseState(warehouse, project),
        built: await execute(warehouse, meta.selectFrom('model_state').select(['model', 'fingerprint', 'row_count'])),
        runs: await lastRuns(warehouse),
      }));
      const plan = planBuild(project, state);
      const builtBy = new Map(built.map((row) => [row.model, row]));
      const listing: ModelListing[] = plan.models.map(({ node, action }) => {
        const record = builtBy.get(node.id);
        const run = runs.get(node.id);
        return {
          id: node.id,
          layer: node.schema,
          materialized: node.materialized,
          incremental: node.incremental,
          partition: node.partition === null ? null : partitionText(node.partition),
          version: node.version,
          fingerprint: record?.fingerprint ?? null,
          last_run:
            run === undefined
              ? null
              : { run_id: run.runId, finished_at: run.finishedAt, action: run.action, status: run.status, error: run.error },
          rows: record?.row_count ?? null,
          next_build: action,
        };
      });
      if (options.json === true) {
        print(JSON.stringify(listing, null, 2));
        return;
      }
      const header = ['model', 'layer', 'materialized', 'version', 'fingerprint', 'last run', 'rows', 'next build'];
      const rows = listing.map((model) => [
        model.id,
        model.layer,
        `${model.materialized}${model.incremental === null ? '' : ` by ${[model.incremental, model.partition ?? ''].filter((part) => part !== '').join(', ')}`}`,
        model.version ?? '-',
        model.fingerprint?.slice(0, 12) ?? '-',
        model.last_run === null ? '-' : `${model.last_run.finished_at} ${model.last_run.action} ${model.last_run.status}`,
        model.rows === null ? '-' : String(model.rows),
        model.next_build,
      ]);
      const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)));
      const line = (row: readonly string[]): string =>
        row.map((cell, index) => (index === 6 ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0))).join('  ').trimEnd();
      print([line(header), ...rows.map(line)].join('\n'));
    });
}
