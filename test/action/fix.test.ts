/**
 * `command: fix` in the Action (SPEC §9), run as the runner runs it against the fake GitHub API:
 * the workspace rewritten, outputs `changed` and `files`, the summary, and with `suggestions: true`
 * one review of suggested changes on the pull request's diff lines, replaced on a re-run.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixture, runCli } from "../helpers.js";
import { type FakeGitHub, startFakeGitHub } from "./github-api-server.js";
import { runAction } from "./run-action.js";

const TOKEN = "ghs_fakeTokenValue0123456789abcdefABCDEF";
const U = "registry.example.com/base/ubuntu";
const D = `sha256:${"2".repeat(64)}`;
const POLICY = `approved: [${U}]\ndeprecated: [centos]\nversions: {ubuntu: ["24.04"]}\npinning: digest\nreplacements:\n  - {match: "**", use: ${U}}\n`;
const DIGESTS = JSON.stringify({
  version: 1,
  images: [{ image: U, tag: "24.04", digest: D, date: "2026-12-07" }],
});
/** Five fixable FROM lines: 1, 3, 5, 7 and 9. */
const DOCKERFILE = [
  "FROM centos:7 AS one",
  "RUN echo one",
  "FROM ubuntu:20.04 AS two",
  "RUN echo two",
  "FROM debian:12 AS three",
  "RUN echo three",
  "FROM centos:8 AS four",
  "RUN echo four",
  "FROM alpine:3.20",
  "",
].join("\n");
/** The pull request's diff shows lines 1–3 and 9: three of the five. */
const PATCH = [
  "@@ -1,3 +1,3 @@",
  "-FROM centos:6 AS one",
  "+FROM centos:7 AS one",
  " RUN echo one",
  " FROM ubuntu:20.04 AS two",
  "@@ -9 +9 @@",
  "-FROM alpine:3.19",
  "+FROM alpine:3.20",
].join("\n");

let api: FakeGitHub | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function workspace(): string {
  return fixture({
    Dockerfile: DOCKERFILE,
    "digests.json": DIGESTS,
    ".github/base-image-policy.yml": POLICY,
  });
}

describe("command: fix", () => {
  it("rewrites the workspace, sets changed and files, and lists the changes in the summary", async () => {
    api = await startFakeGitHub({ changedFiles: [], baseFiles: { ".github/base-image-policy.yml": POLICY } });
    const cwd = workspace();
    const run = await runAction(
      cwd,
      { command: "fix", digests: "digests.json", "github-token": TOKEN },
      { apiUrl: api.url },
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.changed).toBe("true");
    expect(JSON.parse(run.outputs.files as string)).toEqual(["Dockerfile"]);
    expect(readFileSync(join(cwd, "Dockerfile"), "utf8")).toBe(
      DOCKERFILE.replace(/FROM \S+/g, `FROM ${U}:24.04@${D}`),
    );
    expect(run.summary).toContain("### base-image-guard fix: 5 image(s) in 1 file(s)");
    // Without suggestions, no review is asked for.
    expect(api.requests.some((r) => r.path.includes("/reviews"))).toBe(false);
  });

  it("the policy comes from the base branch: a pull request cannot loosen what fix repairs", async () => {
    api = await startFakeGitHub({
      changedFiles: [],
      baseFiles: { ".github/base-image-policy.yml": "approved: [registry.example.com/base/alpine]\n" },
    });
    const cwd = workspace();
    const run = await runAction(
      cwd,
      { command: "fix", digests: "digests.json", "github-token": TOKEN },
      { apiUrl: api.url },
    );
    expect(run.code).toBe(0);
    // The base's policy approves only alpine and names no replacement: only the alpine line has a
    // known replacement under it (the head's own policy would have rewritten all five).
    expect(readFileSync(join(cwd, "Dockerfile"), "utf8")).toBe(
      DOCKERFILE.replace("FROM alpine:3.20", "FROM registry.example.com/base/alpine:3.20"),
    );
  });

  it("suggestions: one review with exactly the 3 changes on diff lines, whose text applies cleanly; a re-run replaces them", async () => {
    api = await startFakeGitHub({
      changedFiles: ["Dockerfile"],
      baseFiles: { ".github/base-image-policy.yml": POLICY },
      patches: { Dockerfile: PATCH },
    });
    const inputs = { command: "fix", digests: "digests.json", suggestions: "true", "github-token": TOKEN };
    const first = await runAction(workspace(), inputs, { apiUrl: api.url });
    expect(first.code, first.stdout).toBe(0);
    expect(api.reviews).toHaveLength(1);
    expect(api.reviews[0]).toMatchObject({
      event: "COMMENT",
      commit_id: "2222222222222222222222222222222222222222",
    });
    const lines = DOCKERFILE.split("\n");
    const fixed = workspace();
    expect(runCli(["fix", ".", "--digests", "digests.json", "--write"], fixed).code).toBe(0);
    const want = readFileSync(join(fixed, "Dockerfile"), "utf8").split("\n");
    expect(api.reviewComments.map((c) => c.line)).toEqual([1, 3, 9]);
    for (const comment of api.reviewComments) {
      expect(comment).toMatchObject({ path: "Dockerfile", side: "RIGHT" });
      const suggestion = /```suggestion\n([\s\S]*?)\n```/.exec(comment.body)?.[1];
      // Applied as GitHub applies a suggestion: the line replaced by the suggested text.
      const applied = [...lines];
      applied.splice(comment.line - 1, 1, ...(suggestion ?? "").split("\n"));
      expect(applied[comment.line - 1]).toBe(want[comment.line - 1]);
      expect(applied.length).toBe(lines.length);
    }
    expect(first.summary).toMatch(/Dockerfile \(suggested\) \| 1 \|/);
    expect(first.summary).toMatch(/\| Dockerfile \| 5 \|/);

    const second = await runAction(workspace(), inputs, { apiUrl: api.url });
    expect(second.code).toBe(0);
    expect(api.reviews).toHaveLength(2);
    // The first run's three comments were deleted; the second run's three replace them.
    expect(api.reviewComments).toHaveLength(3);
    expect(api.requests.filter((r) => r.method === "DELETE")).toHaveLength(3);
  });

  it("pull-request: commits the rewritten files through the API on one branch and opens one pull request, updated on the next run", async () => {
    api = await startFakeGitHub({ changedFiles: [], baseFiles: {} });
    const head = "3333333333333333333333333333333333333333";
    const env = { GITHUB_REF: "refs/heads/main", GITHUB_SHA: head };
    const inputs = { command: "fix", digests: "digests.json", "pull-request": "true", "github-token": TOKEN };
    const cwd = workspace();
    const first = await runAction(cwd, inputs, { apiUrl: api.url, eventName: "schedule", env });
    expect(first.code, first.stdout).toBe(0);
    expect(first.outputs["pull-request"]).toBe("https://github.com/acme/shop/pull/40");
    const [pull] = api.git.pulls;
    expect(pull).toMatchObject({ head: "base-image-guard/fix-images", base: "main" });
    expect(pull?.title).toBe("Move images to the approved, pinned base images (5 in 1 file)");
    const commitSha = api.git.refs.get("heads/base-image-guard/fix-images") as string;
    const commit = api.git.commits.get(commitSha);
    expect(commit?.parents).toEqual([head]);
    const tree = api.git.trees.get(commit?.tree as string);
    expect(tree?.tree.map((t) => [t.path, t.mode])).toEqual([["Dockerfile", "100644"]]);
    expect(api.git.blobs.get(tree?.tree[0]?.sha as string)).toBe(
      readFileSync(join(cwd, "Dockerfile"), "utf8"),
    );
    // The next week: the same branch moves, the same pull request is updated, no second one.
    const second = await runAction(workspace(), inputs, { apiUrl: api.url, eventName: "schedule", env });
    expect(second.code, second.stdout).toBe(0);
    expect(api.git.pulls).toHaveLength(1);
    expect(api.git.refs.get("heads/base-image-guard/fix-images")).not.toBe(commitSha);
    expect(api.requests.some((r) => r.method === "PATCH" && r.path === "/repos/acme/shop/pulls/40")).toBe(
      true,
    );
    expect(second.stdout).toMatch(/pull request #40 updated/);
  });

  it("pull-request: nothing to change opens nothing", async () => {
    api = await startFakeGitHub({ changedFiles: [], baseFiles: {} });
    const cwd = fixture({ Dockerfile: `FROM ${U}:24.04@${D}\n`, ".github/base-image-policy.yml": POLICY });
    const run = await runAction(
      cwd,
      { command: "fix", "pull-request": "true", "github-token": TOKEN },
      {
        apiUrl: api.url,
        eventName: "schedule",
        env: { GITHUB_REF: "refs/heads/main", GITHUB_SHA: "3".repeat(40) },
      },
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.changed).toBe("false");
    expect(api.requests.filter((r) => r.path.includes("/git/") || r.path.endsWith("/pulls"))).toEqual([]);
  });

  it("an invalid suggestions input stops the step with exit 2, naming it", async () => {
    api = await startFakeGitHub({
      changedFiles: ["Dockerfile"],
      baseFiles: { ".github/base-image-policy.yml": POLICY },
      patches: { Dockerfile: PATCH },
    });
    const run = await runAction(
      workspace(),
      { command: "fix", digests: "digests.json", suggestions: "maybe", "github-token": TOKEN },
      { apiUrl: api.url },
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/::error::input suggestions must be true or false/);
  });
});
