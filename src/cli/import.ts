import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import { PLATFORMS, type Platform } from '../ingest/platforms.js';
import type { ImportSummary } from '../ingest/summary.js';
import { ImportRefusedError, InputError } from '../ingest/errors.js';
import { JobIncompleteError } from '../errors.js';
import type { QueuedMail } from '../notify/queue.js';
import { checkClientId } from '../client-id.js';
import { globals, print } from './common.js';
import { count, progressLine, RowProgress, type ProgressLine } from './progress.js';

/** The summary as `import --json` prints it: the fields of ImportSummary, in snake_case. */
export interface ImportSummaryJson {
  status: 'imported' | 'already_imported';
  upload_id: number;
  client_id: string;
  platform: Platform;
  file_name: string;
  rows: number;
  orders: number;
  /** Per currency; amount a decimal string, exact. */
  revenue: { currency: string; amount: string }[];
  window: { from: string | null; to: string | null; explicit: boolean };
  rows_outside_window: number;
  supersedes: { upload_id: number; claims: number; withdrawn: number }[];
  removed_at: string | null;
  notices: string[];
  warnings: string[];
}

export function importSummaryJson(summary: ImportSummary): ImportSummaryJson {
  return {
    status: summary.status === 'already-imported' ? 'already_imported' : 'imported',
    upload_id: summary.uploadId,
    client_id: summary.clientId,
    platform: summary.platform,
    file_name: summary.fileName,
    rows: summary.rows,
    orders: summary.orders,
    revenue: summary.revenue.map(({ currency, amount }) => ({ currency, amount })),
    window: { from: summary.window.from, to: summary.window.to, explicit: summary.window.explicit },
    rows_outside_window: summary.rowsOutsideWindow,
    supersedes: summary.supersedes.map(({ uploadId, claims, withdrawn }) => ({ upload_id: uploadId, claims, withdrawn })),
    removed_at: summary.removedAt,
    notices: [...summary.notices],
    warnings: [...summary.warnings],
  };
}

const JSON_HELP = `
With --json, stdout holds one JSON document and nothing else (progress and notices go to stderr):
  status               "imported" or "already_imported" (these exact bytes were imported before)
  upload_id, client_id, platform, file_name
  rows, orders         rows of the file, orders among them
  revenue              [{currency, amount}], amount an exact decimal string
  window               {from, to, explicit}: the coverage window (explicit: given with --from/--to)
  rows_outside_window  rows dated outside a window given with --from/--to
  supersedes           [{upload_id, claims, withdrawn}]: rows of older uploads this one replaces
  removed_at           when the upload was removed (\`lasttouch upload remove\`), else null
  notices, warnings    what the import changed, what looks wrong, in words
A refused import prints nothing on stdout: its problems go to stderr, and it exits 1.`;

/** The progress of an import's rows on the terminal, as they are read; prefix() names the file (monthly). */
export function importProgress(line: ProgressLine, prefix: () => string = () => ''): (rows: number, total: number) => void {
  const reading = new RowProgress();
  return (rows, total) => {
    if (rows === 0) reading.restart();
    if (rows >= total && rows > 0) line.update(`${prefix()}${count(total)} rows read in ${reading.elapsed().toFixed(1)} s; writing the upload, then its summary`);
    else line.update(`${prefix()}${reading.describe(rows, total)}`);
  };
}

export function printImportSummary(summary: ImportSummary, options: { buildHint?: boolean } = {}): void {
  if (summary.status === 'already-imported') {
    print(
      `${summary.fileName}: these exact bytes were already imported for client ${summary.clientId} as upload ${summary.uploadId}; nothing to do` +
        (summary.removedAt === null
          ? ''
          : ` (upload ${summary.uploadId} was removed ${summary.removedAt}: \`lasttouch upload restore ${summary.uploadId}\` brings it back)`),
    );
    return;
  }
  print(`upload ${summary.uploadId}: ${summary.platform} ${summary.fileName} for client ${summary.clientId}`);
  print(`  rows: ${summary.rows}, orders: ${summary.orders}`);
  for (const { currency, amount } of summary.revenue) print(`  revenue ${currency}: ${amount}`);
  print(
    `  coverage window: ${summary.window.from ?? '-'} .. ${summary.window.to ?? '-'}${summary.window.explicit ? ' (given with --from/--to)' : ' (first and last order dates; give --from/--to when the export covers more days)'}`,
  );
  if (summary.supersedes.length === 0) print('  supersedes: nothing (no older upload covers these dates)');
  for (const { uploadId, claims, withdrawn } of summary.supersedes) {
    print(
      `  supersedes: ${claims} row${claims === 1 ? '' : 's'} of upload ${uploadId} on the dates this window covers` +
        (withdrawn > 0 ? `; ${withdrawn} of them name an order this file no longer lists (withdrawn)` : ''),
    );
  }
  for (const notice of summary.notices) print(`  ${notice}`);
  for (const warning of summary.warnings) print(`  warning: ${warning}`);
  if (options.buildHint ?? true) print('  run `lasttouch build` to bring the marts up to date');
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('validate a whole export file, then write it as one upload in one transaction')
    .addArgument(program.createArgument('<platform>', PLATFORMS.join(' | ')).choices(PLATFORMS))
    .argument('<files...>', 'the CSV exports: each is one upload, imported in the order given')
    .requiredOption('--client <id>', 'the client (brand) the export belongs to')
    .option('--exclude-view-only', "set the client's view_only setting to exclude, for every later build")
    .option('--include-view-only', "set the client's view_only setting back to include, for every later build")
    .option('--from <date>', 'first day the export covers (YYYY-MM-DD, client time zone)')
    .option('--to <date>', 'last day the export covers (YYYY-MM-DD, client time zone)')
    .addOption(new Option('--columns <map.json>', 'JSON file mapping canonical column names to your headers'))
    .option('--notify <addresses>', 'e-mail "import complete" to these addresses (comma-separated) instead of the client\'s notify setting')
    .option('--json', 'print the summary as one JSON document on stdout (fields below), nothing else')
    .addHelpText(
      'after',
      '\nThe "import complete" e-mail goes over SMTP when LASTTOUCH_SMTP_URL is set, else into an .eml file in\n' +
        'LASTTOUCH_OUTBOX (default out/outbox/). A mail that cannot be delivered leaves the import as it is (exit 0);\n' +
        '`lasttouch status` lists it and the next `lasttouch monthly` sends it again.\n' +
        '\nOn a terminal, a long import shows its progress on stderr (rows read, rows/s, time left); --quiet hides it.\n' +
        '\nSeveral files are imported one after the other, in the order given, each as its own upload: a file\n' +
        'that is refused is reported and leaves the others as they are; the command then exits 1. The options\n' +
        '(--client, --from/--to, --columns, ...) apply to every file. They share one opening of the warehouse.\n' +
        JSON_HELP +
        '\nWith several files and --json, stdout holds one JSON array: a summary per imported file, and for a refused\n' +
        'one {"status": "refused", "file_name", "problems"}.' +
        '\n\nExamples:\n  lasttouch import postscript revenue.csv --client acme --from 2026-08-03 --to 2026-10-31' +
        '\n  lasttouch import shopify orders-2026-09.csv orders-2026-10.csv --client acme',
    )
    .action(async (platform: Platform, files: string[], options: Record<string, string | boolean | undefined>, command: Command) => {
      const { dbPath, waitSeconds, quiet, onWait } = globals(command);
      checkClientId(String(options.client));
      const [{ importFile, prepareImport }, { withWarehouse }, { parseRecipients }, { mailSettings }, { queueImportMail }, queue] =
        await Promise.all([
          import('../ingest/upload.js'),
          import('../warehouse/db.js'),
          import('../notify/addresses.js'),
          import('../notify/deliver.js'),
          import('../notify/import-mail.js'),
          import('../notify/queue.js'),
        ]);
      const { deliverQueued, deliveryJson, describeDelivery, recordDeliveriesAfterwards } = queue;
      // Both are checked before anything is read or written: a bad address or SMTP URL is a usage error.
      const recipients = typeof options.notify === 'string' ? parseRecipients(options.notify) : null;
      const mail = mailSettings();
      const line = progressLine(quiet);
      const several = files.length > 1;
      const prefix = (file: string): string => (several ? `${basename(file)}: ` : '');
      const requests = files.map((file) => ({
        platform,
        file,
        clientId: String(options.client),
        excludeViewOnly: options.excludeViewOnly === true,
        includeViewOnly: options.includeViewOnly === true,
        from: options.from as string | undefined,
        to: options.to as string | undefined,
        columnsFile: options.columns as string | undefined,
        // (DuckDB tracks a load's progress only when asked to: not for a pipe, nor with --quiet)
        onProgress: line.enabled ? importProgress(line, () => prefix(file)) : undefined,
      }));
      /** Each file's outcome, in the order given: its summary, or why it was refused. */
      const outcomes: Array<{ file: string; summary?: ImportSummary; refused?: Error; mails?: QueuedMail[] }> = [];
      let queued: QueuedMail[] = [];
      try {
        // Each file and the options are checked before the warehouse is opened (or created); a refusal of
        // one file leaves the others to go on, but with one file it is the command's error, as ever.
        const prepared: Array<{ request: (typeof requests)[number]; checked: Awaited<ReturnType<typeof prepareImport>> }> = [];
        for (const request of requests) {
          line.update(`${basename(request.file)}: checking the file`);
          try {
            prepared.push({ request, checked: await prepareImport(request) });
          } catch (error) {
            if (!several || !refusal(error)) throw error;
            outcomes.push({ file: request.file, refused: error as Error });
          }
        }
        if (prepared.length > 0) {
          line.update(several ? `opening the warehouse for ${prepared.length} files` : `${basename(files[0] ?? '')}: opening the warehouse`);
          // The messages are queued in the import's own write: an import that lands has them on record.
          queued = await withWarehouse(dbPath, { waitSeconds, onWait }, async (warehouse) => {
            const mails: QueuedMail[] = [];
            for (const { request, checked } of prepared) {
              try {
                const summary = await importFile(warehouse, request, checked);
                const own = await queueImportMail(warehouse, summary, recipients);
                outcomes.push({ file: request.file, summary, mails: own });
                mails.push(...own);
              } catch (error) {
                if (!several || !refusal(error)) throw error;
                outcomes.push({ file: request.file, refused: error as Error });
              }
            }
            return mails;
          });
        }
      } finally {
        line.finish();
      }
      const order = new Map(files.map((file, index) => [file, index]));
      outcomes.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
      // Delivered once the imports are published; a delivery that fails is reported and recorded, and the
      // imports stay as they are.
      const delivered = await deliverQueued(queued, mail);
      const notRecorded = await recordDeliveriesAfterwards(dbPath, delivered, waitSeconds);
      // The summaries are worked out; what follows only says them.
      const mailOf = (mails: readonly QueuedMail[] = []) =>
        delivered.filter((item) => mails.some((own) => own.notificationId === item.notificationId));
      if (options.json === true) {
        const documents = outcomes.map(({ file, summary, refused, mails }) =>
          summary
            ? { ...importSummaryJson(summary), mail: mailOf(mails).map(deliveryJson) }
            : { status: 'refused', file_name: basename(file), problems: String(refused?.message ?? '').split('\n') },
        );
        print(JSON.stringify(several ? documents : documents[0]));
      } else {
        outcomes.forEach(({ summary }, index) => {
          if (!summary) return;
          printImportSummary(summary, { buildHint: index === outcomes.length - 1 || outcomes.slice(index + 1).every((later) => !later.summary) });
        });
      }
      for (const item of delivered) {
        if (item.delivery.status === 'failed') process.stderr.write(`lasttouch: ${describeDelivery(item)}\n`);
        else if (options.json !== true) print(`  ${describeDelivery(item)}`);
      }
      if (notRecorded !== null) {
        process.stderr.write(`lasttouch: the delivery of the mail could not be recorded (${notRecorded}); \`lasttouch status\` lists it as not delivered\n`);
      }
      const refusedFiles = outcomes.filter((outcome) => outcome.refused);
      if (refusedFiles.length > 0) {
        for (const { refused } of refusedFiles) process.stderr.write(`lasttouch: ${refused?.message}\n`);
        const landed = outcomes.length - refusedFiles.length;
        throw new JobIncompleteError(
          `${landed} of ${files.length} files imported; refused: ${refusedFiles.map(({ file }) => basename(file)).join(', ')}`,
        );
      }
    });
}

/** A refusal of one file's input (its bytes, rows or header), which leaves the other files to go on. */
function refusal(error: unknown): boolean {
  return error instanceof ImportRefusedError || error instanceof InputError;
}
