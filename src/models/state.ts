// The warehouse's recorded state as the build plan needs it (plan.ts): the state of each source table,
// over the warehouse and per client, what earlier builds recorded of each model, and which tables exist.
//
// A source table's state changes whenever its rows do: the raw tables and uploads are appended to, never
// rewritten, so the ids of the uploads a build reads (all but the removed ones) say it, and tell a build
// which uploads came or went (plan.ts clientChange); removals and settings carry their times.
import { CLAIM_FORMATS, FORMATS } from '../ingest/registry.js';
import { CLAIM_ROWS } from '../ingest/claim-shape.js';
import type { Warehouse } from '../warehouse/db.js';
import { sqlList } from '../warehouse/sql-literal.js';
import { byText } from '../text-order.js';
import type { Project } from './compile.js';
import type { Basis, RecordedModel, WarehouseState } from './plan.js';

/** One part of a source's state: the uploads it follows by id, or a count and the latest time. */
interface Counted {
  n: number;
  last: string;
  /** For the uploads part: the ids of the uploads (not removed), so that a build can tell which came or went. */
  ids?: number[];
}

const add = (into: Map<string, Counted>, key: string, n: number, last: string, ids?: readonly number[]): void => {
  const was = into.get(key) ?? { n: 0, last: '' };
  const merged: Counted = { n: was.n + n, last: last > was.last ? last : was.last };
  if (ids !== undefined) merged.ids = [...(was.ids ?? []), ...ids].sort((a, b) => a - b);
  into.set(key, merged);
};
/** Per source, its parts in words: `uploads 3,7,12, removals 1:2026-…, settings 1:…`. */
function bySource(counted: ReadonlyMap<string, Counted>): Map<string, string> {
  const result = new Map<string, string>();
  for (const [key, { n, last, ids }] of [...counted].sort(([a], [b]) => byText(a, b))) {
    const [source = '', part = ''] = key.split('|');
    const was = result.get(source);
    result.set(source, `${was === undefined ? '' : `${was}, `}${part} ${ids === undefined ? `${n}:${last}` : ids.join(',')}`);
  }
  return result;
}

/**
 * What a source table's rows follow: the settings, the removals, the uploads of some platforms (null: of
 * every platform), or, for a table lasttouch does not know, all of them, since it may change with any.
 */
type Follows = { settings: true } | { removals: true } | { uploads: readonly string[] | null } | { everything: true };

function followed(source: string): Follows {
  if (source === 'meta.clients') return { settings: true };
  if (source === 'meta.upload_removals') return { removals: true };
  if (source === 'meta.uploads') return { uploads: null };
  if (source === CLAIM_ROWS) return { uploads: CLAIM_FORMATS.map((format) => format.platform) };
  const format = Object.values(FORMATS).find((candidate) => `raw.${candidate.rawTable}` === source);
  return format === undefined ? { everything: true } : { uploads: [format.platform] };
}

export async function readWarehouseState(warehouse: Warehouse, project: Project): Promise<WarehouseState> {
  // The uploads a build reads: every one but those removed (and not restored).
  const uploads = await warehouse.all(
    `SELECT client_id, platform, string_agg(upload_id::VARCHAR, ',' ORDER BY upload_id) AS ids FROM meta.uploads AS u
     WHERE NOT EXISTS (SELECT 1 FROM meta.upload_removals AS r WHERE r.upload_id = u.upload_id AND r.restored_at IS NULL)
     GROUP BY client_id, platform`,
  );
  const removals = await warehouse.all(
    `SELECT u.client_id, count(*) AS n, max(greatest(r.removed_at, coalesce(r.restored_at, r.removed_at)))::VARCHAR AS last
     FROM meta.upload_removals AS r JOIN meta.uploads AS u USING (upload_id) GROUP BY u.client_id`,
  );
  const settings = await warehouse.all(`SELECT client_id, updated_at::VARCHAR AS updated FROM meta.clients`);

  const sources = [...new Set(project.nodes.flatMap((node) => node.sources))].sort();
  const whole = new Map<string, Counted>();
  const perClient = new Map<string, Map<string, Counted>>();
  const forClient = (client: string): Map<string, Counted> => {
    const states = perClient.get(client) ?? new Map<string, Counted>();
    perClient.set(client, states);
    return states;
  };
  // Each part a source follows is counted apart, so that no part's change hides behind another's.
  const record = (client: string, source: string, part: string, n: number, last: string, ids?: readonly number[]): void => {
    add(whole, `${source}|${part}`, n, last, ids);
    add(forClient(client), `${source}|${part}`, n, last, ids);
  };
  for (const row of settings) forClient(String(row.client_id));
  for (const source of sources) {
    const follows = followed(source);
    const all = 'everything' in follows;
    if (all || 'uploads' in follows) {
      const platforms = 'uploads' in follows ? follows.uploads : null;
      for (const row of uploads) {
        if (platforms !== null && !platforms.includes(String(row.platform))) continue;
        const ids = String(row.ids).split(',').map(Number);
        record(String(row.client_id), source, 'uploads', ids.length, '', ids);
      }
    }
    if (all || 'removals' in follows) {
      for (const row of removals) record(String(row.client_id), source, 'removals', Number(row.n), String(row.last));
    }
    if (all || 'settings' in follows) {
      for (const row of settings) record(String(row.client_id), source, 'settings', 1, String(row.updated));
    }
  }

  const clients = new Map(
    settings.map((row) => {
      const states = perClient.get(String(row.client_id)) ?? new Map<string, Counted>();
      return [String(row.client_id), bySource(states)] as const;
    }),
  );
  const models = new Map<string, RecordedModel>(
    (await warehouse.all('SELECT model, fingerprint, basis FROM meta.model_state')).map((row) => [
      String(row.model),
      { fingerprint: String(row.fingerprint), basis: row.basis === null ? null : (JSON.parse(String(row.basis)) as Basis) },
    ]),
  );
  const modelClients = new Map<string, Map<string, string>>();
  for (const row of await warehouse.all('SELECT model, client_id, state FROM meta.model_client_state')) {
    const model = String(row.model);
    const states = modelClients.get(model) ?? new Map<string, string>();
    states.set(String(row.client_id), String(row.state));
    modelClients.set(model, states);
  }
  const schemas = [...new Set(project.nodes.map((node) => node.schema))];
  const tables = new Set(
    (
      await warehouse.all(
        `SELECT table_schema || '.' || table_name AS id FROM information_schema.tables
         WHERE table_catalog = current_database() AND table_schema IN (${sqlList(schemas)})`,
      )
    ).map((row) => String(row.id)),
  );
  return { sources: bySource(whole), clients, models, modelClients, tables };
}
