// The client settings a user can change (`client set`, the monthly inbox's client.json), each checked
// here once: a value out of its range is a usage error (exit 2) that names the setting.
import { CLAIM_FORMATS } from './ingest/registry.js';
import { isValidTimeZone } from './ingest/values.js';
import { parseRecipients } from './notify/addresses.js';
import type { ClientChanges } from './warehouse/clients.js';
import { UsageError } from './errors.js';

const CLAIM_PLATFORMS: readonly string[] = CLAIM_FORMATS.map((format) => format.platform);

export interface SetOptions {
  viewOnly?: string;
  timezone?: string;
  sourceTimezone?: string;
  currency?: string;
  model?: string;
  platformPriority?: string;
  notify?: string;
}

export function clientChanges(options: SetOptions): ClientChanges {
  const changes: ClientChanges = {};
  if (options.viewOnly !== undefined) {
    if (options.viewOnly !== 'include' && options.viewOnly !== 'exclude') {
      throw new UsageError(`--view-only must be include or exclude, not "${options.viewOnly}"`);
    }
    changes.view_only = options.viewOnly;
  }
  if (options.model !== undefined) {
    if (options.model !== 'flat' && options.model !== 'click-priority') {
      throw new UsageError(`--model must be flat or click-priority, not "${options.model}"`);
    }
    changes.model = options.model;
  }
  for (const [flag, value, key] of [
    ['--timezone', options.timezone, 'timezone'],
    ['--source-timezone', options.sourceTimezone, 'source_timezone'],
  ] as const) {
    if (value === undefined) continue;
    if (!isValidTimeZone(value)) throw new UsageError(`${flag} "${value}" is not an IANA time zone (e.g. America/New_York, UTC)`);
    changes[key] = value;
  }
  if (options.currency !== undefined) {
    if (!/^[A-Za-z]{3}$/.test(options.currency)) throw new UsageError(`--currency "${options.currency}" is not a three-letter code`);
    changes.currency = options.currency.toUpperCase();
  }
  if (options.platformPriority !== undefined) {
    const platforms = options.platformPriority.split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
    const unknown = platforms.filter((name) => !CLAIM_PLATFORMS.includes(name));
    if (unknown.length > 0) {
      throw new UsageError(`--platform-priority: unknown platform ${unknown.join(', ')} (known: ${CLAIM_PLATFORMS.join(', ')})`);
    }
    changes.platform_priority = platforms;
  }
  if (options.notify !== undefined) {
    const recipients = parseRecipients(options.notify);
    changes.notify = recipients.length === 0 ? null : recipients.join(', ');
  }
  return changes;
}

