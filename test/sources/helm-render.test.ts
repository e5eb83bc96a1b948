/**
 * SPEC §4 "Helm, rendered": with helm on PATH, `check` renders each chart and judges what it
 * renders at the template line. helm cannot be installed on every machine, so these tests put the
 * recording fake (test/fixtures/fake-tools/fake-helm.mjs) on PATH: it replays what the real helm
 * printed for these charts (scripts/record-helm.mjs) and refuses a chart it has no recording of.
 * test/sources/helm-real.test.ts runs the real helm 3 and 4 on the same charts where they are.
 *
 * Charts: starter (what `helm create` v3.17.2 writes), kustomize-test-chart (kustomize's
 * api/krusty/testdata/helmcharts/test-chart, Apache-2.0, from Debian's
 * golang-k8s-sigs-kustomize-api-dev 0.21.1+ds-1), platform and needs-values (written here in the
 * shapes Helm's chart documentation gives: subcharts, conditions, values files, ci/ values).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { findOnPath, pathRunner } from "../../src/tool-run.js";
import { fakeToolsDir, fixture } from "../helpers.js";

const CHARTS = resolve("test/fixtures/helm/charts");

interface Report {
  summary: { files: number; images: number; skipped: number };
  findings: { file: string; line: number; column: number; rule: string; image: string; source?: string }[];
  suppressed: { file: string; line: number; image: string; source?: string; reason: string }[];
  skipped: { file: string; reason: string; group?: string }[];
}

/** The CLI as a user runs it with `path` as PATH (git and the fake helm, or no helm at all). */
function cli(args: string[], cwd: string, path: string, env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [resolve("dist/cli.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", PATH: path, ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const gitDir = () => {
  const git = findOnPath("git");
  if (!git) throw new Error("git is needed");
  return resolve(git, "..");
};
/** PATH with the fake helm first; git from the machine. */
const withHelm = () => `${fakeToolsDir(["helm"])}${delimiter}${gitDir()}`;
/** PATH with node and git only: no helm. */
const withoutHelm = () => `${fakeToolsDir([])}${delimiter}${gitDir()}`;

/** A repository holding copies of the named fixture charts under charts/. */
function repository(...charts: string[]): string {
  const repo = fixture({});
  for (const chart of charts) cpSync(join(CHARTS, chart), join(repo, "charts", chart), { recursive: true });
  return repo;
}

function report(args: string[], cwd: string, path: string, env: Record<string, string> = {}): Report {
  const run = cli(["check", ...args, "--format", "json"], cwd, path, env);
  expect(run.stderr).not.toMatch(/at .*\.js:\d+|TypeError|internal error/);
  expect([0, 1]).toContain(run.code);
  return JSON.parse(run.stdout) as Report;
}

const seen = (r: Report) =>
  r.findings
    .filter((f) => f.rule === "approved-base-images" || f.rule === "parse-error")
    .map(
      (f) =>
        `${f.file}:${f.line}:${f.column} ${f.source ?? "-"} ${f.rule === "parse-error" ? "parse-error " : ""}${f.image}`,
    );
const skips = (r: Report) => r.skipped.map((s) => `${s.file}: ${s.reason}`);

describe("Helm charts as helm renders them (SPEC §4 Helm, rendered)", () => {
  it("judges an image hard-coded in a template at its line; the values image once, at its values line", () => {
    const r = report([], repository("starter"), withHelm());
    expect(seen(r)).toEqual([
      "charts/starter/templates/tests/test-connection.yaml:12:14 helm-template busybox",
      // deployment.yaml renders nginx:1.16.0 too: one occurrence, where values.yaml writes it (fixable there).
      "charts/starter/values.yaml:10:15 helm nginx:1.16.0",
    ]);
    expect(r.skipped).toEqual([]);
    // The templates were looked at: judged files, not skips.
    expect(r.summary.files).toBeGreaterThanOrEqual(7);
  });

  it("finds what the values reading cannot (a map without repository), at the template's expression line", () => {
    const repo = repository("kustomize-test-chart");
    expect(seen(report([], repo, withHelm()))).toEqual([
      "charts/kustomize-test-chart/templates/deployment.yaml:17:18 helm-template test-image:v1.0.0",
    ]);
    // --render never: the values reading alone finds nothing, and says the templates were skipped.
    const never = report(["--render", "never"], repo, withHelm());
    expect(seen(never)).toEqual([]);
    expect(skips(never)).toEqual([
      "charts/kustomize-test-chart/templates/deployment.yaml: Helm chart template: render it with helm template … | base-image-guard check --manifests -",
      "charts/kustomize-test-chart/templates/tests/test-pod.yaml: Helm chart template: render it with helm template … | base-image-guard check --manifests -",
    ]);
  });

  it("renders with the default values, each values-*.yaml and ci/*-values.yaml; subcharts, conditions, missing dependencies and failures said", () => {
    const r = report([], repository("platform"), withHelm());
    const validate = new Ajv({ strict: true }).compile(
      JSON.parse(readFileSync("schema/report.schema.json", "utf8")),
    );
    expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    expect(seen(r)).toEqual([
      // A subchart's template, rendered with its parent.
      "charts/platform/charts/cache/templates/statefulset.yaml:18:18 helm-template redis:7.2",
      // One template line rendering two containers (a range) is one occurrence.
      "charts/platform/templates/cronjob.yaml:15:22 helm-template docker.io/library/python:3.8-slim",
      "charts/platform/templates/deployment.yaml:19:18 helm-template busybox:1.36",
      // The tag is v{{ .Chart.AppVersion }}: only rendering knows it; the values reading guesses 2.4.1.
      "charts/platform/templates/deployment.yaml:23:18 helm-template ghcr.io/example/api:v2.4.1",
      // ci/smoke-values.yaml sets the worker image: the line whose expression reads .Values.worker.image.
      "charts/platform/templates/deployment.yaml:25:18 helm-template centos:7",
      // values-prod.yaml's image, found by both readings: once, at its values line.
      "charts/platform/values-prod.yaml:2:15 helm ghcr.io/example/api:2.4.0",
      "charts/platform/values.yaml:2:15 helm ghcr.io/example/api:2.4.1",
    ]);
    expect(
      r.findings.filter((f) => f.rule === "block-deprecated-base-images").map((f) => `${f.file}:${f.line}`),
    ).toEqual(["charts/platform/templates/deployment.yaml:25"]);
    // A suppression comment above the template line waives the rendered image.
    expect(r.suppressed).toEqual([
      expect.objectContaining({
        file: "charts/platform/templates/debug-hook.yaml",
        line: 12,
        image: "alpine:3.19",
        source: "helm-template",
        reason: "debug hook, reviewed in SEC-7",
      }),
    ]);
    expect(skips(r)).toEqual([
      "charts/platform/Chart.yaml: rendered without its dependencies postgresql: they are not in charts/ (helm dependency build fetches them), so what they render was not judged",
      "charts/platform/values-broken.yaml: with this values file, helm template failed: execution error at (charts/platform/templates/deployment.yaml:28:20): migrations.image is required when migrations are on; what it renders was not judged",
      "charts/platform/charts/metrics/templates/daemonset.yaml: Helm chart template: charts/platform renders nothing of this subchart with its values files (disabled?), so it was not judged",
    ]);
  });

  it("a chart that does not render with its own values keeps its templates skipped, with helm's error at the repository's path", () => {
    const r = report([], repository("needs-values"), withHelm());
    expect(seen(r)).toEqual([]);
    expect(skips(r)).toEqual([
      "charts/needs-values/templates/deployment.yaml: Helm chart template: helm template failed: execution error at (charts/needs-values/templates/deployment.yaml:16:21): image.repository is required",
    ]);
  });

  it("without helm on PATH the values reading stays and the templates notice says why they were not rendered", () => {
    const r = report([], repository("starter"), withoutHelm());
    expect(seen(r)).toEqual(["charts/starter/values.yaml:10:15 helm nginx:1.16.0"]);
    expect(r.skipped.length).toBe(6);
    expect(new Set(skips(r).map((s) => s.replace(/^[^:]+: /, "")))).toEqual(
      new Set([
        "Helm chart template: helm is not on PATH, so it was not rendered (render it with helm template … | base-image-guard check --manifests -)",
      ]),
    );
    const text = cli(["check"], repository("starter"), withoutHelm());
    expect(text.stdout).toContain(
      "skipped charts/starter/templates (6 files): Helm chart template: helm is not on PATH",
    );
  });

  it("runs helm on a copy of the chart, each values file as --values=…, the chart after --: a file name never becomes an option", () => {
    // Values files named like helm's options, in a chart folder named like one (helm 3.17.2 read them as files).
    const repo = fixture({});
    cpSync(join(CHARTS, "option-names"), join(repo, "--set=image.tag=evil"), { recursive: true });
    const log = join(fixture({}), "helm.log");
    const r = report(["."], repo, withHelm(), { FAKE_TOOLS_LOG: log });
    const calls = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { args: string[] }).args);
    expect(
      calls.map((args) =>
        args
          .slice(0, -3)
          .join(" ")
          .replace(/=\/.*\/chart\//, "=<copy>/"),
      ),
    ).toEqual([
      "template --namespace default",
      "template --namespace default --values=<copy>/values---post-renderer=evil.yaml",
      "template --namespace default --values=<copy>/values---set=image=evil.yaml",
    ]);
    for (const args of calls) {
      // The chart is a scratch copy, never the repository's folder.
      expect(args.slice(-3, -1)).toEqual(["--", "release-name"]);
      expect(args.at(-1)).toMatch(/base-image-guard-helm-[^/]+\/chart$/);
    }
    expect(calls.flat().some((arg) => arg.includes("--set=image.tag=evil"))).toBe(false);
    expect(seen(r)).toEqual([
      "--set=image.tag=evil/values---post-renderer=evil.yaml:1:8 helm debian:12",
      "--set=image.tag=evil/values---set=image=evil.yaml:1:8 helm ubuntu:24.04",
    ]);
  });

  it("a library chart is not rendered (helm refuses it: the charts that use it render its helpers), and nothing is said", () => {
    const repo = fixture({
      "charts/common/Chart.yaml": "apiVersion: v2\nname: common\ntype: library\nversion: 1.0.0\n",
      "charts/common/templates/_images.tpl":
        '{{- define "common.image" -}}{{ .repository }}:{{ .tag }}{{- end -}}\n',
    });
    const log = join(fixture({}), "helm.log");
    const r = report([], repo, withHelm(), { FAKE_TOOLS_LOG: log });
    expect(r.skipped).toEqual([]);
    expect(r.findings).toEqual([]);
    expect(existsSync(log)).toBe(false);
  });

  it("a recording made from other chart files is refused: the fake never answers with old output", () => {
    const repo = repository("starter");
    const template = join(repo, "charts/starter/templates/tests/test-connection.yaml");
    writeFileSync(template, readFileSync(template, "utf8").replace("image: busybox", "image: alpine:3.19"));
    const r = report([], repo, withHelm());
    expect(skips(r)[0]).toMatch(
      /helm template failed: fake helm: the recording starter-0\.1\.0\/default\.json was made from other chart files/,
    );
  });

  it("a link out of the checked tree is not given to helm and is a parse-error naming it", () => {
    const repo = repository("starter");
    // A helper `check` does not read (only rendering sees it), and a template discovery reports itself.
    symlinkSync("/etc/passwd", join(repo, "charts/starter/templates/_outside.tpl"));
    symlinkSync("/etc/passwd", join(repo, "charts/starter/templates/outside.yaml"));
    const run = cli(["check", "--format", "json"], repo, withHelm());
    expect(run.stdout).not.toContain("root:x:");
    const r = JSON.parse(run.stdout) as Report;
    // Each once: rendering does not say again what discovery said.
    expect(r.findings.filter((f) => f.rule === "parse-error").map((f) => f.file)).toEqual([
      "charts/starter/templates/_outside.tpl",
      "charts/starter/templates/outside.yaml",
    ]);
  });

  it("--changed-since: a change to a template helper alone renders its chart (a pull request cannot hide an image in a .tpl)", () => {
    const repo = repository("starter");
    const git = (...args: string[]) =>
      spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "base");
    writeFileSync(join(repo, "notes.txt"), "unrelated\n");
    expect(seen(report(["--changed-since", "HEAD"], repo, withHelm()))).toEqual([]);
    const helpers = join(repo, "charts/starter/templates/_helpers.tpl");
    writeFileSync(helpers, `${readFileSync(helpers, "utf8")}\n{{/* reviewed */}}\n`);
    // The fake has no recording of the changed chart: the render fails, and says so — not a pass.
    const r = report(["--changed-since", "HEAD"], repo, withHelm());
    expect(skips(r)).toEqual([
      expect.stringMatching(
        /^charts\/starter\/templates: Helm chart template: helm template failed: fake helm: the recording/,
      ),
    ]);
  });

  it("the Action input render and --render take auto or never", () => {
    const run = cli(["check", "--render", "sometimes"], repository("starter"), withHelm());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--render.*sometimes.*auto, never|Allowed choices are auto, never/);
  });

  it("hostile chart folder names reach no output as commands or markup", () => {
    const repo = fixture({});
    const name = "x\n::error::owned <script>";
    mkdirSync(join(repo, "charts"));
    cpSync(join(CHARTS, "starter"), join(repo, "charts", name), { recursive: true });
    const run = cli(["check", "--format", "github"], repo, withHelm());
    expect(run.stdout).not.toMatch(/^::error::owned/m);
    expect(run.stdout).toContain("test-connection.yaml");
  });
});

describe("fix and rendered images (SPEC §9)", () => {
  const A = "registry.example.com/base/alpine";
  const DIGEST = `sha256:${"4".repeat(64)}`;
  const POLICY = `approved: [${A}]\nreplacements:\n  - {match: busybox, use: ${A}}\n  - {match: centos, use: ${A}}\n`;
  const DIGESTS = JSON.stringify({
    version: 1,
    images: [{ image: A, tag: "3.20", digest: DIGEST, date: "2026-12-07" }],
  });

  it("rewrites an image a template writes as it is, in place, every other byte kept; a computed one is listed with why", () => {
    const repo = repository("starter", "platform");
    writeFileSync(join(repo, ".policy.yml"), POLICY);
    writeFileSync(join(repo, "digests.json"), DIGESTS);
    const before = (file: string) => readFileSync(join(CHARTS, file), "utf8");
    const args = ["fix", ".", "--policy", ".policy.yml", "--digests", "digests.json"];
    const shown = cli(args, repo, withHelm());
    expect(shown.code, shown.stderr).toBe(1);
    expect(shown.stderr).toMatch(
      /charts\/platform\/templates\/deployment\.yaml:25 approved-base-images centos:7: rendered by helm from charts\/platform\/templates\/deployment\.yaml: the template computes it/,
    );
    expect(cli([...args, "--write"], repo, withHelm()).code).toBe(0);
    const pinned = `${A}:3.20@${DIGEST}`;
    for (const [file, from] of [
      ["starter/templates/tests/test-connection.yaml", "image: busybox\n"],
      ["platform/templates/deployment.yaml", "image: busybox:1.36\n"],
    ] as const) {
      expect(readFileSync(join(repo, "charts", file), "utf8")).toBe(
        before(file).replace(from, `image: ${pinned}\n`),
      );
    }
  });
});

describe("the synchronous runner (src/tool-run.ts)", () => {
  it("stops a tool that runs past its time or floods its output, and says which", () => {
    const sleep = pathRunner.run("sleep", ["5"], { timeoutMs: 200, maxOutputBytes: 1 << 20 });
    expect(sleep.stopped).toBe("timeout");
    const flood = pathRunner.run("yes", [], { timeoutMs: 10_000, maxOutputBytes: 1 << 16 });
    expect(flood.stopped).toBe("output");
    expect(pathRunner.run("no-such-tool-here", [], { timeoutMs: 1000, maxOutputBytes: 1000 }).exitCode).toBe(
      127,
    );
  });
});
