// "import complete": one message per recipient of the import's --notify, else of the client's notify
// setting, queued in the same write as the upload it announces.
import type { ImportSummary } from '../ingest/summary.js';
import { getClient } from '../warehouse/clients.js';
import type { Warehouse } from '../warehouse/db.js';
import { parseRecipients } from './addresses.js';
import { queueMail, type QueuedMail } from './queue.js';

/** The client's notify setting as a list of addresses. */
export async function clientRecipients(warehouse: Warehouse, clientId: string): Promise<string[]> {
  const client = await getClient(warehouse, clientId);
  return client?.notify ? parseRecipients(client.notify) : [];
}

/** Queues the messages of an upload just imported; recipients null: the client's notify setting. */
export async function queueImportMail(warehouse: Warehouse, summary: ImportSummary, recipients: readonly string[] | null): Promise<QueuedMail[]> {
  if (summary.status !== 'imported') return [];
  const to = recipients ?? (await clientRecipients(warehouse, summary.clientId));
  const queued: QueuedMail[] = [];
  if (to.length === 0) return queued;
  // The composer (Handlebars) is loaded only for an import that mails someone.
  const { importCompleteMail } = await import('./compose.js');
  for (const address of to) queued.push(await queueMail(warehouse, importCompleteMail(summary, address), { uploadId: summary.uploadId }));
  return queued;
}
