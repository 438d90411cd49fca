// Text ordered by UTF-16 code units, the order of Array.prototype.sort with no comparator, for names the
// program makes (platforms, schema.table ids, test ids). localeCompare would order them by the language's
// collation instead, and its first call sets up ICU's collator: about 10 ms of every command's start.

/** -1, 0 or 1: a before, equal to or after b, by code units. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
