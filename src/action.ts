/**
 * The GitHub Action (SPEC §6): reads the command and hands over to src/action/. Everything that talks
 * to GitHub lives there; the engine never knows it runs in Actions. Importing this module does
 * nothing: src/action-entry.ts (dist/index.js) calls run(), and so can @github/local-action.
 */
import * as core from "@actions/core";
import { check } from "./action/check.js";
import { exportPolicies } from "./action/export.js";
import { fix } from "./action/fix.js";
import { inputReader, readCheckInputs } from "./action/inputs.js";
import { pin, plan, rebuild } from "./action/rebuild.js";
import { GuardError } from "./errors.js";

export async function run(): Promise<void> {
  try {
    const get = inputReader(core.getInput);
    const inputs = readCheckInputs(get);
    if (inputs.token) core.setSecret(inputs.token);
    if (inputs.command === "plan") return plan(get);
    if (inputs.command === "rebuild") return await rebuild(get);
    if (inputs.command === "export") return exportPolicies(get);
    if (inputs.command === "pin") return await pin(get);
    if (inputs.command === "fix") return await fix(inputs, get);
    await check(inputs);
  } catch (error) {
    core.setFailed(
      error instanceof GuardError ? error.message : `internal error: ${(error as Error).message}`,
    );
    // SPEC §5: a usage, policy or I/O error is exit 2, as on the command line.
    if (error instanceof GuardError) process.exitCode = 2;
  }
}
