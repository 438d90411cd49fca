// The Chromium that `report --pdf` (and the browser tests) drive through playwright-core, found in this order:
//   1. LASTTOUCH_CHROMIUM, a path to a Chromium binary, when it is set (then nothing else is tried, so that
//      a wrong setting is reported rather than silently replaced by another browser);
//   2. the Chromium shipped inside @sparticuz/chromium, a dev dependency: there in a checkout after
//      `npm ci`, absent from an install without dev dependencies, so it is resolved at run time and
//      skipped when missing; unpacked once into a folder of the system's temporary directory;
//   3. Debian's /usr/bin/chromium;
//   4. chromium, chromium-browser or google-chrome on PATH.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { ReportFailedError, firstLine } from '../errors.js';

// playwright-core gives every launch a fresh, empty profile of its own (and refuses --user-data-dir here).
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const ENV_VAR = 'LASTTOUCH_CHROMIUM';
const NPM_PACKAGE = '@sparticuz/chromium';
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome'] as const;

const HOW_TO_GET_ONE =
  `To get one: set ${ENV_VAR} to the path of a Chromium binary, ` +
  `or install Debian's chromium (\`apt-get install chromium\`, which gives ${DEBIAN_CHROMIUM}), ` +
  `or, in a checkout of lasttouch, run \`npm ci\` so that the dev dependency ${NPM_PACKAGE} (which ships Chromium) installs.`;

const isExecutableFile = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** Why a path given as a browser cannot be one, or null when it may be. */
function unusable(path: string): string | null {
  if (!existsSync(path)) return 'no such file';
  if (!statSync(path).isFile()) return 'not a file';
  if (!isExecutableFile(path)) return 'not executable';
  return null;
}

/** The npm package's entry point and version, or null when it is not installed. */
function npmPackage(): { entry: string; version: string } | null {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(NPM_PACKAGE);
  } catch {
    return null;
  }
  // The package's own package.json: its exports map does not expose ./package.json, so it cannot be
  // resolved by name, and the nearest one above the entry point is build/cjs/package.json (only a
  // "type"), so look for the one that carries the package's name.
  for (let folder = dirname(entry); ; folder = dirname(folder)) {
    const path = join(folder, 'package.json');
    if (existsSync(path)) {
      const manifest: unknown = JSON.parse(readFileSync(path, 'utf8'));
      const { name, version } = (typeof manifest === 'object' && manifest !== null ? manifest : {}) as { name?: unknown; version?: unknown };
      // The version names the unpacked folder: without one, binaries of different versions would share it.
      if (name === NPM_PACKAGE) {
        if (typeof version !== 'string' || version === '') throw new Error(`${path} has no version`);
        return { entry, version };
      }
    }
    if (dirname(folder) === folder) throw new Error(`no package.json of ${NPM_PACKAGE} above ${entry}`);
  }
}

/**
 * Unpacks the npm package's Chromium once and returns the binary's path. The package itself unpacks into
 * the temporary directory's own /chromium, where a second process doing the same at the same moment
 * could be handed a half-written binary, and where a binary of another version may already lie. So here
 * a child process unpacks it (TMPDIR pointed at a folder of its own), and that folder is then renamed into
 * place in one step, under a name that carries the package's version: whoever renames first wins, the
 * others drop their copy and use the winner's.
 */
async function unpackNpmChromium(entry: string, version: string): Promise<string> {
  const uid = process.getuid?.() ?? 'user';
  const folder = join(tmpdir(), `lasttouch-chromium-${version}-${uid}`);
  const binary = join(folder, 'chromium');
  if (isExecutableFile(binary)) return binary;

  const staging = mkdtempSync(`${folder}.partial-`);
  try {
    const script = `const { default: Chromium } = await import(${JSON.stringify(pathToFileURL(entry).href)});
process.stdout.write(await Chromium.executablePath());`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TMPDIR: staging, TMP: staging, TEMP: staging },
      maxBuffer: 1024 * 1024,
    });
    if (stdout.trim() !== join(staging, 'chromium') || !isExecutableFile(join(staging, 'chromium'))) {
      throw new Error(`unpacking ${NPM_PACKAGE}@${version} gave ${JSON.stringify(stdout.trim())}, not ${join(staging, 'chromium')}`);
    }
    try {
      renameSync(staging, folder);
    } catch (error) {
      // Another process renamed its copy into place first.
      if (!isExecutableFile(binary)) throw error;
    }
  } finally {
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

/** The first executable file of that name in a folder of PATH, or null. */
function onPath(name: string): string | null {
  for (const folder of (process.env['PATH'] ?? '').split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/**
 * The path of a Chromium binary, or a ReportFailedError that says what was tried and how to get one.
 * It only finds the binary; whether it starts is for launchChromium to find out.
 */
export async function findChromium(): Promise<string> {
  const explicit = process.env[ENV_VAR];
  if (explicit !== undefined && explicit !== '') {
    const problem = unusable(explicit);
    if (problem !== null) throw new ReportFailedError(`No Chromium: ${ENV_VAR}=${explicit}: ${problem}. ${HOW_TO_GET_ONE}`);
    return explicit;
  }

  const tried: string[] = [`${ENV_VAR} (not set)`];
  try {
    const found = npmPackage();
    if (found === null) tried.push(`${NPM_PACKAGE} (not installed)`);
    else return await unpackNpmChromium(found.entry, found.version);
  } catch (error) {
    tried.push(`${NPM_PACKAGE} (${firstLine(error)})`);
  }

  if (isExecutableFile(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  tried.push(`${DEBIAN_CHROMIUM} (${unusable(DEBIAN_CHROMIUM) ?? 'not usable'})`);

  for (const name of PATH_NAMES) {
    const path = onPath(name);
    if (path !== null) return path;
  }
  tried.push(`${PATH_NAMES.join(', ')} on PATH (none there)`);

  throw new ReportFailedError(`No Chromium found. Tried: ${tried.join('; ')}. ${HOW_TO_GET_ONE}`);
}

/** Launches headless Chromium, or throws a ReportFailedError naming the binary and why it did not start. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = await findChromium();
  try {
    return await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  } catch (error) {
    throw new ReportFailedError(`Chromium ${executablePath} could not be started (${firstLine(error)}). ${HOW_TO_GET_ONE}`);
  }
}
