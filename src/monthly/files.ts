// Where the monthly job puts a file once it is done with it: DIR/<client>/imported/YYYY-MM-DD/ after an
// import (or when its bytes were imported before), DIR/<client>/rejected/ with the refusal beside it.
// Nothing is deleted or overwritten: a name already taken gets " (2)", " (3)", ... before its extension.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { IMPORTED_DIR, REJECTED_DIR } from './inbox.js';

/** A free path for name in dir, and the path of its refusal note when with note. */
function freeName(dir: string, name: string, withNote: boolean): string {
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  for (let n = 1; ; n += 1) {
    const candidate = join(dir, n === 1 ? name : `${stem} (${n})${extension}`);
    if (!existsSync(candidate) && !(withNote && existsSync(`${candidate}.txt`))) return candidate;
  }
}

/** The local calendar date of the machine the job runs on, as the folder name. */
export function localDate(now = new Date()): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Moves an imported file into imported/<date>/; returns where it went (null when it was gone already). */
export function moveImported(file: string, date: string): string | null {
  if (!existsSync(file)) return null;
  const dir = join(dirname(file), IMPORTED_DIR, date);
  mkdirSync(dir, { recursive: true });
  const target = freeName(dir, basename(file), false);
  renameSync(file, target);
  return target;
}

/** Moves a refused file into rejected/ and writes the refusal beside it as <name>.txt. */
export function moveRejected(file: string, reason: string, when: Date): string | null {
  if (!existsSync(file)) return null;
  const dir = join(dirname(file), REJECTED_DIR);
  mkdirSync(dir, { recursive: true });
  const target = freeName(dir, basename(file), true);
  // The note first: a file in rejected/ always has its reason beside it.
  writeFileSync(
    `${target}.txt`,
    `${basename(file)} was not imported (lasttouch monthly, ${when.toISOString()}):\n\n${reason}\n\n` +
      `Nothing of it is in the warehouse. Fix or export the file again, then put it back in ${dirname(file)}/;\n` +
      `the next monthly run imports it.\n`,
  );
  renameSync(file, target);
  return target;
}
