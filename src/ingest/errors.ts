// How a refused file is reported: each problem names the file, line, column and value.

/** How many problems a refused file lists; the rest are counted. */
export const MAX_REPORTED_PROBLEMS = 20;

/** How much of a value a message shows; a longer one is cut, and its length given (see shown()). */
export const MAX_SHOWN_CHARACTERS = 60;

/**
 * A piece of an export as a message shows it: at most MAX_SHOWN_CHARACTERS characters, then
 * `… (N characters)` for the rest, and no byte a terminal would act on (a NUL, an escape, a line break
 * are written \x00, \x1B, \n). Every value, column and header a message quotes goes through here, so no
 * message grows with the file (a 10 MB cell is shown by its start).
 */
export function shown(text: string): string {
  const characters = [...text];
  const cut = characters.length > MAX_SHOWN_CHARACTERS;
  const start = cut ? characters.slice(0, MAX_SHOWN_CHARACTERS).join('') : text;
  const escaped = start.replace(/[\x00-\x1F\x7F]/g, (char) => {
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    if (char === '\t') return '\\t';
    return `\\x${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  });
  return cut ? `${escaped}… (${characters.length} characters)` : escaped;
}

/** shown(text) in double quotes, as messages quote values and headers. */
export function quoted(text: string): string {
  return `"${shown(text)}"`;
}

export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: string | null,
    readonly value: string | null,
    readonly problem: string,
  ) {
    super(
      `${file}:${line}: ` +
        (column === null ? '' : `column ${quoted(column)}`) +
        (value === null ? '' : `${column === null ? '' : ', '}value ${quoted(value)}`) +
        `${column === null && value === null ? '' : ': '}${problem}`,
    );
  }
}

/** The file was refused: every problem found, in file order (the first MAX_REPORTED_PROBLEMS of them). */
export class ImportRefusedError extends Error {
  constructor(
    readonly problems: InputError[],
    readonly totalProblems: number,
  ) {
    const more = totalProblems - problems.length;
    super(
      problems.map((problem) => problem.message).join('\n') +
        (more > 0 ? `\n... and ${more} more problem${more === 1 ? '' : 's'}` : '') +
        '\nnothing was imported',
    );
  }
}

/** Refuses the file for one problem. */
export function refuse(problem: InputError): never {
  throw new ImportRefusedError([problem], 1);
}
