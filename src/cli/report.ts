import type { Command } from 'commander';
import { globals, print } from './common.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('render the static HTML report pages from the templates under reports/ (reads the marts, read-only)')
    .option('--client <id>', 'only this client\'s page (and an index listing it)')
    .option('--month <YYYY-MM>', 'only this month on every page')
    .option('--out <dir>', 'the site folder; it is replaced as a whole once every page has rendered', 'out/reports')
    .addHelpText(
      'after',
      '\nA failed report publishes nothing: the previous site in --out stays as it was.\n' +
        '\nExamples:\n  lasttouch report\n  lasttouch report --client acme --month 2026-07 --out out/acme-july',
    )
    .action(async (options: { client?: string; month?: string; out: string }, command: Command) => {
      const { dbPath, waitSeconds } = globals(command);
      const { renderReports } = await import('../report/render.js');
      const result = await renderReports({
        dbPath,
        outDir: options.out,
        clientId: options.client,
        month: options.month,
        waitSeconds,
      });
      print(`report: ${result.indexPath}`);
      print(`${result.pages.length} client page${result.pages.length === 1 ? '' : 's'} and the index`);
    });
}
