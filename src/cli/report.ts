import type { Command } from 'commander';
import { globals, print } from './common.js';
import { progressLine } from './progress.js';

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
        'On a terminal, a long report shows on stderr which page it renders ("page 3 of 12"); --quiet hides it.\n' +
        '\nExamples:\n  lasttouch report\n  lasttouch report --client acme --month 2026-07 --out out/acme-july',
    )
    .action(async (options: { client?: string; month?: string; out: string }, command: Command) => {
      const { dbPath, waitSeconds, quiet } = globals(command);
      const { renderReports } = await import('../report/render.js');
      const line = progressLine(quiet);
      let result: Awaited<ReturnType<typeof renderReports>>;
      try {
        line.update('reading the marts');
        result = await renderReports({
          dbPath,
          outDir: options.out,
          clientId: options.client,
          month: options.month,
          waitSeconds,
          onPage: (done, total) => line.update(done < total ? `page ${done} of ${total} rendered` : `page ${done} of ${total} rendered; publishing the site`),
        });
      } finally {
        line.finish();
      }
      print(`report: ${result.indexPath}`);
      print(`${result.pages.length} client page${result.pages.length === 1 ? '' : 's'} and the index`);
    });
}
