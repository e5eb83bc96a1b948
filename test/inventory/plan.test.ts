/**
 * `inventory plan` (SPEC §10) against the fake GitHub API: an organisation of 1,234 repositories
 * over 13 pages, some archived, forks, disabled or empty.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { planOf } from "../../src/inventory/plan.js";
import { type FakeGitHub, startFakeGitHub } from "../action/github-api-server.js";
import { fixture } from "../helpers.js";

let api: FakeGitHub | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** 1,234 repositories: every 50th archived, every 40th a fork, every 300th disabled, every 100th empty. */
function organisation(): Record<string, unknown>[] {
  return Array.from({ length: 1234 }, (_, i) => ({
    full_name: `acme/repo-${String(i).padStart(4, "0")}`,
    archived: i % 50 === 0,
    fork: i % 40 === 0,
    disabled: i % 300 === 0,
    size: i % 100 === 7 ? 0 : 120,
    topics: i % 3 === 0 ? ["service"] : [],
  }));
}

function plan(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve("dist/cli.js"), "inventory", "plan", ...args], {
      cwd: fixture({}),
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

describe("inventory plan", () => {
  it("reads all 13 pages and deals every eligible repository into at most 256 near-equal jobs, exactly once", async () => {
    const repositories = organisation();
    api = await startFakeGitHub({ changedFiles: [], baseFiles: {}, orgRepositories: repositories });
    const result = await plan(["--org", "acme"], { GITHUB_API_URL: api.url, GITHUB_TOKEN: "ghs_test" });
    expect(result.code, result.stderr).toBe(0);
    const pages = api.requests.filter((r) => r.path.startsWith("/orgs/acme/repos"));
    expect(pages).toHaveLength(13);
    expect(pages.every((r) => r.authorization === "Bearer ghs_test")).toBe(true);
    const matrix = JSON.parse(result.stdout) as { include: { job: number; repositories: string[] }[] };
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    expect(matrix.include.length).toBeLessThanOrEqual(256);
    const sizes = matrix.include.map((j) => j.repositories.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const planned = matrix.include.flatMap((j) => j.repositories);
    // Counted once, under the first of archived, fork, disabled, empty.
    const reason = (r: Record<string, unknown>) =>
      r.archived
        ? "archived"
        : r.fork
          ? "fork"
          : r.disabled
            ? "disabled"
            : r.size === 0
              ? "empty"
              : undefined;
    const eligible = repositories.filter((r) => !reason(r)).map((r) => r.full_name as string);
    expect(new Set(planned).size).toBe(planned.length);
    expect([...planned].sort()).toEqual([...eligible].sort());
    const count = (why: string) =>
      repositories.filter((r) => reason(r) === why).length.toLocaleString("en-US");
    expect(result.stderr).toBe(
      `1,234 repositories: ${count("archived")} archived, ${count("fork")} forks, ${count("disabled")} disabled, ${count("empty")} empty left out; ${eligible.length.toLocaleString("en-US")} to scan in 256 jobs\n`,
    );
  });

  it("--topic keeps only the repositories that have it; --max-jobs caps the matrix", async () => {
    api = await startFakeGitHub({ changedFiles: [], baseFiles: {}, orgRepositories: organisation() });
    const result = await plan(["--org", "acme", "--topic", "service", "--max-jobs", "7"], {
      GITHUB_API_URL: api.url,
    });
    const matrix = JSON.parse(result.stdout) as { include: { repositories: string[] }[] };
    expect(matrix.include).toHaveLength(7);
    for (const name of matrix.include.flatMap((j) => j.repositories))
      expect(Number(name.slice(-4)) % 3).toBe(0);
    expect(result.stderr).toMatch(/without topic service; \d+ to scan in 7 jobs/);
    expect((await plan(["--org", "acme", "--max-jobs", "300"], { GITHUB_API_URL: api.url })).code).toBe(2);
  });

  it("never sends the token to another host a Link header names, and an API error is exit 2", async () => {
    api = await startFakeGitHub({
      changedFiles: [],
      baseFiles: {},
      orgRepositories: organisation(),
      foreignNextPage: true,
    });
    const result = await plan(["--org", "acme"], { GITHUB_API_URL: api.url, GITHUB_TOKEN: "ghs_test" });
    expect(result.code).toBe(0);
    // Only the first page, from the API's own host: the Link to elsewhere was not followed.
    expect(api.requests.filter((r) => r.path.startsWith("/orgs/acme/repos"))).toHaveLength(1);
    expect(
      JSON.parse(result.stdout).include.flatMap((j: { repositories: string[] }) => j.repositories),
    ).toHaveLength(
      planOf(organisation().slice(0, 100) as never).matrix.include.flatMap((j) => j.repositories).length,
    );
    const missing = await plan(["--org", "nobody"], { GITHUB_API_URL: api.url });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /cannot list the repositories of nobody: the API answered 404.*GITHUB_TOKEN/,
    );
  });

  it("chunks differ by at most one for every count up to 600 repositories", () => {
    for (let n = 0; n <= 600; n += 7) {
      const { matrix } = planOf(Array.from({ length: n }, (_, i) => ({ full_name: `o/r${i}`, size: 1 })));
      const sizes = matrix.include.map((j) => j.repositories.length);
      expect(matrix.include.length).toBe(Math.min(n, 256));
      if (n > 0) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
    }
  });
});
