// Where the project's own files (sql/, seeds/, reports/) are, wherever the command is run from.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function projectRoot(): string {
  // This file is at <root>/src/project.ts and, compiled, at <root>/dist/project.js.
  return resolve(dirname(fileURLToPath(import.meta.url)), '..');
}
