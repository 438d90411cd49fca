// Publishing the site all at once: the pages are written into a fresh folder beside the out folder and
// only then swapped into place, so a failed report leaves the last good site serving, untouched.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
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

/** Whether the site published in target has the page at the site-relative path. */
export function sitePageExists(target: string, path: string): boolean {
  return existsSync(join(resolve(target), SITE_MARKER)) && existsSync(join(resolve(target), path));
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

const MARKER_TEXT = 'written by `lasttouch report`; the next report replaces the files listed below and keeps every other file\n';

/** Every file under dir, as site-relative paths with forward slashes. */
function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * The files a previous report wrote into target, from its marker. A marker of an older version lists
 * none: then every file in the folder was the report's, as that version only ever wrote its own.
 */
function writtenBefore(target: string, present: readonly string[]): Set<string> {
  const marker = join(target, SITE_MARKER);
  if (!existsSync(marker)) return new Set();
  const listed = readFileSync(marker, 'utf8').split('\n').slice(1).filter((line) => line !== '');
  return new Set(listed.length > 0 ? listed : present);
}

export interface PublishOptions {
  /** Keep the previous site's pages that are not rendered anew (a report of one client or one month). */
  keepOthers?: boolean;
  /** Runs on the staging folder once every file is in it and before the swap (printing PDFs); a throw publishes nothing. */
  beforeSwap?: (staging: string) => Promise<void>;
}

/**
 * Writes files (site-relative path -> content) as the new site at outDir. Files in outDir that lasttouch
 * did not write are carried over untouched, and with keepOthers so are the pages of the previous site not
 * rendered now. On any failure before the swap, the staging folder is removed and outDir is as it was.
 */
export async function publishSite(outDir: string, files: ReadonlyMap<string, string>, options: PublishOptions = {}): Promise<{ target: string; kept: number }> {
  const target = resolve(outDir);
  mkdirSync(dirname(target), { recursive: true });
  recover(target);
  assertReplaceable(target);
  // Beside the target, so the renames below stay on one file system (rename is atomic there); made with
  // mkdir rather than mkdtemp, whose 0700 mode would hide the published site from a web server.
  const staging = sibling(target, 'new');
  mkdirSync(staging);
  let kept = 0;
  try {
    const present = existsSync(target) ? filesUnder(target).filter((name) => name !== SITE_MARKER) : [];
    const ours = writtenBefore(target, present);
    const foreign = new Set(present.filter((name) => !ours.has(name)));
    const clash = [...files.keys()].find((name) => foreign.has(name));
    if (clash !== undefined) {
      throw new ReportFailedError(`${join(target, clash)} was not written by lasttouch, and the report would replace it: move it out of the site folder`);
    }
    // A PDF printed from a page goes with it: a page rendered anew never keeps the PDF of its old self.
    const printedFromNew = (name: string): boolean => name.endsWith('.pdf') && files.has(name.replace(/\.pdf$/, '.html'));
    for (const name of present) {
      if (files.has(name) || !(foreign.has(name) || (options.keepOthers === true && !printedFromNew(name)))) continue;
      mkdirSync(dirname(join(staging, name)), { recursive: true });
      copyFileSync(join(target, name), join(staging, name));
      if (!foreign.has(name)) kept += 1;
    }
    for (const [name, content] of files) {
      mkdirSync(dirname(join(staging, name)), { recursive: true });
      writeFileSync(join(staging, name), content);
    }
    await options.beforeSwap?.(staging);
    const manifest = filesUnder(staging).filter((name) => name !== SITE_MARKER && !foreign.has(name));
    writeFileSync(join(staging, SITE_MARKER), `${MARKER_TEXT}${manifest.join('\n')}\n`);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  swapInto(target, staging);
  return { target, kept };
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
