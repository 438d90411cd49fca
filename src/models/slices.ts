// Incremental builds finer than a client (run.ts): when only uploads came or went for a client, a model
// partitioned by upload (`-- partition: upload_id`) stages the rows of those uploads alone, and a model
// partitioned by month (`-- partition: month(column)`) rebuilds only the months those uploads touch.
//
// The months are the slices of the temp table lt_slices (client_id, month). They start from the months of
// the changed uploads' rows and coverage windows (sql/incremental/upload_months.sql) and grow until no order
// has rows both inside and outside them (sql/incremental/order_links.sql): every rule of the models works
// within one order, or within one client and month, so that the rows of a closed set of months are the
// same whether the models run over those months or over the whole client. The gone uploads are read before
// any model runs (their rows are still staged), the new ones once staging is up to date; taking the links
// of both the old and the new rows keeps the months closed for the rows as they were and as they are.
import type { Warehouse } from '../warehouse/db.js';
import { sqlList, sqlLiteral } from '../warehouse/sql-literal.js';
import { rewriteReferences, type Project, type ProjectNode, type SliceQueries } from './compile.js';
import type { BuildPlan } from './plan.js';
import { previewModels } from './preview.js';
import type { ModelParts } from './parts.js';

const SLICES = 'lt_slices';

const list = (values: readonly (string | number)[]): string => `[${sqlList(values)}]`;

/** A change of uploads for one client: the uploads that came and went. */
export interface UploadChange {
  added: number[];
  gone: number[];
}

export class MonthSlices {
  /** Once complete: per client, its months in order (YYYY-MM-01). */
  private found: Map<string, string[]> | null = null;

  private constructor(
    private readonly warehouse: Warehouse,
    private readonly queries: SliceQueries,
    private readonly changes: ReadonlyMap<string, UploadChange>,
  ) {}

  /**
   * Before any model runs: the months of the gone uploads, over the rows staged before this build, closed
   * over the orders of those rows.
   */
  static async begin(warehouse: Warehouse, queries: SliceQueries, changes: ReadonlyMap<string, UploadChange>): Promise<MonthSlices> {
    const slices = new MonthSlices(warehouse, queries, changes);
    await warehouse.run(`CREATE OR REPLACE TEMP TABLE ${SLICES} (client_id VARCHAR, month DATE)`);
    const gone = [...changes.values()].flatMap((change) => change.gone);
    if (gone.length > 0) {
      await slices.addMonths(gone);
      await slices.close([...changes].filter(([, change]) => change.gone.length > 0).map(([client]) => client));
    }
    return slices;
  }

  /**
   * Once staging holds the new uploads: their months too, and every month closed over the rows as they
   * are. queries: the slice queries over the staged rows as they will be (previewMonths), if not the
   * tables themselves.
   */
  async complete(queries: SliceQueries = this.queries): Promise<Map<string, string[]>> {
    if (this.found !== null) return this.found;
    const added = [...this.changes.values()].flatMap((change) => change.added);
    if (added.length > 0) await this.addMonths(added, queries);
    await this.close([...this.changes.keys()], queries);
    const rows = await this.warehouse.all(`SELECT client_id, month::VARCHAR AS month FROM ${SLICES} ORDER BY client_id, month`);
    const found = new Map<string, string[]>();
    for (const row of rows) {
      const months = found.get(String(row.client_id)) ?? [];
      months.push(String(row.month));
      found.set(String(row.client_id), months);
    }
    this.found = found;
    return found;
  }

  private async addMonths(uploads: readonly number[], queries: SliceQueries = this.queries): Promise<void> {
    const query = queries.uploadMonths.replaceAll(':uploads', list(uploads));
    await this.warehouse.run(`INSERT INTO ${SLICES} SELECT client_id, month FROM (${query}) EXCEPT SELECT client_id, month FROM ${SLICES}`);
  }

  /** Adds the months of every order with rows in the slices' months, until there are none to add. */
  private async close(clients: readonly string[], queries: SliceQueries = this.queries): Promise<void> {
    if (clients.length === 0) return;
    await this.warehouse.run(`CREATE OR REPLACE TEMP TABLE lt_order_links AS ${queries.orderLinks.replaceAll(':clients', list(clients))}`);
    for (;;) {
      const before = Number((await this.warehouse.one(`SELECT count(*) AS n FROM ${SLICES}`))?.n ?? 0);
      await this.warehouse.run(
        `INSERT INTO ${SLICES}
         SELECT client_id, month FROM (
           SELECT DISTINCT l.client_id, CAST(m.month AS DATE) AS month
           FROM (
             SELECT l.* FROM lt_order_links AS l
             SEMI JOIN ${SLICES} AS s ON s.client_id = l.client_id AND s.month BETWEEN l.first_month AND l.last_month
           ) AS l,
           generate_series(CAST(l.first_month AS TIMESTAMP), CAST(l.last_month AS TIMESTAMP), INTERVAL 1 MONTH) AS m(month)
         )
         EXCEPT SELECT client_id, month FROM ${SLICES}`,
      );
      const after = Number((await this.warehouse.one(`SELECT count(*) AS n FROM ${SLICES}`))?.n ?? 0);
      if (after === before) break;
    }
    await this.warehouse.run('DROP TABLE lt_order_links');
  }
}

/**
 * Per client, the uploads that came and went, for the clients that a month-partitioned model updates by
 * month in the build of this plan (the plan rebuilds whole clients in a build of some models only).
 */
export function uploadChanges(plan: BuildPlan): Map<string, UploadChange> {
  const result = new Map<string, UploadChange>();
  for (const step of plan.models) {
    if (step.action !== 'update' || step.node.partition?.month == null) continue;
    for (const [client, change] of step.changes) {
      if (change.whole) continue;
      const was = result.get(client) ?? { added: [], gone: [] };
      result.set(client, {
        added: [...new Set([...was.added, ...change.added])].sort((a, b) => a - b),
        gone: [...new Set([...was.gone, ...change.gone])].sort((a, b) => a - b),
      });
    }
  }
  return result;
}

/** The clients of upload changes, the uploads added, and every upload that came or went. */
function uploadsTouched(changes: ReadonlyMap<string, UploadChange>): { clients: string[]; added: number[]; touched: number[] } {
  const added = [...changes.values()].flatMap((change) => change.added);
  return { clients: [...changes.keys()], added, touched: [...added, ...[...changes.values()].flatMap((change) => change.gone)] };
}

/**
 * The staged rows (alias t) of uploads that came or went for some clients: the rows an update by upload
 * deletes (updateUploads), and the rows previewMonths takes out of what is staged. touched is not empty.
 */
const rowsOfUploads = (clients: readonly string[], touched: readonly number[]): string =>
  `(t.client_id IN (${sqlList(clients)}) AND t.upload_id IN (${sqlList(touched)}))`;

/**
 * The months the build of a plan would rebuild, per client whose uploads alone changed, found without
 * building anything (build --dry-run, on the published warehouse, read-only: temporary relations only).
 * The gone uploads' months are read over the rows as staged, as the build reads them; the added uploads'
 * over the staged rows as the build will leave them: the rows of every upload that came or went taken
 * out, and the added uploads' rows as the models stage them (preview.ts) put in. The models the month
 * queries read are partitioned by upload, so that their rows of an upload depend on that upload alone;
 * when one is not, the months cannot be told before the build: null.
 */
export async function previewMonths(
  warehouse: Warehouse,
  project: Project,
  changes: ReadonlyMap<string, UploadChange>,
): Promise<Map<string, string[]> | null> {
  const queries = project.slices;
  if (queries === null || changes.size === 0) return new Map();
  const nodes = new Map(project.nodes.map((node) => [node.id, node]));
  const read = new Set<string>();
  for (const query of [queries.uploadMonths, queries.orderLinks]) {
    rewriteReferences(query, (id) => {
      if (nodes.has(id)) read.add(id);
      return undefined;
    });
  }
  const models = [...read];
  if (models.some((id) => nodes.get(id)?.partition?.upload !== true)) return null;
  const slices = await MonthSlices.begin(warehouse, queries, changes);
  const { clients, added, touched } = uploadsTouched(changes);
  const staged = added.length === 0 ? null : await previewModels(warehouse, project, models, { clients, uploads: added, name: 'months' });
  const after = new Map<string, string>();
  for (const id of models) {
    const view = `lt_staged__${id.replace('.', '__')}`;
    const kept =
      touched.length === 0
        ? `SELECT * FROM ${id}`
        : `SELECT * FROM ${id} AS t WHERE ${rowsOfUploads(clients, touched)} IS NOT TRUE`;
    await warehouse.run(
      `CREATE OR REPLACE TEMP VIEW ${view} AS ${kept}${staged === null ? '' : ` UNION ALL BY NAME SELECT * FROM ${staged.relation(id)}`}`,
    );
    after.set(id, view);
  }
  const rewrite = (sql: string): string => rewriteReferences(sql, (id) => after.get(id));
  const found = await slices.complete({ uploadMonths: rewrite(queries.uploadMonths), orderLinks: rewrite(queries.orderLinks) });
  // A client whose uploads touch no month is told so (the build says `no months` for it).
  return new Map(clients.map((client) => [client, found.get(client) ?? []]));
}

/**
 * The rows of the slices' months, as ranges of the month column per client: a condition DuckDB can test
 * against each row group's minimum and maximum and skip the row groups outside (a month model's tables
 * are in client and month order), where a join with lt_slices would read every row. Months in a row
 * make one range. No months: no rows.
 */
export function inMonths(months: ReadonlyMap<string, readonly string[]>, alias: string, column: string): string {
  const ranges: string[] = [];
  for (const [client, list] of months) {
    let index = 0;
    while (index < list.length) {
      const first = list[index] as string;
      let last = first;
      while (index + 1 < list.length && list[index + 1] === nextMonth(last)) last = list[(index += 1)] as string;
      index += 1;
      ranges.push(
        `(${alias}.client_id = ${sqlLiteral(client)} AND ${alias}.${column} >= DATE '${first}' AND ${alias}.${column} < DATE '${nextMonth(last)}')`,
      );
    }
  }
  return ranges.length === 0 ? 'false' : `(${ranges.join(' OR ')})`;
}

/** The first day of the month after a month's first day (YYYY-MM-01). */
function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const next = Number(month.slice(5, 7)) + 1;
  return next > 12 ? `${year + 1}-01-01` : `${year}-${String(next).padStart(2, '0')}-01`;
}


/** Keywords that may follow a table reference that has no alias. */
const NOT_AN_ALIAS =
  /^(JOIN|LEFT|RIGHT|INNER|FULL|CROSS|NATURAL|SEMI|ANTI|ASOF|POSITIONAL|WHERE|ON|USING|GROUP|ORDER|QUALIFY|HAVING|WINDOW|UNION|EXCEPT|INTERSECT|LIMIT|OFFSET)\b/i;

/** What a sliced model reads: some clients' rows, of some uploads or of some months (per client). */
interface SliceScope {
  clients: readonly string[];
  uploads?: readonly number[];
  months?: ReadonlyMap<string, readonly string[]>;
}

/**
 * The part of a table that a slice reads: the given uploads' rows (a model partitioned by upload), the
 * slices' months (a parent partitioned by month), the clients' rows, or all of it (a seed).
 */
function sliceOf(
  id: string,
  parent: ProjectNode | undefined,
  has: ReadonlySet<string>,
  scope: SliceScope,
): string {
  if (scope.uploads !== undefined && has.has('upload_id')) return `SELECT * FROM ${id} WHERE upload_id IN (${sqlList(scope.uploads)})`;
  if (scope.months !== undefined && parent?.partition?.month != null) {
    return `SELECT t.* FROM ${id} AS t WHERE t.client_id IN (${sqlList(scope.clients)}) AND ${inMonths(scope.months, 't', parent.partition.month)}`;
  }
  if (has.has('client_id')) return `SELECT * FROM ${id} WHERE client_id IN (${sqlList(scope.clients)})`;
  return `SELECT * FROM ${id}`;
}

/**
 * A model's select over the slice only: each table it reads becomes a temp view of the part of it the
 * slice needs (sliceOf), so that the model's own SQL runs unchanged over less. scope.uploads, when given,
 * is never empty.
 */
export async function slicedBody(
  warehouse: Warehouse,
  node: ProjectNode,
  nodes: ReadonlyMap<string, ProjectNode>,
  scope: SliceScope,
  columns: (id: string) => Promise<ReadonlySet<string>>,
): Promise<string> {
  const views = new Map<string, string>();
  for (const id of new Set<string>([...node.dependsOn, ...node.sources])) {
    const view = `lt_slice__${id.replace('.', '__')}`;
    await warehouse.run(`CREATE OR REPLACE TEMP VIEW ${view} AS ${sliceOf(id, nodes.get(id), await columns(id), scope)}`);
    views.set(id, view);
  }
  return rewriteReferences(node.body, (id, after) => {
    const view = views.get(id);
    if (view === undefined) return undefined;
    // A reference without an alias keeps its table's name, by which the SQL may qualify its columns.
    const aliased = /^AS\b/i.test(after) || (/^[a-z_][a-z0-9_]*/i.test(after) && !NOT_AN_ALIAS.test(after));
    return aliased ? view : `${view} AS ${id.split('.')[1] ?? ''}`;
  });
}

/** Drops the temp views slicedBody made for a model. */
export async function dropSliceViews(warehouse: Warehouse, node: ProjectNode): Promise<void> {
  for (const id of new Set([...node.dependsOn, ...node.sources])) {
    await warehouse.run(`DROP VIEW IF EXISTS lt_slice__${id.replace('.', '__')}`);
  }
}

/**
 * Rebuilds the rows of some uploads of a model partitioned by upload: the added uploads' rows are written
 * as a table of the model's (parts.ts), and the rows of every upload that came or went leave the older ones.
 */
export async function updateUploads(
  warehouse: Warehouse,
  node: ProjectNode,
  nodes: ReadonlyMap<string, ProjectNode>,
  changes: ReadonlyMap<string, UploadChange>,
  columns: (id: string) => Promise<ReadonlySet<string>>,
  parts: ModelParts,
): Promise<void> {
  const { clients, added, touched } = uploadsTouched(changes);
  if (touched.length === 0) return;
  const removal = { where: rowsOfUploads(clients, touched) };
  // No upload added: only rows to remove.
  const body = added.length === 0 ? null : await slicedBody(warehouse, node, nodes, { clients, uploads: added }, columns);
  await parts.write(body === null ? null : `SELECT * FROM (${body}) AS model`, removal);
  await dropSliceViews(warehouse, node);
}

/**
 * Rebuilds the rows of a month-partitioned model in the slices' months (all, per client, from
 * MonthSlices.complete) of some clients, as a table of the model's.
 */
export async function updateMonths(
  warehouse: Warehouse,
  node: ProjectNode,
  nodes: ReadonlyMap<string, ProjectNode>,
  clients: readonly string[],
  all: ReadonlyMap<string, readonly string[]>,
  columns: (id: string) => Promise<ReadonlySet<string>>,
  parts: ModelParts,
): Promise<void> {
  const months = new Map([...all].filter(([client]) => clients.includes(client)));
  const removal = { where: `t.client_id IN (${sqlList(clients)}) AND ${inMonths(months, 't', node.partition?.month ?? '')}` };
  const body = await slicedBody(warehouse, node, nodes, { clients, months }, columns);
  await parts.write(`SELECT * FROM (${body}) AS model`, removal);
  await dropSliceViews(warehouse, node);
}
