// The build plan is a value: a pure function of the compiled project, the warehouse's recorded state and
// the options says, for each model, whether a build rebuilds it whole, updates some clients' rows, leaves
// it as it is or skips it, and why. `build` carries the plan out (run.ts); `build --dry-run` prints it.
// Nothing here touches the database.
//
// A model's fingerprint is its definition (fingerprint.ts), its parents' fingerprints and, for a model
// rebuilt whole, the state of each source table it reads. A model declared `-- incremental: client_id`
// leaves the sources out and keeps instead, per client, the state of that client's rows in every source
// table upstream of it: only the clients whose state moved are rebuilt.
import { createHash } from 'node:crypto';
import { BuildFailedError } from './errors.js';
import type { Partition, Project, ProjectNode } from './compile.js';
import { selectNodes } from './select.js';

/** What a model's fingerprint was made of, recorded beside it so that the next plan can say what changed. */
export interface Basis {
  definition: string;
  /** Parent id to its fingerprint. */
  parents: Record<string, string>;
  /** Source table to its state; empty for an incremental model. */
  sources: Record<string, string>;
}

export interface RecordedModel {
  fingerprint: string;
  /** Null when the model was recorded without one (by an earlier version). */
  basis: Basis | null;
}

/** What the warehouse holds, as the plan needs it; read by run.ts (readWarehouseState). */
export interface WarehouseState {
  /** Each source table's state over the whole warehouse (any change of its rows changes it). */
  sources: ReadonlyMap<string, string>;
  /** Per client (every client with settings), each source table's state for that client's rows. */
  clients: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Models and seeds recorded by earlier builds. */
  models: ReadonlyMap<string, RecordedModel>;
  /** Per incremental model, per client, the state its rows were built from. */
  modelClients: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Ids of the models and seeds whose table or view exists. */
  tables: ReadonlySet<string>;
}

export interface PlanOptions {
  select?: string;
  fullRefresh?: boolean;
  /** Clients held back by failed data tests: their rows are never rebuilt. */
  held?: ReadonlySet<string>;
  /**
   * Per client whose uploads alone changed, the months a model partitioned by month rebuilds, when they are
   * known before the build (build --dry-run works them out: slices.ts previewMonths).
   */
  months?: ReadonlyMap<string, readonly string[]>;
}

/** build: the whole model; update: the rows of `clients` only; skip: not selected. */
export type PlanAction = 'build' | 'update' | 'unchanged' | 'skip';

/**
 * What changed for one client of an incremental model since its rows were built: the uploads that came
 * (restored ones too) and went, when nothing else did; else the whole client is rebuilt (new, gone or
 * changed settings, or rows built from a parent left behind).
 */
export type ClientChange = { whole: true } | { whole: false; added: number[]; gone: number[] };

export interface PlannedModel {
  node: ProjectNode;
  action: PlanAction;
  /** For update: the clients whose rows are rebuilt (new and gone ones included), sorted. */
  clients: string[];
  /**
   * For update, per client of `clients`: what changed. A model with a partition (compile.ts) rebuilds the
   * uploads or months of an upload change only; any other model rebuilds every changed client whole.
   */
  changes: ReadonlyMap<string, ClientChange>;
  /** Why, in words a user reads. */
  reasons: string[];
  fingerprint: string;
  basis: Basis;
  /** For an incremental model: its state per client now, which a build that runs it records. */
  clientStates: ReadonlyMap<string, string>;
  /** Whether its table or view exists before the build. */
  exists: boolean;
  /**
   * A model rebuilt because its definition or one upstream of it changed: the build keeps its previous
   * output (previous.<layer>__<name>) for `lasttouch diff`.
   */
  keepPrevious: boolean;
}

export interface BuildPlan {
  /** Every model and seed, in the order a build runs them. */
  models: PlannedModel[];
  held: string[];
}

/** The source tables read by a node and by every node upstream of it. */
function upstreamSources(project: Project): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const node of project.nodes) {
    const sources = new Set(node.sources);
    for (const parent of node.dependsOn) for (const source of result.get(parent) ?? []) sources.add(source);
    result.set(node.id, [...sources].sort());
  }
  return result;
}

function fingerprintOf(basis: Basis, incremental: boolean): string {
  const hash = createHash('sha256').update(basis.definition);
  for (const [parent, print] of Object.entries(basis.parents)) hash.update(`\n${parent}=${print}`);
  if (incremental) hash.update('\nincremental');
  else for (const [source, state] of Object.entries(basis.sources)) hash.update(`\n${source}:${state}`);
  return hash.digest('hex');
}

/** A client's state for a model: the state of its rows in each source upstream of the model. */
function clientState(sources: readonly string[], states: ReadonlyMap<string, string> | undefined): string {
  return sources.map((source) => `${source}=${states?.get(source) ?? ''}`).join(';');
}

/** A client's state for a model, source by source. */
const parseState = (state: string): Map<string, string> =>
  new Map(state.split(';').map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]));

/** The sources whose part of a client's state differs between two recorded states. */
function movedSources(before: string, now: string): string[] {
  const was = parseState(before);
  return [...parseState(now)].filter(([source, state]) => was.get(source) !== state).map(([source]) => source);
}

/**
 * A source's state in parts (state.ts): `uploads 1,2,5` (the client's uploads it follows, but those
 * removed), `removals 1:…`, `settings 1:…`.
 */
const parseParts = (state: string): Map<string, string> =>
  new Map(
    state
      .split(', ')
      .filter((part) => part !== '')
      .map((part) => [part.slice(0, part.indexOf(' ')), part.slice(part.indexOf(' ') + 1)]),
  );

/** The uploads a client's state for a model says are there, over all of its sources. */
function liveUploads(state: ReadonlyMap<string, string>): Set<number> {
  const ids = new Set<number>();
  for (const sourceState of state.values()) {
    const uploads = parseParts(sourceState).get('uploads');
    for (const id of uploads === undefined || uploads === '' ? [] : uploads.split(',')) ids.add(Number(id));
  }
  return ids;
}

/**
 * What changed for a client between the state its rows were built from and its state now: uploads only
 * (added and gone), when the only parts that moved are uploads and removals; else the whole client.
 */
export function clientChange(before: string | undefined, now: string | undefined): ClientChange {
  if (before === undefined || now === undefined) return { whole: true };
  const was = parseState(before);
  const is = parseState(now);
  if ([...was.keys()].sort().join() !== [...is.keys()].sort().join()) return { whole: true };
  for (const [source, state] of is) {
    const wasParts = parseParts(was.get(source) ?? '');
    const parts = parseParts(state);
    for (const part of new Set([...wasParts.keys(), ...parts.keys()])) {
      if (part !== 'uploads' && part !== 'removals' && wasParts.get(part) !== parts.get(part)) return { whole: true };
    }
    // A state recorded before upload ids were kept gives counts, not ids: the client is rebuilt whole.
    if (wasParts.has('uploads') && !/^[0-9,]*$/.test(wasParts.get('uploads') ?? '')) return { whole: true };
  }
  const wasLive = liveUploads(was);
  const live = liveUploads(is);
  const sorted = (ids: Iterable<number>): number[] => [...ids].sort((a, b) => a - b);
  return { whole: false, added: sorted([...live].filter((id) => !wasLive.has(id))), gone: sorted([...wasLive].filter((id) => !live.has(id))) };
}

/** In words: what made a fingerprint differ from the recorded one. */
function fingerprintChanges(basis: Basis, recorded: RecordedModel): string[] {
  if (recorded.basis === null) return ['its fingerprint changed (recorded by an earlier version, without its parts)'];
  const was = recorded.basis;
  const reasons: string[] = [];
  if (was.definition !== basis.definition) reasons.push('its SQL or materialisation changed');
  const parents = new Set([...Object.keys(was.parents), ...Object.keys(basis.parents)]);
  for (const parent of [...parents].sort()) {
    if (!(parent in basis.parents)) reasons.push(`it no longer reads ${parent}`);
    else if (!(parent in was.parents)) reasons.push(`it now reads ${parent}`);
    else if (was.parents[parent] !== basis.parents[parent]) reasons.push(`${parent} changed`);
  }
  const sources = new Set([...Object.keys(was.sources), ...Object.keys(basis.sources)]);
  for (const source of [...sources].sort()) if (was.sources[source] !== basis.sources[source]) reasons.push(`${source} changed`);
  return reasons.length > 0 ? reasons : ['its fingerprint changed'];
}

/** Months (YYYY-MM-01) in words: `months 2026-08, 2026-09`. */
export function monthsText(months: readonly string[]): string {
  return months.length === 0 ? 'no months' : `month${months.length === 1 ? '' : 's'} ${months.map((month) => month.slice(0, 7)).join(', ')}`;
}

function clientReason(
  client: string,
  before: string | undefined,
  now: string | undefined,
  partition: Partition | null,
  notByMonth: string | null,
  months: readonly string[] | undefined,
): string {
  if (before === undefined) return `client ${client} is new`;
  if (now === undefined) return `client ${client} is gone`;
  const change = clientChange(before, now);
  if (partition !== null && !change.whole) {
    const parts = [
      change.added.length > 0 ? `upload${change.added.length === 1 ? '' : 's'} ${change.added.join(', ')} new` : '',
      change.gone.length > 0 ? `upload${change.gone.length === 1 ? '' : 's'} ${change.gone.join(', ')} gone` : '',
    ].filter((part) => part !== '');
    if (parts.length === 0) return `client ${client}: a removal undone`;
    // A model partitioned by month alone rebuilds the months those uploads touch, which the build finds
    // once it has staged them (slices.ts), and a dry run by previewing them.
    if (partition.upload) return `client ${client}: ${parts.join(', ')}`;
    if (notByMonth !== null) return `client ${client}: ${parts.join(', ')}, the whole client (${notByMonth})`;
    return `client ${client}: ${parts.join(', ')}, ${months === undefined ? 'the months they touch' : monthsText(months)}`;
  }
  const moved = movedSources(before, now);
  return moved.length > 0 && moved.length < now.split(';').length
    ? `client ${client}: ${moved.join(', ')} changed`
    : `client ${client} changed`;
}

/**
 * The plan of a build. Throws BuildFailedError when a model left out by --select has never been built
 * (its children would read nothing).
 */
export function planBuild(project: Project, state: WarehouseState, options: PlanOptions = {}): BuildPlan {
  const selected = selectNodes(project, options.select);
  const held = options.held ?? new Set<string>();
  const upstream = upstreamSources(project);
  // Why a month-partitioned model is rebuilt by client, or null when it goes by month. The months are found
  // from the rows staged in this build, which a build of some models may leave as they were, by the
  // project's queries under sql/incremental/.
  const notByMonth =
    options.select !== undefined
      ? 'a build of selected models does not rebuild by month'
      : project.slices === null
        ? 'the project has no sql/incremental/ queries to find months'
        : null;
  const prints = new Map<string, string>();
  const models: PlannedModel[] = [];
  for (const node of project.nodes) {
    const incremental = node.incremental !== null;
    const basis: Basis = {
      definition: node.definition,
      parents: Object.fromEntries(node.dependsOn.map((parent) => [parent, prints.get(parent) ?? ''])),
      sources: incremental ? {} : Object.fromEntries(node.sources.map((source) => [source, state.sources.get(source) ?? ''])),
    };
    const fingerprint = fingerprintOf(basis, incremental);
    prints.set(node.id, fingerprint);
    const sources = upstream.get(node.id) ?? [];
    const clientStates = new Map<string, string>(
      incremental ? [...state.clients].map(([client, states]) => [client, clientState(sources, states)]) : [],
    );
    const exists = state.tables.has(node.id);
    const planned = (
      action: PlanAction,
      reasons: string[],
      clients: string[] = [],
      keepPrevious = false,
      changes: ReadonlyMap<string, ClientChange> = new Map(),
    ): PlannedModel => ({
      node,
      action,
      clients,
      changes,
      reasons,
      fingerprint,
      basis,
      clientStates,
      exists,
      keepPrevious,
    });
    if (!selected.has(node.id)) {
      if (!exists) {
        throw new BuildFailedError(
          `${node.id} (${node.file}) has never been built and is not selected; run \`lasttouch build\` without --select first`,
        );
      }
      models.push(planned('skip', ['not selected']));
      continue;
    }
    const recorded = state.models.get(node.id);
    if (!exists || recorded === undefined) {
      models.push(planned('build', ['not built yet']));
      continue;
    }
    if (options.fullRefresh === true) {
      models.push(planned('build', ['--full-refresh']));
      continue;
    }
    if (recorded.fingerprint !== fingerprint) {
      models.push(planned('build', fingerprintChanges(basis, recorded), [], node.kind === 'model'));
      continue;
    }
    if (!incremental) {
      models.push(planned('unchanged', []));
      continue;
    }
    const builtFrom = state.modelClients.get(node.id) ?? new Map<string, string>();
    const changed = [...new Set([...clientStates.keys(), ...builtFrom.keys()])]
      .filter((client) => clientStates.get(client) !== builtFrom.get(client) && !held.has(client))
      .sort();
    const reasons = changed.map((client) =>
      clientReason(client, builtFrom.get(client), clientStates.get(client), node.partition, notByMonth, options.months?.get(client)),
    );
    // By upload, or by month where the build finds months; else the client is rebuilt whole.
    const partial = node.partition !== null && (node.partition.upload || notByMonth === null);
    const changes = new Map(
      changed.map((client): [string, ClientChange] => [
        client,
        partial ? clientChange(builtFrom.get(client), clientStates.get(client)) : { whole: true },
      ]),
    );
    if (changed.length === 0) models.push(planned('unchanged', []));
    else if (
      held.size === 0 &&
      [...clientStates.keys()].every((client) => changed.includes(client)) &&
      [...changes.values()].every((change) => change.whole)
    ) {
      models.push(planned('build', [`every client changed`, ...reasons]));
    } else models.push(planned('update', reasons, changed, false, changes));
  }
  return { models, held: [...held].sort() };
}

/** The plan as `build --dry-run` prints it: one line per model, the reasons after it. */
export function describePlan(plan: BuildPlan): string {
  const lines = plan.models.map((model) => {
    const clients = model.action === 'update' ? ` (client${model.clients.length === 1 ? '' : 's'} ${model.clients.join(', ')})` : '';
    const what = `${model.action.padEnd(9)} ${model.node.id}${clients}`;
    return model.reasons.length > 0 && model.action !== 'skip' ? `  ${what}: ${model.reasons.join('; ')}` : `  ${what}`;
  });
  const count = (action: PlanAction): number => plan.models.filter((model) => model.action === action).length;
  const held = plan.held.length > 0 ? `; held back: ${plan.held.join(', ')}` : '';
  return [
    ...lines,
    `plan: ${count('build')} to build, ${count('update')} to update for some clients, ${count('unchanged')} unchanged, ${count('skip')} not selected${held}`,
  ].join('\n');
}
