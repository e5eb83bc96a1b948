/**
 * `inventory plan` (SPEC §10): an organisation's repositories through the API (`GITHUB_API_URL`,
 * `GITHUB_TOKEN`, pages followed by their `Link` headers), those that cannot or need not be scanned
 * left out and counted — archived, forks, disabled, empty, in that order, each counted once under
 * the first reason that holds — and the rest dealt into a GitHub Actions matrix of at most
 * `maxJobs` jobs (256, GitHub's limit) whose chunks differ in size by at most one repository.
 */
import { InputError } from "../errors.js";
import { apiDeadlineSeconds, guardedFetch } from "../github-fetch.js";

export interface RepositoryListing {
  full_name: string;
  archived?: boolean;
  fork?: boolean;
  disabled?: boolean;
  /** KB; 0 for a repository without a commit. */
  size?: number;
  topics?: string[];
  default_branch?: string;
}

export type LeftOut = "archived" | "fork" | "disabled" | "empty";
const REASONS: readonly LeftOut[] = ["archived", "fork", "disabled", "empty"];

export interface PlanOptions {
  topic?: string;
  includeArchived?: boolean;
  maxJobs?: number;
}

export interface Plan {
  matrix: { include: { job: number; repositories: string[] }[] };
  total: number;
  leftOut: Record<LeftOut, number>;
  /** Repositories without the topic asked for. */
  withoutTopic: number;
}

export const MAX_JOBS = 256;

export function planOf(repositories: readonly RepositoryListing[], options: PlanOptions = {}): Plan {
  const leftOut: Record<LeftOut, number> = { archived: 0, fork: 0, disabled: 0, empty: 0 };
  let withoutTopic = 0;
  const eligible: string[] = [];
  for (const repository of repositories) {
    const reason = REASONS.find((r) => {
      if (r === "archived") return repository.archived === true && !options.includeArchived;
      if (r === "fork") return repository.fork === true;
      if (r === "disabled") return repository.disabled === true;
      return repository.size === 0;
    });
    if (reason) {
      leftOut[reason]++;
      continue;
    }
    if (options.topic !== undefined && !(repository.topics ?? []).includes(options.topic)) {
      withoutTopic++;
      continue;
    }
    eligible.push(repository.full_name);
  }
  eligible.sort();
  const jobs = Math.min(options.maxJobs ?? MAX_JOBS, eligible.length);
  const include: Plan["matrix"]["include"] = [];
  const base = jobs === 0 ? 0 : Math.floor(eligible.length / jobs);
  const extra = jobs === 0 ? 0 : eligible.length % jobs;
  for (let job = 0, at = 0; job < jobs; job++) {
    const size = base + (job < extra ? 1 : 0);
    include.push({ job: job + 1, repositories: eligible.slice(at, at + size) });
    at += size;
  }
  return { matrix: { include }, total: repositories.length, leftOut, withoutTopic };
}

/** "1,234 repositories: 24 archived, 31 forks, 1 disabled, 12 empty left out" */
export function countsLine(plan: Plan, topic?: string): string {
  const n = (count: number) => count.toLocaleString("en-US");
  const { archived, fork, disabled, empty } = plan.leftOut;
  const parts = `${n(archived)} archived, ${n(fork)} fork${fork === 1 ? "" : "s"}, ${n(disabled)} disabled, ${n(empty)} empty left out`;
  const scanned = plan.matrix.include.reduce((sum, job) => sum + job.repositories.length, 0);
  const topicPart = topic === undefined ? "" : `; ${n(plan.withoutTopic)} without topic ${topic}`;
  return `${n(plan.total)} repositories: ${parts}${topicPart}; ${n(scanned)} to scan in ${plan.matrix.include.length} job${plan.matrix.include.length === 1 ? "" : "s"}`;
}

/** Every repository of an organisation, following the API's `Link: <…>; rel="next"` pages. */
export async function listRepositories(
  org: string,
  env: NodeJS.ProcessEnv = process.env,
  fetcher: typeof fetch = guardedFetch(apiDeadlineSeconds(env)),
): Promise<RepositoryListing[]> {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(org)) {
    throw new InputError(`--org takes an organisation's login, got "${org}"`);
  }
  const api = (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  const token = env.GITHUB_TOKEN ?? "";
  const headers: Record<string, string> = {
    accept: "application/vnd.github+json",
    "x-github-api-version": "2022-11-28",
    ...(token && { authorization: `Bearer ${token}` }),
  };
  const repositories: RepositoryListing[] = [];
  let url: string | undefined = `${api}/orgs/${org}/repos?type=all&per_page=100`;
  const origin = new URL(url).origin;
  for (let page = 1; url; page++) {
    let response: Response;
    try {
      response = await fetcher(url, { headers });
    } catch (error) {
      throw new InputError(`cannot list the repositories of ${org}: ${(error as Error).message}`);
    }
    if (!response.ok) {
      const said = (await response.text()).slice(0, 200);
      throw new InputError(
        `cannot list the repositories of ${org}: the API answered ${response.status} on page ${page} (${said.replace(/\s+/g, " ")})${response.status === 401 || response.status === 403 || response.status === 404 ? "; give GITHUB_TOKEN with read access to the organisation" : ""}`,
      );
    }
    const listed = (await response.json()) as unknown;
    if (!Array.isArray(listed))
      throw new InputError(`cannot list the repositories of ${org}: page ${page} is not a list`);
    for (const entry of listed) {
      if (typeof (entry as RepositoryListing).full_name === "string")
        repositories.push(entry as RepositoryListing);
    }
    const next = nextPage(response.headers.get("link"));
    // Pages are followed only on the API's own host: a Link elsewhere would send it the token.
    url = next !== undefined && new URL(next).origin === origin ? next : undefined;
  }
  return repositories;
}

function nextPage(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}
