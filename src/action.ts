/**
 * The GitHub Action entry (SPEC §6): inputs → engine → annotations → exit status. This first
 * version checks `paths` with `policy` and `mode` and annotates every finding; the summary,
 * SARIF, outputs and PR comment arrive with issue 4.
 */
import * as core from "@actions/core";
import { exitCodeOf, runCheck } from "./check.js";
import { GuardError } from "./errors.js";
import { loadPolicy } from "./policy/load.js";
import type { Mode } from "./policy/types.js";
import { renderGithub } from "./report/github.js";

function run(): void {
  try {
    const cwd = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const paths = core.getMultilineInput("paths").flatMap((line) => line.split(/\s+/).filter(Boolean));
    const mode = core.getInput("mode") as Mode | "";
    const loaded = loadPolicy(core.getInput("policy") || undefined, cwd);
    const result = runCheck({ paths, cwd, loaded, ...(mode && { mode }) });
    process.stdout.write(renderGithub(result));
    core.setOutput("violations", String(result.findings.length));
    if (exitCodeOf(result) !== 0) core.setFailed(`${result.findings.length} base-image policy violations`);
  } catch (error) {
    core.setFailed(
      error instanceof GuardError ? error.message : `internal error: ${(error as Error).message}`,
    );
  }
}

run();
