// The lasttouch command line: global options, exit codes, and one module per command.
import { Command, CommanderError, Option } from 'commander';
import { registerImport } from './import.js';
import { registerBuild } from './build.js';
import { registerModels } from './models.js';
import { registerDocs } from './docs.js';
import { registerDiff } from './diff.js';
import { registerReport } from './report.js';
import { registerQuery } from './query.js';
import { registerClient } from './client.js';
import { registerStatus } from './status.js';
import { registerDemo } from './demo.js';
import { registerUpload } from './upload.js';
import { registerMonthly } from './monthly.js';
import { exitCodeFor } from './common.js';

export function createProgram(): Command {
  const program = new Command('lasttouch')
    .description('Honest marketing revenue: platform exports in, last-touch attribution out.')
    .addOption(new Option('--db <path>', 'warehouse file (default $LASTTOUCH_DB, else ./warehouse.duckdb)'))
    .addOption(
      new Option('--wait <seconds>', 'how long to wait for another process to release the warehouse (saying at once whom it waits for)').default('30'),
    )
    .addOption(
      new Option(
        '--memory-limit <size>',
        'memory DuckDB may use for its buffers before it spills to disk (default $LASTTOUCH_MEMORY_LIMIT, else 768MB)',
      ),
    )
    .addOption(
      new Option('-q, --quiet', 'no progress lines on a terminal and no "waiting for" notice on stderr (errors still print)'),
    )
    // Every command's --help lists --db, --wait and --quiet too: they may be given after the command.
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(`lasttouch <command> --help` lists the options)')
    .exitOverride();
  for (const register of [
    registerImport,
    registerBuild,
    registerModels,
    registerDocs,
    registerDiff,
    registerReport,
    registerQuery,
    registerClient,
    registerStatus,
    registerUpload,
    registerMonthly,
    registerDemo,
  ]) {
    register(program);
  }
  program.commands.forEach((command) => command.exitOverride());
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return 0;
      return 2;
    }
    const code = exitCodeFor(error);
    process.stderr.write(`lasttouch: ${error instanceof Error ? error.message : String(error)}\n`);
    if (code === 99) {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? '') : ''}\n`);
      return 1;
    }
    return code;
  }
}
