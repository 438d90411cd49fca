// How a refused file is reported: each problem names the file, line, column and value.

/** How many problems a refused file lists; the rest are counted. */
export const MAX_REPORTED_PROBLEMS = 20;

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
        (column === null ? '' : `column "${column}"`) +
        (value === null ? '' : `${column === null ? '' : ', '}value "${value}"`) +
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
