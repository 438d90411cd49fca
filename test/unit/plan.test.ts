// The build plan as a value: what each model does and why, from the project, the recorded state and the
// options, with no database. A small project of five models stands for the real one; the real project's
// compile is used where a comment or a layout change must leave every fingerprint as it was.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject, type Project, type ProjectNode } from '../../src/models/compile.js';
import { definitionHash, normalizeSql } from '../../src/models/fingerprint.js';
import { clientChange, describePlan, planBuild, type BuildPlan, type WarehouseState } from '../../src/models/plan.js';
import { BuildFailedError } from '../../src/models/errors.js';
import { ROOT, tempDir } from '../helpers.js';

function model(id: string, body: string, dependsOn: string[], sources: string[], incremental: string | null = 'client_id'): ProjectNode {
  const [schema = '', name = ''] = id.split('.');
  return {
    kind: 'model',
    id,
    schema,
    name,
    file: `sql/${schema}/${name}.sql`,
    body,
    description: name,
    materialized: 'table',
    version: '1',
    incremental,
    partition: null,
    key: null,
    dependsOn,
    sources,
    definition: definitionHash({ body, materialized: 'table', incremental, macros: '' }),
  };
}

/** staging reads the two raw tables and the settings; dedup and marts read staging. */
function project(bodies: Partial<Record<string, string>> = {}): Project {
  const body = (id: string): string => bodies[id] ?? `SELECT * FROM ${id}_input`;
  const nodes = [
    model('staging.stg_clients', body('staging.stg_clients'), [], ['meta.clients']),
    model('staging.stg_claims', body('staging.stg_claims'), ['staging.stg_clients'], ['raw.claim_rows']),
    model('staging.stg_orders', body('staging.stg_orders'), ['staging.stg_clients'], ['raw.shopify_order_lines']),
    model('dedup.dedup_claims', body('dedup.dedup_claims'), ['staging.stg_claims'], []),
    model('marts.summary', body('marts.summary'), ['dedup.dedup_claims', 'staging.stg_orders'], []),
  ];
  return { root: '/nowhere', nodes, tests: [], macros: '', slices: null };
}

type Sources = Record<string, string>;

function emptyState(clients: Record<string, Sources>): WarehouseState {
  return {
    sources: new Map(),
    clients: new Map(Object.entries(clients).map(([client, sources]) => [client, new Map(Object.entries(sources))])),
    models: new Map(),
    modelClients: new Map(),
    tables: new Set(),
  };
}

/** The state a build that carried the plan out leaves behind (what run.ts records), with new sources. */
function after(plan: BuildPlan, state: WarehouseState, clients: Record<string, Sources> = {}): WarehouseState {
  const models = new Map(state.models);
  const modelClients = new Map(state.modelClients);
  const tables = new Set(state.tables);
  for (const step of plan.models) {
    if (step.action === 'skip' || step.action === 'unchanged') continue;
    models.set(step.node.id, { fingerprint: step.fingerprint, basis: step.basis });
    modelClients.set(step.node.id, new Map(step.clientStates));
    tables.add(step.node.id);
  }
  const next = emptyState(clients);
  return { ...next, sources: state.sources, clients: Object.keys(clients).length > 0 ? next.clients : state.clients, models, modelClients, tables };
}

const actions = (plan: BuildPlan): Record<string, string> =>
  Object.fromEntries(plan.models.map((step) => [step.node.id, step.action === 'update' ? `update ${step.clients.join(',')}` : step.action]));

const CLIENTS = {
  acme: { 'meta.clients': '1:set 1', 'raw.claim_rows': '2:000000000002', 'raw.shopify_order_lines': '1:000000000001' },
  bolt: { 'meta.clients': '1:set 2', 'raw.claim_rows': '1:000000000004', 'raw.shopify_order_lines': '1:000000000003' },
};

describe('planBuild', () => {
  it('builds every model of a warehouse never built, saying so', () => {
    const plan = planBuild(project(), emptyState(CLIENTS));
    expect(new Set(plan.models.map((step) => step.action))).toEqual(new Set(['build']));
    expect(plan.models.every((step) => step.reasons.join() === 'not built yet')).toBe(true);
  });

  it('leaves every model unchanged when nothing moved since the last build', () => {
    const state = emptyState(CLIENTS);
    const plan = planBuild(project(), after(planBuild(project(), state), state));
    expect(Object.values(actions(plan))).toEqual(Array(5).fill('unchanged'));
    expect(describePlan(plan)).toContain('plan: 0 to build, 0 to update for some clients, 5 unchanged, 0 not selected');
  });

  it("updates only the changed client's rows, and only in the models downstream of the source that moved", () => {
    const state = emptyState(CLIENTS);
    const built = after(planBuild(project(), state), state, {
      ...CLIENTS,
      acme: { ...CLIENTS.acme, 'raw.shopify_order_lines': '2:000000000005' },
    });
    const plan = planBuild(project(), built);
    expect(actions(plan)).toEqual({
      'staging.stg_clients': 'unchanged',
      'staging.stg_claims': 'unchanged',
      'staging.stg_orders': 'update acme',
      'dedup.dedup_claims': 'unchanged',
      'marts.summary': 'update acme',
    });
    const orders = plan.models.find((step) => step.node.id === 'staging.stg_orders');
    expect(orders?.reasons).toEqual(['client acme: raw.shopify_order_lines changed']);
  });

  it('rebuilds a model whole when every client changed, and names new and gone clients', () => {
    const state = emptyState(CLIENTS);
    const everyone = after(planBuild(project(), state), state, {
      acme: { ...CLIENTS.acme, 'meta.clients': '1:set 9' },
      bolt: { ...CLIENTS.bolt, 'meta.clients': '1:set 9' },
    });
    expect(actions(planBuild(project(), everyone))['staging.stg_clients']).toBe('build');
    const swapped = after(planBuild(project(), state), state, { acme: CLIENTS.acme, cole: CLIENTS.bolt });
    const plan = planBuild(project(), swapped);
    expect(actions(plan)['staging.stg_clients']).toBe('update bolt,cole');
    expect(plan.models[0]?.reasons).toEqual(['client bolt is gone', 'client cole is new']);
  });

  it('rebuilds a model whose SQL changed and every model after it, and nothing else', () => {
    const state = emptyState(CLIENTS);
    const built = after(planBuild(project(), state), state);
    const plan = planBuild(project({ 'staging.stg_claims': 'SELECT *, 1 AS flag FROM staging.stg_claims_input' }), built);
    expect(actions(plan)).toEqual({
      'staging.stg_clients': 'unchanged',
      'staging.stg_claims': 'build',
      'staging.stg_orders': 'unchanged',
      'dedup.dedup_claims': 'build',
      'marts.summary': 'build',
    });
    expect(plan.models[1]?.reasons).toEqual(['its SQL or materialisation changed']);
    expect(plan.models[3]?.reasons).toEqual(['staging.stg_claims changed']);
  });

  it('rebuilds a model rebuilt whole (not incremental) when a source it reads moves', () => {
    const whole = (): Project => ({
      ...project(),
      nodes: [model('staging.stg_clients', 'SELECT * FROM meta.clients', [], ['meta.clients'], null)],
    });
    const state = { ...emptyState(CLIENTS), sources: new Map([['meta.clients', '2:set 2']]) };
    const built = after(planBuild(whole(), state), state);
    expect(actions(planBuild(whole(), built))['staging.stg_clients']).toBe('unchanged');
    const moved = { ...built, sources: new Map([['meta.clients', '3:set 3']]) };
    const plan = planBuild(whole(), moved);
    expect(plan.models[0]?.action).toBe('build');
    expect(plan.models[0]?.reasons).toEqual(['meta.clients changed']);
  });

  it('rebuilds the selected models on --full-refresh and skips the rest', () => {
    const state = emptyState(CLIENTS);
    const built = after(planBuild(project(), state), state);
    const plan = planBuild(project(), built, { select: 'dedup_claims+', fullRefresh: true });
    expect(actions(plan)).toEqual({
      'staging.stg_clients': 'skip',
      'staging.stg_claims': 'skip',
      'staging.stg_orders': 'skip',
      'dedup.dedup_claims': 'build',
      'marts.summary': 'build',
    });
  });

  it('refuses to leave out a model that was never built', () => {
    expect(() => planBuild(project(), emptyState(CLIENTS), { select: 'marts.summary' })).toThrow(BuildFailedError);
  });

  it('never rebuilds the rows of a client held back', () => {
    const state = emptyState(CLIENTS);
    const built = after(planBuild(project(), state), state, {
      acme: { ...CLIENTS.acme, 'raw.claim_rows': '3:000000000009' },
      bolt: { ...CLIENTS.bolt, 'raw.claim_rows': '2:000000000010' },
    });
    const plan = planBuild(project(), built, { held: new Set(['bolt']) });
    expect(actions(plan)['staging.stg_claims']).toBe('update acme');
    expect(describePlan(plan)).toContain('held back: bolt');
  });
});

describe('fingerprints of meaning', () => {
  it('normalises comments and whitespace, but not what a literal holds', () => {
    expect(normalizeSql("SELECT a,  -- the key\n  b /* two\nlines */ FROM t WHERE c = 'x  -- y'")).toBe("SELECT a, b FROM t WHERE c = 'x  -- y'");
    expect(normalizeSql('SELECT "a  b", \'it\'\'s\'\n')).toBe('SELECT "a  b", \'it\'\'s\'');
    expect(normalizeSql("SELECT 'a b'")).not.toBe(normalizeSql("SELECT 'a  b'"));
  });

  it('keeps a lone - or / inside a word, and reads to the end what is not closed', () => {
    expect(normalizeSql('SELECT a-b, c/d,\te - f FROM t--x\n')).toBe('SELECT a-b, c/d, e - f FROM t');
    expect(normalizeSql('SELECT a/*x*/b')).toBe('SELECT a b');
    expect(normalizeSql("SELECT 'open  to the end")).toBe("SELECT 'open  to the end");
    expect(normalizeSql('SELECT "a""  b"  , 1 /* not closed')).toBe('SELECT "a""  b" , 1');
    expect(normalizeSql('  \n-- only a comment\n')).toBe('');
  });

  it('hashes the macros by their meaning: a change to them changes every model, a comment in them none', () => {
    const base = { body: 'SELECT 1', materialized: 'table' as const, incremental: null };
    const one = definitionHash({ ...base, macros: 'CREATE MACRO m() AS 1' });
    expect(definitionHash({ ...base, macros: 'CREATE MACRO m() AS 2' })).not.toBe(one);
    expect(definitionHash({ ...base, macros: 'CREATE MACRO m()   AS 1 -- one' })).toBe(one);
    expect(definitionHash({ ...base, macros: '' })).not.toBe(one);
  });

  it('changes with the materialisation and the incremental key', () => {
    const base = { body: 'SELECT 1', materialized: 'table' as const, incremental: null, macros: '' };
    expect(definitionHash({ ...base, materialized: 'view' })).not.toBe(definitionHash(base));
    expect(definitionHash({ ...base, incremental: 'client_id' })).not.toBe(definitionHash(base));
    expect(definitionHash({ ...base, body: 'SELECT  1 -- one' })).toBe(definitionHash(base));
  });

  it("leaves the real project's fingerprints as they are when a model's comments, description and version change", () => {
    const root = tempDir('lasttouch-plan-');
    for (const part of ['sql', 'seeds']) cpSync(join(ROOT, part), join(root, part), { recursive: true });
    const before = compileProject(root);
    const file = join(root, 'sql', 'dedup', 'dedup_claims.sql');
    const text = readFileSync(file, 'utf8')
      .replace(/^-- One claim[^\n]*/m, '-- Exactly one claim per client, platform and order.')
      .replace(/^-- version: \d+/m, '-- version: 99')
      .replace('SELECT\n', '-- the winners\nSELECT   \n\n');
    expect(text).not.toBe(readFileSync(file, 'utf8'));
    writeFileSync(file, text);
    const edited = compileProject(root);
    const state = emptyState(CLIENTS);
    const built = after(planBuild(before, state), state);
    expect(new Set(planBuild(edited, built).models.map((step) => step.action))).toEqual(new Set(['unchanged']));
    writeFileSync(file, text.replace('platform_rows', 'rows_of_platform'));
    const changed = planBuild(compileProject(root), built).models.filter((step) => step.action === 'build').map((step) => step.node.id);
    expect(changed[0]).toBe('dedup.dedup_claims');
    expect(changed).toContain('marts.revenue_summary');
    expect(changed).not.toContain('dedup.dedup_claim_rows');
  });
});

describe('partitions: upload changes rebuild uploads and months, anything else whole clients', () => {
  // Client states as state.ts gives them: per source, the ids of the uploads read and the other parts.
  const state = (uploads: string, settings = 'settings 1:t1'): string =>
    `meta.clients=${settings};raw.claim_rows=uploads ${uploads}, removals 0:`;

  it('tells the uploads that came and went when only uploads and removals moved', () => {
    expect(clientChange(state('1,2,3'), state('1,3,4,5'))).toEqual({ whole: false, added: [4, 5], gone: [2] });
    expect(clientChange(state('1,2'), state('1,2').replace('removals 0:', 'removals 2:t9'))).toEqual({
      whole: false,
      added: [],
      gone: [],
    });
  });

  it('rebuilds a client whole for a settings change, a new or gone client, or a state recorded as counts', () => {
    expect(clientChange(state('1,2'), state('1,2,3', 'settings 1:t2'))).toEqual({ whole: true });
    expect(clientChange(undefined, state('1'))).toEqual({ whole: true });
    expect(clientChange(state('1'), undefined)).toEqual({ whole: true });
    expect(clientChange('meta.clients=settings 1:t1;raw.claim_rows=uploads 2:000000000002', state('1,2'))).toEqual({ whole: true });
    expect(clientChange(`behind staging.stg_claims: none`, state('1,2'))).toEqual({ whole: true });
  });

  it("updates a partitioned model of a one-client warehouse for the new uploads, and builds an unpartitioned one whole", () => {
    const partitioned = project();
    const claims = partitioned.nodes.find((node) => node.id === 'staging.stg_claims');
    if (claims === undefined) throw new Error('no staging.stg_claims');
    claims.partition = { upload: true, month: 'order_date' };
    const summary = partitioned.nodes.find((node) => node.id === 'marts.summary');
    if (summary === undefined) throw new Error('no marts.summary');
    summary.partition = { upload: false, month: 'month' };
    // The queries that find the months; the plan only asks whether the project has them.
    const withSlices: Project = { ...partitioned, slices: { uploadMonths: 'SELECT 1', orderLinks: 'SELECT 1' } };
    const one = (uploads: string): Record<string, Sources> => ({
      acme: { 'meta.clients': 'settings 1:t1', 'raw.claim_rows': `uploads ${uploads}`, 'raw.shopify_order_lines': 'uploads 1' },
    });
    const first = emptyState(one('2'));
    const built = after(planBuild(withSlices, first), first, one('2,3'));
    const plan = planBuild(withSlices, built);
    const step = plan.models.find((model) => model.node.id === 'staging.stg_claims');
    expect(step?.action).toBe('update');
    expect(step?.changes.get('acme')).toEqual({ whole: false, added: [3], gone: [] });
    expect(step?.reasons).toEqual(['client acme: upload 3 new']);
    // dedup_claims reads stg_claims but is not partitioned: its one client changed, so it is rebuilt whole.
    expect(actions(plan)['dedup.dedup_claims']).toBe('build');
    // A model partitioned by month alone is updated for the months the new upload touches.
    expect(actions(plan)['marts.summary']).toBe('update acme');
    expect(plan.models.find((model) => model.node.id === 'marts.summary')?.reasons).toEqual(['client acme: upload 3 new, the months they touch']);
    // With the months worked out beforehand (as build --dry-run does), the plan names them.
    const told = planBuild(withSlices, built, { months: new Map([['acme', ['2026-08-01', '2026-09-01']]]) });
    expect(told.models.find((model) => model.node.id === 'marts.summary')?.reasons).toEqual(['client acme: upload 3 new, months 2026-08, 2026-09']);
    expect(told.models.find((model) => model.node.id === 'staging.stg_claims')?.reasons).toEqual(['client acme: upload 3 new']);
    expect(describePlan(plan)).toContain('update    staging.stg_claims (client acme): client acme: upload 3 new');
  });

  it('rebuilds a month-partitioned model by client in a build of some models, or in a project that cannot find months', () => {
    const partitioned = project();
    for (const node of partitioned.nodes) {
      if (node.id === 'staging.stg_claims') node.partition = { upload: true, month: 'order_date' };
      if (node.id === 'marts.summary') node.partition = { upload: false, month: 'month' };
    }
    const withSlices: Project = { ...partitioned, slices: { uploadMonths: 'SELECT 1', orderLinks: 'SELECT 1' } };
    const clients = (uploads: string): Record<string, Sources> => ({
      acme: { 'meta.clients': 'settings 1:t1', 'raw.claim_rows': `uploads ${uploads}`, 'raw.shopify_order_lines': 'uploads 1' },
      bolt: { 'meta.clients': 'settings 1:t2', 'raw.claim_rows': 'uploads 9', 'raw.shopify_order_lines': 'uploads 8' },
    });
    const first = emptyState(clients('2'));
    const built = after(planBuild(withSlices, first), first, clients('2,3'));
    const summaryOf = (plan: BuildPlan) => plan.models.find((model) => model.node.id === 'marts.summary');
    const claimsOf = (plan: BuildPlan) => plan.models.find((model) => model.node.id === 'staging.stg_claims');
    const cases: [BuildPlan, string][] = [
      [planBuild(withSlices, built, { select: 'marts.summary' }), 'a build of selected models does not rebuild by month'],
      [planBuild(partitioned, built), 'the project has no sql/incremental/ queries to find months'],
    ];
    for (const [plan, why] of cases) {
      expect(summaryOf(plan)?.action).toBe('update');
      expect(summaryOf(plan)?.clients).toEqual(['acme']);
      expect(summaryOf(plan)?.changes.get('acme')).toEqual({ whole: true });
      expect(summaryOf(plan)?.reasons).toEqual([`client acme: upload 3 new, the whole client (${why})`]);
    }
    // The build of every model in a project with the queries goes by month; a partition by upload
    // goes by upload either way.
    expect(summaryOf(planBuild(withSlices, built))?.changes.get('acme')).toEqual({ whole: false, added: [3], gone: [] });
    expect(claimsOf(planBuild(withSlices, built, { select: 'stg_claims+' }))?.changes.get('acme')).toEqual({ whole: false, added: [3], gone: [] });
  });
});
