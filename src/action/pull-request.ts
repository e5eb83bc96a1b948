/**
 * The pull request a run belongs to, and what the Action asks GitHub about it: which files it
 * changes, the policy on its base branch (SPEC §3.6), and the one comment it keeps up to date.
 * API first; `git` in the workspace where the API cannot answer.
 */

import type { getOctokit } from "@actions/github";
import { GitError, git, nulSeparated } from "../git.js";

export type Octokit = ReturnType<typeof getOctokit>;

export interface PullRequest {
  owner: string;
  repo: string;
  number: number;
  baseSha: string;
  headSha: string;
  /** Opened from a fork: the token cannot write to the base repository. */
  fromFork: boolean;
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
  if (eventName !== "pull_request" && eventName !== "pull_request_target") return undefined;
  const pr = (payload as PullRequestEvent).pull_request;
  if (!pr) return undefined;
  const [owner = "", repo = ""] = repository.split("/");
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
  if (octokit) {
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
  const output = git(cwd, [
    "diff",
    "--name-only",
    "-z",
    "--diff-filter=ACMRT",
    `${pr.baseSha}...${pr.headSha}`,
  ]);
  return new Set(nulSeparated(output));
}

/** A file's text at the base commit, or undefined when the base has no such file. */
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
        mediaType: { format: "raw" },
      });
      return String(response.data);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      // Fall through to git.
    }
  }
  try {
    return git(cwd, ["show", `${pr.baseSha}:${path}`]);
  } catch (error) {
    const stderr = error instanceof GitError ? error.stderr : String(error);
    if (/does not exist|exists on disk, but not in/.test(stderr)) return undefined;
    throw new Error(
      `cannot read ${path} at the base commit ${pr.baseSha}: ${stderr.trim() || (error as Error).message}`,
    );
  }
}

export const COMMENT_MARKER = "<!-- base-image-guard:sticky-comment -->";

export type CommentOutcome = "created" | "updated" | "resolved" | "unchanged";

/**
 * Keeps one comment per pull request, found by its hidden marker: created when there are findings,
 * updated on every run, and replaced by `resolvedBody` once findings drop to zero.
 */
export async function upsertComment(
  octokit: Octokit,
  pr: PullRequest,
  body: string | undefined,
  resolvedBody: string,
): Promise<CommentOutcome> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  });
  const existing = comments.find((c) => c.body?.includes(COMMENT_MARKER));
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
