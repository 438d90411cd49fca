// The scheduled monthly job: every new export in the inbox is imported, then one build, the report,
// and the notifications. The whole run holds the warehouse's writer lock, so that a second run started
// meanwhile waits, then finds nothing new. Its writes: the imports and the build (published before any
// file is moved or any mail sent), the monthly messages queued, then the record of what was delivered;
// a run with nothing new makes none of them. A run killed in
// between loses nothing: a file not yet moved is found again, its bytes already imported; a message not
// yet recorded is sent again by the next run.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Platform } from '../ingest/format.js';
import type { ImportSummary } from '../ingest/summary.js';
import { importFile, prepareImport } from '../ingest/upload.js';
import { compileProject } from '../models/compile.js';
import { runBuild, type BuildResult } from '../models/run.js';
import { projectRoot } from '../project.js';
import { renderReports } from '../report/render.js';
import { pageFileNames } from '../report/format.js';
import { clientPaths } from '../report/site-paths.js';
import { ensureClient, getClient, listClients, type ClientChanges } from '../warehouse/clients.js';
import { heldBackAtLastBuild, lastBuild } from '../warehouse/builds.js';
import { schemaVersion, SCHEMA_VERSION } from '../warehouse/migrations.js';
import { withWarehouse, withWriterLock, WarehouseMissingError, type OpenOptions, type Warehouse } from '../warehouse/db.js';
import { exitCodeFor } from '../cli/common.js';
import { firstLine } from '../errors.js';
import type { MailSettings } from '../notify/deliver.js';
import { deliverQueued, queueMail, recordDeliveries, undeliveredMail, type DeliveredMail, type QueuedMail } from '../notify/queue.js';
import { queueImportMail } from '../notify/import-mail.js';
import { detectPlatform, scanInbox, type InboxClient } from './inbox.js';
import { localDate, moveImported, moveRejected } from './files.js';
import { monthlyMails, reportMonths, type ClientMonth } from './announce.js';

export interface MonthlyOptions {
  dbPath: string;
  inbox: string;
  /** YYYY-MM; default: the previous calendar month in each client's time zone. */
  month?: string;
  outDir: string;
  mail: MailSettings;
  lock: OpenOptions;
  /** Told when a file's import starts, and its rows as they are read. */
  onFile?: (clientId: string, fileName: string) => void;
  onProgress?: (rowsRead: number, totalRows: number) => void;
}

export interface FileOutcome {
  file: string;
  platform: Platform | null;
  outcome: 'imported' | 'already-imported' | 'rejected';
  summary: ImportSummary | null;
  reason: string | null;
  movedTo: string | null;
}

export interface ClientOutcome {
  clientId: string;
  month: string | null;
  /** Why the client's folder or client.json could not be taken: none of its files were touched. */
  problem: string | null;
  files: FileOutcome[];
  /** The data tests its data failed at this build (or the last one): it got no new report. */
  heldBack: string | null;
  page: string | null;
  mail: DeliveredMail[];
}

export interface MonthlyResult {
  clients: ClientOutcome[];
  build: BuildResult | null;
  /** Why the build did not run: nothing new since the last one. */
  buildSkipped: string | null;
  report: { indexPath: string } | { problem: string } | null;
  /** Messages of earlier runs delivered again. */
  retried: DeliveredMail[];
  /** Set when the record of the deliveries could not be written (they stay listed as not delivered). */
  recordProblem: string | null;
  ok: boolean;
}

/** The settings of client.json that differ from the client's: applying the same ones again changes nothing. */
function changedSettings(wanted: ClientChanges, current: Record<string, unknown>): ClientChanges {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (JSON.stringify(current[key]) !== JSON.stringify(value)) changes[key] = value;
  }
  return changes as ClientChanges;
}

/** What client.json changes of the client's settings now (everything, for a client the warehouse has not seen). */
async function settingsToApply(warehouse: Warehouse, client: InboxClient): Promise<ClientChanges | null> {
  if (client.problem !== null) return null;
  const before = await getClient(warehouse, client.clientId);
  if (before === undefined) return client.files.length > 0 || Object.keys(client.settings).length > 0 ? client.settings : null;
  const changes = changedSettings(client.settings, before as unknown as Record<string, unknown>);
  return Object.keys(changes).length > 0 ? changes : null;
}

const NO_CLIENTS = 'the warehouse has no clients yet';

/** Why the marts need no build now (no clients, or nothing changed since the last build); null when they do. */
async function buildNotDue(warehouse: Warehouse): Promise<string | null> {
  if ((await listClients(warehouse)).length === 0) return NO_CLIENTS;
  const previous = await lastBuild(warehouse);
  return previous !== null && previous.changedSince.length === 0 ? `nothing new since build ${previous.buildId}` : null;
}

async function importClient(warehouse: Warehouse, client: InboxClient, options: MonthlyOptions, queued: QueuedMail[]): Promise<FileOutcome[]> {
  const changes = await settingsToApply(warehouse, client);
  if (changes !== null) await ensureClient(warehouse, client.clientId, changes);
  if (client.files.length === 0) return [];
  const outcomes: FileOutcome[] = [];
  for (const file of client.files) {
    const fileName = file.slice(client.dir.length + 1);
    options.onFile?.(client.clientId, fileName);
    let platform: Platform | null = null;
    try {
      platform = await detectPlatform(file, client.columns);
      const request = {
        platform,
        file,
        clientId: client.clientId,
        ...(client.columns[platform] ? { columns: client.columns[platform] } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      };
      const summary = await importFile(warehouse, request, await prepareImport(request));
      if (summary.status === 'imported') queued.push(...(await queueImportMail(warehouse, summary, null)));
      outcomes.push({ file, platform, outcome: summary.status, summary, reason: null, movedTo: null });
    } catch (error) {
      // A refusal (exit 1 or 2 of `import`) rejects the file; anything else is a fault of lasttouch, and the
      // whole run stops before anything is published or moved.
      if (exitCodeFor(error) === 99) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      outcomes.push({ file, platform, outcome: 'rejected', summary: null, reason, movedTo: null });
    }
  }
  return outcomes;
}

interface FirstPhase {
  build: BuildResult | null;
  buildSkipped: string | null;
  held: Map<string, { test: string; failingRows: number }[]>;
  months: ClientMonth[];
  /** Every client of the warehouse: the report names its pages from all of them. */
  clientIds: string[];
}

/** Whether the run has anything to write: a file to import, a setting to change, marts to bring up to date. */
async function needsWrite(dbPath: string, inbox: readonly InboxClient[]): Promise<boolean> {
  if (inbox.some((client) => client.problem === null && client.files.length > 0)) return true;
  if (!existsSync(resolve(dbPath))) return inbox.some((client) => client.problem === null && Object.keys(client.settings).length > 0);
  return withWarehouse(dbPath, { readOnly: true, waitSeconds: 0 }, async (warehouse) => {
    // A warehouse of an earlier version is migrated by a write.
    if ((await schemaVersion(warehouse)) < SCHEMA_VERSION) return true;
    for (const client of inbox) if ((await settingsToApply(warehouse, client)) !== null) return true;
    return (await buildNotDue(warehouse)) === null;
  });
}

function heldBackReason(tests: readonly { test: string; failingRows: number }[]): string {
  return `its data failed the data test${tests.length === 1 ? '' : 's'} ${tests.map((t) => `${t.test} (${t.failingRows} row${t.failingRows === 1 ? '' : 's'})`).join(', ')}; its figures stay those of its last good build (\`lasttouch build\` prints the failing rows)`;
}

export async function runMonthly(options: MonthlyOptions): Promise<MonthlyResult> {
  scanInbox(options.inbox);
  const outDir = resolve(options.outDir);
  const project = compileProject(projectRoot());
  return withWriterLock(options.dbPath, options.lock, async (writer) => {
    // Read again once the lock is held: a run that waited for another finds the files it moved gone.
    const inbox = scanInbox(options.inbox);
    const startedAt = new Date();
    const retry: QueuedMail[] = [];
    const queued: QueuedMail[] = [];
    const byClient = new Map<string, FileOutcome[]>();
    const firstPhase = async (warehouse: Warehouse): Promise<FirstPhase> => {
      retry.push(...(await undeliveredMail(warehouse)));
      for (const client of inbox) {
        if (client.problem === null) byClient.set(client.clientId, await importClient(warehouse, client, options, queued));
      }
      const imported = [...byClient.values()].flat().some((file) => file.outcome === 'imported');
      const buildSkipped = imported ? null : await buildNotDue(warehouse);
      const build = buildSkipped === null ? await runBuild(warehouse, project) : null;
      const held = await heldBackAtLastBuild(warehouse);
      const months = await reportMonths(warehouse, inbox, options.month);
      const clientIds = (await listClients(warehouse)).map((client) => client.client_id);
      return { build, buildSkipped, held, months, clientIds };
    };
    // A run that finds nothing to import, no setting to change and the marts current writes nothing: it
    // reads the published warehouse, so a second run costs no copy of it.
    const first = (await needsWrite(options.dbPath, inbox))
      ? await writer.write(firstPhase)
      : existsSync(resolve(options.dbPath))
        ? await withWarehouse(options.dbPath, { readOnly: true, waitSeconds: 0 }, firstPhase)
        : { build: null, buildSkipped: NO_CLIENTS, held: new Map(), months: [], clientIds: [] };

    // Published: now the files may move, for their imports are on record.
    const date = localDate(startedAt);
    for (const outcomes of byClient.values()) {
      for (const file of outcomes) {
        file.movedTo = file.outcome === 'rejected' ? moveRejected(file.file, file.reason ?? '', startedAt) : moveImported(file.file, date);
      }
    }

    let report: MonthlyResult['report'] = null;
    const fileNames = new Map<string, string>();
    if (first.build !== null || (first.buildSkipped !== null && first.months.length > 0 && !existsSync(join(outDir, 'index.html')))) {
      try {
        const rendered = await renderReports({ dbPath: options.dbPath, outDir, keepPagesOf: [...first.held.keys()], waitSeconds: 0 });
        report = { indexPath: rendered.indexPath };
      } catch (error) {
        report = { problem: error instanceof Error ? error.message : String(error) };
      }
    } else if (existsSync(join(outDir, 'index.html'))) report = { indexPath: join(outDir, 'index.html') };
    if (report !== null && 'indexPath' in report) {
      for (const [clientId, fileName] of pageFileNames(first.clientIds)) fileNames.set(clientId, fileName);
    }

    const clients: ClientOutcome[] = inbox.map((client) => {
      const month: ClientMonth | undefined = first.months.find((item) => item.clientId === client.clientId);
      const held = first.held.get(client.clientId);
      const fileName = fileNames.get(client.clientId);
      const page = fileName === undefined || month === undefined ? null : join(outDir, clientPaths(fileName).month(month.month));
      return {
        clientId: client.clientId,
        month: month?.month ?? null,
        problem: client.problem,
        files: byClient.get(client.clientId) ?? [],
        heldBack: held === undefined ? null : heldBackReason(held),
        page: page !== null && existsSync(page) ? page : null,
        mail: [],
      };
    });
    const reportProblem = report !== null && 'problem' in report ? report.problem : null;
    // The monthly messages are queued in a write of their own before they are sent, like an import's.
    let announcements: QueuedMail[] = [];
    let recordProblem: string | null = null;
    try {
      const mails = await withWarehouse(options.dbPath, { readOnly: true, waitSeconds: 0 }, (warehouse) =>
        monthlyMails(warehouse, clients, first.months, reportProblem),
      ).catch((error: unknown) => (error instanceof WarehouseMissingError ? [] : Promise.reject(error)));
      if (mails.length > 0) {
        announcements = await writer.write(async (warehouse) => {
          const queuedHere: QueuedMail[] = [];
          for (const { mail, month } of mails) queuedHere.push(await queueMail(warehouse, mail, { month }));
          return queuedHere;
        });
      }
    } catch (error) {
      recordProblem = firstLine(error);
    }
    const delivered = await deliverQueued([...queued, ...announcements, ...retry], options.mail);
    if (delivered.length > 0) {
      try {
        await writer.write((warehouse) => recordDeliveries(warehouse, delivered));
      } catch (error) {
        recordProblem ??= firstLine(error);
      }
    }
    const retried = delivered.filter((item) => retry.some((old) => old.notificationId === item.notificationId));
    for (const item of delivered) {
      if (retried.includes(item)) continue;
      clients.find((client) => client.clientId === item.mail.clientId)?.mail.push(item);
    }
    const ok =
      clients.every((client) => client.problem === null && client.heldBack === null && client.files.every((file) => file.outcome !== 'rejected')) &&
      reportProblem === null;
    return { clients, build: first.build, buildSkipped: first.buildSkipped, report, retried, recordProblem, ok };
  });
}
