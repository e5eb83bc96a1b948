/**
 * Runs a tool the check itself needs (helm for rendering charts) and waits for it: an argument
 * array, never a shell, so a value can never become a command; a time limit and an output limit,
 * so a tool that hangs or floods cannot hang or fill the run. The rebuild's tools, which print as
 * they go, run through `rebuild/tools.ts`; git through `git.ts`.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface SyncResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Set when the tool did not finish on its own: the limit it ran into. */
  stopped?: "timeout" | "output";
}

export interface SyncRunOptions {
  cwd?: string;
  /** Added to (and overriding) the environment the run has. */
  env?: Record<string, string>;
  timeoutMs: number;
  maxOutputBytes: number;
}

/** A synchronous runner: tests hand the engine one that runs a recording fake; the CLI, the real tool on PATH. */
export interface SyncToolRunner {
  /** The tool's path, when it is on PATH. */
  find(tool: string): string | undefined;
  run(tool: string, args: readonly string[], options: SyncRunOptions): SyncResult;
}

/** Where `tool` is on `PATH` (an executable regular file), as a shell would find it. */
export function findOnPath(tool: string, path = process.env.PATH ?? ""): string | undefined {
  const names = process.platform === "win32" ? [`${tool}.exe`, `${tool}.cmd`, tool] : [tool];
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {}
    }
  }
  return undefined;
}

export const pathRunner: SyncToolRunner = {
  find: (tool) => findOnPath(tool),
  run(tool, args, options) {
    const found = findOnPath(tool);
    if (found === undefined) return { exitCode: 127, stdout: "", stderr: `${tool}: not found on PATH` };
    const result = spawnSync(found, args, {
      ...(options.cwd && { cwd: options.cwd }),
      env: { ...process.env, ...options.env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: options.timeoutMs,
      killSignal: "SIGKILL",
      maxBuffer: options.maxOutputBytes,
      windowsHide: true,
    });
    const error = result.error as NodeJS.ErrnoException | undefined;
    const stopped =
      error?.code === "ETIMEDOUT" ? "timeout" : error?.code === "ENOBUFS" ? "output" : undefined;
    return {
      exitCode: result.status ?? (error ? 1 : 0),
      stdout: result.stdout ?? "",
      stderr: result.stderr ?? (error && !stopped ? error.message : ""),
      ...(stopped && { stopped }),
    };
  },
};
