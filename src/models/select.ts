// --select SPEC: comma- or space-separated names (schema.name or name); `+name` adds its ancestors,
// `name+` its descendants, as in dbt.
import { UsageError } from '../errors.js';
import type { Project } from './compile.js';

export function selectNodes(project: Project, spec: string | undefined): Set<string> {
  const all = project.nodes.map((node) => node.id);
  if (spec === undefined || spec.trim() === '') return new Set(all);
  const selected = new Set<string>();
  const children = new Map<string, string[]>();
  for (const node of project.nodes) {
    for (const parent of node.dependsOn) children.set(parent, [...(children.get(parent) ?? []), node.id]);
  }
  const parentsOf = new Map(project.nodes.map((node) => [node.id, node.dependsOn]));
  const walk = (start: string, next: (id: string) => readonly string[]): void => {
    const stack = [...next(start)];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (selected.has(id)) continue;
      selected.add(id);
      stack.push(...next(id));
    }
  };
  for (const term of spec.split(/[\s,]+/).filter((part) => part !== '')) {
    const ancestors = term.startsWith('+');
    const descendants = term.endsWith('+');
    const name = term.replace(/^\+|\+$/g, '');
    const matches = all.filter((id) => id === name || id.split('.')[1] === name);
    if (matches.length === 0) {
      throw new UsageError(`--select: no model named "${name}" (models: ${all.filter((id) => !id.startsWith('seeds.')).join(', ')})`);
    }
    for (const id of matches) {
      selected.add(id);
      if (ancestors) walk(id, (current) => parentsOf.get(current) ?? []);
      if (descendants) walk(id, (current) => children.get(current) ?? []);
    }
  }
  return selected;
}
