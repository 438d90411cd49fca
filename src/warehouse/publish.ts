// How a command that writes changes the warehouse without ever making a reader wait, and without a crash
// ever leaving half of a change visible.
//
// The file at the warehouse's path is always a whole, published state: readers (query, report, status,
// an outside DuckDB client opened read-only) open it and never take a lock that a writer needs. A command
// that writes
//   1. takes the writer lock: DuckDB's own lock on a small sidecar file `<db>.lock`, which the operating
//      system releases when the process ends, however it ends;
//   2. copies the published file to `<db>.next` and opens that copy;
//   3. does its work there, in transactions as before, then checkpoints and closes it, and flushes it to
//      disk;
//   4. renames `<db>.next` over `<db>`: one atomic step, after which new readers see the new state whole,
//      while a reader that had the old file open goes on reading the old one to its end.
// A command that fails discards its copy, so the published file is not even touched. A process killed at
// any point leaves `<db>` as it was before or as it is after, whole; the next writer removes what a
// killed one left behind.
import { closeSync, copyFileSync, constants, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

/** The files of one warehouse path. */
export interface WarehouseFiles {
  published: string;
  next: string;
  lock: string;
}

export function warehouseFiles(published: string): WarehouseFiles {
  return { published, next: `${published}.next`, lock: `${published}.lock` };
}

/** What DuckDB keeps beside a database file while it is open or after a crash. */
function companions(path: string): string[] {
  return [path, `${path}.wal`, `${path}.tmp`];
}

/** Removes a database file and its companions. */
export function removeDatabase(path: string): void {
  for (const file of companions(path)) rmSync(file, { recursive: true, force: true });
}

/**
 * Starts `next` as a copy of the published state (or as nothing, for a new warehouse or a fresh start),
 * after removing whatever a killed writer left there.
 */
export function prepareNext(files: WarehouseFiles, fresh: boolean): void {
  removeDatabase(files.next);
  if (fresh || !existsSync(files.published)) return;
  // A clone where the file system can share blocks (btrfs, XFS), a plain copy elsewhere.
  copyFileSync(files.published, files.next, constants.COPYFILE_FICLONE);
}

function fsyncPath(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes the closed `next` file the published state, durably. */
export function publishNext(files: WarehouseFiles): void {
  fsyncPath(files.next, 'r+');
  renameSync(files.next, files.published);
  fsyncPath(dirname(files.published), 'r');
}
