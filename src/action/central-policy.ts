/**
 * An organisation's central policy: `policy: acme/policies/base-images.yml@v3` reads the file from
 * that repository at that ref through the API, so every repository is judged by the one policy
 * the platform team keeps — and a pull request cannot change it, on any branch of its own.
 */
import { InputError, UsageError } from "../errors.js";
import type { Octokit } from "./pull-request.js";

export interface CentralPolicy {
  owner: string;
  repo: string;
  path: string;
  ref: string;
}

/** `owner/repo/path@ref`, or undefined for a path in the workspace. */
export function centralPolicyOf(input: string | undefined): CentralPolicy | undefined {
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)\/([^@]+)@([A-Za-z0-9._/-]+)$/.exec(input ?? "");
  if (!match) return undefined;
  const [, owner, repo, path, ref] = match as unknown as [string, string, string, string, string];
  if (path.split("/").some((segment) => segment === ".." || segment === "")) {
    throw new UsageError(
      `policy ${input}: the path inside the repository must not have empty or ".." segments`,
    );
  }
  return { owner, repo, path, ref };
}

export function centralPolicyName(policy: CentralPolicy): string {
  return `${policy.owner}/${policy.repo}/${policy.path}@${policy.ref}`;
}

export async function readCentralPolicy(
  octokit: Octokit | undefined,
  policy: CentralPolicy,
): Promise<string> {
  return (await readCentralFile(octokit, policy, policy.path, "required")) as string;
}

/**
 * A file of the central policy's repository at its ref: the policy itself (`required`), or a side
 * file it names, such as its end-of-life calendar's, which may be absent (undefined).
 */
export async function readCentralFile(
  octokit: Octokit | undefined,
  policy: CentralPolicy,
  path: string,
  need: "required" | "optional",
): Promise<string | undefined> {
  const name = centralPolicyName(policy);
  if (!octokit) throw new UsageError(`policy ${name} is read through the API: give the step a github-token`);
  try {
    const response = await octokit.rest.repos.getContent({
      owner: policy.owner,
      repo: policy.repo,
      path,
      ref: policy.ref,
      mediaType: { format: "raw" },
    });
    return String(response.data);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404 && need === "optional") return undefined;
    if (status === 404 || status === 403) {
      throw new UsageError(
        `policy ${name}${path === policy.path ? "" : ` (its file ${path})`} cannot be read (HTTP ${status}): check the name and ref, and give the step a token that can read ${policy.owner}/${policy.repo} (the default GITHUB_TOKEN reads only this repository)`,
      );
    }
    throw new InputError(
      `policy ${name}${path === policy.path ? "" : ` (its file ${path})`}: ${(error as Error).message}`,
    );
  }
}
