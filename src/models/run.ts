// Execution: carry out the build plan (plan.ts) inside one transaction, then the data tests; a failure
// anywhere rolls back, so the previous marts stay as they were. Each model run is recorded with its
// fingerprint and what it was made of (meta.model_state), and an incremental model with the state of each
// client it was built from (meta.model_client_state): an update rebuilds those clients' rows alone, or,
// when only uploads changed and the model is partitioned finer (slices.ts), the rows of those uploads or
// of the months they touch. A partitioned model writes the rows it rebuilds as a table of their own behind
// the model's view (parts.ts); any other deletes and re-inserts them.
import type { Warehouse, Row } from '../warehouse/db.js';
import { sqlList, sqlName } from '../warehouse/sql-literal.js';
import { BuildFailedError } from './errors.js';
import { type Project, type ProjectNode } from './compile.js';
import { monthsText, planBuild, type BuildPlan, type PlannedModel } from './plan.js';
import { readWarehouseState } from './state.js';
import { MonthSlices, updateMonths, updateUploads, uploadChanges, type UploadChange } from './slices.js';
import { ModelParts, PARTS_SCHEMA, dropParts, partTable, qualified, readRelations, type TableName } from './parts.js';
import { recordFailure, recordRuns, startRun, testsFingerprint, type ModelRun } from './history.js';

export interface BuildOptions {
  select?: string;
  fullRefresh?: boolean;
  onModel?: (event: ModelEvent) => void;
  /** A selected model is about to run (or be found unchanged): its place among the selected ones, from 1. */
  onStart?: (id: string, index: number, total: number) => void;
  /** Data tests failed for these clients: the build runs again holding them back. */
  onHoldBack?: (clients: readonly string[]) => void;
}

export interface ModelEvent {
  id: string;
  /** built: whole; updated: the rows of `clients` only. */
  action: 'built' | 'updated' | 'skipped' | 'unchanged';
  rows: number | null;
  milliseconds: number;
  clients?: string[];
  /** For an update by upload or by month: what of the clients was rebuilt, in words. */
  detail?: string;
}

export interface TestOutcome {
  id: string;
  file: string;
  failures: number;
  sample: Row[];
  sql: string;
}

/** A client whose rows failed a data test: its marts stay as they were at its last good build. */
export interface HeldBackClient {
  clientId: string;
  tests: TestOutcome[];
}

export interface BuildResult {
  buildId: number;
  /** Models rebuilt, whole or (updated) for some clients. */
  built: string[];
  /** Of those, the ones rebuilt for some clients only, with the clients. */
  updated: { id: string; clients: string[] }[];
  unchanged: string[];
  skipped: string[];
  tests: TestOutcome[];
  /** Clients whose data failed a data test, held back at their last good build (the build exits 1). */
  heldBack: HeldBackClient[];
}

const SAMPLE_ROWS = 5;
/** The model_client_state of a client held back: never a real state, so the next build rebuilds it. */
const HELD_BACK = 'held back';

/** The select of a whole model's rows, in the order its table keeps them. */
function orderedSelect(node: ProjectNode): string {
  // An incremental model keeps its rows in client order, so that rebuilding one client's rows rewrites
  // that client's part of the table only; one partitioned by month, in month order within the client.
  if (node.incremental === null) return node.body;
  const order = node.partition?.month == null ? node.incremental : `${node.incremental}, ${node.partition.month}`;
  return `SELECT * FROM (${node.body}) AS model ORDER BY ${order}`;
}

/**
 * The statement that builds one model or seed (the bench runs these bare, to price the runner). A seed is
 * a table of its select (its CSV read, or the rows it is generated with), rebuilt whole. A partitioned
 * model's rows are a table of the schema partitions, behind a view of the model's name (parts.ts).
 */
export function statementFor(node: ProjectNode): string {
  const target = `${node.schema}.${node.name}`;
  if (node.materialized === 'view') return `CREATE OR REPLACE VIEW ${target} AS ${node.body}`;
  if (node.partition !== null) {
    const part = qualified(partTable(node, 0, 1));
    return `CREATE SCHEMA IF NOT EXISTS ${PARTS_SCHEMA}; CREATE OR REPLACE TABLE ${part} AS ${orderedSelect(node)}; CREATE OR REPLACE VIEW ${target} AS SELECT * FROM ${part}`;
  }
  return `CREATE OR REPLACE TABLE ${target} AS ${orderedSelect(node)}`;
}

/** A data test's failing rows per client; null when they do not all name a client (a failure of the whole build). */
async function failingClients(warehouse: Warehouse, test: ProjectNode): Promise<Map<string, number> | null> {
  let rows: Row[];
  try {
    rows = await warehouse.all(`SELECT client_id, count(*) AS n FROM (${test.body}) AS failing GROUP BY client_id`);
  } catch {
    return null;
  }
  if (rows.some((row) => row.client_id === null)) return null;
  return new Map(rows.map((row) => [String(row.client_id), Number(row.n)]));
}

interface TestRun {
  outcomes: TestOutcome[];
  /** Per failing client, the tests it fails. */
  byClient: Map<string, TestOutcome[]>;
  /** Failed tests whose rows do not all name a client. */
  global: TestOutcome[];
}

/** The data test results, with each failure given to the clients whose rows fail. */
async function runTests(warehouse: Warehouse, project: Project): Promise<TestRun> {
  const run: TestRun = { outcomes: [], byClient: new Map(), global: [] };
  for (const test of project.tests) {
    let rows: Row[];
    try {
      rows = await warehouse.all(`SELECT * FROM (${test.body}) AS failing LIMIT ${SAMPLE_ROWS}`);
    } catch (error) {
      throw new BuildFailedError(`data test ${test.name} (${test.file}) could not run: ${(error as Error).message}`);
    }
    const count =
      rows.length < SAMPLE_ROWS ? rows.length : Number((await warehouse.one(`SELECT count(*) AS n FROM (${test.body}) AS failing`))?.n ?? 0);
    const outcome: TestOutcome = { id: test.id, file: test.file, failures: count, sample: rows, sql: test.body };
    run.outcomes.push(outcome);
    if (count === 0) continue;
    const clients = await failingClients(warehouse, test);
    if (clients === null) {
      run.global.push(outcome);
      continue;
    }
    for (const [client, failures] of clients) {
      const sample = rows.filter((row) => String(row.client_id) === client);
      const tests = run.byClient.get(client) ?? [];
      tests.push({ ...outcome, failures, sample });
      run.byClient.set(client, tests);
    }
  }
  return run;
}

/** Clients whose data failed a test in a build that is rolled back and run again without them. */
class ClientsFailed extends Error {
  constructor(readonly failures: ReadonlyMap<string, TestOutcome[]>) {
    super(`data tests failed for ${[...failures.keys()].join(', ')}`);
  }
}

export function describeFailures(failed: readonly TestOutcome[]): string {
  return failed
    .map((test) => {
      const sample = test.sample.map((row) => `    ${JSON.stringify(row)}`).join('\n');
      return `data test ${test.id} (${test.file}) failed: ${test.failures} failing row${test.failures === 1 ? '' : 's'}; the first ones:\n${sample}\n  reproduce with:\n    lasttouch query "${test.sql.replace(/\s+/g, ' ').replace(/"/g, '\\"')}"`;
    })
    .join('\n');
}

/**
 * Records, for an incremental model just built, the client states it was built from: the current one,
 * unless a parent's rows for that client are older than the parent's current state (a parent left out
 * by --select); then the parent's, so that the next build that brings the parent up to date rebuilds
 * this model's rows too.
 */
async function recordClients(
  warehouse: Warehouse,
  step: PlannedModel,
  current: ReadonlyMap<string, ReadonlyMap<string, string>>,
  recordedClients: Map<string, Map<string, string>>,
  held: ReadonlySet<string>,
  columns: (id: string) => Promise<ReadonlySet<string>>,
): Promise<void> {
  const { node, clientStates: clients } = step;
  if (node.incremental === null || !(await columns(node.id)).has(node.incremental)) {
    throw new BuildFailedError(`model ${node.id} (${node.file}) is declared incremental by ${node.incremental} but has no such column`);
  }
  const builtFrom = (client: string, state: string): string => {
    for (const parent of node.dependsOn) {
      const parentStates = recordedClients.get(parent);
      const parentNow = current.get(parent)?.get(client);
      if (parentStates !== undefined && parentStates.get(client) !== parentNow) return `behind ${parent}: ${parentStates.get(client) ?? 'none'}`;
    }
    return state;
  };
  // A held client keeps its rows but not its recorded state, so that the next build rebuilds it.
  const touched = step.action === 'update' ? [...step.clients, ...[...held].filter((client) => clients.has(client))] : null;
  const states = touched === null ? new Map<string, string>() : new Map(recordedClients.get(node.id) ?? []);
  if (touched === null) await warehouse.run('DELETE FROM meta.model_client_state WHERE model = $1', [node.id]);
  else {
    await warehouse.run(`DELETE FROM meta.model_client_state WHERE model = $1 AND client_id IN (${sqlList(touched)})`, [node.id]);
    for (const client of touched) states.delete(client);
  }
  for (const [client, state] of clients) {
    if (touched !== null && !touched.includes(client)) continue;
    const recorded = held.has(client) ? HELD_BACK : builtFrom(client, state);
    await warehouse.run('INSERT INTO meta.model_client_state (model, client_id, state) VALUES ($1, $2, $3)', [node.id, client, recorded]);
    states.set(client, recorded);
  }
  recordedClients.set(node.id, states);
}

/**
 * The result of a build that would rebuild nothing, or null when it would do something: every selected
 * model unchanged, and the data tests those of the last published build, which passed them (a client it
 * held back is rebuilt, so its build is never nothing). Read-only: `build` then writes nothing, so that a
 * build with nothing to do costs a plan, not a copy of the warehouse.
 */
export async function nothingToBuild(warehouse: Warehouse, project: Project, options: BuildOptions = {}): Promise<BuildResult | null> {
  if (options.fullRefresh === true) return null;
  let plan: BuildPlan;
  try {
    plan = planBuild(project, await readWarehouseState(warehouse, project), { select: options.select });
  } catch (error) {
    // A build that cannot be planned fails in the build that writes, where its failure is recorded.
    if (error instanceof BuildFailedError) return null;
    throw error;
  }
  if (plan.models.some((step) => step.action === 'build' || step.action === 'update')) return null;
  const last = await warehouse.one(
    `SELECT build_id, tests_fingerprint FROM meta.build_runs WHERE build_id IS NOT NULL ORDER BY run_id DESC LIMIT 1`,
  );
  if (last === undefined || last.tests_fingerprint !== testsFingerprint(project)) return null;
  return {
    buildId: Number(last.build_id),
    built: [],
    updated: [],
    unchanged: plan.models.filter((step) => step.action === 'unchanged').map((step) => step.node.id),
    skipped: plan.models.filter((step) => step.action === 'skip').map((step) => step.node.id),
    tests: [],
    heldBack: [],
  };
}

/**
 * Runs the build. A data test that fails for some clients' rows fails those clients only (docs/attribution.md
 * section 8): the build is rolled back and run again holding them back, so that their marts stay as they
 * were at their last good build while every other client's are published; the result names them and
 * their tests. A failure that names no client (a model that does not run, a test row without a client)
 * fails the whole build, and the previous marts stay.
 */
export async function runBuild(warehouse: Warehouse, project: Project, options: BuildOptions = {}): Promise<BuildResult> {
  const held = new Map<string, TestOutcome[]>();
  const startedAt = new Date();
  for (;;) {
    // The runs of the attempt that ends the build are the ones recorded (a rerun holding clients back
    // replaces the attempt before it).
    const runs: ModelRun[] = [];
    try {
      return await attemptBuild(warehouse, project, options, held, runs, startedAt);
    } catch (error) {
      if (!(error instanceof ClientsFailed)) {
        await recordFailure(
          warehouse,
          { startedAt, selector: options.select ?? null, fullRefresh: options.fullRefresh === true, error: (error as Error).message },
          runs,
        );
        throw error;
      }
      for (const [client, tests] of error.failures) held.set(client, tests);
      options.onHoldBack?.([...error.failures.keys()]);
    }
  }
}

async function attemptBuild(
  warehouse: Warehouse,
  project: Project,
  options: BuildOptions,
  heldBack: ReadonlyMap<string, TestOutcome[]>,
  runs: ModelRun[],
  startedAt: Date,
): Promise<BuildResult> {
  const held = new Set(heldBack.keys());
  const state = await readWarehouseState(warehouse, project);
  const plan = planBuild(project, state, { select: options.select, fullRefresh: options.fullRefresh, held });
  const current = new Map(plan.models.map((step) => [step.node.id, step.clientStates]));
  const recordedClients = new Map([...state.modelClients].map(([model, states]) => [model, new Map(states)]));
  const selectedCount = plan.models.filter((step) => step.action !== 'skip').length;

  return warehouse.transaction(async () => {
    for (const schema of new Set(project.nodes.map((node) => node.schema))) {
      await warehouse.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    }
    if (project.macros !== '') await warehouse.run(project.macros);
    const built: string[] = [];
    const updated: { id: string; clients: string[] }[] = [];
    const unchanged: string[] = [];
    const skipped: string[] = [];
    const idRow = await warehouse.one(`SELECT nextval('meta.build_id_seq') AS id`);
    const buildId = Number(idRow?.id);
    // The previous versions kept by earlier builds, by model (see keepOrDropPrevious).
    const kept = new Map(
      (await warehouse.all('SELECT model, table_name FROM meta.previous_versions')).map((row) => [String(row.model), String(row.table_name)]),
    );
    const columns = columnsOf(warehouse);
    // What each model's name is now: a table, a view, or nothing.
    const relations = await readRelations(warehouse);
    const nodes = new Map(project.nodes.map((node) => [node.id, node]));
    // Uploads that came or went for clients whose rows the month-partitioned models rebuild by month.
    const byUploads = uploadChanges(plan);
    const slices =
      byUploads.size > 0 && project.slices !== null ? await MonthSlices.begin(warehouse, project.slices, byUploads) : null;
    let position = 0;
    for (const step of plan.models) {
      const { node, exists } = step;
      const started = Date.now();
      if (step.action === 'skip') {
        skipped.push(node.id);
        options.onModel?.({ id: node.id, action: 'skipped', rows: null, milliseconds: 0 });
        continue;
      }
      position += 1;
      options.onStart?.(node.id, position, selectedCount);
      if (step.action === 'unchanged') {
        unchanged.push(node.id);
        options.onModel?.({ id: node.id, action: 'unchanged', rows: null, milliseconds: Date.now() - started });
        continue;
      }
      const run = startRun(step);
      runs.push(run);
      let detail: string | undefined;
      try {
        await keepOrDropPrevious(warehouse, step, buildId, kept);
        await makeRoom(warehouse, node, relations);
        const parts = node.partition === null ? null : await ModelParts.open(warehouse, node, buildId, relations);
        if (step.action === 'update') detail = await updateStep(warehouse, step, nodes, slices, byUploads, columns, parts);
        else if (node.incremental !== null && held.size > 0) {
          // A client held back keeps its rows of its last good build: none, when the model is new.
          if (exists) await rebuildKeeping(warehouse, node, [...held], parts);
          else await createWithout(warehouse, node, [...held], parts);
        }
        else if (parts !== null) await parts.replace(orderedSelect(node));
        else await warehouse.run(statementFor(node));
        if (node.incremental !== null) await recordClients(warehouse, step, current, recordedClients, held, columns);
      } catch (error) {
        Object.assign(run, { status: 'failed', error: (error as Error).message, finishedAt: new Date() });
        if (error instanceof BuildFailedError) throw error;
        throw new BuildFailedError(`model ${node.id} (${node.file}) failed: ${(error as Error).message}`);
      }
      const count = await warehouse.one(`SELECT count(*) AS n FROM ${node.schema}.${node.name}`);
      const rows = Number(count?.n ?? 0);
      Object.assign(run, { rows, finishedAt: new Date() });
      await warehouse.run(
        `INSERT OR REPLACE INTO meta.model_state (model, version, fingerprint, build_id, built_at, row_count, basis)
         VALUES ($1, $2, $3, $4, now(), $5, $6)`,
        [node.id, node.version, step.fingerprint, buildId, rows, JSON.stringify(step.basis)],
      );
      built.push(node.id);
      if (step.action === 'update') {
        updated.push({ id: node.id, clients: step.clients });
        options.onModel?.({ id: node.id, action: 'updated', rows, milliseconds: Date.now() - started, clients: step.clients, detail });
      } else {
        options.onModel?.({ id: node.id, action: 'built', rows, milliseconds: Date.now() - started });
      }
    }
    const tests = await runTests(warehouse, project);
    if (tests.global.length > 0) {
      throw new BuildFailedError(`${describeFailures(tests.global)}\nthe build was rolled back; the previous marts are unchanged`);
    }
    const newlyFailed = new Map([...tests.byClient].filter(([client]) => !held.has(client)));
    if (newlyFailed.size > 0) throw new ClientsFailed(newlyFailed);
    await warehouse.run(
      `INSERT INTO meta.builds (build_id, started_at, finished_at, models_run, models_skipped, tests_run, selector)
       VALUES ($1, $2::TIMESTAMPTZ, now(), $3, $4, $5, $6)`,
      [buildId, startedAt.toISOString(), built.length, skipped.length + unchanged.length, tests.outcomes.length, options.select ?? null],
    );
    await recordRuns(
      warehouse,
      {
        buildId,
        startedAt,
        status: held.size > 0 ? 'held back' : 'built',
        selector: options.select ?? null,
        fullRefresh: options.fullRefresh === true,
        testsFingerprint: testsFingerprint(project),
        error: null,
      },
      runs,
    );
    for (const [client, failures] of heldBack) {
      for (const test of failures) {
        await warehouse.run('INSERT INTO meta.build_failures (build_id, client_id, test, failing_rows) VALUES ($1, $2, $3, $4)', [
          buildId,
          client,
          test.id,
          test.failures,
        ]);
      }
    }
    const heldBackClients = [...heldBack].map(([clientId, failures]) => ({ clientId, tests: failures })).sort((a, b) =>
      a.clientId.localeCompare(b.clientId),
    );
    return { buildId, built, updated, unchanged, skipped, tests: tests.outcomes, heldBack: heldBackClients };
  });
}

/** The table that holds a model's previous version, in the schema `previous`. */
function previousTable(node: ProjectNode): string {
  return `${PREVIOUS_SCHEMA}.${node.schema}__${node.name}`;
}
export const PREVIOUS_SCHEMA = 'previous';

/**
 * Before a model runs: a model rebuilt for a change of its definition (or of one upstream) keeps its
 * output as it was, for `lasttouch diff`; any other rebuild or update drops the version kept, which no
 * longer differs from the new output by a rule change alone.
 */
async function keepOrDropPrevious(
  warehouse: Warehouse,
  step: PlannedModel,
  buildId: number,
  kept: ReadonlyMap<string, string>,
): Promise<void> {
  const table = previousTable(step.node);
  if (step.keepPrevious && step.exists) {
    await warehouse.run(`CREATE SCHEMA IF NOT EXISTS ${PREVIOUS_SCHEMA}`);
    await warehouse.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${step.node.schema}.${step.node.name}`);
    const was = await warehouse.one('SELECT fingerprint, version FROM meta.model_state WHERE model = $1', [step.node.id]);
    await warehouse.run(
      `INSERT OR REPLACE INTO meta.previous_versions (model, table_name, fingerprint, version, build_id, kept_at) VALUES ($1, $2, $3, $4, $5, now())`,
      [step.node.id, table, String(was?.fingerprint ?? ''), was?.version === null || was?.version === undefined ? null : String(was.version), buildId],
    );
    return;
  }
  const keptTable = kept.get(step.node.id);
  if (keptTable === undefined) return;
  await warehouse.run(`DROP TABLE IF EXISTS ${keptTable}`);
  await warehouse.run('DELETE FROM meta.previous_versions WHERE model = $1', [step.node.id]);
}

/** The columns of each table a build reads, looked up once. */
function columnsOf(warehouse: Warehouse): (id: string) => Promise<ReadonlySet<string>> {
  const known = new Map<string, ReadonlySet<string>>();
  return async (id) => {
    const cached = known.get(id);
    if (cached !== undefined) return cached;
    const [schema = '', name = ''] = id.split('.');
    const rows = await warehouse.all(
      `SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() AND table_schema = $1 AND table_name = $2`,
      [schema, name],
    );
    const found = new Set(rows.map((row) => String(row.column_name)));
    known.set(id, found);
    return found;
  };
}

/**
 * An update: the clients changed whole are rebuilt whole (updateClients); those whose uploads alone changed
 * are rebuilt by upload or by month when the model is partitioned so (slices.ts), else whole too. Returns
 * what was rebuilt, in words, when it was less than whole clients.
 */
async function updateStep(
  warehouse: Warehouse,
  step: PlannedModel,
  nodes: ReadonlyMap<string, ProjectNode>,
  slices: MonthSlices | null,
  byUploads: ReadonlyMap<string, UploadChange>,
  columns: (id: string) => Promise<ReadonlySet<string>>,
  parts: ModelParts | null,
): Promise<string | undefined> {
  const { node } = step;
  const partial = new Map<string, UploadChange>();
  const whole: string[] = [];
  for (const client of step.clients) {
    const change = step.changes.get(client);
    if (change === undefined || change.whole) whole.push(client);
    else if (node.partition?.upload === true) partial.set(client, change);
    else if (node.partition?.month != null && slices !== null && byUploads.has(client)) partial.set(client, change);
    else whole.push(client);
  }
  if (whole.length > 0) await updateClients(warehouse, node, whole, parts);
  if (partial.size === 0 || parts === null) return undefined;
  if (node.partition?.upload === true) {
    await updateUploads(warehouse, node, nodes, partial, columns, parts);
    return [...partial]
      .map(([client, change]) => `client ${client}: uploads ${[...change.added, ...change.gone].join(', ') || 'none'}`)
      .join('; ');
  }
  if (slices === null) return undefined;
  const months = await slices.complete();
  await updateMonths(warehouse, node, nodes, [...partial.keys()], months, columns, parts);
  return [...partial.keys()]
    .map((client) => {
      const these = months.get(client) ?? [];
      return `client ${client}: ${monthsText(these)}`;
    })
    .join('; ');
}

/**
 * Rebuilds the rows of some clients of an incremental model: deletes and re-inserts them, or, for a
 * partitioned model, writes them as a table of their own (parts.ts).
 */
async function updateClients(warehouse: Warehouse, node: ProjectNode, clients: readonly string[], parts: ModelParts | null): Promise<void> {
  const target = `${node.schema}.${node.name}`;
  const list = sqlList(clients);
  const select = `SELECT * FROM (${node.body}) AS model WHERE ${node.incremental} IN (${list})`;
  if (parts !== null) {
    await parts.write(select, { where: `t.${node.incremental} IN (${list})` });
    return;
  }
  await warehouse.run(`DELETE FROM ${target} WHERE ${node.incremental} IN (${list})`);
  await warehouse.run(`INSERT INTO ${target} BY NAME ${select}`);
}

/** The select of an incremental model's rows but the held clients', in the order its table keeps them. */
const withoutHeld = (node: ProjectNode, held: readonly string[]): string =>
  `SELECT * FROM (${orderedSelect(node)}) AS model WHERE ${node.incremental} NOT IN (${sqlList(held)})`;

/** Builds an incremental model whole without the held clients' rows; returns the table written. */
async function createWithout(warehouse: Warehouse, node: ProjectNode, held: readonly string[], parts: ModelParts | null): Promise<TableName> {
  if (parts !== null) return parts.replace(withoutHeld(node, held));
  await warehouse.run(`CREATE OR REPLACE TABLE ${node.schema}.${node.name} AS ${withoutHeld(node, held)}`);
  return { schema: node.schema, table: node.name };
}

/**
 * Rebuilds an incremental model whole but for the held clients, whose rows are kept as they were (in
 * the columns the model still has; a column it gained is NULL for them until their next good build).
 */
async function rebuildKeeping(warehouse: Warehouse, node: ProjectNode, held: readonly string[], parts: ModelParts | null): Promise<void> {
  const list = sqlList(held);
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE lt_held_rows AS SELECT * FROM ${node.schema}.${node.name} WHERE ${node.incremental} IN (${list})`,
  );
  const { schema, table } = await createWithout(warehouse, node, held, parts);
  const columns = await warehouse.all(
    `SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() AND table_schema = $1 AND table_name = $2
       AND column_name IN (SELECT column_name FROM information_schema.columns WHERE table_catalog = 'temp' AND table_name = 'lt_held_rows')`,
    [schema, table],
  );
  const names = columns.map((row) => sqlName(String(row.column_name))).join(', ');
  await warehouse.run(`INSERT INTO ${sqlName(schema)}.${sqlName(table)} BY NAME SELECT ${names} FROM lt_held_rows`);
  await warehouse.run('DROP TABLE lt_held_rows');
}

/**
 * Before a model is built: what stands at its name and is not what the model is now (a table where a
 * partitioned model keeps a view, a view where a table is built) is dropped, with the tables of a model
 * that is no longer partitioned.
 */
async function makeRoom(warehouse: Warehouse, node: ProjectNode, relations: ReadonlyMap<string, string>): Promise<void> {
  const target = `${node.schema}.${node.name}`;
  const relation = relations.get(node.id);
  const wanted = node.materialized === 'view' || node.partition !== null ? 'VIEW' : 'BASE TABLE';
  // A partitioned model kept as a plain table by an older lasttouch becomes its first part (parts.ts).
  if (relation === 'BASE TABLE' && node.partition !== null) return;
  if (relation !== undefined && relation !== wanted) await warehouse.run(`DROP ${relation === 'VIEW' ? 'VIEW' : 'TABLE'} ${target}`);
  if (node.partition === null) await dropParts(warehouse, node, relations.keys());
}
