/**
 * The GitHub API client the Action uses (SPEC §6), on the guarded fetch of github-fetch.ts: a
 * deadline for every whole answer, redirects only to the host asked.
 */
import * as github from "@actions/github";
import { apiDeadlineSeconds, guardedFetch } from "../github-fetch.js";
import type { Octokit } from "./pull-request.js";

export function octokitFor(token: string): Octokit {
  return github.getOctokit(token, { request: { fetch: guardedFetch(apiDeadlineSeconds()) } });
}
