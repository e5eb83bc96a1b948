/**
 * The one place that runs git. Arguments are passed as an array (no shell), and callers put `--`
 * before any value that comes from a user, so a value can never become an option.
 */
import { execFileSync } from "node:child_process";

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
  try {
    return execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 256 << 20,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim();
    throw new GitError(args, stderr);
  }
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
  let output: Buffer;
  try {
    output = execFileSync("git", ["ls-files", "-z", "--cached", "--", "."], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 256 << 20,
    });
  } catch {
    return [];
  }
  const names: string[] = [];
  let start = 0;
  for (let end = output.indexOf(0); end >= 0; start = end + 1, end = output.indexOf(0, start)) {
    const bytes = output.subarray(start, end);
    const name = bytes.toString("utf8");
    if (Buffer.from(name, "utf8").equals(bytes)) names.push(name);
  }
  return names;
}
