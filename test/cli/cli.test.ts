/** SPEC §5 CLI, run as a user runs it: `node dist/cli.js …`, checking stdout, stderr and exit codes. */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture } from "../helpers.js";

const CLI = resolve("dist/cli.js");
const BAD = "FROM centos:7\n";
const GOOD = "FROM registry.example.com/base/wolfi:latest\n";

function run(args: string[], options: { cwd?: string; input?: string } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? process.cwd(),
    input: options.input ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("issue 9: a closed or full stdout is never a stack trace", () => {
  const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`s${i}/Dockerfile`, BAD]));

  it("exits quietly when stdout closes early (| head -c 10)", () => {
    const cwd = fixture(many);
    const out = spawnSync(
      "bash",
      ["-c", `node ${JSON.stringify(CLI)} check --format json | head -c 10; echo "rc=\${PIPESTATUS[0]}" >&2`],
      {
        cwd,
        encoding: "utf8",
      },
    );
    expect(out.stdout).toHaveLength(10);
    expect(out.stderr).not.toMatch(/Error|at /);
    expect(out.stderr).toMatch(/rc=[01]\n/);
  });

  it("exits 2 with a message when stdout cannot be written (>/dev/full)", () => {
    const cwd = fixture(many);
    const out = spawnSync("bash", ["-c", `node ${JSON.stringify(CLI)} check --format json >/dev/full`], {
      cwd,
      encoding: "utf8",
    });
    expect(out.status).toBe(2);
    expect(out.stderr).toContain("cannot write to standard output: ENOSPC");
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("issue 10: --format jsonl", () => {
  it("prints one JSON object per line: findings, suppressed, skipped, then the summary", () => {
    const cwd = fixture({
      "a/Dockerfile": BAD,
      "b/Dockerfile":
        '# base-image-guard ignore=approved-base-images,block-deprecated-base-images reason="SEC-1"\nFROM centos:7\n',
      "bin/Dockerfile": Buffer.from([0, 1]),
    });
    const out = run(["check", "--format", "jsonl"], { cwd });
    expect(out.code).toBe(1);
    const lines = out.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.type)).toEqual([
      "finding",
      "finding",
      "suppressed",
      "suppressed",
      "skipped",
      "summary",
    ]);
    expect(lines.at(-1)).toMatchObject({
      type: "summary",
      version: 1,
      files: 2,
      images: 2,
      errors: 2,
      suppressed: 2,
      skipped: 1,
    });
    const json = JSON.parse(run(["check", "--format", "json"], { cwd }).stdout);
    expect(lines.filter((l) => l.type === "finding").map(({ type: _, ...f }) => f)).toEqual(json.findings);
  });
});

describe("SPEC §5 exit codes", () => {
  it("exits 0 when there is no violation", () => {
    const out = run(["check"], { cwd: fixture({ Dockerfile: GOOD }) });
    expect(out).toMatchObject({ code: 0, stderr: "" });
    expect(out.stdout).toContain("✔ no violations in 1 file, 1 image");
  });

  it("exits 1 on violations in enforce mode and 0 in audit mode", () => {
    const cwd = fixture({ Dockerfile: BAD });
    expect(run(["check"], { cwd }).code).toBe(1);
    const audit = run(["check", "--mode", "audit"], { cwd });
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain("warning");
  });

  it("exits 2 with file, line and key path for an invalid policy, and no stack trace", () => {
    const cwd = fixture({ Dockerfile: GOOD, "policy.yml": "versions:\n  ubuntu: [20.10]\n" });
    const out = run(["check", "--policy", "policy.yml"], { cwd });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("policy.yml:2: versions.ubuntu[0]: expected a string, got the number 20.10");
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(out.stdout).toBe("");
  });

  it("exits 2 for a missing policy file, a missing path and an unknown option", () => {
    const cwd = fixture({ Dockerfile: GOOD });
    expect(run(["check", "--policy", "nope.yml"], { cwd })).toMatchObject({ code: 2 });
    expect(run(["check", "missing/"], { cwd }).stderr).toContain("path missing/ does not exist");
    expect(run(["check", "--colour"], { cwd }).code).toBe(2);
    expect(run(["check", "--format", "xml"], { cwd }).code).toBe(2);
    expect(run(["check", "--build-arg", "NOVALUE"], { cwd }).code).toBe(2);
  });

  it("exits 0 for a repository whose only Dockerfile is binary, and names the skip", () => {
    const out = run(["check"], {
      cwd: fixture({ Dockerfile: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]) }),
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("skipped Dockerfile: binary file");
    expect(out.stdout).toContain("1 skipped");
  });

  it("exits 1, not 0, for a parse-error: a broken file never passes silently", () => {
    const out = run(["check"], { cwd: fixture({ "k8s/bad.yaml": "kind: Pod\n  image: [\n" }) });
    expect(out.code).toBe(1);
    expect(out.stdout).toContain("parse-error");
  });
});

describe("SPEC §5 commands and options", () => {
  it("prints the version and help for every command", () => {
    const version = JSON.parse(readFileSync("package.json", "utf8")).version;
    expect(run(["--version"])).toMatchObject({ code: 0, stdout: `${version}\n` });
    for (const command of [[], ["check"], ["policy", "validate"], ["init"]]) {
      const out = run([...command, "--help"]);
      expect(out.code).toBe(0);
      expect(out.stdout).toContain("Usage: base-image-guard");
    }
  });

  it("writes a JSON report to --output", () => {
    const cwd = fixture({ Dockerfile: BAD });
    const out = run(["check", "--format", "json", "--output", "reports/out.json"], { cwd });
    expect(out).toMatchObject({ code: 1, stdout: "" });
    const report = JSON.parse(readFileSync(join(cwd, "reports/out.json"), "utf8"));
    expect(report.summary).toMatchObject({ errors: 2, files: 1 });
  });

  it("passes --build-arg to Dockerfiles", () => {
    const cwd = fixture({ Dockerfile: "ARG BASE\nFROM ${BASE}\n" });
    expect(run(["check"], { cwd }).stdout).toContain("unresolved-image");
    expect(run(["check", "--build-arg", "BASE=registry.example.com/base/wolfi:1"], { cwd }).code).toBe(0);
  });

  it("reads a pod list from stdin with --from-json -", () => {
    const pods = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "p", namespace: "ns" },
          spec: { containers: [{ name: "c", image: "centos:7" }] },
        },
      ],
    });
    const out = run(["check", "--from-json", "-", "--format", "json"], { cwd: fixture({}), input: pods });
    expect(out.code).toBe(1);
    expect(JSON.parse(out.stdout).findings[0]).toMatchObject({ file: "cluster/ns/p", line: 0, column: 0 });
  });

  it("checks only files changed since a git ref with --changed-since", () => {
    const cwd = fixture({ "old/Dockerfile": BAD });
    const git = (...args: string[]) => execFileSync("git", args, { cwd, stdio: "ignore" });
    git("init", "-q");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base", "--allow-empty");
    git("add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "old");
    execFileSync("sh", ["-c", `mkdir -p new && printf 'FROM nginx:1\\n' > new/Dockerfile`], { cwd });
    const out = run(["check", "--changed-since", "HEAD", "--format", "json"], { cwd });
    expect(JSON.parse(out.stdout).findings.map((f: { file: string }) => f.file)).toEqual(["new/Dockerfile"]);
    expect(run(["check", "--changed-since", "no-such-ref"], { cwd })).toMatchObject({ code: 2 });
  });

  it.each([
    [
      "a bake file's args",
      {
        "docker-bake.hcl": 'target "app" {\n  args = { BASE = "ubuntu:24.04" }\n}\n',
        "app.Dockerfile": "",
        Dockerfile: "ARG BASE\nFROM ${BASE}\n",
      },
      "docker-bake.hcl",
      'target "app" {\n  args = { BASE = "centos:7" }\n}\n',
      "Dockerfile",
    ],
    [
      "a dev container's build.args",
      {
        ".devcontainer/devcontainer.json":
          '{"build": {"dockerfile": "../Dockerfile", "args": {"BASE": "ubuntu:24.04"}}}',
        Dockerfile: "ARG BASE\nFROM ${BASE}\n",
      },
      ".devcontainer/devcontainer.json",
      '{"build": {"dockerfile": "../Dockerfile", "args": {"BASE": "centos:7"}}}',
      "Dockerfile",
    ],
    [
      "a compose file's .env",
      { "compose.yaml": "services:\n  db:\n    image: ${DB}\n", ".env": "DB=postgres:16\n" },
      ".env",
      "DB=centos:7\n",
      "compose.yaml",
    ],
    [
      "a file a GitLab pipeline includes",
      { ".gitlab-ci.yml": "include: ci/jobs.yml\n", "ci/jobs.yml": "lint:\n  image: golang:1.22\n" },
      "ci/jobs.yml",
      "lint:\n  image: centos:7\n",
      "ci/jobs.yml",
    ],
    [
      "a kustomization's images:",
      {
        "base/kustomization.yaml": "resources: [pod.yaml]\n",
        "base/pod.yaml":
          "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n",
      },
      "base/kustomization.yaml",
      "resources: [pod.yaml]\nimages:\n  - {name: nginx, newName: centos, newTag: '7'}\n",
      "base/pod.yaml",
    ],
  ])(
    "--changed-since: a change to %s alone re-judges what it decides (a pull request cannot loosen the gate through it)",
    (_what, files, changed, text, judged) => {
      const cwd = fixture(files as Record<string, string>);
      const git = (...args: string[]) => execFileSync("git", args, { cwd, stdio: "ignore" });
      git("init", "-q");
      git("add", "-A");
      git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base");
      writeFileSync(join(cwd, changed), text);
      const out = run(["check", "--changed-since", "HEAD", "--format", "json"], { cwd });
      const deprecated = JSON.parse(out.stdout).findings.filter(
        (f: { rule: string }) => f.rule === "block-deprecated-base-images",
      );
      expect(deprecated.map((f: { file: string; image: string }) => `${f.file} ${f.image}`)).toEqual([
        `${judged} ${deprecated[0]?.image ?? "?"}`,
      ]);
      expect(deprecated[0].image).toMatch(/centos/);
      expect(out.code).toBe(1);
    },
  );

  it("--ignore-unknown (issue 25, pre-commit): the named files as a scan reads them, the rest ignored", () => {
    const cwd = fixture({
      "README.md": "# not a Dockerfile\n",
      "run.sh": "echo hi\n",
      "svc/Dockerfile": BAD,
      "other/Dockerfile": BAD,
      "vendor/x/Dockerfile": BAD,
      "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
      "chart/templates/d.yaml": "image: {{ .Values.image }}\n",
    });
    const named = [
      "README.md",
      "run.sh",
      "./svc/Dockerfile",
      "vendor/x/Dockerfile",
      "chart/templates/d.yaml",
    ];
    const out = run(["check", "--ignore-unknown", "--format", "json", ...named], { cwd });
    expect(out.code).toBe(1);
    const report = JSON.parse(out.stdout);
    // Only the named Dockerfile; the README is no parse-error, vendor/ is excluded by the policy,
    // the template is a chart's (skipped with its reason), other/ was not named.
    expect([...new Set(report.findings.map((f: { file: string }) => f.file))]).toEqual(["svc/Dockerfile"]);
    expect(report.skipped.map((s: { file: string }) => s.file)).toEqual(["chart/templates/d.yaml"]);
    expect(run(["check", "--ignore-unknown", "README.md"], { cwd }).code).toBe(0);
    expect(run(["check", "--ignore-unknown", "svc"], { cwd })).toMatchObject({ code: 2 });
    expect(run(["check", "--ignore-unknown", "missing/Dockerfile"], { cwd })).toMatchObject({ code: 2 });
  });

  it("init writes a starter policy that validates, and refuses to overwrite it", () => {
    const cwd = fixture({});
    expect(run(["init"], { cwd }).code).toBe(0);
    expect(existsSync(join(cwd, ".github/base-image-policy.yml"))).toBe(true);
    expect(run(["policy", "validate"], { cwd })).toMatchObject({
      code: 0,
      stdout: "policy .github/base-image-policy.yml is valid\n",
    });
    expect(run(["init"], { cwd })).toMatchObject({ code: 2 });
    expect(run(["init", "--force"], { cwd }).code).toBe(0);
  });

  it("init then check passes: the starter file's comments are not suppressions (issue 8)", () => {
    const cwd = fixture({ Dockerfile: GOOD });
    expect(run(["init"], { cwd }).code).toBe(0);
    const out = run(["check", "--format", "json"], { cwd });
    expect(JSON.parse(out.stdout).findings).toEqual([]);
    expect(out.code).toBe(0);
  });

  it("exits 2 for a policy file with no rules, never passing everything (SPEC §2)", () => {
    const cwd = fixture({ Dockerfile: BAD, ".github/base-image-policy.yml": "# TODO\n" });
    const out = run(["check"], { cwd });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("the policy has no rules");
  });

  it("reads rendered manifests from stdin with --manifests - (SPEC §4)", () => {
    const input =
      "---\n# Source: app/templates/pod.yaml\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: centos:7}]}\n";
    const out = run(["check", "--manifests", "-", "--format", "json"], { cwd: fixture({}), input });
    expect(out.code).toBe(1);
    expect(JSON.parse(out.stdout).findings.map((f: { file: string }) => f.file)).toContain(
      "app/templates/pod.yaml",
    );
  });

  it("refuses a --changed-since value that git would read as an option", () => {
    const out = run(["check", "--changed-since=--output=x"], { cwd: fixture({ Dockerfile: GOOD }) });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("takes a git ref");
  });

  it("policy validate prints lint warnings and exits 2 for an invalid file", () => {
    const cwd = fixture({
      "p.yml": "approved: [registry.example.com/base/alpine*]\n",
      "bad.yml": "mode: x\n",
    });
    const out = run(["policy", "validate", "p.yml"], { cwd });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("can match more than intended");
    expect(run(["policy", "validate", "bad.yml"], { cwd }).code).toBe(2);
  });
});

describe("README's first command: check examples/ on the built-in default policy", () => {
  it("shows every rule firing, a suppression and a skip", () => {
    const out = run(["check", "examples/", "--format", "json"]);
    expect(out.code).toBe(1);
    const report = JSON.parse(out.stdout);
    const rules = new Set(report.findings.map((f: { rule: string }) => f.rule));
    expect([...rules].sort()).toEqual([
      "approved-base-images",
      "block-deprecated-base-images",
      "require-minimal-base-images",
      "unresolved-image",
      "validate-base-image-version",
    ]);
    expect(report.summary).toMatchObject({ suppressed: 1, skipped: 1 });
    const passing = ["examples/services/edge/Dockerfile"];
    for (const file of passing)
      expect(report.findings.some((f: { file: string }) => f.file === file)).toBe(false);
  });
});
