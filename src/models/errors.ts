// Errors of the model runner. A compile error lists every problem with its file and line; a failed build
// or data test leaves the previous marts as they were (the build's transaction is rolled back).
export interface CompileProblem {
  file: string;
  line: number;
  message: string;
}

export class BuildFailedError extends Error {}

export class CompileError extends BuildFailedError {
  constructor(readonly problems: readonly CompileProblem[]) {
    super(
      `the models do not compile (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  ${problem.file}:${problem.line}: ${problem.message}`).join('\n'),
    );
  }
}
