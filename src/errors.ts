// Errors every layer may raise, each with its exit code in src/cli/common.ts: a usage error (2), a thing
// asked for by name that does not exist (1), a report that could not be rendered (1).

/** Options that contradict each other or name impossible values: exit code 2. */
export class UsageError extends Error {}

/** A client, upload or page asked for by name does not exist. */
export class NotFoundError extends Error {}

/** The report could not be rendered; nothing was published. */
export class ReportFailedError extends Error {}

/** A statement that `query` does not run, or a file it may not touch: exit code 1, nothing run. */
export class QueryRefusedError extends Error {}

/** A job that ran to its end but did not get everything through (a file rejected, a client held back): exit code 1. */
export class JobIncompleteError extends Error {}

/** The first line of an error's message: what a line of a summary can hold. */
export function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}
