/**
 * `new-findings-only` (gradual rollout): on a pull request, the base commit's own findings are the
 * baseline, so only what the change adds fails. The base commit is checked out beside the
 * workspace (a detached git worktree, removed afterwards) and judged by the same policy.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCheck } from "../check.js";
import { git } from "../git.js";
import type { LoadedPolicy } from "../policy/types.js";
import { fingerprints } from "../report/fingerprint.js";
import type { RenderMode } from "../sources/helm-render.js";
import { ensureCommit, type PullRequest } from "./pull-request.js";

export function baseCommitFindings(
  cwd: string,
  pr: PullRequest,
  options: { paths: string[]; loaded: LoadedPolicy; onlyFiles?: ReadonlySet<string>; render?: RenderMode },
): Set<string> {
  ensureCommit(cwd, pr.baseSha);
  const tree = mkdtempSync(join(process.env.RUNNER_TEMP ?? tmpdir(), "big-base-"));
  try {
    git(cwd, ["worktree", "add", "--detach", "--force", tree, pr.baseSha]);
    const result = runCheck({
      paths: options.paths,
      cwd: tree,
      loaded: options.loaded,
      mode: "audit",
      // Judged as the head is, so a finding is new only when the change made it.
      ...(options.render && { render: options.render }),
      ...(options.onlyFiles && { onlyFiles: options.onlyFiles }),
    });
    return new Set(fingerprints(result.findings));
  } finally {
    try {
      git(cwd, ["worktree", "remove", "--force", tree]);
    } catch {
      // Not a worktree yet (add failed): the folder alone is left to remove.
    }
    rmSync(tree, { recursive: true, force: true });
  }
}
