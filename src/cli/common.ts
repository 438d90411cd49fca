// What every command shares: where the warehouse is, how long to wait for it, and the exit codes of
// the contract (0 ok, 1 refused input or failed build, 2 usage, 3 busy). The command modules load what
// they run (DuckDB, the importer, the renderer) only when their command runs, so that `--help` and
// `query` start fast; this module and the command definitions stay light.
import type { Command } from 'commander';
import { ImportRefusedError, InputError } from '../ingest/errors.js';
import { JobIncompleteError, NotFoundError, QueryRefusedError, ReportFailedError, UsageError } from '../errors.js';
import { defaultDbPath, MigrationChangedError, WarehouseBusyError, WarehouseMissingError, WarehouseOutdatedError } from '../warehouse/location.js';
import { BuildFailedError } from '../models/errors.js';
import type { OpenOptions } from '../warehouse/db.js';
import { setMemoryLimit } from '../warehouse/memory.js';
import { aside } from './progress.js';
import { printWaiting } from './waiting.js';

export interface GlobalOptions {
  dbPath: string;
  waitSeconds: number;
  /** --quiet: no progress lines and no waiting notice on stderr (errors still print). */
  quiet: boolean;
  /**
   * Pass with waitSeconds to withWarehouse: it prints, at the first lock conflict, who holds the
   * warehouse and how long the command waits (undefined with --quiet).
   */
  onWait: OpenOptions['onWait'];
}

export function globals(command: Command): GlobalOptions {
  const options = command.optsWithGlobals<{ db?: string; wait?: string; quiet?: boolean; memoryLimit?: string }>();
  if (options.memoryLimit !== undefined) setMemoryLimit(options.memoryLimit);
  const waitSeconds = Number(options.wait ?? '30');
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) {
    throw new UsageError(`--wait "${options.wait}" is not a number of seconds`);
  }
  const quiet = options.quiet === true;
  return { dbPath: options.db ?? defaultDbPath(), waitSeconds, quiet, onWait: quiet ? undefined : printWaiting };
}


/** Maps an error to the contract's exit code; 99 marks a bug (printed with its stack, exit 1). */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return 2;
  if (error instanceof WarehouseBusyError) return 3;
  if (
    error instanceof InputError ||
    error instanceof ImportRefusedError ||
    error instanceof BuildFailedError ||
    error instanceof WarehouseMissingError ||
    error instanceof WarehouseOutdatedError ||
    error instanceof MigrationChangedError ||
    error instanceof ReportFailedError ||
    error instanceof NotFoundError ||
    error instanceof QueryRefusedError ||
    error instanceof JobIncompleteError
  ) {
    return 1;
  }
  if (error instanceof Error && /Catalog Error|Parser Error|Binder Error|Conversion Error|Invalid Input Error|read-only/i.test(error.message)) {
    return 1;
  }
  return 99;
}

/** A line on stdout; a progress line on the terminal (src/cli/progress.ts) makes way for it. */
export function print(line = ''): void {
  aside(() => process.stdout.write(`${line}\n`));
}
