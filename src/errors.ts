/**
 * Errors that stop a run (exit code 2, SPEC §5). Each says where and what to do; problems inside a
 * scanned file are not errors but `parse-error` findings.
 */
export class GuardError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A policy file that does not load or validate. Never replaced by the default silently. */
export class PolicyError extends GuardError {
  constructor(
    readonly file: string,
    readonly problems: PolicyProblem[],
  ) {
    super(`policy ${file} is not valid:\n${problems.map((p) => `  ${formatProblem(file, p)}`).join("\n")}`);
  }
}

export interface PolicyProblem {
  /** 1-based line in the policy file, 0 when unknown. */
  line: number;
  /** Key path such as `versions.ubuntu[0]`, empty for the whole file. */
  keyPath: string;
  /** What was expected, phrased as advice. */
  message: string;
}

function formatProblem(file: string, problem: PolicyProblem): string {
  const where = problem.line > 0 ? `${file}:${problem.line}` : file;
  return `${where}: ${problem.keyPath ? `${problem.keyPath}: ` : ""}${problem.message}`;
}

/** Wrong command-line or Action input. */
export class UsageError extends GuardError {}

/** A path, pod list or output file that cannot be read or written. */
export class InputError extends GuardError {}
