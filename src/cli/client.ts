import type { Command } from 'commander';
import type { ClientSettings } from '../warehouse/clients.js';
import { clientChanges, type SetOptions } from '../client-settings.js';
import { checkClientId } from '../client-id.js';
import { globals, print } from './common.js';
import { NotFoundError } from '../errors.js';

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
    .option('--notify <address>', 'e-mail address(es) for notifications, comma-separated ("" to clear)')
    .addHelpText('after', '\nExample:\n  lasttouch client set acme --timezone America/New_York --view-only exclude')
    .action(async (id: string, options: SetOptions, command: Command) => {
      const { dbPath, waitSeconds, onWait } = globals(command);
      checkClientId(id);
      const changes = clientChanges(options);
      const [{ ensureClient }, { withWarehouse }] = await Promise.all([import('../warehouse/clients.js'), import('../warehouse/db.js')]);
      const settings = await withWarehouse(dbPath, { waitSeconds, onWait }, (warehouse) => ensureClient(warehouse, id, changes));
      for (const line of describe(settings)) print(line);
    });
  client
    .command('list')
    .description('list the clients and their settings')
    .action(async (_options: unknown, command: Command) => {
      const { dbPath, waitSeconds, onWait } = globals(command);
      const [{ listClients }, { withWarehouse }] = await Promise.all([import('../warehouse/clients.js'), import('../warehouse/db.js')]);
      const clients = await withWarehouse(dbPath, { readOnly: true, waitSeconds, onWait }, listClients);
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
      const { dbPath, waitSeconds, onWait } = globals(command);
      const [{ getClient }, { withWarehouse }] = await Promise.all([import('../warehouse/clients.js'), import('../warehouse/db.js')]);
      const settings = await withWarehouse(dbPath, { readOnly: true, waitSeconds, onWait }, (warehouse) => getClient(warehouse, id));
      if (!settings) throw new NotFoundError(`no client "${id}" in ${dbPath}; \`lasttouch client list\` lists them`);
      for (const line of describe(settings)) print(line);
    });
}
