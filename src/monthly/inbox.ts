// The monthly job's inbox: DIR/<client>/ holds that client's exports as downloaded, and optionally a
// client.json of its settings and column mappings. This module only reads it: which clients, which
// files, which platform each file is (from its header), and the settings to apply.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkClientId } from '../client-id.js';
import { UsageError } from '../errors.js';
import { matchHeaders, type Platform } from '../ingest/format.js';
import { normalizeHeader } from '../ingest/values.js';
import { InputError } from '../ingest/errors.js';
import { parseColumnMapping } from '../ingest/column-mapping.js';
import { PLATFORMS } from '../ingest/platforms.js';
import { formatOf } from '../ingest/registry.js';
import { readRecords } from '../ingest/source-file.js';
import type { ClientChanges } from '../warehouse/clients.js';
import { clientChanges, SETTINGS, type SettingKey } from '../client-settings.js';
import { parseRecipients } from '../notify/addresses.js';

export const CLIENT_FILE = 'client.json';
export const IMPORTED_DIR = 'imported';
export const REJECTED_DIR = 'rejected';

/** Names a download in progress or a file that is not an export: left where it is, untouched. */
const NOT_AN_EXPORT = /^\.|\.(part|crdownload|download|tmp|partial)$|~$/i;

export interface InboxClient {
  clientId: string;
  dir: string;
  /** The exports waiting, oldest first (modification time, then name). */
  files: string[];
  /** Why the folder cannot be taken as a client, or its client.json cannot be applied: nothing of it is imported. */
  problem: string | null;
  settings: ClientChanges;
  /** Column mappings per platform (canonical name -> header), from client.json. */
  columns: Partial<Record<Platform, Record<string, string>>>;
}


/** client.json: the settings of `lasttouch client set`, by their names in `client show`, and `columns`. */
function readClientFile(path: string): { settings: ClientChanges; columns: InboxClient['columns'] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: not readable JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`${path}: must hold one JSON object of settings, e.g. {"timezone": "America/New_York", "notify": ["ops@example.com"]}`);
  }
  const entries = parsed as Record<string, unknown>;
  const known = [...SETTINGS.map((entry) => entry.key), 'columns'];
  const unknown = Object.keys(entries).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new UsageError(`${path}: unknown key ${unknown.map((key) => `"${key}"`).join(', ')} (known: ${known.join(', ')})`);
  const texts: Partial<Record<SettingKey, string>> = {};
  for (const entry of SETTINGS) {
    const value = entries[entry.key];
    if (value === undefined) continue;
    if (entry.list && Array.isArray(value) && value.every((item) => typeof item === 'string')) texts[entry.key] = value.join(',');
    else if (typeof value === 'string') texts[entry.key] = value;
    else throw new UsageError(`${path}: "${entry.key}" must be a string${entry.list ? ' or a list of strings' : ''}`);
  }
  let settings: ClientChanges;
  try {
    settings = clientChanges(texts);
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
  const columns: InboxClient['columns'] = {};
  if (entries.columns !== undefined) {
    const byPlatform = entries.columns;
    if (byPlatform === null || typeof byPlatform !== 'object' || Array.isArray(byPlatform)) {
      throw new UsageError(`${path}: "columns" must map a platform to its mapping, e.g. {"postscript": {"order_id": "Order #"}}`);
    }
    for (const [platform, mapping] of Object.entries(byPlatform as Record<string, unknown>)) {
      if (!(PLATFORMS as readonly string[]).includes(platform)) {
        throw new UsageError(`${path}: "columns" names platform "${platform}" (known: ${PLATFORMS.join(', ')})`);
      }
      try {
        columns[platform as Platform] = parseColumnMapping(mapping, formatOf(platform as Platform), basename(path));
      } catch (error) {
        throw new UsageError(`${path}: "columns"."${platform}": ${(error as Error).message.split('\n')[0] ?? ''}`);
      }
    }
  }
  return { settings, columns };
}

/** The clients of an inbox, each with its waiting exports. */
export function scanInbox(inbox: string): InboxClient[] {
  if (!existsSync(inbox) || !statSync(inbox).isDirectory()) throw new UsageError(`--inbox ${inbox}: no such folder`);
  const clients: InboxClient[] = [];
  for (const name of readdirSync(inbox).sort()) {
    const dir = join(inbox, name);
    if (name.startsWith('.') || !statSync(dir).isDirectory()) continue;
    const client: InboxClient = { clientId: name, dir, files: [], problem: null, settings: {}, columns: {} };
    clients.push(client);
    try {
      checkClientId(name);
      const settingsFile = join(dir, CLIENT_FILE);
      if (existsSync(settingsFile)) Object.assign(client, readClientFile(settingsFile));
    } catch (error) {
      client.problem = error instanceof Error ? error.message : String(error);
      continue;
    }
    client.files = readdirSync(dir)
      .filter((file) => file !== CLIENT_FILE && !NOT_AN_EXPORT.test(file))
      .map((file) => ({ path: join(dir, file), stat: statSync(join(dir, file)) }))
      .filter((entry) => entry.stat.isFile())
      .sort((a, b) => a.stat.mtimeMs - b.stat.mtimeMs || (a.path < b.path ? -1 : 1))
      .map((entry) => entry.path);
  }
  return clients;
}

/**
 * Which platform's export a file is, from its header: the one format whose required columns it has (with
 * the client's mapping for that format). A header that fits none, or more than one, is refused with what
 * each format misses.
 */
export async function detectPlatform(file: string, columns: InboxClient['columns']): Promise<Platform> {
  const name = basename(file);
  let header: string[] | null = null;
  let line = 1;
  for await (const record of readRecords(file)) {
    header = record.cells;
    line = record.line;
    break;
  }
  if (header === null || header.every((cell) => normalizeHeader(cell) === '')) throw new InputError(name, 1, null, null, 'the file is empty');
  const fits = PLATFORMS.filter((platform) => matchHeaders(header, formatOf(platform), columns[platform] ?? {}).missing.length === 0);
  if (fits.length === 1) return fits[0] as Platform;
  if (fits.length > 1) {
    throw new InputError(
      name,
      line,
      null,
      null,
      `the header fits the exports of ${fits.join(' and ')} alike, so which platform this file is from would be a guess; ` +
        `import it by hand with \`lasttouch import <platform> ${name} --client …\``,
    );
  }
  const misses = PLATFORMS.map((platform) => {
    const { missing } = matchHeaders(header, formatOf(platform), columns[platform] ?? {});
    return `${formatOf(platform).label} lacks ${missing.map((column) => `"${column}"`).join(', ')}`;
  });
  throw new InputError(
    name,
    line,
    null,
    null,
    `the header is not that of any export lasttouch reads (${misses.join('; ')}); ` +
      `when your export names a column differently, map it under "columns" in ${CLIENT_FILE}`,
  );
}
