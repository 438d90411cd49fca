import { Option, type Command } from 'commander';
import { PLATFORMS, type Platform } from '../ingest/platforms.js';
import type { ImportSummary } from '../ingest/summary.js';
import { checkClientId } from '../client-id.js';
import { globals, print, progress } from './common.js';

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
    .addArgument(program.createArgument('<platform>', 'postscript | klaviyo | shopify').choices(PLATFORMS))
    .argument('<file>', 'the CSV export')
    .requiredOption('--client <id>', 'the client (brand) the export belongs to')
    .option('--exclude-view-only', "set the client's view_only setting to exclude, for every later build")
    .option('--include-view-only', "set the client's view_only setting back to include, for every later build")
    .option('--from <date>', 'first day the export covers (YYYY-MM-DD, client time zone)')
    .option('--to <date>', 'last day the export covers (YYYY-MM-DD, client time zone)')
    .addOption(new Option('--columns <map.json>', 'JSON file mapping canonical column names to your headers'))
    .addHelpText('after', '\nExample:\n  lasttouch import postscript revenue.csv --client acme --from 2026-08-03 --to 2026-10-31')
    .action(async (platform: Platform, file: string, options: Record<string, string | boolean | undefined>, command: Command) => {
      const { dbPath, waitSeconds } = globals(command);
      checkClientId(String(options.client));
      const [{ importFile, prepareImport }, { withWarehouse }] = await Promise.all([import('../ingest/upload.js'), import('../warehouse/db.js')]);
      const request = {
        platform,
        file,
        clientId: String(options.client),
        excludeViewOnly: options.excludeViewOnly === true,
        includeViewOnly: options.includeViewOnly === true,
        from: options.from as string | undefined,
        to: options.to as string | undefined,
        columnsFile: options.columns as string | undefined,
        onProgress: (rows: number) => progress(`  ${rows} rows read`),
      };
      // The file and the options are checked before the warehouse is opened (or created).
      const prepared = await prepareImport(request);
      const summary = await withWarehouse(dbPath, { waitSeconds }, (warehouse) => importFile(warehouse, request, prepared));
      printImportSummary(summary);
    });
}
