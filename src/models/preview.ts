// Models evaluated on the sources as they are now, without building anything. Commands that must answer
// a question the models own (an upload's coverage window, what it supersedes, the gaps between uploads)
// read the model's own SQL this way, so that `import`, `status` and the marts never give two answers:
// each model and its ancestors become temporary relations on the connection, reading raw.* and meta.*
// (inside the caller's transaction, uncommitted rows included) and each other instead of the built tables.
// A model that one other reads is a view, so that the reader's filters and columns reach the sources; one
// that several read is a temporary table, computed once (as views they would be expanded into every
// reader, again and again down the chain).
//
// A preview can be narrowed to the rows a question concerns: some clients (the models' incremental key),
// some uploads (every source with an upload_id column keeps their rows alone), and any further condition
// on a source's rows. The models then answer for those rows as they would on the whole warehouse where
// the question only depends on them.
import type { Warehouse } from '../warehouse/db.js';
import { sqlList } from '../warehouse/sql-literal.js';
import { rewriteReferences, type Project, type ProjectNode } from './compile.js';
import { selectNodes } from './select.js';

export interface Preview {
  /** The temporary relation that evaluates a model (schema.name) now. */
  relation(id: string): string;
}

export interface PreviewScope {
  /** Only these clients; null: every client. */
  clients: readonly string[] | null;
  /** Only these uploads. */
  uploads?: readonly number[];
  /** A further condition on the rows of a source (raw.* or meta.*), by its schema.name. */
  where?: Readonly<Record<string, string>>;
  /** Names the preview, so that several can stand side by side on one connection. */
  name?: string;
}

function list(values: readonly (string | number)[]): string {
  return values.length === 0 ? 'NULL' : sqlList(values);
}

/** For each source the nodes read, the filtered select that stands for it in this scope, if any. */
async function sourceFilters(warehouse: Warehouse, nodes: readonly ProjectNode[], scope: PreviewScope): Promise<Map<string, string>> {
  const sources = [...new Set(nodes.flatMap((node) => node.sources))];
  const withUploadId = new Set(
    (
      await warehouse.all(
        `SELECT DISTINCT table_schema || '.' || table_name AS id FROM information_schema.columns
         WHERE column_name = 'upload_id' AND table_schema IN ('raw', 'meta')`,
      )
    ).map((row) => String(row.id)),
  );
  const filters = new Map<string, string>();
  for (const source of sources) {
    const conditions: string[] = [];
    if (scope.uploads !== undefined && withUploadId.has(source)) conditions.push(`upload_id IN (${list(scope.uploads)})`);
    const extra = scope.where?.[source];
    if (extra !== undefined) conditions.push(`(${extra})`);
    if (conditions.length > 0) filters.set(source, `(SELECT * FROM ${source} WHERE ${conditions.join(' AND ')})`);
  }
  return filters;
}

/** Creates the relations that evaluate the targets now, in the scope given. */
export async function previewModels(
  warehouse: Warehouse,
  project: Project,
  targets: readonly string[],
  scope: PreviewScope,
): Promise<Preview> {
  const prefix = `preview_${scope.name ?? 'all'}__`;
  const relation = (id: string): string => `${prefix}${id.replace('.', '__')}`;
  if (project.macros !== '') await warehouse.run(project.macros);
  // A preview of the same name made earlier on this connection gives way to this one.
  for (const row of await warehouse.all(
    `SELECT table_name, table_type FROM information_schema.tables WHERE table_catalog = 'temp' AND starts_with(table_name, $1)`,
    [prefix],
  )) {
    await warehouse.run(`DROP ${row.table_type === 'VIEW' ? 'VIEW' : 'TABLE'} ${String(row.table_name)}`);
  }
  // The targets with their ancestors, as `build --select +target` takes them, parents first.
  const selected = selectNodes(project, targets.map((id) => `+${id}`).join(','));
  const nodes = project.nodes.filter((node) => selected.has(node.id));
  const ids = new Set(nodes.map((node) => node.id));
  const filters = await sourceFilters(warehouse, nodes, scope);
  const readers = new Map<string, number>(targets.map((id) => [id, 1]));
  for (const node of nodes) for (const parent of node.dependsOn) readers.set(parent, (readers.get(parent) ?? 0) + 1);
  for (const node of nodes) {
    let body: string;
    if (node.kind === 'seed') body = node.body;
    else {
      body = rewriteReferences(node.body, (id) => (ids.has(id) ? relation(id) : filters.get(id)));
      if (node.incremental !== null && scope.clients !== null) {
        body = `SELECT * FROM (${body}) AS model WHERE ${node.incremental} IN (${list(scope.clients)})`;
      }
    }
    const kind = (readers.get(node.id) ?? 0) > 1 ? 'TABLE' : 'VIEW';
    await warehouse.run(`CREATE TEMP ${kind} ${relation(node.id)} AS ${body}`);
  }
  return { relation };
}
