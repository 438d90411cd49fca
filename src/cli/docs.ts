// `lasttouch docs --out DIR`: the page about the models (src/docs/render.ts).
import type { Command } from 'commander';
import { globals, print } from './common.js';

export function registerDocs(program: Command): void {
  program
    .command('docs')
    .description('write a page about the models: the lineage graph, each model with its columns, SQL, tests and last run')
    .option('--out <dir>', 'the folder to write index.html into (replaced as a whole when done)', 'model-docs')
    .addHelpText('after', '\nExamples:\n  lasttouch docs --out model-docs\n  lasttouch --db agency.duckdb docs --out /var/www/models')
    .action(async (options: { out: string }, command: Command) => {
      const { dbPath, waitSeconds } = globals(command);
      const { renderDocs } = await import('../docs/render.js');
      const result = await renderDocs({ dbPath, outDir: options.out, waitSeconds });
      print(`${result.models} models${result.warehouse ? '' : ` (no warehouse at ${dbPath}: no columns or runs)`}; open ${result.indexPath}`);
    });
}
