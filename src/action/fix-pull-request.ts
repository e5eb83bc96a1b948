/**
 * `command: fix` with `pull-request: true`: the rewritten files committed on one branch and one pull
 * request opened or updated (SPEC §9 rollout), through the API with @actions/github rather than a
 * third-party action or `git push`: the commit is made from the workspace's files with the Git
 * data API (blobs, a tree on the checked-out commit, a commit, a force-moved branch), so no
 * credential is written to disk, nothing else is installed, and GitHub signs the commit.
 */
import { readFileSync, statSync } from "node:fs";
import { GuardError } from "../errors.js";
import type { FixResult } from "../fix/index.js";
import type { Octokit } from "./pull-request.js";

export interface RolloutTarget {
  owner: string;
  repo: string;
  /** The branch the checkout is on (the pull request's base), without `refs/heads/`. */
  base: string;
  /** The commit the workspace was checked out at: the new commit's parent. */
  parent: string;
  /** The branch the changes go to; moved (forced) on every run. */
  branch: string;
}

export type RolloutOutcome = { kind: "created" | "updated"; number: number; url: string };

export async function openFixPullRequest(
  octokit: Octokit,
  target: RolloutTarget,
  result: FixResult,
  body: string,
): Promise<RolloutOutcome> {
  const { owner, repo } = target;
  if (!/^[0-9a-f]{40}$/.test(target.parent))
    throw new GuardError(`pull-request: the checked-out commit "${target.parent}" is not a commit id`);
  const parent = await octokit.rest.git.getCommit({ owner, repo, commit_sha: target.parent });
  const tree = [];
  for (const file of result.files) {
    const blob = await octokit.rest.git.createBlob({
      owner,
      repo,
      content: readFileSync(file.absolute).toString("base64"),
      encoding: "base64",
    });
    const executable = (statSync(file.absolute).mode & 0o111) !== 0;
    tree.push({
      path: file.file,
      mode: executable ? ("100755" as const) : ("100644" as const),
      type: "blob" as const,
      sha: blob.data.sha,
    });
  }
  const newTree = await octokit.rest.git.createTree({ owner, repo, base_tree: parent.data.tree.sha, tree });
  const title = `Move images to the approved, pinned base images (${result.changes.length} in ${result.files.length} file${result.files.length === 1 ? "" : "s"})`;
  const commit = await octokit.rest.git.createCommit({
    owner,
    repo,
    message: `${title}\n\nWritten by base-image-guard fix.`,
    tree: newTree.data.sha,
    parents: [target.parent],
  });
  const ref = `heads/${target.branch}`;
  try {
    await octokit.rest.git.updateRef({ owner, repo, ref, sha: commit.data.sha, force: true });
  } catch (error) {
    if ((error as { status?: number }).status !== 422 && (error as { status?: number }).status !== 404)
      throw error;
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/${ref}`, sha: commit.data.sha });
  }
  const open = await octokit.rest.pulls.list({
    owner,
    repo,
    state: "open",
    head: `${owner}:${target.branch}`,
    base: target.base,
  });
  const existing = open.data[0];
  if (existing) {
    await octokit.rest.pulls.update({ owner, repo, pull_number: existing.number, title, body });
    return { kind: "updated", number: existing.number, url: existing.html_url };
  }
  const created = await octokit.rest.pulls.create({
    owner,
    repo,
    head: target.branch,
    base: target.base,
    title,
    body,
  });
  return { kind: "created", number: created.data.number, url: created.data.html_url };
}
