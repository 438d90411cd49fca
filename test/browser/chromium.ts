// The Chromium the browser tests drive through playwright-core, found in this order:
//   1. LASTTOUCH_CHROMIUM, a path to a Chromium binary, when it is set (then nothing else is tried);
//   2. the Chromium shipped inside the dev dependency @sparticuz/chromium (`npm ci` installs it),
//      unpacked once into a folder of the system's temporary directory;
//   3. Debian's /usr/bin/chromium, when it is there.
// When none can be found or launched, launchChromium throws: the browser tests fail, they are never skipped.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

// playwright-core gives every launch a fresh, empty profile of its own (and refuses --user-data-dir here).
export const CHROMIUM_ARGS = [
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

const HOW_TO_GET_ONE =
  `To get a browser: run \`npm ci\` so that the dev dependency ${NPM_PACKAGE} installs (it ships Chromium inside the package), ` +
  `or set ${ENV_VAR} to the path of a Chromium binary, ` +
  `or install Debian's chromium (\`apt-get install chromium\`, which gives ${DEBIAN_CHROMIUM}).`;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Unpacks the npm package's Chromium once and returns the binary's path. The package itself unpacks into
 * the temporary directory's own /chromium, where a second test worker doing the same at the same moment
 * could be handed a half-written binary, and where a binary of another version may already lie. So here
 * a child process unpacks it (TMPDIR pointed at a folder of its own), and that folder is then renamed into
 * place in one step, under a name that carries the package's version: whoever renames first wins, the
 * others drop their copy and use the winner's.
 */
async function npmPackageChromium(): Promise<string> {
  const require = createRequire(import.meta.url);
  let entry: string;
  let version: string;
  try {
    entry = require.resolve(NPM_PACKAGE);
    // the package's own package.json, in the nearest folder above its entry point that has one
    let folder = dirname(entry);
    while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
    version = (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    throw new Error('not installed');
  }
  const uid = process.getuid?.() ?? 'user';
  const folder = join(tmpdir(), `lasttouch-chromium-${version}-${uid}`);
  const binary = join(folder, 'chromium');
  if (isExecutable(binary)) return binary;

  const staging = mkdtempSync(`${folder}.partial-`);
  try {
    const script = `const { default: Chromium } = await import(${JSON.stringify(pathToFileURL(entry).href)});
process.stdout.write(await Chromium.executablePath());`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TMPDIR: staging, TMP: staging, TEMP: staging },
      maxBuffer: 1024 * 1024,
    });
    if (stdout.trim() !== join(staging, 'chromium') || !isExecutable(join(staging, 'chromium'))) {
      throw new Error(`unpacking ${NPM_PACKAGE}@${version} gave ${JSON.stringify(stdout.trim())}, not ${join(staging, 'chromium')}`);
    }
    try {
      renameSync(staging, folder);
    } catch (error) {
      // Another worker renamed its copy into place first.
      if (!isExecutable(binary)) throw error;
    }
  } finally {
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

async function launch(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Launches headless Chromium for the browser tests, or throws an Error that says what was tried and how to get one. */
export async function launchChromium(): Promise<Browser> {
  const explicit = process.env[ENV_VAR];
  if (explicit) {
    try {
      return await launch(explicit);
    } catch (error) {
      throw new Error(`No Chromium for the browser tests: ${ENV_VAR}=${explicit} could not be launched (${message(error)}). ${HOW_TO_GET_ONE}`);
    }
  }

  const tried: string[] = [`${ENV_VAR}: not set`];
  try {
    const path = await npmPackageChromium();
    try {
      return await launch(path);
    } catch (error) {
      tried.push(`${NPM_PACKAGE}: ${path} could not be launched (${message(error)})`);
    }
  } catch (error) {
    tried.push(`${NPM_PACKAGE}: ${message(error)}`);
  }

  if (existsSync(DEBIAN_CHROMIUM)) {
    try {
      return await launch(DEBIAN_CHROMIUM);
    } catch (error) {
      tried.push(`${DEBIAN_CHROMIUM}: could not be launched (${message(error)})`);
    }
  } else {
    tried.push(`${DEBIAN_CHROMIUM}: not there`);
  }

  throw new Error(`No Chromium for the browser tests. Tried: ${tried.join('; ')}. ${HOW_TO_GET_ONE}`);
}
