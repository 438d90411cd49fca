// Execution: run the compiled models in order inside one transaction, then the data tests; a failure
// anywhere rolls back, so the previous marts stay as they were. A model whose fingerprint (its SQL, its
// parents' fingerprints and the state of the sources it reads) is unchanged is not rebuilt.
import { createHash } from 'node:crypto';
import type { Warehouse, Row } from '../warehouse/db.js';
import { BuildFailedError } from './errors.js';
import { type Project, type ProjectNode } from './compile.js';
import { selectNodes } from './select.js';

export interface BuildOptions {
  select?: string;
  fullRefresh?: boolean;
  onModel?: (event: ModelEvent) => void;
}

export interface ModelEvent {
  id: string;
  action: 'built' | 'skipped' | 'unchanged';
  rows: number | null;
  milliseconds: number;
}

export interface TestOutcome {
  id: string;
  file: string;
  failures: number;
  sample: Row[];
  sql: string;
}

export interface BuildResult {
  buildId: number;
  built: string[];
  unchanged: string[];
  skipped: string[];
  tests: TestOutcome[];
}

const SAMPLE_ROWS = 5;

function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The state of the raw and meta tables a model reads: any import or client change alters it. */
async function sourceStates(warehouse: Warehouse, project: Project): Promise<Map<string, string>> {
  const sources = new Set(project.nodes.flatMap((node) => node.sources));
  const states = new Map<string, string>();
  const uploads = await warehouse.one(
    `SELECT count(*) AS n, coalesce(max(upload_id), 0) AS last FROM meta.uploads`,
  );
  const clients = await warehouse.one(
    `SELECT count(*) AS n, coalesce(max(updated_at)::VARCHAR, '') AS last FROM meta.clients`,
  );
  for (const source of sources) {
    const state = source === 'meta.clients' ? clients : uploads;
    states.set(source, `${state?.n ?? 0}:${state?.last ?? ''}`);
  }
  return states;
}

function fingerprints(project: Project, states: Map<string, string>): Map<string, string> {
  const result = new Map<string, string>();
  for (const node of project.nodes) {
    const hash = createHash('sha256').update(node.contentHash);
    for (const parent of node.dependsOn) hash.update(result.get(parent) ?? '');
    for (const source of node.sources) hash.update(`${source}=${states.get(source) ?? ''}`);
    result.set(node.id, hash.digest('hex'));
  }
  return result;
}

async function tableExists(warehouse: Warehouse, node: ProjectNode): Promise<boolean> {
  const row = await warehouse.one(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`,
    [node.schema, node.name],
  );
  return Number(row?.n ?? 0) > 0;
}

/** The statement that builds one model or seed (the bench runs these bare, to price the runner). */
export function statementFor(node: ProjectNode): string {
  const target = `${node.schema}.${node.name}`;
  if (node.kind === 'seed') {
    return `CREATE OR REPLACE TABLE ${target} AS SELECT * FROM read_csv(${sqlLiteral(node.body)}, header = true, auto_detect = true)`;
  }
  return node.materialized === 'view'
    ? `CREATE OR REPLACE VIEW ${target} AS ${node.body}`
    : `CREATE OR REPLACE TABLE ${target} AS ${node.body}`;
}

/** Row counts for a printed summary, and the data test results. */
async function runTests(warehouse: Warehouse, project: Project): Promise<TestOutcome[]> {
  const outcomes: TestOutcome[] = [];
  for (const test of project.tests) {
    let rows: Row[];
    try {
      rows = await warehouse.all(`SELECT * FROM (${test.body}) AS failing LIMIT ${SAMPLE_ROWS}`);
    } catch (error) {
      throw new BuildFailedError(`data test ${test.name} (${test.file}) could not run: ${(error as Error).message}`);
    }
    const count =
      rows.length < SAMPLE_ROWS ? rows.length : Number((await warehouse.one(`SELECT count(*) AS n FROM (${test.body}) AS failing`))?.n ?? 0);
    outcomes.push({ id: test.id, file: test.file, failures: count, sample: rows, sql: test.body });
  }
  return outcomes;
}

export function describeFailures(failed: readonly TestOutcome[]): string {
  return failed
    .map((test) => {
      const sample = test.sample.map((row) => `    ${JSON.stringify(row)}`).join('\n');
      return `data test ${test.id} (${test.file}) failed: ${test.failures} failing row${test.failures === 1 ? '' : 's'}; the first ones:\n${sample}\n  reproduce with:\n    lasttouch query "${test.sql.replace(/\s+/g, ' ').replace(/"/g, '\\"')}"`;
    })
    .join('\n');
}

export async function runBuild(warehouse: Warehouse, project: Project, options: BuildOptions = {}): Promise<BuildResult> {
  const selected = selectNodes(project, options.select);
  const startedAt = new Date();
  const states = await sourceStates(warehouse, project);
  const prints = fingerprints(project, states);
  const recorded = new Map(
    (await warehouse.all('SELECT model, fingerprint FROM meta.model_state')).map((row) => [String(row.model), String(row.fingerprint)]),
  );

  return warehouse.transaction(async () => {
    for (const schema of new Set(project.nodes.map((node) => node.schema))) {
      await warehouse.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    }
    const built: string[] = [];
    const unchanged: string[] = [];
    const skipped: string[] = [];
    const idRow = await warehouse.one(`SELECT nextval('meta.build_id_seq') AS id`);
    const buildId = Number(idRow?.id);
    for (const node of project.nodes) {
      const started = Date.now();
      const exists = await tableExists(warehouse, node);
      if (!selected.has(node.id)) {
        if (!exists) {
          throw new BuildFailedError(
            `${node.id} (${node.file}) has never been built and is not selected; run \`lasttouch build\` without --select first`,
          );
        }
        skipped.push(node.id);
        options.onModel?.({ id: node.id, action: 'skipped', rows: null, milliseconds: 0 });
        continue;
      }
      const fingerprint = prints.get(node.id) ?? '';
      // The fingerprint carries the parents' fingerprints, so a changed parent changes it too.
      const upToDate = !options.fullRefresh && exists && recorded.get(node.id) === fingerprint;
      if (upToDate) {
        unchanged.push(node.id);
        options.onModel?.({ id: node.id, action: 'unchanged', rows: null, milliseconds: Date.now() - started });
        continue;
      }
      try {
        await warehouse.run(statementFor(node));
      } catch (error) {
        throw new BuildFailedError(`model ${node.id} (${node.file}) failed: ${(error as Error).message}`);
      }
      const count = await warehouse.one(`SELECT count(*) AS n FROM ${node.schema}.${node.name}`);
      const rows = Number(count?.n ?? 0);
      await warehouse.run(
        `INSERT OR REPLACE INTO meta.model_state (model, version, fingerprint, build_id, built_at, row_count)
         VALUES ($1, $2, $3, $4, now(), $5)`,
        [node.id, node.version, fingerprint, buildId, rows],
      );
      built.push(node.id);
      options.onModel?.({ id: node.id, action: 'built', rows, milliseconds: Date.now() - started });
    }
    const tests = await runTests(warehouse, project);
    const failed = tests.filter((test) => test.failures > 0);
    if (failed.length > 0) throw new BuildFailedError(`${describeFailures(failed)}\nthe build was rolled back; the previous marts are unchanged`);
    await warehouse.run(
      `INSERT INTO meta.builds (build_id, started_at, finished_at, models_run, models_skipped, tests_run, selector)
       VALUES ($1, $2::TIMESTAMPTZ, now(), $3, $4, $5, $6)`,
      [buildId, startedAt.toISOString(), built.length, skipped.length + unchanged.length, tests.length, options.select ?? null],
    );
    return { buildId, built, unchanged, skipped, tests };
  });
}
