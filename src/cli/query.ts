import { Option, type Command } from 'commander';
import { globals } from './common.js';

type Format = 'table' | 'csv' | 'json';

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('run ad-hoc SQL against the warehouse, read-only')
    .argument('<sql>', 'the SQL to run')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .addHelpText(
      'after',
      `\nExamples:\n  lasttouch query "select * from marts.revenue_summary where client_id = 'acme'"\n  lasttouch query "select * from marts.order_attribution" --format json`,
    )
    .action(async (sql: string, options: { format: Format }, command: Command) => {
      const { dbPath, waitSeconds } = globals(command);
      const [{ withWarehouse }, { renderRows }] = await Promise.all([import('../warehouse/db.js'), import('./rows.js')]);
      const output = await withWarehouse(dbPath, { readOnly: true, waitSeconds }, async (warehouse) => {
        const reader = await warehouse.reader(sql);
        return renderRows(options.format, reader.columnNames(), reader.getRows());
      });
      process.stdout.write(output);
    });
}
