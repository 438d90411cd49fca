// The notice a command prints when it has to wait for the warehouse: who holds the lock and how long it
// waits. DuckDB names the holder's program and PID; on Linux /proc tells its whole command line, so that a
// lasttouch process is named by its command (`lasttouch build`). Loaded by every command: light imports.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { LockHolder } from '../warehouse/db.js';
import { notice } from './progress.js';

/** A process's arguments from /proc/<pid>/cmdline; null where there is no /proc, or the process is gone. */
export function commandLineOf(pid: number): string[] | null {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv[argv.length - 1] === '') argv.pop();
    return argv.length > 0 ? argv : null;
  } catch {
    return null;
  }
}

/** The script of a lasttouch process: the bin (bin/lasttouch.js, an installed `lasttouch`) or dist/cli/…. */
const LASTTOUCH_SCRIPT = /(?:^|\/)(?:bin\/lasttouch\.js|lasttouch|dist\/cli\/[^/]+\.js)$/;
/** The global options that take a value: their value is not the command. */
const VALUED_OPTIONS = new Set(['--db', '--wait']);

/** `lasttouch <command>` when argv is a lasttouch process (the first argument after the script that is not an option); else null. */
export function lasttouchCommand(argv: readonly string[]): string | null {
  // The script is the program itself, or the script node runs (not any argument that ends in lasttouch).
  const runsScripts = /^node/.test(basename(argv[0] ?? ''));
  const script = LASTTOUCH_SCRIPT.test(argv[0] ?? '') ? 0 : runsScripts ? argv.findIndex((arg) => LASTTOUCH_SCRIPT.test(arg)) : -1;
  if (script < 0) return null;
  for (let index = script + 1; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (VALUED_OPTIONS.has(arg)) index += 1;
    else if (!arg.startsWith('-')) return `lasttouch ${arg}`;
  }
  return 'lasttouch';
}

function shortened(text: string, length = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}

/**
 * The holder of the lock, for a person: "`lasttouch build` (pid 12345)"; another program by its name and
 * command line, "duckdb (pid 4242), held by /usr/bin/duckdb warehouse.duckdb"; "another process" when
 * DuckDB named no PID.
 */
export function describeHolder(holder: LockHolder, argv: readonly string[] | null = holder.pid === null ? null : commandLineOf(holder.pid)): string {
  if (holder.pid === null) return 'another process';
  const pid = `pid ${holder.pid}`;
  if (argv !== null) {
    const command = lasttouchCommand(argv);
    if (command !== null) return `\`${command}\` (${pid})`;
    const program = basename(argv[0] ?? holder.program ?? '') || 'another process';
    return `${program} (${pid}), held by ${shortened(argv.join(' '))}`;
  }
  return holder.program === null ? `another process (${pid})` : `${basename(holder.program)} (${pid}), held by ${holder.program}`;
}

/** The waiting notice on stderr (the command line's OpenOptions.onWait; --quiet gives none). */
export function printWaiting(holder: LockHolder, waitSeconds: number): void {
  notice(`lasttouch: waiting for ${describeHolder(holder)}, up to ${waitSeconds} s; --wait to change`);
}
