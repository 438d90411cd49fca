// Where a partitioned model keeps its rows (`-- partition: upload_id` or `month(column)`): in tables of the
// schema `partitions`, behind a view of the model's own name that reads them all. A build that rebuilds
// some uploads, months or clients of the model writes their rows as a new table (CREATE TABLE AS, which
// DuckDB writes straight into the file) and deletes them from the older tables, instead of deleting and
// inserting them in one large table: the commit and checkpoint that follow such an insert cost more than
// the statements themselves (BENCHMARKS.md measures both ways). A table left without rows is dropped, and
// when a model has more than MAX_PARTS tables the two smallest are merged, so that its view stays a union
// of a few tables. A whole build of the model writes one table and drops the others.
//
// The tables are named `<schema>__<name>__<build>_<n>`: the build that wrote them, and the order within it.
// Readers never name them: they read the model's view, whose rows are the same however they are divided.
import type { Warehouse } from '../warehouse/db.js';
import { sqlName } from '../warehouse/sql-literal.js';
import type { ProjectNode } from './compile.js';

export const PARTS_SCHEMA = 'partitions';
/** The most tables a model's rows are kept in after a build. */
export const MAX_PARTS = 8;

interface Part {
  table: string;
  build: number;
  order: number;
  /** Its rows, once counted (the model's first write counts them all in one query). */
  rows?: number;
}

/** A table of the warehouse, by schema and name. */
export interface TableName {
  schema: string;
  table: string;
}

const prefixOf = (node: ProjectNode): string => `${node.schema}__${node.name}__`;
/** The name of a model's part: the build that wrote it and its order within that build. */
export const partTable = (node: ProjectNode, build: number, order: number): string => `${prefixOf(node)}${build}_${order}`;
export const qualified = (table: string): string => `${PARTS_SCHEMA}.${sqlName(table)}`;

/** Rows of an older table to remove when new ones are written: a DELETE's WHERE, over alias t. */
export interface Removal {
  where: string;
}

/** The tables of one partitioned model, in the order they were written. */
export class ModelParts {
  private constructor(
    private readonly warehouse: Warehouse,
    private readonly node: ProjectNode,
    private readonly buildId: number,
    private parts: Part[],
  ) {}

  /**
   * The model's tables, found among the warehouse's relations (readRelations, as the build read them when
   * it started: a model's tables change only in its own step). A model kept as one plain table (by a
   * lasttouch from before its rows were kept in parts) becomes its first part.
   */
  static async open(warehouse: Warehouse, node: ProjectNode, buildId: number, relations: ReadonlyMap<string, string>): Promise<ModelParts> {
    await warehouse.run(`CREATE SCHEMA IF NOT EXISTS ${PARTS_SCHEMA}`);
    const prefix = prefixOf(node);
    const parts: Part[] = [];
    for (const id of relations.keys()) {
      if (!id.startsWith(`${PARTS_SCHEMA}.${prefix}`)) continue;
      const table = id.slice(PARTS_SCHEMA.length + 1);
      const match = /^(\d+)_(\d+)$/.exec(table.slice(prefix.length));
      if (match !== null) parts.push({ table, build: Number(match[1]), order: Number(match[2]) });
    }
    parts.sort((a, b) => a.build - b.build || a.order - b.order);
    const model = new ModelParts(warehouse, node, buildId, parts);
    if (relations.get(node.id) === 'BASE TABLE') {
      const part = model.nextPart();
      await warehouse.run(`CREATE TABLE ${qualified(part.table)} AS SELECT * FROM ${node.schema}.${node.name}`);
      await warehouse.run(`DROP TABLE ${node.schema}.${node.name}`);
      model.parts.push(part);
      await model.publish();
    }
    return model;
  }

  /** The rows of the whole model, written as its one table; the tables before it are dropped. */
  async replace(select: string): Promise<TableName> {
    const part = this.nextPart();
    await this.create(part, select);
    for (const old of this.parts) await this.warehouse.run(`DROP TABLE ${qualified(old.table)}`);
    this.parts = [part];
    await this.publish();
    return { schema: PARTS_SCHEMA, table: part.table };
  }

  /**
   * New rows for part of the model (none: select null): written as a new table, after the rows they
   * replace (removal) are deleted from the older ones. A table left empty is dropped, unless it is the
   * model's last; beyond MAX_PARTS, the smallest two are merged.
   */
  async write(select: string | null, removal: Removal): Promise<void> {
    await this.countRows();
    const kept: Part[] = [];
    for (const part of this.parts) {
      const deleted = await this.warehouse.one(`DELETE FROM ${qualified(part.table)} AS t WHERE ${removal.where}`);
      part.rows = (part.rows ?? 0) - Number(deleted?.Count ?? 0);
      const last = part === this.parts.at(-1) && select === null && kept.length === 0;
      if (!last && part.rows === 0) await this.warehouse.run(`DROP TABLE ${qualified(part.table)}`);
      else kept.push(part);
    }
    this.parts = kept;
    if (select !== null) {
      const part = this.nextPart();
      await this.create(part, select);
      this.parts.push(part);
      if (part.rows === 0 && this.parts.length > 1) {
        await this.warehouse.run(`DROP TABLE ${qualified(part.table)}`);
        this.parts.pop();
      }
    }
    // The view needs a table to read, though its rows may all be gone: the last table stays, empty.
    if (this.parts.length === 0) throw new Error(`no table is left for ${this.node.id}`);
    while (this.parts.length > MAX_PARTS) await this.mergeSmallest();
    await this.publish();
  }

  /** The tables the model's rows are in now. */
  tables(): string[] {
    return this.parts.map((part) => qualified(part.table));
  }

  private async mergeSmallest(): Promise<void> {
    const [a, b] = [...this.parts].sort((x, y) => (x.rows ?? 0) - (y.rows ?? 0));
    if (a === undefined || b === undefined) return;
    const part = this.nextPart();
    await this.create(part, `SELECT * FROM ${qualified(a.table)} UNION ALL BY NAME SELECT * FROM ${qualified(b.table)}`);
    await this.warehouse.run(`DROP TABLE ${qualified(a.table)}`);
    await this.warehouse.run(`DROP TABLE ${qualified(b.table)}`);
    this.parts = [...this.parts.filter((p) => p !== a && p !== b), part];
  }

  /** Writes a part's table, knowing its rows from what CREATE TABLE AS reports. */
  private async create(part: Part, select: string): Promise<void> {
    const created = await this.warehouse.one(`CREATE TABLE ${qualified(part.table)} AS ${select}`);
    part.rows = Number(created?.Count ?? 0);
  }

  /** The rows of every table not yet counted, in one query. */
  private async countRows(): Promise<void> {
    const uncounted = this.parts.filter((part) => part.rows === undefined);
    if (uncounted.length === 0) return;
    const counts = await this.warehouse.all(
      uncounted.map((part, index) => `SELECT ${index} AS part, count(*) AS n FROM ${qualified(part.table)}`).join(' UNION ALL '),
    );
    for (const row of counts) {
      const part = uncounted[Number(row.part)];
      if (part !== undefined) part.rows = Number(row.n);
    }
  }

  private nextPart(): Part {
    const order = Math.max(0, ...this.parts.filter((part) => part.build === this.buildId).map((part) => part.order)) + 1;
    return { table: partTable(this.node, this.buildId, order), build: this.buildId, order };
  }

  /** The model's view: every table of its rows. */
  private async publish(): Promise<void> {
    const union = this.parts.map((part) => `SELECT * FROM ${qualified(part.table)}`).join(' UNION ALL BY NAME ');
    await this.warehouse.run(`CREATE OR REPLACE VIEW ${this.node.schema}.${this.node.name} AS ${union}`);
  }
}

/** Every table and view of the warehouse: schema.name to its table_type (BASE TABLE or VIEW). */
export async function readRelations(warehouse: Warehouse): Promise<Map<string, string>> {
  const rows = await warehouse.all(
    `SELECT table_schema || '.' || table_name AS id, table_type FROM information_schema.tables WHERE table_catalog = current_database()`,
  );
  return new Map(rows.map((row) => [String(row.id), String(row.table_type)]));
}

/**
 * Drops the tables of a model that is no longer partitioned, before it is built; relations: the ids
 * (schema.name) of every table and view of the warehouse.
 */
export async function dropParts(warehouse: Warehouse, node: ProjectNode, relations: Iterable<string>): Promise<void> {
  const prefix = `${PARTS_SCHEMA}.${prefixOf(node)}`;
  for (const id of relations) {
    if (id.startsWith(prefix)) await warehouse.run(`DROP TABLE ${qualified(id.slice(PARTS_SCHEMA.length + 1))}`);
  }
}
