import type { Command } from 'commander';
import { BuildFailedError } from '../models/errors.js';
import type { Project } from '../models/compile.js';
import type { BuildResult } from '../models/run.js';
import type { OpenOptions } from '../warehouse/db.js';
import { globals, print } from './common.js';
import { progressLine } from './progress.js';

/** The result as `build --json` prints it. */
export interface BuildJson {
  build_id: number;
  /** false when data tests held clients back (the build exits 1). */
  ok: boolean;
  /** Each selected model is in one of built (whole), updated (for some clients) and unchanged. */
  built: string[];
  updated: { id: string; clients: string[] }[];
  unchanged: string[];
  /** Not selected (--select). */
  skipped: string[];
  /** The published build's data tests (client null), then each held-back client's failed ones. */
  tests: { name: string; file: string; client: string | null; failures: number }[];
  held_back: string[];
}

export function buildJson(result: BuildResult): BuildJson {
  const updated = new Set(result.updated.map((model) => model.id));
  return {
    build_id: result.buildId,
    ok: result.heldBack.length === 0,
    built: result.built.filter((id) => !updated.has(id)),
    updated: result.updated.map(({ id, clients }) => ({ id, clients: [...clients] })),
    unchanged: [...result.unchanged],
    skipped: [...result.skipped],
    tests: [
      ...result.tests.map((test) => ({ name: test.id, file: test.file, client: null, failures: test.failures })),
      ...result.heldBack.flatMap((held) =>
        held.tests.map((test) => ({ name: test.id, file: test.file, client: held.clientId, failures: test.failures })),
      ),
    ],
    held_back: result.heldBack.map((held) => held.clientId),
  };
}

const JSON_HELP = `
With --json, stdout holds one JSON document and nothing else (progress and notices go to stderr):
  build_id
  ok                   false when data tests held clients back (the build then exits 1)
  built, unchanged     model ids; built: rebuilt whole
  updated              [{id, clients}]: rebuilt for the changed clients only
  skipped              model ids not selected (--select)
  tests                [{name, file, client, failures}]: every data test of the published build
                       (client null), then each failed test of each held-back client
  held_back            client ids whose marts stay as they were at their last good build
A build that fails as a whole (a model that does not run, a failure that names no client) prints
nothing on stdout: its error goes to stderr, and it exits 1.
A build with nothing to do writes nothing: build_id is the last build's, built and tests are empty.
With --dry-run --json: {"plan": [{id, action, clients, reasons}]}, action one of build (whole), update
(the rows of clients only), unchanged and skip (not selected), in the order a build runs them.`;

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('run the SQL models under sql/ in dependency order, then their data tests')
    .option('--select <spec>', 'models to run: name, +name (with ancestors), name+ (with descendants); comma-separated')
    .option('--full-refresh', 'rebuild the selected models even when their fingerprint is unchanged')
    .option('--dry-run', 'print the plan (what each model would do, and why) and build nothing')
    .option('--json', 'print the result as one JSON document on stdout (fields below), nothing else')
    .addHelpText(
      'after',
      '\nOn a terminal, the build shows on stderr which model runs ("model 3 of 17: ..."); --quiet hides it.\n' +
        JSON_HELP +
        '\n\nExamples:\n  lasttouch build\n  lasttouch build --dry-run\n  lasttouch build --select revenue_summary+ --full-refresh\n  lasttouch build --json --quiet',
    )
    .action(async (options: { select?: string; fullRefresh?: boolean; json?: boolean; dryRun?: boolean }, command: Command) => {
      const { dbPath, waitSeconds, quiet, onWait } = globals(command);
      const json = options.json === true;
      if (options.dryRun === true) {
        await printPlan(dbPath, { waitSeconds, onWait }, options, json);
        return;
      }
      const say = json ? () => undefined : print;
      const { withWriterLock } = await import('../warehouse/db.js');
      const compiling = compileWhileOpening(() => import('../models/run.js'));
      const line = progressLine(quiet);
      let result: BuildResult;
      let nothingDone = false;
      try {
        line.update('opening the warehouse');
        let last = false;
        // A build that fails is published too, its marts as they were: what it publishes is the record
        // of the failed run (meta.build_runs, meta.model_runs), which its rolled-back transaction lost.
        // With the writer lock held (so that no import is half-way), a build with nothing to do reads the
        // published warehouse and writes nothing: no copy of the file, no new build.
        const outcome = await compiling.before(withWriterLock(dbPath, { waitSeconds, onWait: compiling.waiting(onWait), signal: compiling.signal }, async (writer) => {
          const { project, modules } = await compiling.done;
          const { runBuild, nothingToBuild } = modules;
          const nothing = await writer.readPublished((warehouse) =>
            nothingToBuild(warehouse, project, { select: options.select, fullRefresh: options.fullRefresh === true }),
          );
          if (nothing !== null) return { built: nothing, failure: null, nothing: true };
          return writer.write((warehouse) =>
            runBuild(warehouse, project, {
              select: options.select,
              fullRefresh: options.fullRefresh === true,
              onStart: (id, index, total) => {
                last = index === total;
                line.update(`model ${index} of ${total}: ${id}`);
              },
              onModel: (event) => {
                if (event.action === 'built') say(`  built     ${event.id.padEnd(40)} ${String(event.rows).padStart(9)} rows  ${event.milliseconds} ms`);
                else if (event.action === 'updated') {
                  const clients = event.clients ?? [];
                  say(
                    `  updated   ${event.id.padEnd(40)} ${String(event.rows).padStart(9)} rows  ${event.milliseconds} ms  (${event.detail ?? `client${clients.length === 1 ? '' : 's'} ${clients.join(', ')}`})`,
                  );
                }
                else if (event.action === 'unchanged') say(`  unchanged ${event.id}`);
                if (last && event.action !== 'skipped') line.update('running the data tests');
              },
              onHoldBack: (clients) => {
                say(
                  `  data tests failed for client${clients.length === 1 ? '' : 's'} ${clients.join(', ')}: building again, keeping ${clients.length === 1 ? 'its' : 'their'} marts as they were`,
                );
                line.update(`building again without client${clients.length === 1 ? '' : 's'} ${clients.join(', ')}`);
              },
            }).then(
              (built) => ({ built, failure: null, nothing: false }),
              (error: unknown) => {
                if (error instanceof BuildFailedError) return { built: null, failure: error, nothing: false };
                throw error;
              },
            ),
          );
        }));
        if (outcome.failure !== null) throw outcome.failure;
        result = outcome.built;
        nothingDone = outcome.nothing;
      } finally {
        line.finish();
      }
      if (json) print(JSON.stringify(buildJson(result)));
      else if (nothingDone) {
        print(
          `nothing to build: ${result.unchanged.length} model${result.unchanged.length === 1 ? '' : 's'} unchanged since build ${result.buildId}` +
            `${result.skipped.length > 0 ? `, ${result.skipped.length} not selected` : ''}, and the data tests are the ones it passed; nothing written`,
        );
      } else {
        const passed = result.tests.filter((test) => test.failures === 0).length;
        print(
          `build ${result.buildId}: ${result.built.length} model${result.built.length === 1 ? '' : 's'} built` +
            (result.updated.length > 0 ? ` (${result.updated.length} for the changed clients only)` : '') +
            `, ${result.unchanged.length} unchanged, ${result.skipped.length} not selected; data tests: ${passed} of ${result.tests.length} passed`,
        );
        const { describeFailures } = (await compiling.done).modules;
        for (const client of result.heldBack) print(`client ${client.clientId}:\n${describeFailures(client.tests)}`);
      }
      if (result.heldBack.length > 0) {
        const names = result.heldBack.map((client) => client.clientId).join(', ');
        throw new BuildFailedError(
          `data tests failed for client${result.heldBack.length === 1 ? '' : 's'} ${names}: ` +
            `${result.heldBack.length === 1 ? 'its' : 'their'} marts stay as they were at ${result.heldBack.length === 1 ? 'its' : 'their'} last good build; ` +
            `every other client's marts are published`,
        );
      }
    });
}

/** build --dry-run: the plan from the published warehouse, read-only; nothing is built or written. */
async function printPlan(
  dbPath: string,
  open: { waitSeconds: number; onWait: OpenOptions['onWait'] },
  options: { select?: string; fullRefresh?: boolean },
  json: boolean,
): Promise<void> {
  const { withWarehouse } = await import('../warehouse/db.js');
  const compiling = compileWhileOpening(async () => {
    const [{ planBuild, describePlan }, { readWarehouseState }] = await Promise.all([import('../models/plan.js'), import('../models/state.js')]);
    return { planBuild, describePlan, readWarehouseState };
  });
  const { plan, describePlan } = await compiling.before(withWarehouse(
    dbPath,
    { readOnly: true, currentSchema: true, waitSeconds: open.waitSeconds, onWait: compiling.waiting(open.onWait), signal: compiling.signal },
    async (warehouse) => {
      const { project, modules } = await compiling.done;
      const { planBuild } = modules;
      const state = await modules.readWarehouseState(warehouse, project);
      const planOptions = { select: options.select, fullRefresh: options.fullRefresh === true };
      const first = planBuild(project, state, planOptions);
      // Where uploads alone changed, the months the build would rebuild, worked out from the uploads'
      // rows as the models would stage them (temporary relations; the warehouse is open read-only).
      if (!first.models.some((model) => model.action === 'update')) return { plan: first, describePlan: modules.describePlan };
      const { uploadChanges, previewMonths } = await import('../models/slices.js');
      const changes = uploadChanges(first);
      const months = changes.size === 0 ? null : await previewMonths(warehouse, project, changes);
      const plan = months === null ? first : planBuild(project, state, { ...planOptions, months });
      return { plan, describePlan: modules.describePlan };
    },
  ));
  if (json) {
    print(
      JSON.stringify({
        plan: plan.models.map((model) => ({ id: model.node.id, action: model.action, clients: model.clients, reasons: model.reasons })),
      }),
    );
  } else print(describePlan(plan));
}

/**
 * The project compiled, with the modules that run it, while the caller opens the warehouse: DuckDB opens a
 * file on a thread of its own, so that the compile costs no time of its own. Call it just before the open,
 * pass signal to it (a project that does not compile stops the wait for a lock) and its onWait through
 * waiting() (the wait is told once the project compiled, so that a project that does not compile gives its
 * problems alone), await done inside, and wrap the open in before(): when both fail (no warehouse, and
 * models that do not compile), the models' problems are the error told, as they were when the compile
 * came first.
 */
function compileWhileOpening<M>(load: () => Promise<M>): {
  done: Promise<{ project: Project; modules: M }>;
  signal: AbortSignal;
  waiting(onWait: OpenOptions['onWait']): OpenOptions['onWait'];
  before<T>(opening: Promise<T>): Promise<T>;
} {
  const stop = new AbortController();
  const done = (async () => {
    const [{ compileProject }, { projectRoot }, modules] = await Promise.all([import('../models/compile.js'), import('../project.js'), load()]);
    return { project: compileProject(projectRoot()), modules };
  })();
  done.catch((error: unknown) => stop.abort(error));
  return {
    done,
    signal: stop.signal,
    waiting: (onWait) =>
      onWait === undefined
        ? undefined
        : (holder, waitSeconds) => {
            done.then(
              () => onWait(holder, waitSeconds),
              () => undefined,
            );
          },
    before: <T,>(opening: Promise<T>): Promise<T> =>
      opening.catch(async (error: unknown) => {
        await done;
        throw error;
      }),
  };
}
