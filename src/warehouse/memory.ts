// How much memory DuckDB may take for its buffers in this process: --memory-limit, else
// $LASTTOUCH_MEMORY_LIMIT, else DEFAULT_MEMORY_LIMIT. Past it, DuckDB spills what it can to a temp folder
// beside the warehouse (hash tables, sorts) rather than grow; left alone it would take up to 80% of the
// machine's memory, which a cron job beside other work cannot afford. The process's own memory (Node,
// the importer's tokenizer, the renderer) comes on top: about 100-150 MB.
import { UsageError } from '../errors.js';

/** Enough for a full build of a million orders a year without spilling much (see BENCHMARKS.md). */
export const DEFAULT_MEMORY_LIMIT = '768MB';
/**
 * An import streams its file: a small buffer costs it no time and keeps its memory flat whatever the
 * file's size. It takes this much, or less when the limit is lower.
 */
const IMPORT_MEMORY_BYTES = 256 * 2 ** 20;

const UNITS: Readonly<Record<string, number>> = {
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
};

/** Bytes of a size written as DuckDB takes it (512MB, 1.5GB, 800MiB), or null when it is not one. */
export function parseMemorySize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b)\s*$/i.exec(text);
  if (!match) return null;
  const bytes = Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? 0);
  return bytes >= 64 * 2 ** 20 ? Math.round(bytes) : null;
}

let configured: { text: string; bytes: number } | null = null;

function check(text: string, where: string): { text: string; bytes: number } {
  const bytes = parseMemorySize(text);
  if (bytes === null) {
    throw new UsageError(`${where} "${text}" is not a memory size of at least 64MB (e.g. 512MB, 1GB, 800MiB)`);
  }
  return { text: text.trim(), bytes };
}

/** Sets the limit for this process (the command line's --memory-limit). */
export function setMemoryLimit(text: string): void {
  configured = check(text, '--memory-limit');
}

function limit(): { text: string; bytes: number } {
  if (configured) return configured;
  const fromEnvironment = process.env.LASTTOUCH_MEMORY_LIMIT;
  return fromEnvironment ? check(fromEnvironment, 'LASTTOUCH_MEMORY_LIMIT') : check(DEFAULT_MEMORY_LIMIT, 'the default');
}

/** DuckDB's memory_limit for this process, as DuckDB writes it. */
export function memoryLimit(): string {
  return `${Math.floor(limit().bytes / 2 ** 20)}MiB`;
}

/** DuckDB's memory_limit while an import streams a file in: IMPORT_MEMORY_BYTES, or the limit if lower. */
export function importMemoryLimit(): string {
  return `${Math.floor(Math.min(limit().bytes, IMPORT_MEMORY_BYTES) / 2 ** 20)}MiB`;
}
