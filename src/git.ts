/**
 * git, through the tool runner (src/tool-run.ts). Arguments are passed as an array (no shell), and
 * callers put `--` before any value that comes from a user, so a value can never become an option.
 */
import { runTool } from "./tool-run.js";

/** git's output is read whole; no time limit (a large repository's history takes what it takes). */
const GIT = { timeoutMs: 0, maxOutputBytes: 256 << 20 };

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`git ${args[0] ?? ""} failed${stderr ? `: ${stderr}` : ""}`);
    this.name = "GitError";
  }
}

/** Runs git in `cwd` and returns its stdout; a non-zero exit is a GitError carrying stderr. */
export function git(cwd: string, args: readonly string[]): string {
  const result = runTool("git", args, { cwd, ...GIT });
  if (result.exitCode !== 0 || result.stopped) throw new GitError(args, result.stderr.trim());
  return result.stdout.toString("utf8");
}

/** Splits `-z` output into names. */
export function nulSeparated(output: string): string[] {
  return output.split("\0").filter(Boolean);
}

/** True when `dir` lies inside a git work tree (and git is installed). */
export function isInsideWorkTree(dir: string): boolean {
  try {
    return git(dir, ["rev-parse", "--is-inside-work-tree"]).trim() === "true";
  } catch {
    return false;
  }
}

/**
 * The tracked files below `dir`, relative to it, from the index alone (git reads no .gitignore for
 * this). Names that are not valid UTF-8 are left out: the walk reports them.
 */
export function trackedFiles(dir: string): string[] {
  const result = runTool("git", ["ls-files", "-z", "--cached", "--", "."], { cwd: dir, ...GIT });
  if (result.exitCode !== 0 || result.stopped) return [];
  const output = result.stdout;
  const names: string[] = [];
  let start = 0;
  for (let end = output.indexOf(0); end >= 0; start = end + 1, end = output.indexOf(0, start)) {
    const bytes = output.subarray(start, end);
    const name = bytes.toString("utf8");
    if (Buffer.from(name, "utf8").equals(bytes)) names.push(name);
  }
  return names;
}
