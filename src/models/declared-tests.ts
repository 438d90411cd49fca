// Data tests declared in a model's header, beside the query tests of sql/tests/:
//
//   -- unique: client_id, order_key              no two rows share these columns' values
//   -- not_null: client_id, order_key            none of these columns is null
//   -- accepted_values: channel = sms, email     the column holds only these values (or null)
//
// Each becomes a test node whose select returns the failing rows, so it runs, fails, holds a client back
// and prints its rows and the SQL that reproduces them like any test under sql/tests/.
import { definitionHash } from './fingerprint.js';
import type { CompileProblem } from './errors.js';
import type { ProjectNode } from './compile.js';
import { sqlList } from '../warehouse/sql-literal.js';

export const DECLARED_TESTS = ['unique', 'not_null', 'accepted_values'] as const;

export interface HeaderEntry {
  key: string;
  value: string;
  line: number;
}

const COLUMN = /^[a-z_][a-z0-9_]*$/;

/** Column names separated by commas, or null when the text is not that. */
export function columnList(text: string): string[] | null {
  const columns = text.split(',').map((column) => column.trim());
  return columns.length > 0 && columns.every((column) => COLUMN.test(column)) ? columns : null;
}

/** The test nodes a model's header declares, and the problems of the declarations that are not well formed. */
export function declaredTests(model: ProjectNode, entries: readonly HeaderEntry[]): { tests: ProjectNode[]; problems: CompileProblem[] } {
  const tests: ProjectNode[] = [];
  const problems: CompileProblem[] = [];
  const target = model.id;
  for (const { key, value, line } of entries) {
    if (!(DECLARED_TESTS as readonly string[]).includes(key)) continue;
    let name: string;
    let body: string;
    if (key === 'accepted_values') {
      const match = /^([a-z_][a-z0-9_]*)\s*=\s*(.+)$/.exec(value);
      const values = match?.[2]?.split(',').map((item) => item.trim()).filter((item) => item !== '') ?? [];
      if (match?.[1] === undefined || values.length === 0) {
        problems.push({ file: model.file, line, message: `accepted_values is written "-- accepted_values: column = value, value", not "${value}"` });
        continue;
      }
      name = `${model.name}__accepted_values__${match[1]}`;
      body = `SELECT * FROM ${target} WHERE ${match[1]} IS NOT NULL AND ${match[1]}::VARCHAR NOT IN (${sqlList(values)})`;
    } else {
      const columns = columnList(value);
      if (columns === null) {
        problems.push({ file: model.file, line, message: `${key} takes column names separated by commas, not "${value}"` });
        continue;
      }
      name = `${model.name}__${key}`;
      body =
        key === 'unique'
          ? `SELECT ${columns.join(', ')}, count(*) AS rows FROM ${target} GROUP BY ${columns.join(', ')} HAVING count(*) > 1`
          : `SELECT * FROM ${target} WHERE ${columns.map((column) => `${column} IS NULL`).join(' OR ')}`;
    }
    if (tests.some((test) => test.name === name)) {
      problems.push({ file: model.file, line, message: `a second ${key} test of ${model.id}${key === 'accepted_values' ? ' on that column' : ''}` });
      continue;
    }
    tests.push({
      kind: 'test',
      id: `tests.${name}`,
      schema: 'tests',
      name,
      file: `${model.file}:${line}`,
      body,
      description: `${key}: ${value} (declared by ${model.id})`,
      materialized: 'view',
      version: null,
      incremental: null,
      partition: null,
      key: null,
      dependsOn: [model.id],
      sources: [],
      definition: definitionHash({ body, materialized: 'view', incremental: null, macros: '' }),
    });
  }
  return { tests, problems };
}
