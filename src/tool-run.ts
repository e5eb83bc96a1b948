/**
 * The one place that runs a tool and waits for it: helm, for rendering charts, and git. An argument
 * array, never a shell, so a value can never become a command; a time limit and an output limit,
 * so a tool that hangs or floods cannot hang or fill the run. The rebuild's tools, which print as
 * they go, run through `rebuild/tools.ts`.
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

/** What a tool printed, as bytes (a file list whose names need not be UTF-8). */
export interface ByteResult extends Omit<SyncResult, "stdout"> {
  stdout: Buffer;
}

/**
 * Runs `tool` (found on PATH by the system) and waits: never throws for what the tool does. A tool
 * that is not there exits 127 with the system's message on stderr. `timeoutMs: 0` sets no limit.
 */
export function runTool(tool: string, args: readonly string[], options: SyncRunOptions): ByteResult {
  const result = spawnSync(tool, args, {
    ...(options.cwd && { cwd: options.cwd }),
    env: options.env ? { ...process.env, ...options.env } : process.env,
    stdio: ["ignore", "pipe", "pipe"],
    timeout: options.timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: options.maxOutputBytes,
    windowsHide: true,
  });
  const error = result.error as NodeJS.ErrnoException | undefined;
  const stopped = error?.code === "ETIMEDOUT" ? "timeout" : error?.code === "ENOBUFS" ? "output" : undefined;
  const stderr = result.stderr?.toString("utf8") ?? "";
  return {
    exitCode: result.status ?? (error?.code === "ENOENT" ? 127 : 1),
    stdout: result.stdout ?? Buffer.alloc(0),
    stderr: stderr === "" && error && !stopped ? error.message : stderr,
    ...(stopped && { stopped }),
  };
}

export const pathRunner: SyncToolRunner = {
  find: (tool) => findOnPath(tool),
  run(tool, args, options) {
    const result = runTool(tool, args, options);
    return { ...result, stdout: result.stdout.toString("utf8") };
  },
};
