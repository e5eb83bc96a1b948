/**
 * `command: export` in the Action (SPEC §8): the policy's admission exports written into the
 * workspace, so a workflow can open a pull request when the policy (or an exception's date) changes.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import * as core from "@actions/core";
import packageJson from "../../package.json" with { type: "json" };
import { EXPORT_FILES, exportPolicy, targetsOf } from "../admission/export.js";
import { loadPolicy } from "../policy/load.js";
import { type GetInput, workspace } from "./inputs.js";

export function exportPolicies(get: GetInput): void {
  const cwd = workspace();
  const targets = targetsOf(get("export-to"), "input export-to");
  const dir = resolve(cwd, get("export-dir"));
  const policyInput = get("policy");
  const loaded = loadPolicy(policyInput === "" ? undefined : policyInput, cwd);
  for (const warning of loaded.warnings) core.warning(warning, { title: "base-image-guard policy" });
  const today = new Date().toISOString().slice(0, 10);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const target of targets) {
    const file = join(dir, EXPORT_FILES[target]);
    writeFileSync(
      file,
      exportPolicy(loaded.policy, {
        target,
        source: loaded.source,
        version: packageJson.version,
        today,
        ...(loaded.calendar && { calendar: loaded.calendar }),
      }),
    );
    files.push(relative(cwd, file));
    core.info(`wrote ${relative(cwd, file)} (${target})`);
  }
  core.setOutput("files", JSON.stringify(files));
}
