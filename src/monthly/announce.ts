// What the monthly job announces: for each client of the inbox, the month it reports and the "monthly
// report ready" message with that month's headline figures. A client is announced once per month,
// unless this run brought it something new (a file imported or rejected).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { projectRoot } from '../project.js';
import type { Warehouse } from '../warehouse/db.js';
import { executeOne, meta, sql } from '../warehouse/kysely.js';
import { parseRecipients } from '../notify/addresses.js';
import { monthlyReportMail, type MonthlyReportInput, type OutgoingMail } from '../notify/compose.js';
import type { InboxClient } from './inbox.js';
import type { ClientOutcome } from './run.js';

export interface ClientMonth {
  clientId: string;
  /** YYYY-MM */
  month: string;
  recipients: string[];
}

function mailQuery(name: string): string {
  return readFileSync(join(projectRoot(), 'reports', 'mail', name), 'utf8');
}

/**
 * The month each client of the inbox reports, for those the warehouse knows: the one asked for, else the
 * calendar month before today's in the client's own time zone.
 */
export async function reportMonths(warehouse: Warehouse, inbox: readonly InboxClient[], month: string | undefined): Promise<ClientMonth[]> {
  const months: ClientMonth[] = [];
  for (const client of inbox) {
    const row = await executeOne(
      warehouse,
      meta
        .selectFrom('clients')
        .select([sql<string>`coalesce(${month ?? null}, strftime(date_trunc('month', timezone(timezone, now())) - INTERVAL 1 MONTH, '%Y-%m'))`.as('month'), 'notify'])
        .where('client_id', '=', client.clientId),
    );
    if (!row) continue;
    months.push({
      clientId: client.clientId,
      month: row.month,
      recipients: row.notify === null ? [] : parseRecipients(row.notify),
    });
  }
  return months;
}

async function headline(warehouse: Warehouse, clientId: string, month: string): Promise<Pick<MonthlyReportInput, 'channels' | 'store'>> {
  const day = `${month}-01`;
  const channels = await warehouse.all(mailQuery('monthly-headline.sql'), [clientId, day]);
  const store = await warehouse.all(mailQuery('monthly-store.sql'), [clientId, day]);
  const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
  return {
    channels: channels.map((row) => ({
      platform: String(row.platform),
      channel: String(row.channel),
      currency: String(row.currency),
      platformRevenue: String(row.platform_revenue),
      lastTouchRevenue: String(row.last_touch_revenue),
      doubleAttributionRemoved: String(row.double_attribution_removed),
      shareOfStoreRevenue: text(row.share_of_store_revenue),
    })),
    store: store.map((row) => ({ currency: String(row.currency), storeRevenue: text(row.store_revenue), attributedShare: text(row.attributed_share) })),
  };
}

/** The "monthly report ready" messages this run sends, one per client and recipient. */
export async function monthlyMails(
  warehouse: Warehouse,
  clients: readonly ClientOutcome[],
  months: readonly ClientMonth[],
  reportProblem: string | null,
): Promise<{ mail: OutgoingMail; month: string }[]> {
  const mails: { mail: OutgoingMail; month: string }[] = [];
  for (const client of clients) {
    const month = months.find((item) => item.clientId === client.clientId);
    if (month === undefined || month.recipients.length === 0) continue;
    const announced = await executeOne(
      warehouse,
      meta
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'monthly-report')
        .where('client_id', '=', client.clientId)
        .where('month', '=', `${month.month}-01`),
    );
    if (client.files.length === 0 && (announced?.n ?? 0) > 0) continue;
    const reason = client.problem ?? client.heldBack ?? (reportProblem === null ? null : `the report could not be rendered: ${reportProblem}`);
    const outcome: MonthlyReportInput['outcome'] =
      reason === null && client.page !== null
        ? { kind: 'ready', pageLocation: client.page }
        : { kind: 'held-back', reason: reason ?? 'the report has no page for this client', pageLocation: client.page };
    const figures = await headline(warehouse, client.clientId, month.month);
    const imported = client.files.filter((file) => file.outcome !== 'rejected' && file.summary !== null);
    const rejected = client.files.filter((file) => file.outcome === 'rejected');
    for (const to of month.recipients) {
      mails.push({
        month: month.month,
        mail: monthlyReportMail({
          clientId: client.clientId,
          month: month.month,
          to,
          outcome,
          ...figures,
          imported: imported.map((file) => ({
            fileName: file.summary?.fileName ?? '',
            platform: file.platform ?? '',
            uploadId: file.summary?.uploadId ?? 0,
            rows: file.summary?.rows ?? 0,
          })),
          rejected: rejected.map((file) => ({ fileName: basename(file.file), reason: file.reason ?? '' })),
        }),
      });
    }
  }
  return mails;
}
