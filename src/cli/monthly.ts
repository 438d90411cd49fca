// `lasttouch monthly --inbox DIR`: the scheduled job (src/monthly/run.ts does the work); this file
// prints its one summary, as lines for a person or (--json) one document for a script.
import { basename, relative } from 'node:path';
import type { Command } from 'commander';
import type { MonthlyResult } from '../monthly/run.js';
import type { DeliveredMail } from '../notify/queue.js';
import { globals, print } from './common.js';
import { importProgress } from './import.js';
import { progressLine } from './progress.js';
import { JobIncompleteError, UsageError } from '../errors.js';

function shownPath(path: string): string {
  const relativePath = relative(process.cwd(), path);
  return relativePath === '' || relativePath.startsWith('..') ? path : relativePath;
}

function printSummary(result: MonthlyResult, describe: (item: DeliveredMail) => string): void {
  for (const client of result.clients) {
    print(`client ${client.clientId}${client.month === null ? '' : ` (month ${client.month})`}`);
    if (client.problem !== null) print(`  not imported: ${client.problem}`);
    for (const file of client.files) {
      const name = basename(file.file);
      const where = file.movedTo === null ? '' : ` -> ${shownPath(file.movedTo)}`;
      if (file.outcome === 'imported' && file.summary) {
        const revenue = file.summary.revenue.map(({ currency, amount }) => `${currency} ${amount}`).join(', ');
        print(`  imported  ${file.platform} ${name}: upload ${file.summary.uploadId}, ${file.summary.rows} rows, ${file.summary.orders} orders${revenue === '' ? '' : `, ${revenue}`}${where}`);
        for (const warning of file.summary.warnings) print(`            warning: ${warning}`);
      } else if (file.outcome === 'already-imported') {
        print(`  already   ${file.platform} ${name}: the same bytes are upload ${file.summary?.uploadId}; nothing imported${where}`);
      } else {
        const [first = '', ...rest] = (file.reason ?? '').split('\n');
        print(`  rejected  ${name}: ${first}${rest.length > 1 ? ` (and ${rest.length - 1} more line${rest.length === 2 ? '' : 's'})` : ''}${where}${file.movedTo === null ? '' : ` (the reason in ${shownPath(file.movedTo)}.txt)`}`);
      }
    }
    if (client.problem === null && client.files.length === 0) print('  no new files');
    if (client.heldBack !== null) print(`  held back: ${client.heldBack}; its report page was not updated`);
    if (client.page !== null) print(`  report    ${shownPath(client.page)}`);
    for (const item of client.mail) print(`  ${describe(item)}`);
  }
  if (result.clients.length === 0) print('the inbox has no client folders: put each client\'s exports in <inbox>/<client id>/');
  if (result.build !== null) {
    const passed = result.build.tests.filter((test) => test.failures === 0).length;
    print(`build ${result.build.buildId}: ${result.build.built.length} models built, ${result.build.unchanged.length} unchanged; data tests: ${passed} of ${result.build.tests.length} passed`);
  } else if (result.buildSkipped !== null) print(`build: not run, ${result.buildSkipped}`);
  if (result.report !== null) print('problem' in result.report ? `report: NOT published: ${result.report.problem}` : `report: ${shownPath(result.report.indexPath)}`);
  for (const item of result.retried) print(`retried: ${describe(item)}`);
  if (result.recordProblem !== null) print(`the deliveries could not be recorded (${result.recordProblem}); \`lasttouch status\` lists them as not delivered`);
  const files = result.clients.flatMap((client) => client.files);
  const count = (outcome: string): number => files.filter((file) => file.outcome === outcome).length;
  print(
    `monthly: ${count('imported')} imported, ${count('already-imported')} already imported, ${count('rejected')} rejected; ` +
      (result.ok ? 'everything went through' : 'something needs attention (exit 1)'),
  );
}

function toJson(result: MonthlyResult, mail: (item: DeliveredMail) => unknown): unknown {
  return {
    ok: result.ok,
    clients: result.clients.map((client) => ({
      client_id: client.clientId,
      month: client.month,
      problem: client.problem,
      files: client.files.map((file) => ({
        file: file.file,
        platform: file.platform,
        outcome: file.outcome,
        upload_id: file.summary?.uploadId ?? null,
        rows: file.summary?.rows ?? null,
        orders: file.summary?.orders ?? null,
        revenue: file.summary?.revenue ?? null,
        reason: file.reason,
        moved_to: file.movedTo,
      })),
      held_back: client.heldBack,
      report_page: client.page,
      mail: client.mail.map(mail),
    })),
    build:
      result.build === null
        ? { ran: false, reason: result.buildSkipped }
        : { ran: true, build_id: result.build.buildId, built: result.build.built, unchanged: result.build.unchanged, held_back: result.build.heldBack.map((client) => client.clientId) },
    report: result.report === null ? null : 'problem' in result.report ? { published: false, problem: result.report.problem } : { published: true, index: result.report.indexPath },
    retried: result.retried.map(mail),
    record_problem: result.recordProblem,
  };
}

export function registerMonthly(program: Command): void {
  program
    .command('monthly')
    .description('the scheduled job: import every new export under DIR/<client>/, build, render the month, send the notifications')
    .requiredOption('--inbox <dir>', 'the folder of client folders: DIR/<client id>/ holds that client\'s exports and an optional client.json')
    .option('--month <YYYY-MM>', 'the month to report (default: the previous calendar month in each client\'s time zone)')
    .option('--out <dir>', 'the report site folder', 'out/reports')
    .option('--json', 'print one JSON summary on stdout instead of the lines')
    .addHelpText(
      'after',
      '\nEach new file is imported once (by its bytes) and then moved to DIR/<client>/imported/YYYY-MM-DD/;' +
        '\na refused file moves to DIR/<client>/rejected/ with its reason beside it in <name>.txt. Nothing is deleted.' +
        '\nRunning it twice, or two at once, is harmless: the second finds nothing new.' +
        '\nExit 0 when everything went through, 1 when a file was rejected or a client failed, 3 when the warehouse stayed busy.' +
        '\n\nExample (crontab, 06:00 on the 2nd of each month):\n  0 6 2 * * cd /srv/lasttouch && npx lasttouch monthly --inbox /srv/lasttouch/inbox --wait 600',
    )
    .action(async (options: { inbox: string; month?: string; out: string; json?: boolean }, command: Command) => {
      const { dbPath, waitSeconds, onWait, quiet } = globals(command);
      const [{ runMonthly }, { mailSettings }, { deliveryJson, describeDelivery }, { parseMonth }] = await Promise.all([
        import('../monthly/run.js'),
        import('../notify/deliver.js'),
        import('../notify/queue.js'),
        import('../report/format.js'),
      ]);
      const month = parseMonth(options.month);
      if (options.inbox.trim() === '') throw new UsageError('--inbox needs a folder');
      const mail = mailSettings();
      // On a terminal: which file is being imported, and its rows as they are read.
      const line = progressLine(quiet);
      let current = '';
      let result: MonthlyResult;
      try {
        result = await runMonthly({
          dbPath,
          inbox: options.inbox,
          ...(month === undefined ? {} : { month }),
          outDir: options.out,
          mail,
          lock: { waitSeconds, ...(onWait ? { onWait } : {}) },
          ...(line.enabled
            ? {
                onFile: (clientId: string, fileName: string) => {
                  current = `${clientId}/${fileName}: `;
                  line.update(`${current}reading`);
                },
                onProgress: importProgress(line, () => current),
              }
            : {}),
        });
      } finally {
        line.finish();
      }
      if (options.json) print(JSON.stringify(toJson(result, deliveryJson), null, 2));
      else printSummary(result, describeDelivery);
      if (!result.ok) {
        const files = result.clients.flatMap((client) => client.files).filter((file) => file.outcome === 'rejected').length;
        const failed = result.clients.filter((client) => client.problem !== null || client.heldBack !== null).map((client) => client.clientId);
        const parts = [
          files > 0 ? `${files} file${files === 1 ? '' : 's'} rejected` : null,
          failed.length > 0 ? `client${failed.length === 1 ? '' : 's'} ${failed.join(', ')} not updated` : null,
          result.report !== null && 'problem' in result.report ? 'the report was not published' : null,
        ].filter((part) => part !== null);
        throw new JobIncompleteError(`monthly: ${parts.join('; ')}`);
      }
    });
}
