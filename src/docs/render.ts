// `lasttouch docs`: one static page about the models: the lineage graph, then each model and seed with
// its description, materialisation, version, columns and types, SQL, the data tests that read it, its
// last run and what the next build does with it. Columns and runs come from the warehouse, read-only;
// without one the page still shows the project, each model marked as not built.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { compileProject, partitionText } from '../models/compile.js';
import { planBuild, type PlanAction } from '../models/plan.js';
import { readWarehouseState } from '../models/state.js';
import { lastRuns, type LastRun } from '../models/history.js';
import { projectRoot } from '../project.js';
import { publishSite } from '../report/publish.js';
import { withWarehouse } from '../warehouse/db.js';
import { sqlLiteral } from '../warehouse/sql-literal.js';
import { layoutLineage, lineageSvg } from './lineage.js';

export interface DocsOptions {
  dbPath: string;
  outDir: string;
  waitSeconds?: number;
}

export interface DocsResult {
  indexPath: string;
  models: number;
  /** False when there was no warehouse at dbPath: no columns, runs or plan on the page. */
  warehouse: boolean;
}

interface ModelView {
  id: string;
  anchor: string;
  kind: string;
  layer: string;
  file: string;
  description: string;
  materialized: string;
  incremental: string | null;
  /** `upload_id`, `month(column)` or both: what an update rebuilds alone. */
  partition: string | null;
  version: string | null;
  sql: string;
  parents: { id: string; anchor: string }[];
  children: { id: string; anchor: string }[];
  columns: { name: string; type: string }[];
  tests: { id: string; file: string; sql: string }[];
  lastRun: { finished: string; action: string; status: string; rows: string; error: string | null } | null;
  nextBuild: PlanAction | null;
}

const anchor = (id: string): string => `model-${id}`;

async function warehouseFacts(dbPath: string, project: ReturnType<typeof compileProject>, waitSeconds: number) {
  if (!existsSync(resolve(dbPath))) return null;
  return withWarehouse(dbPath, { readOnly: true, currentSchema: true, waitSeconds }, async (warehouse) => {
    const schemas = [...new Set(project.nodes.map((node) => sqlLiteral(node.schema)))].join(', ');
    return {
      state: await readWarehouseState(warehouse, project),
      columns: await warehouse.all(
        `SELECT table_schema || '.' || table_name AS id, column_name, data_type FROM information_schema.columns
         WHERE table_catalog = current_database() AND table_schema IN (${schemas}) ORDER BY table_schema, table_name, ordinal_position`,
      ),
      runs: await lastRuns(warehouse),
    };
  });
}

export async function renderDocs(options: DocsOptions): Promise<DocsResult> {
  const root = projectRoot();
  const project = compileProject(root);
  const template = Handlebars.create().compile(readFileSync(join(root, 'reports', 'docs', 'models.hbs'), 'utf8'), { strict: true });
  const facts = await warehouseFacts(options.dbPath, project, options.waitSeconds ?? 30);
  const plan = facts === null ? null : planBuild(project, facts.state);
  const columns = new Map<string, { name: string; type: string }[]>();
  for (const row of facts?.columns ?? []) {
    const list = columns.get(String(row.id)) ?? [];
    list.push({ name: String(row.column_name), type: String(row.data_type) });
    columns.set(String(row.id), list);
  }
  const runs = facts?.runs ?? new Map<string, LastRun>();
  const children = new Map<string, string[]>();
  for (const node of project.nodes) for (const parent of node.dependsOn) children.set(parent, [...(children.get(parent) ?? []), node.id]);
  const link = (id: string) => ({ id, anchor: anchor(id) });
  const models: ModelView[] = project.nodes.map((node) => {
    const run = runs.get(node.id);
    return {
      id: node.id,
      anchor: anchor(node.id),
      kind: node.kind,
      layer: node.schema,
      file: node.file,
      description: node.description,
      materialized: node.materialized,
      incremental: node.incremental,
      partition: node.partition === null ? null : partitionText(node.partition),
      version: node.version,
      sql: node.body,
      parents: node.dependsOn.map(link),
      children: (children.get(node.id) ?? []).map(link),
      columns: columns.get(node.id) ?? [],
      tests: project.tests
        .filter((test) => test.dependsOn.includes(node.id))
        .map((test) => ({ id: test.id, file: test.file, sql: test.body })),
      lastRun:
        run === undefined
          ? null
          : {
              finished: run.finishedAt,
              action: run.action,
              status: run.status,
              rows: run.rows === null ? '-' : run.rows.toLocaleString('en-US'),
              error: run.error,
            },
      nextBuild: plan?.models.find((step) => step.node.id === node.id)?.action ?? null,
    };
  });
  const html = template({
    svg: new Handlebars.SafeString(lineageSvg(layoutLineage(project))),
    models,
    warehouse: facts !== null,
    dbPath: options.dbPath,
    generated: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  });
  const published = await publishSite(options.outDir, new Map([['index.html', html]]));
  return { indexPath: join(published.target, 'index.html'), models: models.length, warehouse: facts !== null };
}
