// Client settings, kept in the warehouse (meta.clients), as the catalogue (client-settings.ts) types them. A
// client is created with the defaults on its first import or `client set`. Reading a client and creating it are plain SQL: every import does them,
// and loading Kysely (some 260 modules, and DuckDB's bindings as ESM) costs more CPU than the whole of a
// small import's queries. Kysely is loaded only to change settings, which takes typed column names.
import { checkClientId } from '../client-id.js';
import type { Warehouse } from './db.js';
import type { ClientSettingsRow } from './meta-schema.js';
import { defaultValues, readValues } from '../client-settings.js';

export type ClientSettings = ClientSettingsRow;
export type ClientChanges = Partial<Omit<ClientSettings, 'client_id'>>;

export function defaultSettings(clientId: string): ClientSettings {
  return { client_id: clientId, ...defaultValues() };
}

function toSettings(row: Record<string, unknown>): ClientSettings {
  return { client_id: String(row.client_id), ...readValues(row) };
}

export async function getClient(warehouse: Warehouse, clientId: string): Promise<ClientSettings | undefined> {
  const rows = await warehouse.all('SELECT * FROM meta.clients WHERE client_id = $1', [clientId]);
  return rows[0] ? toSettings(rows[0]) : undefined;
}

export async function listClients(warehouse: Warehouse): Promise<ClientSettings[]> {
  const rows = await warehouse.all('SELECT * FROM meta.clients ORDER BY client_id');
  return rows.map(toSettings);
}

/** Creates the client with the defaults when it is new, then applies changes; returns the settings. */
export async function ensureClient(
  warehouse: Warehouse,
  clientId: string,
  changes: ClientChanges = {},
): Promise<ClientSettings> {
  checkClientId(clientId);
  await warehouse.run('INSERT INTO meta.clients (client_id) VALUES ($1) ON CONFLICT (client_id) DO NOTHING', [clientId]);
  if (Object.keys(changes).length > 0) {
    const { meta, run } = await import('./kysely.js');
    await run(
      warehouse,
      meta
        .updateTable('clients')
        .set({ ...changes, updated_at: new Date().toISOString() })
        .where('client_id', '=', clientId),
    );
  }
  const settings = await getClient(warehouse, clientId);
  if (!settings) throw new Error(`client ${clientId} could not be created`);
  return settings;
}
