// Models evaluated on the sources as they are now, without building anything. Commands that must answer
// a question the models own (an upload's coverage window, what it supersedes, the gaps between uploads)
// read the model's own SQL this way, so that `import`, `status` and the marts never give two answers:
// each model and its ancestors become temporary relations on the connection, reading raw.* and meta.*
// (inside the caller's transaction, uncommitted rows included) and each other instead of the built tables.
// A model that one other reads is a view, so that the reader's filters and columns reach the sources; one
// that several read is a temporary table, computed once (as views they would be expanded into every
// reader, again and again down the chain).
import { sqlLiteral, type Warehouse } from '../warehouse/db.js';
import { rewriteReferences, type Project, type ProjectNode } from './compile.js';
import { seedSelect } from './run.js';

export interface Preview {
  /** The temporary view that evaluates a model (schema.name) now. */
  relation(id: string): string;
}

function viewName(id: string): string {
  return `preview__${id.replace('.', '__')}`;
}

/** The targets and every model or seed they read, parents first. */
function withAncestors(project: Project, targets: readonly string[]): ProjectNode[] {
  const byId = new Map(project.nodes.map((node) => [node.id, node]));
  const needed = new Set<string>();
  const stack = [...targets];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (needed.has(id)) continue;
    const node = byId.get(id);
    if (!node) throw new Error(`no model ${id} to preview`);
    needed.add(id);
    stack.push(...node.dependsOn);
  }
  return project.nodes.filter((node) => needed.has(node.id));
}

/**
 * Creates the views that evaluate the targets now, restricted to some clients (null: every client): an
 * incremental model keeps the rows of those clients only, which DuckDB pushes down to the sources.
 */
export async function previewModels(
  warehouse: Warehouse,
  project: Project,
  targets: readonly string[],
  clients: readonly string[] | null,
): Promise<Preview> {
  if (project.macros !== '') await warehouse.run(project.macros);
  // A preview made earlier on this connection gives way to this one.
  for (const row of await warehouse.all(
    `SELECT table_name, table_type FROM information_schema.tables WHERE table_catalog = 'temp' AND table_name LIKE 'preview\\_\\_%' ESCAPE '\\'`,
  )) {
    await warehouse.run(`DROP ${row.table_type === 'VIEW' ? 'VIEW' : 'TABLE'} ${String(row.table_name)}`);
  }
  const nodes = withAncestors(project, targets);
  const readers = new Map<string, number>(targets.map((id) => [id, 1]));
  for (const node of nodes) for (const parent of node.dependsOn) readers.set(parent, (readers.get(parent) ?? 0) + 1);
  for (const node of nodes) {
    let body: string;
    if (node.kind === 'seed') body = seedSelect(node);
    else {
      body = rewriteReferences(node.body, project, viewName);
      if (node.incremental !== null && clients !== null) {
        const list = clients.length === 0 ? 'NULL' : clients.map(sqlLiteral).join(', ');
        body = `SELECT * FROM (${body}) AS model WHERE ${node.incremental} IN (${list})`;
      }
    }
    const kind = (readers.get(node.id) ?? 0) > 1 ? 'TABLE' : 'VIEW';
    await warehouse.run(`CREATE TEMP ${kind} ${viewName(node.id)} AS ${body}`);
  }
  return { relation: viewName };
}
