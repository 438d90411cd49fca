import type { Command } from 'commander';
import type { ClientSettings } from '../warehouse/clients.js';
import { clientChanges, SETTINGS, shownValues, textsOfOptions } from '../client-settings.js';
import { checkClientId } from '../client-id.js';
import { globals, print } from './common.js';
import { NotFoundError } from '../errors.js';

function describe(client: ClientSettings): string[] {
  return [`client ${client.client_id}`, ...shownValues(client).map(([key, shown]) => `  ${`${key}:`.padEnd(19)}${shown}`)];
}

export function registerClient(program: Command): void {
  const client = program.command('client').description('client settings, stored in the warehouse');
  const set = client
    .command('set')
    .description('create a client or change its settings; the next build applies them')
    .argument('<id>', 'client id')
    .addHelpText('after', '\nExample:\n  lasttouch client set acme --timezone America/New_York --view-only exclude');
  for (const entry of SETTINGS) set.option(`${entry.flag} <${entry.arg}>`, entry.help);
  set.action(async (id: string, options: Record<string, unknown>, command: Command) => {
    const { dbPath, waitSeconds, onWait } = globals(command);
    checkClientId(id);
    const changes = clientChanges(textsOfOptions(options));
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
        const shown = new Map(shownValues(settings));
        print([settings.client_id, ...SETTINGS.filter((entry) => entry.listed).map((entry) => `${entry.key}=${shown.get(entry.key)}`)].join('\t'));
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
