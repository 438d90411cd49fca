// `lasttouch demo`: the embedded default run (src/cli/demo-run.ts does the work).
import { dirname, relative } from 'node:path';
import type { Command } from 'commander';
import { print } from './common.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('load the demo exports under seeds/demo/ into a fresh demo warehouse, build, render the reports, write the mail to its outbox')
    .option('--out <dir>', 'where the demo warehouse and reports go', 'out/demo')
    .addHelpText('after', '\nExample:\n  npm run demo\n  npx lasttouch demo --out /tmp/demo')
    .action(async (options: { out: string }) => {
      const { runDemo } = await import('./demo-run.js');
      const { warehousePath, indexPath, outbox } = await runDemo(options.out);
      print();
      print(`demo warehouse: ${relative(process.cwd(), warehousePath) || warehousePath}`);
      print(`  try: npx lasttouch --db ${relative(process.cwd(), warehousePath)} query "select * from marts.revenue_summary"`);
      print(`open the report: ${indexPath}`);
      if (outbox.length > 0) {
        print(`what the client would get by mail: ${outbox.length} message${outbox.length === 1 ? '' : 's'} in ${relative(process.cwd(), dirname(outbox[0] ?? '')) || '.'}/ (open an .eml file in a mail program)`);
      }
    });
}
