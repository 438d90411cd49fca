import { Option, type Command } from 'commander';
import { globals, print } from './common.js';
import { progressLine } from './progress.js';

interface ReportOptions {
  client?: string;
  month?: string;
  out: string;
  pages?: string;
  strict?: boolean;
  pdf?: boolean | string;
  json?: boolean;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('render the static HTML report site from the templates under reports/ (reads the marts, read-only)')
    .option('--client <id>', "re-render only this client's pages; every other page of the site is kept")
    .option('--month <YYYY-MM>', "re-render only this month's pages; every other page of the site is kept")
    .option('--out <dir>', 'the site folder; pages are swapped in together once every page has rendered', 'out/reports')
    .option('--pages <dir>', 'render your own pages from DIR beside the built-in ones (Handlebars with SQL in front matter)')
    .option('--strict', 'fail, instead of warning, when uploads or settings changed after the last build')
    .option('--json', 'print what was written as one JSON document (pages, month pages, PDFs, where the time went)')
    .addOption(new Option('--pdf [paper]', 'also print every month page rendered to PDF beside it (needs Chromium)').choices(['a4', 'letter']).preset('a4'))
    .addHelpText(
      'after',
      '\nA failed report publishes nothing: the previous site in --out stays as it was.\n' +
        'Pages: index.html, then per client <client>.html (overview), <client>/<YYYY-MM>.html (a month) and <client>/coverage.html.\n' +
        'On a terminal, a long report shows on stderr which page it renders ("page 3 of 12"); --quiet hides it.\n' +
        'PDFs need a Chromium: set LASTTOUCH_CHROMIUM to its path, or install one (Debian: apt-get install chromium).\n' +
        '\nExamples:\n  lasttouch report\n  lasttouch report --client acme --month 2026-07\n  lasttouch report --pages reports/examples --pdf letter',
    )
    .action(async (options: ReportOptions, command: Command) => {
      const { dbPath, waitSeconds, quiet } = globals(command);
      const { renderReports } = await import('../report/render.js');
      const line = progressLine(quiet || options.json === true);
      let result: Awaited<ReturnType<typeof renderReports>>;
      try {
        line.update('reading the marts');
        result = await renderReports({
          dbPath,
          outDir: options.out,
          clientId: options.client,
          month: options.month,
          pagesDir: options.pages,
          strict: options.strict === true,
          pdf: options.pdf === undefined || options.pdf === false ? undefined : options.pdf === 'letter' ? 'Letter' : 'A4',
          waitSeconds,
          onPage: (done, total) => line.update(done < total ? `page ${done} of ${total} rendered` : `page ${done} of ${total} rendered; publishing the site`),
        });
      } finally {
        line.finish();
      }
      for (const stale of result.stale) process.stderr.write(`lasttouch: warning: ${stale}\n`);
      if (options.json === true) {
        const { timings } = result;
        print(JSON.stringify({
          index: result.indexPath,
          pages: result.pages,
          month_pages: result.monthPages.map((page) => ({ client_id: page.clientId, month: page.month, path: page.path })),
          pdfs: result.pdfs,
          kept: result.kept,
          stale: result.stale,
          timings: {
            sql_seconds: timings.sqlSeconds, render_seconds: timings.renderSeconds, chart_seconds: timings.chartSeconds,
            charts: timings.charts, publish_seconds: timings.publishSeconds,
          },
        }, null, 2));
        return;
      }
      print(`report: ${result.indexPath}`);
      const months = result.monthPages.length;
      const kept = result.kept > 0 ? `; ${result.kept} page${result.kept === 1 ? '' : 's'} of the previous site kept` : '';
      print(`${result.pages.length} page${result.pages.length === 1 ? '' : 's'} and the index written (${months} month page${months === 1 ? '' : 's'})${kept}`);
      if (result.pdfs.length > 0) print(`${result.pdfs.length} PDF${result.pdfs.length === 1 ? '' : 's'} beside the month pages`);
    });
}
