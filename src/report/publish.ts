// Publishing the site all at once: the pages are written into a fresh folder beside the out folder and
// only then swapped into place, so a failed report leaves the last good site serving, untouched.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { ReportFailedError } from '../errors.js';

/**
 * Marks a folder as a site this command wrote. Publishing replaces the whole out folder, so it refuses a
 * folder without the marker that holds anything: `--out .` must never delete someone's files.
 */
export const SITE_MARKER = '.lasttouch-report';

function assertReplaceable(target: string): void {
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) {
    throw new ReportFailedError(`--out ${target} is a file, not a folder`);
  }
  const entries = readdirSync(target);
  if (entries.length > 0 && !entries.includes(SITE_MARKER)) {
    throw new ReportFailedError(
      `--out ${target} holds files that lasttouch did not write (no ${SITE_MARKER} marker); ` +
        'the report replaces its out folder as a whole, so choose an empty or new folder',
    );
  }
}

/** A page of the site published in target, if there is one (undefined when the site or the page is missing). */
export function readSitePage(target: string, fileName: string): string | undefined {
  const path = join(resolve(target), fileName);
  if (!existsSync(join(resolve(target), SITE_MARKER)) || !existsSync(path)) return undefined;
  return readFileSync(path, 'utf8');
}

function sibling(target: string, kind: string): string {
  return join(dirname(target), `.${basename(target)}.${kind}-${process.pid}-${randomBytes(6).toString('hex')}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What a report killed part way left beside the target: a staging folder it was writing (removed), and,
 * when it was killed between the two renames of the swap, the old site renamed aside with no site in
 * its place (renamed back, so the last good site serves again). Folders of a report still running are
 * left to it.
 */
function recover(target: string): void {
  const dir = dirname(target);
  if (!existsSync(dir)) return;
  const pattern = new RegExp(`^\\.${basename(target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(new|old)-(\\d+)-[0-9a-f]+$`);
  const leftovers = readdirSync(dir)
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((entry) => entry.match !== null && !alive(Number(entry.match[2])));
  const retired = leftovers.find((entry) => entry.match?.[1] === 'old');
  if (retired !== undefined && !existsSync(target)) renameSync(join(dir, retired.name), target);
  for (const entry of leftovers) rmSync(join(dir, entry.name), { recursive: true, force: true });
}

/**
 * Writes files (name -> content) as the new site at outDir. On any failure before the swap, the staging
 * folder is removed and outDir is as it was.
 */
export function publishSite(outDir: string, files: ReadonlyMap<string, string>): string {
  const target = resolve(outDir);
  mkdirSync(dirname(target), { recursive: true });
  recover(target);
  assertReplaceable(target);
  // Beside the target, so the renames below stay on one file system (rename is atomic there); made with
  // mkdir rather than mkdtemp, whose 0700 mode would hide the published site from a web server.
  const staging = sibling(target, 'new');
  mkdirSync(staging);
  try {
    for (const [name, content] of files) writeFileSync(join(staging, name), content);
    writeFileSync(join(staging, SITE_MARKER), 'written by `lasttouch report`; the next report replaces this folder\n');
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  swapInto(target, staging);
  return target;
}

/**
 * Node has no atomic exchange of two folders, so the old site is renamed aside and the new one renamed
 * in: two renames, microseconds apart. If the second fails, the old site is put back.
 */
function swapInto(target: string, staging: string): void {
  if (!existsSync(target)) {
    renameSync(staging, target);
    return;
  }
  const retired = sibling(target, 'old');
  renameSync(target, retired);
  try {
    renameSync(staging, target);
  } catch (error) {
    renameSync(retired, target);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  rmSync(retired, { recursive: true, force: true });
}
