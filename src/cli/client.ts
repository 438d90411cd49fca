import type { Command } from 'commander';
import { isValidTimeZone } from '../ingest/values.js';
import type { ClientChanges, ClientSettings } from '../warehouse/clients.js';
import { checkClientId } from '../client-id.js';
import { globals, print } from './common.js';
import { NotFoundError, UsageError } from '../errors.js';

const CLAIM_PLATFORMS = ['klaviyo', 'postscript'];

interface SetOptions {
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
    if (options.notify !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(options.notify)) {
      throw new UsageError(`--notify "${options.notify}" is not an e-mail address`);
    }
    changes.notify = options.notify === '' ? null : options.notify;
  }
  return changes;
}

function describe(client: ClientSettings): string[] {
  return [
    `client ${client.client_id}`,
    `  view_only:         ${client.view_only}`,
    `  model:             ${client.model}`,
    `  timezone:          ${client.timezone}`,
    `  source_timezone:   ${client.source_timezone}`,
    `  currency:          ${client.currency}`,
    `  platform_priority: ${client.platform_priority.length > 0 ? client.platform_priority.join(',') : '(alphabetical)'}`,
    `  notify:            ${client.notify ?? '(none)'}`,
  ];
}

export function registerClient(program: Command): void {
  const client = program.command('client').description('client settings, stored in the warehouse');
  client
    .command('set')
    .description('create a client or change its settings; the next build applies them')
    .argument('<id>', 'client id')
    .option('--view-only <mode>', 'include | exclude view-only claims')
    .option('--timezone <tz>', 'time zone of the reporting months (IANA name)')
    .option('--source-timezone <tz>', 'time zone of naive timestamps in this client\'s exports')
    .option('--currency <code>', 'currency of claims whose export has no currency column')
    .option('--model <model>', 'flat | click-priority')
    .option('--platform-priority <list>', 'tie order between platforms, e.g. postscript,klaviyo')
    .option('--notify <address>', 'e-mail address for import notices ("" to clear)')
    .addHelpText('after', '\nExample:\n  lasttouch client set acme --timezone America/New_York --view-only exclude')
    .action(async (id: string, options: SetOptions, command: Command) => {
      const { dbPath, waitSeconds } = globals(command);
      checkClientId(id);
      const changes = clientChanges(options);
      const [{ ensureClient }, { withWarehouse }] = await Promise.all([import('../warehouse/clients.js'), import('../warehouse/db.js')]);
      const settings = await withWarehouse(dbPath, { waitSeconds }, (warehouse) => ensureClient(warehouse, id, changes));
      for (const line of describe(settings)) print(line);
    });
  client
    .command('list')
    .description('list the clients and their settings')
    .action(async (_options: unknown, command: Command) => {
      const { dbPath, waitSeconds } = globals(command);
      const [{ listClients }, { withWarehouse }] = await Promise.all([import('../warehouse/clients.js'), import('../warehouse/db.js')]);
      const clients = await withWarehouse(dbPath, { readOnly: true, waitSeconds }, listClients);
      if (clients.length === 0) print('no clients yet: `lasttouch import` or `lasttouch client set` creates one');
      for (const settings of clients) {
        print(
          `${settings.client_id}\tview_only=${settings.view_only}\tmodel=${settings.model}\ttimezone=${settings.timezone}\tcurrency=${settings.currency}`,
        );
      }
    });
  client
    .command('show')
    .description('show one client\'s settings')
    .argument('<id>', 'client id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { dbPath, waitSeconds } = globals(command);
      const [{ getClient }, { withWarehouse }] = await Promise.all([import('../warehouse/clients.js'), import('../warehouse/db.js')]);
      const settings = await withWarehouse(dbPath, { readOnly: true, waitSeconds }, (warehouse) => getClient(warehouse, id));
      if (!settings) throw new NotFoundError(`no client "${id}" in ${dbPath}; \`lasttouch client list\` lists them`);
      for (const line of describe(settings)) print(line);
    });
}
