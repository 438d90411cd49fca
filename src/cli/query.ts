import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { globals } from './common.js';

type Format = 'table' | 'csv' | 'json' | 'parquet';
const BY_EXTENSION: Record<string, Format> = { '.csv': 'csv', '.json': 'json', '.parquet': 'parquet', '.txt': 'table' };

interface QueryOptions {
  format?: Format;
  output?: string;
  allowRead: string[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The folders a statement may read, each an existing folder, as absolute paths. */
function readableFolders(dirs: readonly string[]): string[] {
  return dirs.map((dir) => {
    const full = resolve(dir);
    if (!existsSync(full) || !statSync(full).isDirectory()) throw new UsageError(`--allow-read ${dir}: no such folder`);
    return full;
  });
}

/** Where the output goes and in which format; a temporary file beside it is renamed over it when whole. */
function outputPlan(options: QueryOptions): { format: Format; file?: string; temporary?: string } {
  if (options.output === undefined) {
    if (options.format === 'parquet') throw new UsageError('--format parquet writes a file: give it with --output FILE');
    return { format: options.format ?? 'table' };
  }
  const file = resolve(options.output);
  const format = options.format ?? BY_EXTENSION[extname(file).toLowerCase()];
  if (format === undefined) throw new UsageError(`--output ${options.output}: say which format with --format csv|json|parquet|table`);
  if (!existsSync(dirname(file)) || !statSync(dirname(file)).isDirectory()) {
    throw new UsageError(`--output ${options.output}: no folder ${dirname(file)} to write it in`);
  }
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`--output ${options.output} is a folder, not a file`);
  return { format, file, temporary: join(dirname(file), `.${basename(file)}.${process.pid}.tmp`) };
}

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('run one read-only SQL statement against the warehouse; it cannot write anything anywhere')
    .argument('<sql>', 'one SELECT (or FROM, WITH, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN) statement')
    .addOption(new Option('--format <format>', 'output format (default table, or from the --output file name)').choices(['table', 'csv', 'json', 'parquet']))
    .option('--output <file>', 'write the result to FILE (whole or not at all) instead of standard output')
    .option('--allow-read <dir>', 'let the statement read files in DIR (read_csv, read_parquet); repeatable', collect, [])
    .addHelpText(
      'after',
      `\nExamples:\n  lasttouch query "select * from marts.revenue_summary where client_id = 'acme'"\n  lasttouch query "select * from marts.order_attribution" --format json\n  lasttouch query "select * from marts.revenue_summary" --output summary.parquet\n  lasttouch query "select * from read_csv('exports/targets.csv')" --allow-read exports`,
    )
    .action(async (sql: string, options: QueryOptions, command: Command) => {
      const { dbPath, waitSeconds, onWait } = globals(command);
      const plan = outputPlan(options);
      const allowRead = readableFolders(options.allowRead);
      const [{ withWarehouse }, { renderRows }, sandbox] = await Promise.all([
        import('../warehouse/db.js'),
        import('./rows.js'),
        import('../warehouse/sandbox.js'),
      ]);
      try {
        const { output, state } = await withWarehouse(dbPath, { readOnly: true, waitSeconds, onWait }, async (warehouse) => {
          const parquet = plan.format === 'parquet' ? plan.temporary : undefined;
          await sandbox.lockDown(warehouse, { allowRead, writeTo: parquet });
          const state = await sandbox.publishedState(warehouse);
          if (parquet !== undefined) {
            await sandbox.copyResult(warehouse, sql, parquet);
            return { output: undefined, state };
          }
          const reader = await sandbox.readQuery(warehouse, sql);
          return { output: renderRows(plan.format as Exclude<Format, 'parquet'>, reader.columnNames(), reader.getRows()), state };
        });
        if (state !== undefined) process.stderr.write(`lasttouch: read ${state}\n`);
        if (plan.file === undefined || plan.temporary === undefined) {
          process.stdout.write(output ?? '');
          return;
        }
        if (output !== undefined) writeFileSync(plan.temporary, output);
        renameSync(plan.temporary, plan.file);
        process.stderr.write(`lasttouch: wrote ${plan.file}\n`);
      } finally {
        if (plan.temporary !== undefined) rmSync(plan.temporary, { force: true });
      }
    });
}
