/**
 * SPEC §6: dist/index.js run as the runner runs it — a child `node` with INPUT_* variables,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH and GITHUB_WORKSPACE — against a fake
 * GitHub API on 127.0.0.1 that records every request.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { delimiter, join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { INPUT_DEFAULTS } from "../../src/action/inputs.js";
import { defaultPolicyText } from "../../src/policy/load.js";
import { fakeToolsDir, fixture, libraryRepository } from "../helpers.js";
import { startFakeArtifacts } from "./artifact-service.js";
import { type FakeGitHub, type FakeGitHubOptions, startFakeGitHub } from "./github-api-server.js";
import { type ActionRun, EVENT, type RunExtra, runAction as runActionAt } from "./run-action.js";

const TOKEN = "ghs_fakeTokenValue0123456789abcdefABCDEF";
const STRICT_POLICY = "approved: [registry.example.com/base/alpine]\ndeprecated: [centos]\n";
const BASE_WITH_DEFAULT_POLICY = { ".github/base-image-policy.yml": defaultPolicyText };

let api: FakeGitHub | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function fakeGitHub(options: Partial<FakeGitHubOptions> = {}): Promise<FakeGitHub> {
  // The base commit holds the built-in default as its policy file, unless a test says otherwise:
  // an API 404 is no proof the base has none (SPEC §6), so a test relying on it would stop.
  api = await startFakeGitHub({ changedFiles: [], baseFiles: BASE_WITH_DEFAULT_POLICY, ...options });
  return api;
}

function runAction(
  workspace: string,
  inputs: Record<string, string>,
  extra: RunExtra = {},
): Promise<ActionRun> {
  return runActionAt(workspace, inputs, {
    ...extra,
    apiUrl: extra.apiUrl ?? api?.url ?? "http://127.0.0.1:9",
  });
}

const repository = () =>
  fixture({
    "services/billing/Dockerfile": "FROM centos:7\n",
    "services/api/Dockerfile": "FROM registry.example.com/base/alpine:3.19\n",
    "services/untouched/Dockerfile": "FROM nginx:1.27\n",
    // The pull request loosens the policy; the base branch's policy must still judge it.
    ".github/base-image-policy.yml": "approved: ['**']\n",
  });

const CHANGED = [
  "services/billing/Dockerfile",
  "services/api/Dockerfile",
  ".github/base-image-policy.yml",
  ...Array.from({ length: 247 }, (_, i) => `docs/page-${i}.md`),
];

describe("SPEC §6 the Action on a pull request", () => {
  it("annotates, summarises, writes outputs and SARIF, comments once, and fails the step in enforce mode", async () => {
    const github = await fakeGitHub({
      changedFiles: CHANGED,
      baseFiles: { ".github/base-image-policy.yml": STRICT_POLICY },
    });
    const workspace = repository();
    const run = await runAction(workspace, {
      "github-token": TOKEN,
      "changed-files-only": "true",
      comment: "true",
      "sarif-file": "results/base-image-guard.sarif",
    });

    expect(run.code).toBe(1);
    const commands = run.stdout
      .split("\n")
      .filter((line) => line.startsWith("::") && !line.startsWith("::add-mask::"));
    expect(commands).toEqual([
      "::notice title=base-image-guard policy,file=.github/base-image-policy.yml::This pull request changes .github/base-image-policy.yml; the change takes effect after it is merged.",
      "::error title=base-image-guard::2 base-image violations in 1 file (enforce mode)",
      '::error title=block-deprecated-base-images,file=services/billing/Dockerfile,line=1,col=6::centos:7 is deprecated (matches policy entry "centos")',
      "::error title=approved-base-images,file=services/billing/Dockerfile,line=1,col=6::centos:7 is not an approved base image (approved: registry.example.com/base/alpine)",
    ]);

    expect(run.outputs.violations).toBe("2");
    const report = JSON.parse(readFileSync(run.outputs.report as string, "utf8"));
    // The billing and api Dockerfiles and the (image-free) policy file: the untouched Dockerfile is not read.
    expect(report.summary).toMatchObject({ files: 3, images: 2, errors: 2 });
    expect(run.outputs.sarif).toBe(join(workspace, "results/base-image-guard.sarif"));
    const sarif = JSON.parse(readFileSync(run.outputs.sarif as string, "utf8"));
    expect(sarif.runs[0].automationDetails.id).toBe("base-image-guard/guard/base-images/");
    expect(run.outputs.report).toMatch(/\/base-image-guard\/base-images\/report\.json$/);
    expect(sarif.runs[0].results).toHaveLength(2);

    expect(run.summary).toContain("### ❌ base-image-guard: 2 base-image violations (enforce mode)");
    expect(run.summary).toContain("| <code>approved-base-images</code> | 1 |");
    // One row per image and rule, the location linked to its line at the pull request's head.
    const event = JSON.parse(readFileSync(EVENT, "utf8"));
    expect(run.summary).toContain(
      `| <code>centos:7</code> | <code>block-deprecated-base-images</code> | 1 | [<code>services/billing/Dockerfile:1</code>](https://github.com/acme/shop/blob/${event.pull_request.head.sha}/services/billing/Dockerfile#L1) | centos:7 is deprecated (matches policy entry "centos") |`,
    );

    // Pagination past 100 files, the base branch's policy, then one new comment.
    const asked = github.requests.map((r) => `${r.method} ${r.path}`);
    expect(asked).toEqual([
      "GET /repos/acme/shop/pulls/7/files?per_page=100",
      "GET /repos/acme/shop/pulls/7/files?per_page=100&page=2",
      "GET /repos/acme/shop/pulls/7/files?per_page=100&page=3",
      "GET /repos/acme/shop/contents/.github%2Fbase-image-policy.yml?ref=1111111111111111111111111111111111111111",
      "GET /repos/acme/shop/issues/7/comments?per_page=100",
      "POST /repos/acme/shop/issues/7/comments",
    ]);
    expect(github.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toMatch(
      /^<!-- base-image-guard:sticky-comment:base-images -->\n<sub>As of [0-9a-f]{7}\.<\/sub>\n\n### ❌ base-image-guard/,
    );

    // The token reaches the runner only in its add-mask command, never in any report.
    expect(run.stdout.replace(`::add-mask::${TOKEN}`, "")).not.toContain(TOKEN);
    expect(run.summary).not.toContain(TOKEN);
    expect(github.comments[0]?.body).not.toContain(TOKEN);
    expect(readFileSync(run.outputs.report as string, "utf8")).not.toContain(TOKEN);
  });

  it("updates the same comment on the next run, and marks it resolved when findings drop to zero", async () => {
    const github = await fakeGitHub({
      changedFiles: CHANGED,
      baseFiles: { ".github/base-image-policy.yml": STRICT_POLICY },
    });
    const workspace = repository();
    const inputs = { "github-token": TOKEN, "changed-files-only": "true", comment: "true" };
    await runAction(workspace, inputs);
    writeFileSync(join(workspace, "services/billing/Dockerfile"), "FROM centos:8\n");
    await runAction(workspace, inputs);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toContain("centos:8");

    writeFileSync(
      join(workspace, "services/billing/Dockerfile"),
      "FROM registry.example.com/base/alpine:3.20\n",
    );
    const fixed = await runAction(workspace, inputs);
    expect(fixed.code).toBe(0);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toContain("✅ base-image-guard: no base-image violations");
    const writes = github.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
    expect(writes).toEqual([
      "POST /repos/acme/shop/issues/7/comments",
      "PATCH /repos/acme/shop/issues/comments/100",
      "PATCH /repos/acme/shop/issues/comments/100",
    ]);
  });

  it("keeps each step's report, SARIF category and comment apart", async () => {
    const github = await fakeGitHub({ changedFiles: CHANGED });
    const workspace = repository();
    const inputs = { "github-token": TOKEN, comment: "true", "sarif-file": "out.sarif", mode: "audit" };
    const first = await runAction(workspace, { ...inputs, paths: "services/billing" });
    const firstSarif = JSON.parse(readFileSync(join(workspace, "out.sarif"), "utf8"));
    const second = await runAction(
      workspace,
      { ...inputs, paths: "services/untouched", "sarif-file": "second.sarif" },
      { env: { GITHUB_ACTION: "__org_base-image-guard_2" } },
    );
    const secondSarif = JSON.parse(readFileSync(join(workspace, "second.sarif"), "utf8"));
    expect(first.outputs.report).not.toBe(second.outputs.report);
    expect(readFileSync(first.outputs.report as string, "utf8")).toContain("centos:7");
    expect(firstSarif.runs[0].automationDetails.id).toBe("base-image-guard/guard/base-images/");
    expect(secondSarif.runs[0].automationDetails.id).toBe("base-image-guard/guard/__org_base-image-guard_2/");
    expect(github.comments.map((c) => c.body.split("\n")[0])).toEqual([
      "<!-- base-image-guard:sticky-comment:base-images -->",
      "<!-- base-image-guard:sticky-comment:__org_base-image-guard_2 -->",
    ]);
    // An explicit category wins.
    await runAction(workspace, { ...inputs, "sarif-category": "images/prod" });
    expect(JSON.parse(readFileSync(join(workspace, "out.sarif"), "utf8")).runs[0].automationDetails.id).toBe(
      "images/prod/",
    );
  });

  it("degrades to annotations and summary with a notice when the token cannot write comments", async () => {
    await fakeGitHub({ changedFiles: CHANGED, commentWriteStatus: 403 });
    const run = await runAction(repository(), { "github-token": TOKEN, comment: "true", mode: "audit" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("::notice::No pull request comment: the token may not write comments");
    expect(run.summary).toContain("base-image-guard");
  });

  it("does not try to comment on a pull request from a fork", async () => {
    const github = await fakeGitHub({ changedFiles: CHANGED });
    const event = JSON.parse(readFileSync(EVENT, "utf8"));
    event.pull_request.head.repo.full_name = "someone/shop";
    const eventPath = join(fixture({}), "event.json");
    writeFileSync(eventPath, JSON.stringify(event));
    const run = await runAction(
      repository(),
      { "github-token": TOKEN, comment: "true" },
      { event: eventPath },
    );
    expect(run.stdout).toContain("::notice::No pull request comment: the pull request comes from a fork");
    expect(github.requests.some((r) => r.path.includes("/comments"))).toBe(false);
  });

  it("checks every file, with the working tree's policy, outside pull requests; audit mode never fails", async () => {
    const workspace = fixture({ "a/Dockerfile": "FROM centos:7\n", "b/Dockerfile": "FROM nginx:1\n" });
    const run = await runAction(
      workspace,
      { mode: "audit", "changed-files-only": "true" },
      { eventName: "push" },
    );
    expect(run.code).toBe(0);
    expect(run.outputs.violations).toBe("3");
    expect(run.stdout).toContain(
      "::warning title=block-deprecated-base-images,file=a/Dockerfile,line=1,col=6::",
    );
  });

  it("stops with a clear error for an invalid input or policy", async () => {
    const workspace = fixture({ Dockerfile: "FROM centos:7\n", "p.yml": "mode: sometimes\n" });
    const bad = await runAction(workspace, { annotations: "yes" }, { eventName: "push" });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('::error::input annotations must be true or false, got "yes"');
    const policy = await runAction(workspace, { policy: "p.yml" }, { eventName: "push" });
    expect(policy.stdout).toContain('p.yml:1: mode: expected one of "enforce", "audit"');
    expect(policy.stdout).not.toMatch(/\n\s+at /);
  });
});

describe("non-negotiable 7: hostile file names and images cannot inject workflow commands", () => {
  it("escapes %, comma, colon, :: and newlines in annotations and the summary", async () => {
    const workspace = fixture({
      "evil%2C,x::y/Dockerfile": "FROM centos:7\n",
      "new\nline::error::pwned/Dockerfile": "FROM centos:7\n",
      "pod.yaml":
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: "a\\n::error::x|<b>@all"}]}\n',
    });
    const run = await runAction(workspace, { mode: "audit" }, { eventName: "push" });
    const lines = run.stdout.split("\n").filter((line) => line.startsWith("::"));
    expect(lines.every((line) => /^::(warning|notice|error|add-mask)[ :]/.test(line))).toBe(true);
    expect(
      lines.filter((line) => line.includes("pwned")).every((line) => line.startsWith("::warning title=")),
    ).toBe(true);
    expect(run.stdout).toContain("file=evil%252C%2Cx%3A%3Ay/Dockerfile");
    expect(run.stdout).toContain("file=new%0Aline%3A%3Aerror%3A%3Apwned/Dockerfile");
    expect(run.stdout).not.toMatch(/^::error::x/m);
    expect(run.summary).toContain("a ::error::x&#124;&lt;b&gt;@<span></span>all");
    expect(run.summary).not.toContain("<b>");
  });
});

describe("input render (SPEC §4 Helm, rendered)", () => {
  it("renders a chart with the helm on PATH by default, and reads only its values with render: never", async () => {
    const workspace = fixture({});
    cpSync("test/fixtures/helm/charts/starter", join(workspace, "chart"), { recursive: true });
    // The recording fake helm (test/sources/helm-render.test.ts) stands in for the runner's helm.
    const env = { PATH: `${fakeToolsDir(["helm"])}${delimiter}${process.env.PATH}` };
    const rendered = await runAction(workspace, { mode: "audit" }, { eventName: "push", env });
    expect(rendered.stdout).toContain(
      "file=chart/templates/tests/test-connection.yaml,line=12,col=14::busybox",
    );
    expect(rendered.stdout).toContain("file=chart/values.yaml,line=10,col=15::nginx:1.16.0");
    const values = await runAction(workspace, { mode: "audit", render: "never" }, { eventName: "push", env });
    expect(values.stdout).not.toContain("test-connection.yaml,line=12");
    expect(values.stdout).toContain("file=chart/values.yaml,line=10,col=15::nginx:1.16.0");
    expect(values.summary).toMatch(/skipped/i);
    const wrong = await runAction(workspace, { render: "sometimes" }, { eventName: "push", env });
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toContain("input render must be one of auto, never");
  });
});

describe("action.yml", () => {
  const action = parse(readFileSync("action.yml", "utf8"));

  it("runs dist/index.js on node24 and declares every input and output of SPEC §6", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(INPUT_DEFAULTS).sort());
    expect(Object.keys(action.outputs).sort()).toEqual([
      "changed",
      "digests",
      "files",
      "images",
      "matrix",
      "pins",
      "pull-request",
      "report",
      "report-artifact",
      "sarif",
      "violations",
    ]);
  });

  it("has the same defaults as the code", () => {
    for (const [name, input] of Object.entries(action.inputs as Record<string, { default: string }>)) {
      const expected =
        name === "github-token" ? "${{ github.token }}" : INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS];
      expect(input.default, name).toBe(expected);
    }
  });
});

/**
 * A repository whose head commit loosens the base commit's strict policy and adds an image that
 * only the base policy refuses: the built-in default and the head's own policy both pass it.
 */
function loosenedRepository() {
  const workspace = fixture({
    ".github/base-image-policy.yml": STRICT_POLICY,
    "old/Dockerfile": "FROM nginx:1.27\n",
  });
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd,
      encoding: "utf8",
    }).trim();
  git(workspace, "init", "-q");
  git(workspace, "add", "-A");
  git(workspace, "commit", "-qm", "base");
  const base = git(workspace, "rev-parse", "HEAD");
  writeFileSync(join(workspace, ".github/base-image-policy.yml"), "mode: audit\napproved: ['**']\n");
  mkdirSync(join(workspace, "new"));
  writeFileSync(join(workspace, "new/Dockerfile"), "FROM registry.example.com/base/wolfi:latest\n");
  git(workspace, "add", "-A");
  git(workspace, "commit", "-qm", "head");
  const head = git(workspace, "rev-parse", "HEAD");
  return { workspace, base, head, git };
}

function eventFile(eventName: "pull_request" | "merge_group", base: string, head: string): string {
  const event =
    eventName === "merge_group"
      ? { merge_group: { base_sha: base, head_sha: head, base_ref: "refs/heads/main" } }
      : JSON.parse(readFileSync(EVENT, "utf8"));
  if (eventName === "pull_request") {
    event.pull_request.base.sha = base;
    event.pull_request.head.sha = head;
  }
  const eventPath = join(fixture({}), "event.json");
  writeFileSync(eventPath, JSON.stringify(event));
  return eventPath;
}

describe("SPEC §6 the policy that judges a change comes from its base (issue 9)", () => {
  it("fetches the base commit into a shallow checkout and judges by its policy", async () => {
    const { workspace: origin, base, head, git } = loosenedRepository();
    const clone = join(fixture({}), "clone");
    git(origin, "clone", "-q", "--depth=1", `file://${origin}`, clone);
    const run = await runAction(clone, {}, { event: eventFile("pull_request", base, head) });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("registry.example.com/base/wolfi:latest is not an approved base image");
  });

  it("stops with exit 2 and the fix when the base commit cannot be had, never judging by the head's policy", async () => {
    const { workspace: origin, base, head, git } = loosenedRepository();
    const clone = join(fixture({}), "clone");
    git(origin, "clone", "-q", "--depth=1", `file://${origin}`, clone);
    git(clone, "remote", "remove", "origin");
    const run = await runAction(clone, {}, { event: eventFile("pull_request", base, head) });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("fetch-depth: 0");
    expect(run.stdout).not.toContain("not an approved base image");
  });

  it("reads the policy at the base commit for merge_group runs: a queued change cannot loosen it", async () => {
    const { workspace, base, head } = loosenedRepository();
    const run = await runAction(
      workspace,
      {},
      { event: eventFile("merge_group", base, head), eventName: "merge_group" },
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(readFileSync(run.outputs.report as string, "utf8")).mode).toBe("enforce");
  });
});

describe("SPEC §6 without the API: git in the workspace answers", () => {
  it("lists changed files with git diff and reads the base branch's policy with git show", async () => {
    const { workspace, base, head } = loosenedRepository();
    const eventPath = eventFile("pull_request", base, head);

    // No token: the API is never asked, and git must answer.
    const run = await runAction(workspace, { "changed-files-only": "true" }, { event: eventPath });
    expect(run.code).toBe(1);
    expect(
      JSON.parse(readFileSync(run.outputs.report as string, "utf8")).findings.map(
        (f: { file: string; rule: string }) => `${f.file} ${f.rule}`,
      ),
    ).toEqual(["new/Dockerfile approved-base-images"]);
    expect(run.stdout).toContain("This pull request changes .github/base-image-policy.yml");
  });
});

describe("SPEC §6/§7 command: rebuild and plan", () => {
  it("plan sets the matrix output", async () => {
    const run = await runAction(
      libraryRepository(),
      { command: "plan", images: "alpine wolfi" },
      { eventName: "schedule" },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.outputs.matrix as string).include.map((i: { name: string }) => i.name)).toEqual([
      "alpine",
      "wolfi",
    ]);
  });

  it.each([
    [
      "another release on PATH",
      { FAKE_TRIVY_VERSION: "0.70.0" },
      {},
      "trivy on PATH is v0.70.0, but trivy-version asks for v0.69.3",
    ],
    [
      "a moving name asked for",
      {},
      { "trivy-version": "latest" },
      'input trivy-version: expected a Trivy release such as v0.69.3, got "latest"',
    ],
  ])(
    "rebuild runs the Trivy it says: %s is refused (exit 2) before anything is built (issue 21)",
    async (_, env, inputs, message) => {
      const log = join(fixture({}), "tools.log");
      const run = await runAction(
        libraryRepository(),
        { command: "rebuild", registry: "ghcr.io/acme/base", images: "alpine", ...inputs },
        {
          eventName: "schedule",
          env: { PATH: fakeToolsDir(["docker", "trivy", "cosign"]), FAKE_TOOLS_LOG: log, ...env },
        },
      );
      expect(run.code).toBe(2);
      expect(run.stdout).toContain(message);
      const tools = existsSync(log)
        ? readFileSync(log, "utf8")
            .trim()
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l).tool)
        : [];
      expect(tools.filter((tool: string) => tool !== "trivy")).toEqual([]);
    },
  );

  it("rebuild signs with the workflow's key by reference, never echoes it, and reports every image", async () => {
    const key =
      "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nc2VjcmV0\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----";
    const log = join(fixture({}), "tools.log");
    const run = await runAction(
      libraryRepository(),
      { command: "rebuild", registry: "ghcr.io/acme/base", images: "alpine,ubuntu" },
      {
        eventName: "schedule",
        env: {
          PATH: fakeToolsDir(["docker", "trivy", "cosign"]),
          FAKE_TOOLS_LOG: log,
          FAKE_TRIVY_VULNERABLE: "ubuntu",
          COSIGN_KEY: key,
          COSIGN_PASSWORD: "hunter2-passphrase",
        },
      },
    );
    expect(run.code).toBe(1);
    const calls = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { tool: string; args: string[] });
    const sign = calls.find((c) => c.tool === "cosign");
    expect(sign?.args.slice(0, 3)).toEqual(["sign", "--yes", "--key"]);
    expect(sign?.args[3]).toBe("env://COSIGN_KEY");
    const images = JSON.parse(run.outputs.images as string);
    expect(images.map((i: { name: string; status: string }) => `${i.name} ${i.status}`)).toEqual([
      "alpine pushed",
      "ubuntu failed",
    ]);
    expect(run.summary).toContain("### ❌ base images: 1 of 2 failed (ubuntu)");
    expect(run.summary).toContain(
      "| CVE-2024-6387 | openssh-client | 1:9.6p1-3ubuntu13 | 1:9.6p1-3ubuntu13.3 | CRITICAL |",
    );
    expect(run.stdout).toContain("::error title=base image rebuild::ubuntu: scan failed: not pushed");
    const masked = run.stdout
      .split("\n")
      .filter((l) => !l.startsWith("::add-mask::"))
      .join("\n");
    expect(masked).not.toContain("c2VjcmV0");
    expect(masked).not.toContain("hunter2-passphrase");
    expect(run.summary).not.toContain("hunter2-passphrase");
  });
});

describe("SPEC §8 command: export", () => {
  it("writes every admission target into export-dir from the workspace's policy, and lists them in files", async () => {
    const workspace = fixture({
      ".github/base-image-policy.yml": "mode: audit\napproved: [registry.example.com/base/**]\n",
    });
    const run = await runAction(workspace, { command: "export" }, { eventName: "push" });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.outputs.files ?? "[]")).toEqual([
      "policies/enforce-base-images.kyverno.yaml",
      "policies/enforce-base-images.vap.yaml",
      "policies/enforce-base-images.clusterpolicy.yaml",
    ]);
    const vap = readFileSync(join(workspace, "policies/enforce-base-images.vap.yaml"), "utf8");
    expect(vap).toContain("from .github/base-image-policy.yml.");
    expect(vap).toContain("validationActions:\n    - Warn\n    - Audit");
  });

  it("fails the step (exit 2) for an unknown target", async () => {
    const run = await runAction(
      fixture({}),
      { command: "export", "export-to": "kyverno,opa" },
      { eventName: "push" },
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      "::error::input export-to takes targets among kyverno, vap, kyverno-clusterpolicy",
    );
  });
});

describe("issue 12: gradual rollout", () => {
  /** A base commit with 30 known findings, and a head that adds one. */
  function legacyRepository() {
    const files: Record<string, string> = { ".github/base-image-policy.yml": "deprecated: [centos]\n" };
    for (let i = 0; i < 30; i++) files[`legacy/s${i}/Dockerfile`] = "FROM centos:7\n";
    const workspace = fixture(files);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: workspace,
        encoding: "utf8",
      }).trim();
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "base");
    const base = git("rev-parse", "HEAD");
    mkdirSync(join(workspace, "new"));
    writeFileSync(join(workspace, "new/Dockerfile"), "FROM centos:8\n");
    writeFileSync(join(workspace, "legacy/s0/Dockerfile"), "# a comment moves the line\nFROM centos:7\n");
    git("add", "-A");
    git("commit", "-qm", "head");
    return { workspace, base, head: git("rev-parse", "HEAD"), git };
  }

  it("new-findings-only: the base commit's findings are the baseline, so only the added one fails", async () => {
    const { workspace, base, head, git } = legacyRepository();
    const run = await runAction(
      workspace,
      { "new-findings-only": "true" },
      { event: eventFile("pull_request", base, head) },
    );
    expect(run.code).toBe(1);
    expect(run.outputs.violations).toBe("1");
    expect(run.stdout).toContain(
      "::error title=block-deprecated-base-images,file=new/Dockerfile,line=1,col=6::centos:8 is deprecated",
    );
    const report = JSON.parse(readFileSync(run.outputs.report as string, "utf8"));
    expect(report.suppressed.filter((s: { baseline?: boolean }) => s.baseline)).toHaveLength(30);
    // The base commit was judged beside the workspace and left nothing behind.
    expect(git("worktree", "list").split("\n")).toHaveLength(1);
    expect(git("status", "--porcelain")).toBe("");
    // Without it, all 31 fail.
    const all = await runAction(workspace, {}, { event: eventFile("pull_request", base, head) });
    expect(all.outputs.violations).toBe("31");
  });

  it("baseline: the base commit's baseline keeps known findings from failing; the head's cannot waive its own (SPEC §6)", async () => {
    const files: Record<string, string> = { ".github/base-image-policy.yml": "deprecated: [centos]\n" };
    for (let i = 0; i < 3; i++) files[`legacy/s${i}/Dockerfile`] = "FROM centos:7\n";
    const workspace = fixture(files);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: workspace,
        encoding: "utf8",
      }).trim();
    const baseline = () =>
      spawnSync(process.execPath, [resolve("dist/cli.js"), "baseline", "--output", "known.json"], {
        cwd: workspace,
        encoding: "utf8",
      });
    git("init", "-q");
    expect(baseline().status).toBe(0);
    git("add", "-A");
    git("commit", "-qm", "base with its baseline");
    const base = git("rev-parse", "HEAD");
    // The change adds a deprecated image and rewrites the baseline to waive it.
    mkdirSync(join(workspace, "new"));
    writeFileSync(join(workspace, "new/Dockerfile"), "FROM centos:8\n");
    expect(baseline().status).toBe(0);
    git("add", "-A");
    git("commit", "-qm", "head");
    const head = git("rev-parse", "HEAD");
    const run = await runAction(
      workspace,
      { baseline: "known.json" },
      { event: eventFile("pull_request", base, head) },
    );
    expect(run.code).toBe(1);
    expect(run.outputs.violations).toBe("1");
    expect(run.stdout).toContain("centos:8 is deprecated");
    const missing = await runAction(
      workspace,
      { baseline: "nope.json" },
      { event: eventFile("pull_request", base, head) },
    );
    expect(missing.outputs.violations).toBe("4");
    expect(missing.stdout).toContain("The baseline nope.json does not exist at the base commit");
    // Outside a pull request the working tree's baseline is the one there is.
    const push = await runAction(workspace, { baseline: "known.json" }, { eventName: "push" });
    expect(push.outputs.violations).toBe("0");
  });
});

describe("issue 12: an organisation's central policy", () => {
  const CENTRAL = "mode: enforce\napproved: [registry.example.com/base/alpine]\n";

  it("reads owner/repo/path@ref through the API, on pull requests and pushes alike", async () => {
    const github = await fakeGitHub({
      changedFiles: ["services/billing/Dockerfile"],
      otherFiles: { "acme/policies/base-images.yml@v3": CENTRAL },
    });
    const workspace = repository();
    const run = await runAction(workspace, {
      "github-token": TOKEN,
      policy: "acme/policies/base-images.yml@v3",
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("policy: acme/policies/base-images.yml@v3 (central, read through the API)");
    expect(run.stdout).toContain(
      "centos:7 is not an approved base image (approved: registry.example.com/base/alpine)",
    );
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toContain(
      "GET /repos/acme/policies/contents/base-images.yml?ref=v3",
    );
    const push = await runAction(
      workspace,
      { "github-token": TOKEN, policy: "acme/policies/base-images.yml@v3" },
      { eventName: "push" },
    );
    expect(push.outputs.violations).toBe(run.outputs.violations);
  });

  it("stops with exit 2 and what to do when the policy cannot be read", async () => {
    await fakeGitHub({ changedFiles: [] });
    const run = await runAction(repository(), {
      "github-token": TOKEN,
      policy: "acme/policies/nope.yml@main",
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      "::error::policy acme/policies/nope.yml@main cannot be read (HTTP 404): check the name and ref, and give the step a token that can read acme/policies",
    );
  });
});

describe("issue 12: upload-report", () => {
  it("keeps the JSON report and SARIF as one artifact, and the summary links it", async () => {
    const artifacts = await startFakeArtifacts();
    try {
      await fakeGitHub({ changedFiles: CHANGED });
      const workspace = repository();
      const run = await runAction(
        workspace,
        { "upload-report": "true", "sarif-file": "out.sarif", mode: "audit" },
        {
          eventName: "push",
          env: { ACTIONS_RESULTS_URL: `${artifacts.url}/`, ACTIONS_RUNTIME_TOKEN: artifacts.token },
        },
      );
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain("could not be uploaded");
      expect(run.outputs["report-artifact"]).toBe(
        "https://github.com/acme/shop/actions/runs/4242/artifacts/4100",
      );
      const zip = artifacts.uploads.get("base-image-guard-report-base-images");
      expect(zip?.subarray(0, 2).toString()).toBe("PK");
      // The zip's central directory names both files.
      expect(zip?.toString("latin1")).toContain("report.json");
      expect(zip?.toString("latin1")).toContain("out.sarif");
      expect(run.summary).toContain("](https://github.com/acme/shop/actions/runs/4242/artifacts/4100)");
    } finally {
      await artifacts.close();
    }
  });

  it("a failed upload is a warning, not the step's verdict", async () => {
    await fakeGitHub({ changedFiles: CHANGED });
    const run = await runAction(
      repository(),
      { "upload-report": "true", mode: "audit" },
      {
        eventName: "push",
        env: { ACTIONS_RESULTS_URL: "http://127.0.0.1:9/", ACTIONS_RUNTIME_TOKEN: "not-a-jwt" },
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "::warning title=base-image-guard::The report could not be uploaded as an artifact",
    );
    expect(run.outputs["report-artifact"]).toBeUndefined();
  });
});

describe("issue 21: a pull request cannot loosen its policy through the API, a link or a slow answer (SPEC §6)", () => {
  it("an API 404 for the base policy is no proof it is absent: git reads it at the base", async () => {
    const { workspace, base, head } = loosenedRepository();
    await fakeGitHub({ baseFiles: {} });
    const run = await runAction(
      workspace,
      { "github-token": TOKEN },
      { event: eventFile("pull_request", base, head) },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("registry.example.com/base/wolfi:latest is not an approved base image");
  });

  /** A repository whose policy file is a symbolic link, and whose head loosens what the link names. */
  function linkedPolicyRepository(link: string) {
    const workspace = fixture({
      "policies/strict.yml": STRICT_POLICY,
      "old/Dockerfile": "FROM nginx:1.27\n",
    });
    mkdirSync(join(workspace, ".github"));
    symlinkSync(link, join(workspace, ".github/base-image-policy.yml"));
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: workspace,
        encoding: "utf8",
      }).trim();
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "base");
    const base = git("rev-parse", "HEAD");
    writeFileSync(join(workspace, "policies/strict.yml"), "mode: audit\napproved: ['**']\n");
    mkdirSync(join(workspace, "new"));
    writeFileSync(join(workspace, "new/Dockerfile"), "FROM registry.example.com/base/wolfi:latest\n");
    git("add", "-A");
    git("commit", "-qm", "head loosens the link's target");
    return { workspace, base, head: git("rev-parse", "HEAD") };
  }

  it("a policy that is a symbolic link is read through the link at the base, not as its text nor from the head", async () => {
    const { workspace, base, head } = linkedPolicyRepository("../policies/strict.yml");
    const run = await runAction(workspace, {}, { event: eventFile("pull_request", base, head) });
    expect(run.code).toBe(1);
    expect(JSON.parse(readFileSync(run.outputs.report as string, "utf8")).mode).toBe("enforce");
    expect(run.stdout).toContain("registry.example.com/base/wolfi:latest is not an approved base image");
  });

  it("a policy linked out of the repository at the base stops the step (exit 2), never falling back", async () => {
    const { workspace, base, head } = linkedPolicyRepository("/etc/hostname");
    const run = await runAction(workspace, {}, { event: eventFile("pull_request", base, head) });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("is a symbolic link out of the repository");
  });

  it("an API that sends headers and then a byte every few seconds ends in a clear error within the deadline (exit 2)", async () => {
    const sockets = new Set<import("node:net").Socket>();
    const slow = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      const timer = setInterval(() => response.write(" "), 300);
      response.on("close", () => clearInterval(timer));
    });
    slow.on("connection", (socket) => sockets.add(socket));
    await new Promise<void>((done) => slow.listen(0, "127.0.0.1", done));
    const { port } = slow.address() as import("node:net").AddressInfo;
    try {
      const started = Date.now();
      const run = await runAction(
        repository(),
        { "github-token": TOKEN, policy: "acme/policies/base-images.yml@v3" },
        {
          eventName: "push",
          apiUrl: `http://127.0.0.1:${port}`,
          env: { BASE_IMAGE_GUARD_API_DEADLINE: "2" },
        },
      );
      expect(run.code).toBe(2);
      expect(run.stdout).toContain("the GitHub API gave no complete answer");
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => slow.close(done));
    }
  });
});

describe("issue 21: the working tree's policy path (SPEC §2)", () => {
  it.each([
    ["a dangling symbolic link", "missing.yml", "is a symbolic link to nothing"],
    ["a link out of the repository", "/etc/hostname", "is a symbolic link out of the repository"],
  ])("%s is an error (exit 2), not the built-in default", (_, target, message) => {
    const cwd = fixture({ Dockerfile: "FROM nginx:1.27\n" });
    mkdirSync(join(cwd, ".github"));
    symlinkSync(target, join(cwd, ".github/base-image-policy.yml"));
    const out = spawnSync(process.execPath, [resolve("dist/cli.js"), "check"], { cwd, encoding: "utf8" });
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(message);
  });

  it("a folder at the policy path is an error (exit 2)", () => {
    const cwd = fixture({ Dockerfile: "FROM nginx:1.27\n", ".github/base-image-policy.yml/x": "" });
    const out = spawnSync(process.execPath, [resolve("dist/cli.js"), "check"], { cwd, encoding: "utf8" });
    expect(out.status).toBe(2);
    expect(out.stderr).toContain("it is a folder");
  });
});
