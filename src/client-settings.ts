// The client settings, catalogued once. Each setting's type, default, check, command-line option, help,
// how it reads from the warehouse and how it shows come from its entry here: `client set` registers its
// options from the catalogue, `client set` and the monthly inbox's client.json read values through the
// same checks (a value out of range is a usage error that names the setting), and the settings row type
// is derived from it. The warehouse's own defaults and CHECKs are in the frozen migrations;
// test/integration/client-settings.test.ts holds them to this catalogue.
import { CLAIM_FORMATS } from './ingest/registry.js';
import { isValidTimeZone } from './ingest/values.js';
import { parseRecipients } from './notify/addresses.js';
import { UsageError } from './errors.js';

interface Setting<K extends string, T> {
  /** The column of meta.clients, the name in `client show` and the key of client.json. */
  key: K;
  /** The option of `client set`. */
  flag: `--${string}`;
  arg: string;
  help: string;
  default: T;
  /** Whether client.json may give it as a list of strings (joined with commas, as the option takes it). */
  list: boolean;
  /** Shown by `client list` beside the id. */
  listed: boolean;
  /** The value as written (the option's text); throws a UsageError naming the option. */
  parse(text: string): T;
  /** The value as the warehouse gives it. */
  read(value: unknown): T;
  show(value: T): string;
}

const setting = <K extends string, T>(entry: Setting<K, T>): Setting<K, T> => entry;

function oneOf<const V extends string>(flag: string, values: readonly V[]): (text: string) => V {
  return (text) => {
    if (!(values as readonly string[]).includes(text)) throw new UsageError(`${flag} must be ${values.join(' or ')}, not "${text}"`);
    return text as V;
  };
}

function timeZone(flag: string): (text: string) => string {
  return (text) => {
    if (!isValidTimeZone(text)) throw new UsageError(`${flag} "${text}" is not an IANA time zone (e.g. America/New_York, UTC)`);
    return text;
  };
}

/** A setting that takes one of a closed list of words, the first its default; shown by `client list`. */
function closedList<K extends string, const V extends string>(
  key: K,
  flag: `--${string}`,
  arg: string,
  help: string,
  values: readonly [V, ...V[]],
): Setting<K, V> {
  return {
    key,
    flag,
    arg,
    help,
    default: values[0],
    list: false,
    listed: true,
    parse: oneOf(flag, values),
    read: (value) => value as V,
    show: (value) => value,
  };
}

const CLAIM_PLATFORMS: readonly string[] = CLAIM_FORMATS.map((format) => format.platform);

export const SETTINGS = [
  closedList('view_only', '--view-only', 'mode', 'include | exclude view-only claims', ['include', 'exclude']),
  closedList('model', '--model', 'model', 'flat | click-priority', ['flat', 'click-priority']),
  setting({
    key: 'timezone',
    flag: '--timezone',
    arg: 'tz',
    help: 'time zone of the reporting months (IANA name)',
    default: 'UTC',
    list: false,
    listed: true,
    parse: timeZone('--timezone'),
    read: String,
    show: (value) => value,
  }),
  setting({
    key: 'source_timezone',
    flag: '--source-timezone',
    arg: 'tz',
    help: "time zone of naive timestamps in this client's exports",
    default: 'UTC',
    list: false,
    listed: false,
    parse: timeZone('--source-timezone'),
    read: String,
    show: (value) => value,
  }),
  setting({
    key: 'currency',
    flag: '--currency',
    arg: 'code',
    help: 'currency of claims whose export has no currency column',
    default: 'USD',
    list: false,
    listed: true,
    parse: (text) => {
      if (!/^[A-Za-z]{3}$/.test(text)) throw new UsageError(`--currency "${text}" is not a three-letter code`);
      return text.toUpperCase();
    },
    read: String,
    show: (value) => value,
  }),
  setting({
    key: 'platform_priority',
    flag: '--platform-priority',
    arg: 'list',
    help: 'tie order between platforms, e.g. postscript,klaviyo',
    default: [] as string[],
    list: true,
    listed: false,
    parse: (text) => {
      const platforms = text.split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
      const unknown = platforms.filter((name) => !CLAIM_PLATFORMS.includes(name));
      if (unknown.length > 0) {
        throw new UsageError(`--platform-priority: unknown platform ${unknown.join(', ')} (known: ${CLAIM_PLATFORMS.join(', ')})`);
      }
      return platforms;
    },
    read: (value) => (value as string[] | null) ?? [],
    show: (value) => (value.length > 0 ? value.join(',') : '(alphabetical)'),
  }),
  setting({
    key: 'notify',
    flag: '--notify',
    arg: 'address',
    help: 'e-mail address(es) for notifications, comma-separated ("" to clear)',
    default: null as string | null,
    list: true,
    listed: false,
    parse: (text) => {
      const recipients = parseRecipients(text);
      return recipients.length === 0 ? null : recipients.join(', ');
    },
    read: (value) => (value as string | null) ?? null,
    show: (value) => value ?? '(none)',
  }),
] as const;

type Entry = (typeof SETTINGS)[number];
export type SettingKey = Entry['key'];
/** Every setting of a client, typed by the catalogue. */
export type SettingValues = { [E in Entry as E['key']]: E['default'] };

/** The option's name as commander gives it: --view-only is viewOnly. */
function optionName(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The settings of a new client. */
export function defaultValues(): SettingValues {
  return Object.fromEntries(SETTINGS.map((entry) => [entry.key, structuredClone(entry.default)])) as SettingValues;
}

/** The settings of a row of meta.clients. */
export function readValues(row: Record<string, unknown>): SettingValues {
  return Object.fromEntries(SETTINGS.map((entry) => [entry.key, entry.read(row[entry.key])])) as SettingValues;
}

/** Each setting with its value as `client show` writes it. */
export function shownValues(values: SettingValues): [SettingKey, string][] {
  return SETTINGS.map((entry) => [entry.key, (entry.show as (value: unknown) => string)(values[entry.key])]);
}

/** The changes the given texts ask for, by setting key, each checked; a key not given is left as it is. */
export function clientChanges(texts: Partial<Record<SettingKey, string>>): Partial<SettingValues> {
  const changes: Record<string, unknown> = {};
  for (const entry of SETTINGS) {
    const text = texts[entry.key];
    if (text !== undefined) changes[entry.key] = entry.parse(text);
  }
  return changes as Partial<SettingValues>;
}

/** `client set`'s options (by commander's names) as texts by setting key. */
export function textsOfOptions(options: Record<string, unknown>): Partial<Record<SettingKey, string>> {
  const texts: Partial<Record<SettingKey, string>> = {};
  for (const entry of SETTINGS) {
    const value = options[optionName(entry.flag)];
    if (typeof value === 'string') texts[entry.key] = value;
  }
  return texts;
}
