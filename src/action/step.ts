/**
 * Which step of which job this is: several steps of one workflow may run the Action (two `check`
 * steps over different paths), and each needs its own report file, SARIF category and pull
 * request comment. The runner names the step in GITHUB_ACTION (its `id:`, or `__owner_repo`,
 * `__owner_repo_2`, … for steps without one) and the job in GITHUB_JOB.
 */

/** Letters, digits, `_`, `.` and `-` only: the id goes into a file path and an HTML comment. */
function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[-.]+|-+$/g, "") || "step";
}

export function stepId(env: NodeJS.ProcessEnv = process.env): string {
  return safe(env.GITHUB_ACTION ?? "check");
}

/** `base-image-guard/<job>/<step>`: unique per step, the same on every run of it. */
export function defaultSarifCategory(env: NodeJS.ProcessEnv = process.env): string {
  return `base-image-guard/${safe(env.GITHUB_JOB ?? "job")}/${stepId(env)}`;
}
