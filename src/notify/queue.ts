// Notifications are kept in the warehouse (meta.notifications), one row per message and recipient.
// A message is queued in the same write as what it announces, so that an import that lands always has
// its message on record, and one that does not land has none; it is delivered after that write is
// published, and the delivery's outcome is recorded by a second, short write. A command that ends in
// between leaves the message pending: `status` lists it, and the next monthly run delivers it.
import type { Warehouse } from '../warehouse/db.js';
import { withWarehouse } from '../warehouse/db.js';
import { firstLine } from '../errors.js';
import { maskAddress } from './addresses.js';
import type { OutgoingMail } from './compose.js';
import { deliver, type Delivery, type MailSettings } from './deliver.js';

export interface QueuedMail {
  notificationId: number;
  mail: OutgoingMail;
}

export interface DeliveredMail extends QueuedMail {
  delivery: Delivery;
}

/** Queues one message (status pending) and returns its id. */
export async function queueMail(
  warehouse: Warehouse,
  mail: OutgoingMail,
  about: { uploadId?: number | null; month?: string | null } = {},
): Promise<QueuedMail> {
  const row = await warehouse.one(
    `INSERT INTO meta.notifications (client_id, kind, upload_id, month, recipient, subject, body_text, body_html, status)
     VALUES ($1, $2, $3, CAST($4 AS DATE), $5, $6, $7, $8, 'pending')
     RETURNING notification_id`,
    [
      mail.clientId,
      mail.kind,
      about.uploadId ?? null,
      about.month === undefined || about.month === null ? null : `${about.month}-01`,
      mail.to,
      mail.subject,
      mail.text,
      mail.html,
    ],
  );
  return { notificationId: Number(row?.notification_id), mail };
}

export interface UndeliveredMail extends QueuedMail {
  status: 'pending' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

/** The messages not delivered yet: failed ones, and pending ones whose command ended before delivering. */
export async function undeliveredMail(warehouse: Warehouse, clientId?: string): Promise<UndeliveredMail[]> {
  const rows = await warehouse.all(
    `SELECT notification_id, client_id, kind, recipient, subject, body_text, body_html, status, attempts, last_error,
            strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC') AS created
     FROM meta.notifications
     WHERE status IN ('pending', 'failed') ${clientId === undefined ? '' : 'AND client_id = $1'}
     ORDER BY notification_id`,
    clientId === undefined ? [] : [clientId],
  );
  return rows.map((row) => ({
    notificationId: Number(row.notification_id),
    mail: {
      kind: row.kind as OutgoingMail['kind'],
      clientId: String(row.client_id),
      to: String(row.recipient),
      subject: String(row.subject),
      text: String(row.body_text),
      html: String(row.body_html),
    },
    status: row.status as 'pending' | 'failed',
    attempts: Number(row.attempts),
    lastError: row.last_error === null ? null : String(row.last_error),
    createdAt: String(row.created),
  }));
}

/** Delivers each message in turn; a delivery problem is an outcome, never an exception. */
export async function deliverQueued(queued: readonly QueuedMail[], settings: MailSettings): Promise<DeliveredMail[]> {
  const delivered: DeliveredMail[] = [];
  for (const item of queued) delivered.push({ ...item, delivery: await deliver(item.mail, settings) });
  return delivered;
}

/** Records the outcome of each delivery. */
export async function recordDeliveries(warehouse: Warehouse, delivered: readonly DeliveredMail[]): Promise<void> {
  for (const { notificationId, delivery } of delivered) {
    await warehouse.run(
      `UPDATE meta.notifications
       SET status = $2, attempts = attempts + 1, attempted_at = now(),
           last_error = $3, delivered_to = $4, delivered_at = CASE WHEN $2 = 'failed' THEN NULL ELSE now() END
       WHERE notification_id = $1`,
      [
        notificationId,
        delivery.status,
        delivery.status === 'failed' ? delivery.reason : null,
        delivery.status === 'written' ? delivery.path : delivery.status === 'sent' ? delivery.detail : null,
      ],
    );
  }
}

/**
 * Records the outcomes in a write of their own, after the write that queued them was published. When
 * that write cannot be made (another command holds the warehouse beyond the wait), the messages stay
 * pending, which is what `status` then says; the caller only reports it.
 */
export async function recordDeliveriesAfterwards(
  dbPath: string,
  delivered: readonly DeliveredMail[],
  waitSeconds: number,
): Promise<string | null> {
  if (delivered.length === 0) return null;
  try {
    await withWarehouse(dbPath, { waitSeconds }, (warehouse) => recordDeliveries(warehouse, delivered));
    return null;
  } catch (error) {
    return firstLine(error);
  }
}

/** A delivery as the --json output of import and monthly gives it: the address masked. */
export function deliveryJson(item: DeliveredMail): Record<string, unknown> {
  const { mail, delivery } = item;
  return {
    kind: mail.kind,
    to: maskAddress(mail.to),
    status: delivery.status,
    ...(delivery.status === 'written' ? { path: delivery.path } : {}),
    ...(delivery.status === 'failed' ? { reason: delivery.reason } : {}),
    message: describeDelivery(item),
  };
}

/** One line on a delivery, for the command's output: where it went, or why it did not; addresses masked. */
export function describeDelivery({ mail, delivery }: DeliveredMail, cwd = process.cwd()): string {
  const what = mail.kind === 'import-complete' ? '"import complete"' : '"monthly report ready"';
  const to = maskAddress(mail.to);
  if (delivery.status === 'sent') return `mail ${what} sent to ${to}`;
  if (delivery.status === 'written') {
    const shown = delivery.path.startsWith(`${cwd}/`) ? delivery.path.slice(cwd.length + 1) : delivery.path;
    return `mail ${what} for ${to} written to ${shown} (LASTTOUCH_SMTP_URL is not set)`;
  }
  return `mail ${what} to ${to} NOT delivered: ${delivery.reason}; recorded, \`lasttouch status\` lists it and the next \`lasttouch monthly\` retries it`;
}
