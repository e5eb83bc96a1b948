/**
 * dist/index.js run as the runner runs it: a child `node` with INPUT_* variables, GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH and GITHUB_WORKSPACE, and only what a runner sets.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ACTION = resolve("dist/index.js");
export const EVENT = resolve("test/fixtures/events/pull_request.json");

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface RunExtra {
  event?: string;
  eventName?: string;
  apiUrl?: string;
  env?: Record<string, string>;
}

export function runAction(
  workspace: string,
  inputs: Record<string, string>,
  extra: RunExtra = {},
): Promise<ActionRun> {
  const temp = mkdtempSync(join(tmpdir(), "big-runner-"));
  const outputFile = join(temp, "output");
  const summaryFile = join(temp, "summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  // Only what a runner sets: none of this machine's own GITHUB_* or proxy variables leak in.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? temp,
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_NAME: extra.eventName ?? "pull_request",
    GITHUB_EVENT_PATH: extra.event ?? EVENT,
    GITHUB_REPOSITORY: "acme/shop",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: "4242",
    GITHUB_JOB: "guard",
    GITHUB_ACTION: "base-images",
    GITHUB_API_URL: extra.apiUrl ?? "http://127.0.0.1:9",
    RUNNER_TEMP: temp,
    ...extra.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise((done) => {
    execFile(process.execPath, [ACTION], { cwd: workspace, env }, (error, stdout, stderr) => {
      const outputs: Record<string, string> = {};
      for (const m of readFileSync(outputFile, "utf8").matchAll(/^(\S+?)<<(\S+)\n([\s\S]*?)\n\2$/gm)) {
        outputs[m[1] as string] = m[3] as string;
      }
      done({
        code: error ? Number(error.code ?? 1) : 0,
        stdout,
        stderr,
        outputs,
        summary: readFileSync(summaryFile, "utf8"),
      });
    });
  });
}
