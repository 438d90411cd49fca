// `lasttouch diff MODEL`: what a rule change did to a model's output. A build that rebuilds a model
// because its SQL (or a model upstream of it) changed keeps the output it replaced (run.ts,
// previous.<layer>__<name>); this compares the two: rows added, removed and changed, by the model's key
// (its `-- unique:` columns), with a sample of each, the columns that changed, and the effect on the
// revenue summary per client and month when the summary was rebuilt by the same change.
import { NotFoundError } from '../errors.js';
import type { Row, Warehouse } from '../warehouse/db.js';
import { executeOne, meta, sql } from '../warehouse/kysely.js';
import { sqlLiteral, sqlName } from '../warehouse/sql-literal.js';
import type { Project, ProjectNode } from './compile.js';

export interface DiffOptions {
  clientId?: string;
  /** Rows of each sample (default 5). */
  sample?: number;
}

export interface ChangedRow {
  key: Row;
  /** Each column whose value differs: before and after. */
  changes: Record<string, { before: unknown; after: unknown }>;
}

export interface SummaryEffect {
  client_id: string;
  month: string;
  platform: string;
  channel: string;
  currency: string;
  before: Record<string, string>;
  after: Record<string, string>;
}

export interface ModelDiff {
  model: string;
  /** The version label and fingerprint of the output compared against, and when it was replaced. */
  previous: { version: string | null; fingerprint: string; replaced_at: string; build_id: number };
  current: { version: string | null; fingerprint: string };
  /** The columns the rows are matched by; null: whole rows are compared (the model declares no key). */
  key: string[] | null;
  rows: { before: number; after: number; added: number; removed: number; changed: number | null };
  columns: { added: string[]; removed: string[]; changed: Record<string, number> };
  samples: { added: Row[]; removed: Row[]; changed: ChangedRow[] };
  /** Per client, month, platform, channel and currency whose figures differ; null when the summary was not rebuilt by the change. */
  summary: SummaryEffect[] | null;
}

const SUMMARY = 'marts.revenue_summary';
const SUMMARY_FIGURES = ['platform_revenue', 'last_touch_revenue', 'double_attribution_removed', 'view_only_excluded_revenue'] as const;

async function columnsOf(warehouse: Warehouse, table: string): Promise<string[]> {
  const [schema, name] = table.split('.');
  return (
    await warehouse.all(
      `SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() AND table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schema ?? '', name ?? ''],
    )
  ).map((row) => String(row.column_name));
}

interface Kept {
  table: string;
  fingerprint: string;
  version: string | null;
  buildId: number;
  keptAt: string;
}

async function keptVersion(warehouse: Warehouse, model: string): Promise<Kept | null> {
  const row = await executeOne(
    warehouse,
    meta
      .selectFrom('previous_versions')
      .select(['table_name', 'fingerprint', 'version', 'build_id', sql<string>`strftime(kept_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S UTC')`.as('kept_at')])
      .where('model', '=', model),
  );
  if (row === undefined) return null;
  return { table: row.table_name, fingerprint: row.fingerprint, version: row.version, buildId: row.build_id, keptAt: row.kept_at };
}

function findModel(project: Project, name: string): ProjectNode {
  const node = project.nodes.find((candidate) => candidate.kind === 'model' && (candidate.id === name || candidate.name === name));
  if (node === undefined) {
    throw new NotFoundError(`no model named "${name}" (models: ${project.nodes.filter((candidate) => candidate.kind === 'model').map((candidate) => candidate.id).join(', ')})`);
  }
  return node;
}

export async function diffModel(warehouse: Warehouse, project: Project, name: string, options: DiffOptions = {}): Promise<ModelDiff> {
  const node = findModel(project, name);
  const kept = await keptVersion(warehouse, node.id);
  if (kept === null) {
    throw new NotFoundError(
      `${node.id} has no previous version to compare with: a build keeps one when a change to the model's SQL, or to a model upstream of it, rebuilds it (until a later build rebuilds it again)`,
    );
  }
  const current = `${node.schema}.${node.name}`;
  const before = await columnsOf(warehouse, kept.table);
  const after = await columnsOf(warehouse, current);
  const common = after.filter((column) => before.includes(column));
  const clientFilter = (alias: string): string =>
    options.clientId === undefined || !common.includes('client_id') ? 'true' : `${alias}.client_id = ${sqlLiteral(options.clientId)}`;
  const sample = options.sample ?? 5;
  const key = node.key !== null && node.key.every((column) => common.includes(column)) ? node.key : null;
  const state = await executeOne(warehouse, meta.selectFrom('model_state').select(['fingerprint', 'version']).where('model', '=', node.id));
  const count = async (sql: string): Promise<number> => Number((await warehouse.one(`SELECT count(*) AS n FROM (${sql}) AS counted`))?.n ?? 0);
  const previousRows = `SELECT ${common.map(sqlName).join(', ')} FROM ${kept.table} AS p WHERE ${clientFilter('p')}`;
  const currentRows = `SELECT ${common.map(sqlName).join(', ')} FROM ${current} AS n WHERE ${clientFilter('n')}`;

  let added: string;
  let removed: string;
  let changedRows: number | null = null;
  const changedColumns: Record<string, number> = {};
  let changedSample: ChangedRow[] = [];
  if (key === null) {
    added = `(${currentRows}) EXCEPT ALL (${previousRows})`;
    removed = `(${previousRows}) EXCEPT ALL (${currentRows})`;
  } else {
    const using = key.map(sqlName).join(', ');
    added = `SELECT n.* FROM (${currentRows}) AS n ANTI JOIN (${previousRows}) AS p USING (${using})`;
    removed = `SELECT p.* FROM (${previousRows}) AS p ANTI JOIN (${currentRows}) AS n USING (${using})`;
    const others = common.filter((column) => !key.includes(column));
    const differs = (column: string): string => `p.${sqlName(column)} IS DISTINCT FROM n.${sqlName(column)}`;
    const joined = `FROM (${previousRows}) AS p JOIN (${currentRows}) AS n USING (${using})`;
    if (others.length > 0) {
      const counts = await warehouse.one(
        `SELECT count(*) FILTER (WHERE ${others.map(differs).join(' OR ')}) AS rows_changed,
                ${others.map((column, index) => `count(*) FILTER (WHERE ${differs(column)}) AS c${index}`).join(', ')} ${joined}`,
      );
      changedRows = Number(counts?.rows_changed ?? 0);
      others.forEach((column, index) => {
        const n = Number(counts?.[`c${index}`] ?? 0);
        if (n > 0) changedColumns[column] = n;
      });
      const rows = await warehouse.all(
        `SELECT ${key.map((column) => `${sqlName(column)} AS ${sqlName(`key.${column}`)}`).join(', ')},
                ${others.map((column) => `p.${sqlName(column)} AS ${sqlName(`before.${column}`)}, n.${sqlName(column)} AS ${sqlName(`after.${column}`)}`).join(', ')}
         ${joined} WHERE ${others.map(differs).join(' OR ')} ORDER BY ${using} LIMIT ${sample}`,
      );
      changedSample = rows.map((row) => ({
        key: Object.fromEntries(key.map((column) => [column, row[`key.${column}`] ?? null])),
        changes: Object.fromEntries(
          others
            .filter((column) => JSON.stringify(row[`before.${column}`]) !== JSON.stringify(row[`after.${column}`]))
            .map((column) => [column, { before: row[`before.${column}`], after: row[`after.${column}`] }]),
        ),
      }));
    } else changedRows = 0;
  }
  const order = key === null ? 'ALL' : key.map(sqlName).join(', ');
  return {
    model: node.id,
    previous: { version: kept.version, fingerprint: kept.fingerprint, replaced_at: kept.keptAt, build_id: kept.buildId },
    current: { version: state?.version ?? null, fingerprint: state?.fingerprint ?? '' },
    key,
    rows: {
      before: await count(previousRows),
      after: await count(currentRows),
      added: await count(added),
      removed: await count(removed),
      changed: changedRows,
    },
    columns: { added: after.filter((column) => !before.includes(column)), removed: before.filter((column) => !after.includes(column)), changed: changedColumns },
    samples: {
      added: await warehouse.all(`SELECT * FROM (${added}) AS a ORDER BY ${order} LIMIT ${sample}`),
      removed: await warehouse.all(`SELECT * FROM (${removed}) AS r ORDER BY ${order} LIMIT ${sample}`),
      changed: changedSample,
    },
    summary: await summaryEffect(warehouse, project, kept.buildId, options.clientId),
  };
}

/**
 * The revenue summary before and after, per client, month, platform, channel and currency, where a
 * figure differs: when the summary's own previous version was kept by the same build.
 */
async function summaryEffect(warehouse: Warehouse, project: Project, buildId: number, clientId: string | undefined): Promise<SummaryEffect[] | null> {
  const summary = project.nodes.find((node) => node.id === SUMMARY);
  if (summary === undefined) return null;
  const kept = await keptVersion(warehouse, SUMMARY);
  if (kept === null || kept.buildId !== buildId) return null;
  const grain = ['client_id', 'month', 'platform', 'channel', 'currency'];
  const filter = clientId === undefined ? '' : `WHERE client_id = ${sqlLiteral(clientId)}`;
  const rows = await warehouse.all(
    `WITH p AS (SELECT * FROM ${kept.table} ${filter}), n AS (SELECT * FROM ${SUMMARY} ${filter})
     SELECT ${grain.map((column) => `coalesce(p.${column}, n.${column})::VARCHAR AS ${column}`).join(', ')},
            struct_pack(${SUMMARY_FIGURES.map((figure) => `${figure} := coalesce(p.${figure}, 0)::VARCHAR`).join(', ')}) AS before,
            struct_pack(${SUMMARY_FIGURES.map((figure) => `${figure} := coalesce(n.${figure}, 0)::VARCHAR`).join(', ')}) AS after
     FROM p FULL JOIN n USING (${grain.join(', ')})
     WHERE ${SUMMARY_FIGURES.map((figure) => `coalesce(p.${figure}, 0) <> coalesce(n.${figure}, 0)`).join(' OR ')}
     ORDER BY ALL`,
  );
  return rows.map((row) => ({
    client_id: String(row.client_id),
    month: String(row.month),
    platform: String(row.platform),
    channel: String(row.channel),
    currency: String(row.currency),
    before: row.before as Record<string, string>,
    after: row.after as Record<string, string>,
  }));
}

const show = (value: unknown): string => (value === null || value === undefined ? 'NULL' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** The diff as `lasttouch diff` prints it. */
export function describeDiff(diff: ModelDiff): string {
  const lines = [
    `${diff.model}: the output of version ${diff.previous.version ?? '-'} (${diff.previous.fingerprint.slice(0, 12)}, replaced by build ${diff.previous.build_id} at ${diff.previous.replaced_at}) against version ${diff.current.version ?? '-'} (${diff.current.fingerprint.slice(0, 12)})`,
    `rows: ${diff.rows.before} before, ${diff.rows.after} after; ${diff.rows.added} added, ${diff.rows.removed} removed` +
      (diff.rows.changed === null ? ' (no key: whole rows compared)' : `, ${diff.rows.changed} changed, matched by ${diff.key?.join(', ')}`),
  ];
  if (diff.columns.added.length > 0) lines.push(`columns added: ${diff.columns.added.join(', ')}`);
  if (diff.columns.removed.length > 0) lines.push(`columns removed: ${diff.columns.removed.join(', ')}`);
  const changedColumns = Object.entries(diff.columns.changed);
  if (changedColumns.length > 0) lines.push(`columns changed: ${changedColumns.map(([column, n]) => `${column} (${n} row${n === 1 ? '' : 's'})`).join(', ')}`);
  const rowText = (row: Row): string => Object.entries(row).map(([column, value]) => `${column}=${show(value)}`).join(' ');
  if (diff.samples.added.length > 0) lines.push('added, the first ones:', ...diff.samples.added.map((row) => `  + ${rowText(row)}`));
  if (diff.samples.removed.length > 0) lines.push('removed, the first ones:', ...diff.samples.removed.map((row) => `  - ${rowText(row)}`));
  if (diff.samples.changed.length > 0) {
    lines.push(
      'changed, the first ones:',
      ...diff.samples.changed.map(
        (row) => `  ~ ${rowText(row.key)}: ${Object.entries(row.changes).map(([column, { before, after }]) => `${column} ${show(before)} -> ${show(after)}`).join(', ')}`,
      ),
    );
  }
  if (diff.summary === null) lines.push('revenue summary: not rebuilt by this change');
  else if (diff.summary.length === 0) lines.push('revenue summary: no figure changed');
  else {
    lines.push('revenue summary, where a figure changed (before -> after):');
    for (const row of diff.summary) {
      const figures = SUMMARY_FIGURES.filter((figure) => row.before[figure] !== row.after[figure])
        .map((figure) => `${figure} ${row.before[figure]} -> ${row.after[figure]}`)
        .join(', ');
      lines.push(`  ${row.client_id} ${row.month.slice(0, 7)} ${row.platform} ${row.channel} ${row.currency}: ${figures}`);
    }
  }
  return lines.join('\n');
}
