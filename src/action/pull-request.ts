/**
 * The pull request a run belongs to, and what the Action asks GitHub about it: which files it
 * changes, the policy on its base branch (SPEC §3.6), and the one comment it keeps up to date.
 * API first; `git` in the workspace where the API cannot answer.
 */

import { posix } from "node:path";
import type { getOctokit } from "@actions/github";
import { GuardError } from "../errors.js";
import { git, nulSeparated } from "../git.js";

export type Octokit = ReturnType<typeof getOctokit>;

/**
 * A change the Action judges against its base: a pull request, or a merge queue's group
 * (`merge_group`), which has a base and a head but no number to list files or comment on.
 */
export interface PullRequest {
  owner: string;
  repo: string;
  /** The pull request's number; undefined for a merge group. */
  number?: number;
  baseSha: string;
  headSha: string;
  /** Opened from a fork: the token cannot write to the base repository. */
  fromFork: boolean;
}

interface MergeGroupEvent {
  merge_group?: { base_sha: string; head_sha: string };
}

interface PullRequestEvent {
  pull_request?: {
    number: number;
    base: { sha: string; repo: { full_name: string } };
    head: { sha: string; repo: { full_name: string } | null };
  };
}

export function pullRequestOf(
  eventName: string,
  payload: unknown,
  repository: string,
): PullRequest | undefined {
  const [owner = "", repo = ""] = repository.split("/");
  if (eventName === "merge_group") {
    const group = (payload as MergeGroupEvent).merge_group;
    if (!group) return undefined;
    return { owner, repo, baseSha: group.base_sha, headSha: group.head_sha, fromFork: false };
  }
  if (eventName !== "pull_request" && eventName !== "pull_request_target") return undefined;
  const pr = (payload as PullRequestEvent).pull_request;
  if (!pr) return undefined;
  return {
    owner,
    repo,
    number: pr.number,
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    fromFork: pr.head.repo?.full_name !== pr.base.repo.full_name,
  };
}

const API_FILE_LIMIT = 3000;

/** Paths the pull request adds or changes (not removes), relative to the repository root. */
export async function changedFiles(
  octokit: Octokit | undefined,
  pr: PullRequest,
  cwd: string,
): Promise<Set<string>> {
  if (octokit && pr.number !== undefined) {
    try {
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
        owner: pr.owner,
        repo: pr.repo,
        pull_number: pr.number,
        per_page: 100,
      });
      // The API lists at most 3,000 files; a longer list may be cut, so git must answer instead.
      if (files.length < API_FILE_LIMIT) {
        return new Set(files.filter((f) => f.status !== "removed").map((f) => f.filename));
      }
    } catch {
      // Fall through to git, which needs the base commit in the checkout (fetch-depth: 0).
    }
  }
  ensureCommit(cwd, pr.baseSha);
  if (!COMMIT.test(pr.headSha))
    throw new BaseCommitError(`the event's head commit "${pr.headSha}" is not a commit id`);
  const output = git(cwd, [
    "diff",
    "--name-only",
    "-z",
    "--diff-filter=ACMRT",
    `${pr.baseSha}...${pr.headSha}`,
    "--",
  ]);
  return new Set(nulSeparated(output));
}

/**
 * A file's text at the base commit, or undefined when the base has no such file. The API answers
 * first (GitHub resolves a symbolic link to a file of the repository at that commit itself); an
 * API 404 is not proof the file is absent — the token may not see it — so git decides then, as it
 * does for any other API failure (SPEC §6).
 */
export async function fileAtBase(
  octokit: Octokit | undefined,
  pr: PullRequest,
  path: string,
  cwd: string,
): Promise<string | undefined> {
  if (octokit) {
    try {
      const response = await octokit.rest.repos.getContent({
        owner: pr.owner,
        repo: pr.repo,
        path,
        ref: pr.baseSha,
      });
      const data = response.data as { type?: string; encoding?: string; content?: string } | unknown[];
      if (
        !Array.isArray(data) &&
        data.type === "file" &&
        data.encoding === "base64" &&
        typeof data.content === "string"
      ) {
        return Buffer.from(data.content, "base64").toString("utf8");
      }
      // A folder, a link GitHub did not resolve to a file, a file too large to inline: git decides.
    } catch {
      // Fall through to git.
    }
  }
  return gitFileAtBase(cwd, pr.baseSha, path);
}

/** Links followed from one path at the base commit before the chain is refused. */
const MAX_LINK_HOPS = 8;

/**
 * A file's text at `sha` by git: undefined when the commit has no such path; a symbolic link is
 * followed inside the repository at that same commit (never into the working tree, never out of
 * the repository); a folder, a dangling link or a link out of the repository stops the step.
 */
function gitFileAtBase(cwd: string, sha: string, path: string): string | undefined {
  // git answers "exists on disk, but not in <sha>" both when the file is missing at the base and
  // when the base commit is missing from a shallow checkout: make sure the commit is here first.
  ensureCommit(cwd, sha);
  let current = posix.normalize(path);
  for (let hop = 0; ; hop++) {
    const entry = nulSeparated(git(cwd, ["ls-tree", "-z", sha, "--", current]))[0];
    if (entry === undefined)
      return hop === 0
        ? undefined
        : refuse(path, `is a symbolic link to ${current}, which the base commit does not have`);
    const [mode, type, object] = entry.slice(0, entry.indexOf("\t")).split(" ") as [string, string, string];
    if (type === "tree") return refuse(path, `is a folder at the base commit ${sha.slice(0, 7)}`);
    const blob = git(cwd, ["cat-file", "blob", object]);
    if (mode !== "120000") return blob;
    if (hop >= MAX_LINK_HOPS) return refuse(path, `is a chain of more than ${MAX_LINK_HOPS} symbolic links`);
    const target = posix.normalize(posix.join(posix.dirname(current), blob));
    if (posix.isAbsolute(blob) || target === ".." || target.startsWith("../")) {
      return refuse(
        path,
        `is a symbolic link out of the repository (${blob}) at the base commit; it is not followed`,
      );
    }
    current = target;
  }
}

function refuse(path: string, why: string): never {
  throw new BaseCommitError(`${path} ${why}: the file that judges this change cannot be read from the base`);
}

/** A commit the base is read from is never a value git could take for an option. */
const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

export class BaseCommitError extends GuardError {}

/**
 * Makes sure `sha` is in the checkout, fetching it from origin when the checkout is shallow; else
 * stops the step (SPEC §6): judging by the built-in default or the head's own policy would let the
 * change loosen the policy that judges it.
 */
export function ensureCommit(cwd: string, sha: string): void {
  if (!COMMIT.test(sha)) throw new BaseCommitError(`the event's base commit "${sha}" is not a commit id`);
  const present = () => {
    try {
      git(cwd, ["cat-file", "-e", `${sha}^{commit}`]);
      return true;
    } catch {
      return false;
    }
  };
  if (present()) return;
  try {
    git(cwd, ["fetch", "--no-tags", "--depth=1", "origin", sha]);
  } catch {
    // Reported below with the fix.
  }
  if (present()) return;
  throw new BaseCommitError(
    `the base commit ${sha} is not in the checkout and could not be fetched, so the policy that ` +
      "judges this change cannot be read from it. Check out with fetch-depth: 0, or give the step " +
      "a github-token with contents: read.",
  );
}

/** The hidden marker of a step's comment: each step that comments keeps its own (SPEC §6). */
export function commentMarker(step: string): string {
  return `<!-- base-image-guard:sticky-comment:${step} -->`;
}

export type CommentOutcome = "created" | "updated" | "resolved" | "unchanged";

/**
 * Keeps one comment per pull request, found by its hidden marker: created when there are findings,
 * updated on every run, and replaced by `resolvedBody` once findings drop to zero.
 */
export async function upsertComment(
  octokit: Octokit,
  pr: PullRequest & { number: number },
  marker: string,
  body: string | undefined,
  resolvedBody: string,
): Promise<CommentOutcome> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  });
  const existing = comments.find((c) => c.body?.includes(marker));
  const target = { owner: pr.owner, repo: pr.repo };
  if (body !== undefined) {
    if (existing) {
      if (existing.body === body) return "unchanged";
      await octokit.rest.issues.updateComment({ ...target, comment_id: existing.id, body });
      return "updated";
    }
    await octokit.rest.issues.createComment({ ...target, issue_number: pr.number, body });
    return "created";
  }
  if (!existing || existing.body === resolvedBody) return "unchanged";
  await octokit.rest.issues.updateComment({ ...target, comment_id: existing.id, body: resolvedBody });
  return "resolved";
}
