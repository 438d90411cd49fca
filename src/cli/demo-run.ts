// The embedded default job: the demo exports under seeds/demo/ go into a fresh demo warehouse, are
// built and rendered, exactly as the monthly job does with real exports.
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Platform } from '../ingest/format.js';
import { importFile } from '../ingest/upload.js';
import { compileProject } from '../models/compile.js';
import { runBuild } from '../models/run.js';
import { BuildFailedError } from '../models/errors.js';
import { projectRoot } from '../project.js';
import { renderReports } from '../report/render.js';
import { ensureClient, type ClientChanges } from '../warehouse/clients.js';
import { withWriterLock } from '../warehouse/db.js';
import { pageFileNames } from '../report/format.js';
import { parseRecipients } from '../notify/addresses.js';
import { mailSettings } from '../notify/deliver.js';
import { queueImportMail } from '../notify/import-mail.js';
import { deliverQueued, describeDelivery, queueMail, recordDeliveries, type QueuedMail } from '../notify/queue.js';
import { monthlyMails } from '../monthly/announce.js';
import type { FileOutcome } from '../monthly/run.js';
import { printImportSummary } from './import.js';
import { print } from './common.js';

interface DemoManifest {
  /** The month its "monthly report ready" message announces. */
  month: string;
  clients: {
    id: string;
    settings: ClientChanges;
    imports: { platform: Platform; file: string; from?: string; to?: string; excludeViewOnly?: boolean }[];
  }[];
}

export async function runDemo(outDir: string): Promise<{ warehousePath: string; indexPath: string; outbox: string[] }> {
  const root = projectRoot();
  const demoDir = join(root, 'seeds', 'demo');
  const manifest = JSON.parse(readFileSync(join(demoDir, 'demo.json'), 'utf8')) as DemoManifest;
  const warehousePath = resolve(outDir, 'demo.duckdb');
  // The demo's messages go to its own outbox, whatever LASTTOUCH_SMTP_URL says: a demo never mails anyone.
  const mail = { ...mailSettings(), smtpUrl: null, outboxDir: resolve(outDir, 'outbox') };
  rmSync(mail.outboxDir, { recursive: true, force: true });
  const reportsDir = resolve(outDir, 'reports');
  // The demo warehouse is the demo's own: start it afresh every time.
  const { indexPath, delivered } = await withWriterLock(warehousePath, { fresh: true }, async (writer) => {
    const imported: FileOutcome[] = [];
    const queued = await writer.write(async (warehouse) => {
      const importMail: QueuedMail[] = [];
      for (const client of manifest.clients) {
        await ensureClient(warehouse, client.id, client.settings);
        for (const upload of client.imports) {
          const summary = await importFile(warehouse, {
            platform: upload.platform,
            file: join(demoDir, upload.file),
            clientId: client.id,
            from: upload.from,
            to: upload.to,
            excludeViewOnly: upload.excludeViewOnly,
          });
          printImportSummary(summary, { buildHint: false });
          imported.push({ file: join(demoDir, upload.file), platform: upload.platform, outcome: summary.status, summary, reason: null, movedTo: null });
          importMail.push(...(await queueImportMail(warehouse, summary, null)));
        }
      }
      const result = await runBuild(warehouse, compileProject(root));
      if (result.heldBack.length > 0) {
        throw new BuildFailedError(`the demo data fails data tests for ${result.heldBack.map((client) => client.clientId).join(', ')}`);
      }
      print(`build ${result.buildId}: ${result.built.length} models built; data tests: ${result.tests.length} passed`);
      return importMail;
    });
    const rendered = await renderReports({ dbPath: warehousePath, outDir: reportsDir });
    print(`reports: ${rendered.pages.length} page${rendered.pages.length === 1 ? '' : 's'}`);
    const fileNames = pageFileNames(manifest.clients.map((client) => client.id));
    // The monthly job's message for the demo month, as it announces a month whose report is published.
    const announced = await writer.write(async (warehouse) => {
      const clients = manifest.clients.map((client) => ({
        clientId: client.id,
        month: manifest.month,
        problem: null,
        files: imported.filter((file) => file.summary?.clientId === client.id),
        heldBack: null,
        page: `${join(reportsDir, fileNames.get(client.id) ?? '')}#month-${manifest.month}`,
        mail: [],
      }));
      const months = manifest.clients.map((client) => ({
        clientId: client.id,
        month: manifest.month,
        recipients: client.settings.notify ? parseRecipients(client.settings.notify) : [],
      }));
      const mails = await monthlyMails(warehouse, clients, months, null);
      const queuedHere: QueuedMail[] = [];
      for (const item of mails) queuedHere.push(await queueMail(warehouse, item.mail, { month: item.month }));
      return queuedHere;
    });
    const sent = await deliverQueued([...queued, ...announced], mail);
    await writer.write((warehouse) => recordDeliveries(warehouse, sent));
    return { indexPath: rendered.indexPath, delivered: sent };
  });
  for (const item of delivered) print(describeDelivery(item).replace(' (LASTTOUCH_SMTP_URL is not set)', ''));
  return {
    warehousePath,
    indexPath,
    outbox: delivered.flatMap((item) => (item.delivery.status === 'written' ? [item.delivery.path] : [])),
  };
}
