// The pure compile step: read sql/ and seeds/, find each model's dependencies from the schema-qualified
// tables it reads, order them, and collect every problem with its file and line. Nothing here touches
// the database.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { FORMATS } from '../ingest/registry.js';
import { CompileError, type CompileProblem } from './errors.js';
import { definitionHash } from './fingerprint.js';
import { columnList, DECLARED_TESTS, declaredTests, type HeaderEntry } from './declared-tests.js';
import { sqlLiteral } from '../warehouse/sql-literal.js';

export const MODEL_LAYERS = ['staging', 'dedup', 'attribution', 'marts'] as const;
/** Schemas written by import, read by models, never built. */
export const SOURCE_SCHEMAS = ['raw', 'meta'] as const;
const SEED_SCHEMA = 'seeds';

export type NodeKind = 'model' | 'seed' | 'test';

export interface ProjectNode {
  kind: NodeKind;
  /** schema.name; tests are tests.<file name>. */
  id: string;
  schema: string;
  name: string;
  file: string;
  /** The select of a model, test or seed. */
  body: string;
  description: string;
  materialized: 'table' | 'view';
  version: string | null;
  /**
   * The column that partitions the model's rows by client (`-- incremental: client_id`): a build rebuilds
   * only the rows of the clients whose uploads or settings changed. Null: the model is rebuilt whole.
   */
  incremental: string | null;
  /**
   * How an incremental model's rows are cut finer than by client (`-- partition: upload_id, month(order_date)`):
   * `upload`, each row belongs to one upload (its upload_id), so a build stages only the uploads that came
   * or went; `month`, the column whose calendar month places the row, so a build rebuilds only the months
   * of a client that its changed uploads touch (run.ts, slices.ts). Null: by client only.
   */
  partition: Partition | null;
  /** The columns a model declares unique (`-- unique: a, b`): its key, for `lasttouch diff`. */
  key: string[] | null;
  /** Models and seeds this node reads. */
  dependsOn: string[];
  /** Source tables (raw.*, meta.*) this node reads. */
  sources: string[];
  /**
   * Hash of the node's meaning (fingerprint.ts): normalised SQL, materialisation, incremental key and the
   * macros, or a seed CSV's bytes. Fingerprints add the parents' and the sources' state (plan.ts).
   */
  definition: string;
}

export interface Partition {
  upload: boolean;
  month: string | null;
}

/** `upload_id, month(order_date)` as a Partition, or a message saying what is wrong with it. */
export function parsePartition(text: string): Partition | string {
  const partition: Partition = { upload: false, month: null };
  for (const part of text.split(',').map((item) => item.trim())) {
    const month = /^month\(\s*([a-z_][a-z0-9_]*)\s*\)$/i.exec(part);
    if (part === 'upload_id') partition.upload = true;
    else if (month !== null) partition.month = (month[1] ?? '').toLowerCase();
    else return `partition takes upload_id and month(column), not "${part}"`;
  }
  return partition;
}

/** A partition in words, as its header gives it ('' for none); part of the model's definition. */
export function partitionText(partition: Partition | null): string {
  if (partition === null) return '';
  return [partition.upload ? 'upload_id' : '', partition.month === null ? '' : `month(${partition.month})`].filter((part) => part !== '').join(', ');
}

export interface Project {
  root: string;
  /** Models and seeds in dependency order (parents first). */
  nodes: ProjectNode[];
  tests: ProjectNode[];
  /**
   * The SQL macros of sql/macros/ (CREATE OR REPLACE TEMP MACRO statements), which models call: they are
   * created on the connection before any model runs, and their text is part of every model's fingerprint.
   */
  macros: string;
  /**
   * The queries by which a build finds the months that changed uploads touch (sql/incremental/, read by
   * slices.ts), or null when the project has none: then a partition by month rebuilds whole clients.
   */
  slices: SliceQueries | null;
}

export interface SliceQueries {
  /** (client_id, month) for the uploads :uploads. */
  uploadMonths: string;
  /** (client_id, key, first_month, last_month) of the texts that make rows of :clients one order across months. */
  orderLinks: string;
}

/** sql/incremental/upload_months.sql and order_links.sql, without a trailing semicolon. */
function sliceQueries(root: string, problems: CompileProblem[]): SliceQueries | null {
  const read = (name: string): string | null => {
    try {
      return readFileSync(join(root, 'sql', 'incremental', name), 'utf8').trim().replace(/;\s*$/, '');
    } catch {
      return null;
    }
  };
  const uploadMonths = read('upload_months.sql');
  const orderLinks = read('order_links.sql');
  if (uploadMonths === null && orderLinks === null) return null;
  if (uploadMonths === null || orderLinks === null) {
    problems.push({ file: 'sql/incremental/', line: 1, message: 'needs both upload_months.sql and order_links.sql, or neither' });
    return null;
  }
  return { uploadMonths, orderLinks };
}

/** SQL with comments and string literals blanked out (same length, newlines kept), for reference scans. */
export function blankCommentsAndStrings(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, (match) =>
    match.includes('\n') ? match.replace(/[^\n]/g, ' ') : ' '.repeat(match.length),
  );
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

interface Header {
  fields: Map<string, string>;
  /** Every `-- key: value` line in order, repeated keys included, with its line number. */
  entries: HeaderEntry[];
  bodyStart: number;
}

/** The leading comment block: `-- key: value` lines, the first free line being the description. */
function readHeader(sql: string): Header {
  const fields = new Map<string, string>();
  const entries: HeaderEntry[] = [];
  const lines = sql.split('\n');
  let offset = 0;
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('--') && trimmed !== '') break;
    const text = trimmed.replace(/^--\s?/, '');
    const field = /^([a-z_]+):\s*(.*)$/.exec(text);
    if (field?.[1] && field[2] !== undefined) {
      fields.set(field[1], field[2].trim());
      entries.push({ key: field[1], value: field[2].trim(), line: index + 1 });
    } else if (text !== '' && !fields.has('description')) fields.set('description', text);
    offset += line.length + 1;
  }
  return { fields, entries, bodyStart: Math.min(offset, sql.length) };
}

function sqlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((file) => file.endsWith('.sql'))
      .sort()
      .map((file) => join(dir, file));
  } catch {
    return [];
  }
}

const REFERENCE = /\b([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b/gi;
/** An opening parenthesis after optional whitespace, where lastIndex is set: a call, not a table. */
const CALL_AFTER = /\s*\(/y;

interface Reference {
  /** schema.table, lower case. */
  id: string;
  index: number;
  length: number;
}

/** The schema-qualified tables an SQL text reads (outside comments and strings), with their places. */
function scanReferences(sql: string, schemas: ReadonlySet<string>): Reference[] {
  const scanned = blankCommentsAndStrings(sql);
  const found: Reference[] = [];
  for (const match of scanned.matchAll(REFERENCE)) {
    const schema = (match[1] ?? '').toLowerCase();
    if (!schemas.has(schema) || schema === 'tests') continue;
    // A qualified column (alias.column) can look like schema.table only if the alias is a schema name;
    // a reference is followed by neither ( nor another dot.
    CALL_AFTER.lastIndex = (match.index ?? 0) + match[0].length;
    if (CALL_AFTER.test(scanned)) continue;
    found.push({ id: `${schema}.${(match[2] ?? '').toLowerCase()}`, index: match.index ?? 0, length: match[0].length });
  }
  return found;
}

const KNOWN_SCHEMAS: ReadonlySet<string> = new Set([...MODEL_LAYERS, ...SOURCE_SCHEMAS, SEED_SCHEMA]);

/**
 * The SQL with each schema-qualified table it reads (a model, a seed or a source) replaced by what
 * rename gives for it (given the SQL that follows the reference); a reference rename leaves undefined stays
 * as it is.
 */
export function rewriteReferences(sql: string, rename: (id: string, after: string) => string | undefined): string {
  let result = '';
  let from = 0;
  for (const reference of scanReferences(sql, KNOWN_SCHEMAS)) {
    const replacement = rename(reference.id, sql.slice(reference.index + reference.length).trimStart());
    if (replacement === undefined) continue;
    result += sql.slice(from, reference.index) + replacement;
    from = reference.index + reference.length;
  }
  return result + sql.slice(from);
}

/** The platforms seed: one row per export format, as its declaration names it. */
function platformsSeed(): ProjectNode {
  const rows = Object.values(FORMATS).map(
    (format) => `(${sqlLiteral(format.platform)}, ${sqlLiteral(format.name)}, ${sqlLiteral(format.kind)}, ${format.engagementTracked ?? false})`,
  );
  const body = `SELECT * FROM (VALUES ${rows.join(', ')}) AS platforms(platform, label, kind, engagement_tracked)`;
  return {
    kind: 'seed',
    id: `${SEED_SCHEMA}.platforms`,
    schema: SEED_SCHEMA,
    name: 'platforms',
    file: 'src/ingest/formats/',
    body,
    description: 'each platform lasttouch imports, with its name, kind and whether it tracks sends and clicks (from the export formats)',
    materialized: 'table',
    version: null,
    incremental: null,
    partition: null,
    key: null,
    dependsOn: [],
    sources: [],
    definition: definitionHash({ body, materialized: 'table', incremental: null, macros: '' }),
  };
}

export function compileProject(root: string): Project {
  const problems: CompileProblem[] = [];
  const nodes = new Map<string, ProjectNode>();
  const tests: ProjectNode[] = [];
  const references = new Map<ProjectNode, { id: string; line: number }[]>();
  const macros = sqlFiles(join(root, 'sql', 'macros'))
    .map((path) => `-- ${relative(root, path)}\n${readFileSync(path, 'utf8')}`)
    .join('\n');

  const seedsDir = join(root, 'seeds');
  for (const file of readdirSync(seedsDir).filter((name) => name.endsWith('.csv')).sort()) {
    const path = join(seedsDir, file);
    if (!statSync(path).isFile()) continue;
    const name = basename(file, '.csv');
    nodes.set(`${SEED_SCHEMA}.${name}`, {
      kind: 'seed',
      id: `${SEED_SCHEMA}.${name}`,
      schema: SEED_SCHEMA,
      name,
      file: relative(root, path),
      body: `SELECT * FROM read_csv(${sqlLiteral(path)}, header = true, auto_detect = true)`,
      description: `seed ${file}`,
      materialized: 'table',
      version: null,
      incremental: null,
      partition: null,
      key: null,
      dependsOn: [],
      sources: [],
      definition: createHash('sha256').update(readFileSync(path)).digest('hex'),
    });
  }
  // seeds.platforms: each platform with its name for a person, from the export formats' declarations.
  const platforms = platformsSeed();
  if (nodes.has(platforms.id)) {
    problems.push({ file: nodes.get(platforms.id)?.file ?? 'seeds', line: 1, message: `${platforms.id} comes from the export formats (${platforms.file}); remove the CSV` });
  }
  nodes.set(platforms.id, platforms);

  const layers: [string, NodeKind][] = [...MODEL_LAYERS.map((layer): [string, NodeKind] => [layer, 'model']), ['tests', 'test']];
  for (const [layer, kind] of layers) {
    for (const path of sqlFiles(join(root, 'sql', layer))) {
      const file = relative(root, path);
      const text = readFileSync(path, 'utf8');
      const name = basename(path, '.sql');
      const header = readHeader(text);
      const body = text.slice(header.bodyStart).trim().replace(/;\s*$/, '');
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
        problems.push({ file, line: 1, message: `the file name "${name}" is not a valid table name (lower case, digits, _)` });
      }
      if (body === '') problems.push({ file, line: 1, message: 'the file has no select' });
      if (!header.fields.has('description')) {
        problems.push({ file, line: 1, message: 'the comment header lacks a description (first comment line)' });
      }
      const materialized = header.fields.get('materialized') ?? (kind === 'test' ? 'view' : 'table');
      if (materialized !== 'table' && materialized !== 'view') {
        problems.push({ file, line: 1, message: `materialized must be table or view, not "${materialized}"` });
      }
      const incremental = header.fields.get('incremental') ?? null;
      if (incremental !== null && (incremental !== 'client_id' || materialized !== 'table' || kind !== 'model')) {
        problems.push({ file, line: 1, message: `incremental is for table models, by client_id only (-- incremental: client_id), not "${incremental}"` });
      }
      let partition: Partition | null = null;
      const partitionHeader = header.fields.get('partition');
      if (partitionHeader !== undefined) {
        const parsed = parsePartition(partitionHeader);
        if (typeof parsed === 'string') problems.push({ file, line: 1, message: parsed });
        else if (incremental === null) problems.push({ file, line: 1, message: 'partition is for incremental models (-- incremental: client_id)' });
        else partition = parsed;
      }
      if (kind === 'model' && !header.fields.has('version')) {
        problems.push({ file, line: 1, message: 'the comment header lacks a version (-- version: N)' });
      }
      const node: ProjectNode = {
        kind,
        id: `${layer}.${name}`,
        schema: layer,
        name,
        file,
        body,
        description: header.fields.get('description') ?? '',
        materialized: materialized === 'view' ? 'view' : 'table',
        version: header.fields.get('version') ?? null,
        incremental,
        partition,
        key: kind === 'model' && header.fields.has('unique') ? columnList(header.fields.get('unique') ?? '') : null,
        dependsOn: [],
        sources: [],
        // What the model means, with the macros it may call; not its comments or layout.
        definition: definitionHash({
          body,
          materialized: materialized === 'view' ? 'view' : 'table',
          incremental: partition === null ? incremental : `${incremental}; partition ${partitionText(partition)}`,
          macros: kind === 'model' ? macros : '',
        }),
      };
      const found = scanReferences(text, KNOWN_SCHEMAS).map((reference) => ({
        id: reference.id,
        line: lineOf(text, reference.index),
      }));
      references.set(node, found);
      if (kind === 'test') tests.push(node);
      else if (nodes.has(node.id)) problems.push({ file, line: 1, message: `a second model named ${node.id}` });
      else nodes.set(node.id, node);
      if (kind === 'model') {
        const declared = declaredTests(node, header.entries);
        tests.push(...declared.tests);
        problems.push(...declared.problems);
      } else if (header.entries.some((entry) => (DECLARED_TESTS as readonly string[]).includes(entry.key))) {
        const entry = header.entries.find((candidate) => (DECLARED_TESTS as readonly string[]).includes(candidate.key));
        problems.push({ file, line: entry?.line ?? 1, message: `${entry?.key} is declared in a model's header, for that model` });
      }
    }
  }

  for (const [node, found] of references) {
    for (const reference of found) {
      if (reference.id === node.id) {
        problems.push({ file: node.file, line: reference.line, message: `${node.id} reads itself` });
      } else if ((SOURCE_SCHEMAS as readonly string[]).includes(reference.id.split('.')[0] ?? '')) {
        if (!node.sources.includes(reference.id)) node.sources.push(reference.id);
      } else if (!nodes.has(reference.id)) {
        problems.push({ file: node.file, line: reference.line, message: `reads ${reference.id}, which no model or seed defines` });
      } else if (!node.dependsOn.includes(reference.id)) {
        node.dependsOn.push(reference.id);
      }
    }
  }

  const slices = sliceQueries(root, problems);
  const ordered = orderNodes([...nodes.values()], problems);
  if (problems.length > 0) throw new CompileError(problems);
  return { root, nodes: ordered, tests, macros, slices };
}

/** Parents first; among nodes ready at the same time, alphabetical, so the order is stable. */
function orderNodes(nodes: ProjectNode[], problems: CompileProblem[]): ProjectNode[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const ordered: ProjectNode[] = [];
  const done = new Set<string>();
  const remaining = new Set(nodes.map((node) => node.id));
  while (remaining.size > 0) {
    const ready = [...remaining]
      .filter((id) => (byId.get(id)?.dependsOn ?? []).every((parent) => done.has(parent) || !byId.has(parent)))
      .sort();
    if (ready.length === 0) {
      for (const id of [...remaining].sort()) {
        const node = byId.get(id);
        if (node) problems.push({ file: node.file, line: 1, message: `${id} is part of a dependency cycle` });
      }
      break;
    }
    for (const id of ready) {
      remaining.delete(id);
      done.add(id);
      const node = byId.get(id);
      if (node) ordered.push(node);
    }
  }
  return ordered;
}
