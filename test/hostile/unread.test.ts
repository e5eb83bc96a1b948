/**
 * Issue 21: the last ways a check passed without looking. Each case is built here from a minimal
 * example of its class and fails on the code before the issue (SPEC §3.5, §4, §5, §6, §7).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown.js";
import { check, fixture, runCli, verdicts, withPolicy } from "../helpers.js";

const NBSP = "\u00a0";

describe("SPEC §4: only ASCII space and tab separate words in a Dockerfile instruction", () => {
  it.each([
    ["fast path", ""],
    ["exact path (escape directive)", "# escape=`\n"],
  ])("a no-break space after the image leaves it invalid, not a trimmed approved image (%s)", (_, head) => {
    const result = check({ Dockerfile: `${head}FROM registry.example.com/base/alpine:3.22${NBSP}\n` });
    expect(verdicts(result)).toEqual([`Dockerfile:${head ? 2 : 1} parse-error`]);
    expect(result.findings[0]?.image).toBe(`registry.example.com/base/alpine:3.22${NBSP}`);
  });

  it("a no-break space is not the blank before AS", () => {
    const result = check({
      Dockerfile: `FROM registry.example.com/base/alpine:3.22${NBSP}AS build\nFROM build\n`,
    });
    expect(result.findings.map((f) => f.rule)).toContain("parse-error");
  });

  it.each([
    [
      "a Helm values map",
      "values.yaml",
      `image:\n  repository: "registry.example.com/base/alpine${NBSP}"\n  tag: "3.22"\n`,
    ],
    [
      "a custom resource's image map",
      "app.yaml",
      `apiVersion: example.com/v1\nkind: App\nmetadata: {name: a}\nspec:\n  image:\n    repository: "registry.example.com/base/alpine:3.22${NBSP}"\n`,
    ],
  ])("YAML: %s whose value ends in a no-break space is invalid", (_, name, text) => {
    const result = check({
      "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
      [`chart/${name}`]: text,
    });
    expect(result.findings.map((f) => f.rule)).toEqual(["parse-error"]);
  });
});

describe("SPEC §6: nothing cut in silence", () => {
  it("check --format sarif --output F that leaves results out says so on stderr with the counts", () => {
    const containers = Array.from({ length: 10_001 }, (_, i) => `    - {name: c${i}, image: "centos:7"}`);
    const cwd = fixture({
      "pod.yaml": `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n${containers.join("\n")}\n`,
    });
    const out = runCli(["check", "--format", "sarif", "--output", "out.sarif"], cwd);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      "warning: 2 of 20,002 results left out of the SARIF file, the least severe first (code scanning takes at most 25,000 per run); the JSON report lists them all.",
    );
    const sarif = JSON.parse(readFileSync(join(cwd, "out.sarif"), "utf8")) as {
      runs: { results: unknown[] }[];
    };
    expect(sarif.runs[0]?.results).toHaveLength(20_000);
  });
});

describe("SPEC §2: maxFileSize is a positive whole size", () => {
  it.each(["0KB", "0", "0.5MB", "1.5KB", "10 parsecs", "-1"])(
    "%j stops the run (exit 2) instead of skipping every file",
    (size) => {
      const cwd = fixture({
        ".github/base-image-policy.yml": `deprecated: [centos]\nmaxFileSize: ${JSON.stringify(size)}\n`,
        Dockerfile: "FROM centos:7\n",
      });
      const out = runCli(["check", "--format", "json"], cwd);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/maxFileSize/);
    },
  );

  it.each([0, 0.5, -3])("the number %j stops the run too", (size) => {
    const cwd = fixture({
      ".github/base-image-policy.yml": `deprecated: [centos]\nmaxFileSize: ${size}\n`,
      Dockerfile: "FROM centos:7\n",
    });
    expect(runCli(["check"], cwd).code).toBe(2);
  });

  it.each(["1KB", "2000"])("%j is a size: files over it are counted skips", (size) => {
    const cwd = fixture({
      ".github/base-image-policy.yml": `deprecated: [centos]\nmaxFileSize: ${JSON.stringify(size)}\n`,
      Dockerfile: `FROM centos:7\n${"# padding\n".repeat(200)}`,
    });
    const out = runCli(["check", "--format", "json"], cwd);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).summary.skipped).toBe(1);
  });
});

describe("SPEC §3.5: a file that should be judged but cannot be read fails closed", () => {
  /**
   * The CLI as another user than root, who can read only what its modes allow: a copy of the
   * bundle in a folder anyone can read, since the checkout itself may not be.
   */
  const asNobody = (cwd: string, args: string[]) => {
    const bin = fixture({});
    chmodSync(bin, 0o755);
    copyFileSync(resolve("dist/cli.js"), join(bin, "cli.js"));
    chmodSync(join(bin, "cli.js"), 0o644);
    const nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"];
    return spawnSync("setpriv", [...nobody, process.execPath, join(bin, "cli.js"), ...args], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
  };
  const canDropPrivileges = process.getuid?.() === 0 && spawnSync("setpriv", ["--version"]).status === 0;

  it.skipIf(!canDropPrivileges)(
    "a file and a folder without read permission are parse-errors at line 0, exit 1 in enforce mode",
    () => {
      const cwd = fixture({
        "ok/Dockerfile": "FROM registry.example.com/base/alpine:3.22\n",
        "secret/Dockerfile": "FROM centos:7\n",
        "locked/deploy.yaml":
          "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: centos:7}]}\n",
      });
      chmodSync(cwd, 0o755);
      for (const dir of ["ok", "secret"]) chmodSync(join(cwd, dir), 0o755);
      chmodSync(join(cwd, "ok/Dockerfile"), 0o644);
      chmodSync(join(cwd, "secret/Dockerfile"), 0o600);
      chmodSync(join(cwd, "locked"), 0o700);
      const out = asNobody(cwd, ["check", "--format", "json"]);
      expect(out.status, out.stderr).toBe(1);
      const report = JSON.parse(out.stdout);
      expect(
        report.findings.map(
          (f: { file: string; rule: string; line: number }) => `${f.file}:${f.line} ${f.rule}`,
        ),
      ).toEqual(["locked:0 parse-error", "secret/Dockerfile:0 parse-error"]);
      expect(report.findings[1].message).toContain("cannot be read (EACCES)");
      expect(report.summary.skipped).toBe(0);
      expect(asNobody(cwd, ["check", "--mode", "audit"]).status).toBe(0);
    },
  );

  it("a file whose name is not UTF-8 is read by its bytes and named with the bytes escaped", () => {
    const cwd = fixture({});
    writeFileSync(
      Buffer.concat([Buffer.from(`${cwd}/Dockerfile.`), Buffer.from([0xff, 0x41])]),
      "FROM centos:7\n",
    );
    const out = runCli(["check", "--format", "json"], cwd);
    expect(out.code).toBe(1);
    const findings = JSON.parse(out.stdout).findings.map(
      (f: { file: string; rule: string }) => `${f.file} ${f.rule}`,
    );
    expect(findings).toEqual([
      "Dockerfile.\\xffA approved-base-images",
      "Dockerfile.\\xffA block-deprecated-base-images",
    ]);
    const text = runCli(["check"], cwd);
    expect(text.stdout).toContain("Dockerfile.\\xffA");
    expect(text.stdout).not.toContain("\uFFFD");
  });

  it("binary, oversize and template files stay counted skips (exit 0 when nothing else is wrong)", () => {
    const cwd = fixture({
      ".github/base-image-policy.yml": "deprecated: [centos]\nmaxFileSize: 1KB\n",
      Dockerfile: Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x00, 0x01]),
      "big.Dockerfile": `FROM centos:7\n${"# pad\n".repeat(400)}`,
      "t/deploy.yaml": "image: {{ .Values.image }}\n  - {{ if }}: [\n",
    });
    const out = runCli(["check", "--format", "json"], cwd);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).summary.skipped).toBe(3);
  });
});

describe("SPEC §4: YAML that Kubernetes reads is read, with exact lines and columns", () => {
  // The last container's anchor sends the file past the fast path, to the parsers with positions.
  const pod = (containers: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${containers}` +
    "  - name: z\n    image: &z registry.example.com/base/alpine:3.22\n";
  /** Each shape a strict YAML 1.2 parser rejects and go-yaml / js-yaml accept; the image's line:column. */
  const cases: [string, string, string][] = [
    [
      "a multi-line double-quoted scalar in a flow sequence closed at its parent's indentation (Argo)",
      pod('  - name: a\n    image: centos:7\n    args: ["\n      cd /src &&\n      make\n    "]\n'),
      "8:12",
    ],
    [
      "the same, single-quoted",
      pod("  - name: a\n    args: ['\n      make\n    ']\n    image: centos:7\n"),
      "11:12",
    ],
    [
      "a multi-line quoted scalar continued at its key's indentation",
      pod('  - name: a\n    command: "sh -c\n    make"\n    image: centos:7\n'),
      "10:12",
    ],
    [
      "a flow sequence continued below its key's indentation",
      pod("  - name: a\n    args: [a,\n  b]\n    image: centos:7\n"),
      "10:12",
    ],
    [
      "a flow sequence whose closing bracket sits at column 1",
      pod("  - name: a\n    args: [\n      a\n]\n    image: centos:7\n"),
      "11:12",
    ],
    [
      "a flow mapping with the image in it, continued below its indentation",
      pod("  - {name: a,\n  image: centos:7}\n"),
      "8:10",
    ],
    [
      "a comment right after a closing quote",
      pod('  - name: a\n    image: "centos:7"# pinned later\n'),
      "8:12",
    ],
    [
      "line breaks written as lone carriage returns",
      pod("  - name: a\n    image: centos:7\n").replace(/\n/g, "\r"),
      "8:12",
    ],
  ];

  it.each(cases)("%s", (_, text, at) => {
    const result = check({ "pod.yaml": text });
    expect(result.skipped).toEqual([]);
    expect(result.findings.map((f) => `${f.line}:${f.column} ${f.rule}`)).toEqual([
      `${at} approved-base-images`,
      `${at} block-deprecated-base-images`,
    ]);
  });

  it("such a file holding {{ }} is judged, not skipped as a template; anchors and flow maps too", () => {
    const text = [
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Workflow",
      "metadata: {name: w}",
      "spec:",
      "  templates:",
      "  - name: build",
      "    container:",
      "      image: &go golang:1.8",
      '      args: ["',
      "        go build {{inputs.parameters.pkg}}",
      '      "]',
      "  - name: other",
      '    container: {image: "centos:7"}',
      "",
    ].join("\n");
    const result = check({ "workflow.yaml": text });
    expect(result.skipped).toEqual([]);
    expect(result.findings.map((f) => `${f.line}:${f.column} ${f.image} ${f.rule}`)).toEqual([
      "8:18 golang:1.8 approved-base-images",
      "13:24 centos:7 approved-base-images",
      "13:24 centos:7 block-deprecated-base-images",
    ]);
  });

  it("a file js-yaml reads that no value-keeping repair makes strict is still judged, at line 0 (no position)", () => {
    const result = check({
      "pod.yaml": `${pod("  - name: a\n    image: centos:7\n")}${"k".repeat(1100)}: long key\n`,
    });
    expect(result.findings.map((f) => `${f.line} ${f.rule}`)).toEqual([
      "0 approved-base-images",
      "0 block-deprecated-base-images",
    ]);
  });

  it("YAML that go-yaml rejects too stays a parse-error with the parser's line", () => {
    const result = check({ "pod.yaml": pod("  - name: a\n    image: centos:7\n   bad: [\n") });
    expect(result.findings.map((f) => f.rule)).toEqual(["parse-error"]);
  });
});

describe("SPEC §4 Kustomize: judged as kustomize builds it", () => {
  const deployment =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: registry.example.com/base/ubuntu:22.04\n";
  const DIGEST = `sha256:${"a".repeat(64)}`;

  it("an entry with newTag and digest gives name:newTag@digest, so a versions gate the cluster passes passes", () => {
    const result = check(
      {
        "app/deploy.yaml": deployment,
        "app/kustomization.yaml": `resources: [deploy.yaml]\nimages:\n- name: registry.example.com/base/ubuntu\n  newTag: "24.04"\n  digest: ${DIGEST}\n`,
      },
      { loaded: withPolicy({ versions: { ubuntu: ["24.04"] } }) },
    );
    // The resource's 22.04 is judged as the kustomization rewrites it: 24.04, pinned, allowed.
    expect(result.findings).toEqual([]);
  });

  it("an image set by an inline JSON 6902 patch is judged at the patch's line and column", () => {
    const kustomization = [
      "resources: [deploy.yaml]",
      "patches:",
      "- target: {kind: Deployment, name: web}",
      "  patch: |-",
      "    - op: replace",
      "      path: /spec/template/spec/containers/0/image",
      "      value: centos:7",
      "",
    ].join("\n");
    const result = check({ "app/deploy.yaml": deployment, "app/kustomization.yaml": kustomization });
    expect(result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`)).toEqual([
      "app/kustomization.yaml:7:14 approved-base-images",
      "app/kustomization.yaml:7:14 block-deprecated-base-images",
    ]);
  });

  it("an image set by an inline strategic-merge patch (patches and the legacy list) is judged at its line", () => {
    const patch = (indent: string) =>
      [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: {name: web}",
        "spec:",
        "  template:",
        "    spec:",
        "      containers:",
        "      - name: web",
        "        image: debian:9",
      ]
        .map((line) => indent + line)
        .join("\n");
    const result = check({
      "a/deploy.yaml": deployment,
      "a/kustomization.yaml": `resources: [deploy.yaml]\npatches:\n- patch: |\n${patch("    ")}\n`,
      "b/deploy.yaml": deployment,
      "b/kustomization.yaml": `resources: [deploy.yaml]\npatchesStrategicMerge:\n- |\n${patch("  ")}\n`,
    });
    expect(
      result.findings
        .filter((f) => f.rule === "block-deprecated-base-images")
        .map((f) => `${f.file}:${f.line}:${f.column}`),
    ).toEqual(["a/kustomization.yaml:12:20", "b/kustomization.yaml:12:18"]);
  });

  it("an overlay's images entry rewrites what its base's patch set", () => {
    const result = check(
      {
        "base/deploy.yaml": deployment,
        "base/kustomization.yaml":
          "resources: [deploy.yaml]\npatches:\n- target: {kind: Deployment}\n  patch: |-\n    - {op: replace, path: /spec/template/spec/containers/0/image, value: 'debian:9'}\n",
        "prod/kustomization.yaml":
          'resources: [../base]\nimages:\n- name: debian\n  newName: registry.example.com/base/ubuntu\n  newTag: "24.04"\n',
      },
      { loaded: withPolicy({ versions: { ubuntu: ["20.04"] } }) },
    );
    // Judged as the overlay builds it: not debian:9 (deprecated) but ubuntu 24.04, which this policy's versions refuse.
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.image}`)).toEqual([
      "base/deploy.yaml:9 validate-base-image-version registry.example.com/base/ubuntu:22.04",
      "base/kustomization.yaml:5 validate-base-image-version registry.example.com/base/ubuntu:24.04",
    ]);
  });

  it("an overlay chain thousands deep is judged (no stack overflow); past the bound a parse-error says so, the rest still judged", () => {
    const files: Record<string, string> = {
      "k0/deploy.yaml": deployment.replace("registry.example.com/base/ubuntu:22.04", "centos:7"),
      "k0/kustomization.yaml": "resources: [deploy.yaml]\n",
    };
    for (let i = 1; i <= 3000; i++)
      files[`k${i}/kustomization.yaml`] =
        `resources: [../k${i - 1}]\nimages:\n- {name: nothing-matches, newTag: "1"}\n`;
    files["other/Dockerfile"] = "FROM debian:9\n";
    const result = check(files);
    const rules = result.findings.map(
      (f) => `${f.file.split("/")[0] === "other" ? "other" : "chain"} ${f.rule}`,
    );
    expect(rules).toContain("chain parse-error");
    expect(rules).toContain("chain block-deprecated-base-images");
    expect(rules).toContain("other block-deprecated-base-images");
    expect(result.findings.find((f) => f.rule === "parse-error")?.message).toMatch(
      /stacked more than 1,000 deep/,
    );
  });
});

describe("SPEC §4 compose: a compose file by its name is read in every layout Compose has had", () => {
  it("a docker-compose.yml in the version-1 layout (services at the top level) is read, .env included", () => {
    const result = check({
      "app/docker-compose.yml":
        "web:\n  image: centos:7\n  ports: ['80:80']\ndb:\n  image: ${DB_IMAGE}\nworker:\n  build: .\n  image: mine/worker\n",
      "app/.env": "DB_IMAGE=debian:9\n",
      "app/Dockerfile": "FROM registry.example.com/base/alpine:3.22\n",
    });
    expect(
      result.findings
        .filter((f) => f.rule !== "approved-base-images")
        .map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.image}`),
    ).toEqual([
      "app/docker-compose.yml:2:10 block-deprecated-base-images centos:7",
      "app/docker-compose.yml:5:10 block-deprecated-base-images debian:9",
    ]);
  });

  it("a YAML file of another name with the same shape is not taken for compose", () => {
    expect(check({ "config/settings.yml": "web:\n  image: centos:7\n" }).findings).toEqual([]);
  });
});

describe("SPEC §4: side files never come from outside the checked tree", () => {
  it("a .env linked to /proc/self/environ puts nothing of the environment into any output; the compose file says why", () => {
    const cwd = fixture({ "app/compose.yaml": "services:\n  web:\n    image: ${SECRET_TOKEN}\n" });
    symlinkSync("/proc/self/environ", join(cwd, "app/.env"));
    const token = "hunter2-do-not-print";
    const out = spawnSync(process.execPath, [resolve("dist/cli.js"), "check", "--format", "json"], {
      cwd,
      encoding: "utf8",
      // First in the environment, so /proc/self/environ starts with it.
      env: { SECRET_TOKEN: token, ...process.env, NO_COLOR: "1" },
    });
    expect(`${out.stdout}${out.stderr}`).not.toContain(token);
    expect(out.status).toBe(1);
    const findings = JSON.parse(out.stdout).findings as { rule: string; message: string }[];
    expect(findings.map((f) => f.rule)).toEqual(["parse-error", "unresolved-image"]);
    expect(findings[0]?.message).toContain(".env beside it is a symbolic link out of the checked tree");
  });

  it("a .env linked to a file inside the tree is read", () => {
    const cwd = fixture({
      "app/compose.yaml": "services:\n  web:\n    image: ${IMG}\n",
      "shared/env": "IMG=centos:7\n",
    });
    symlinkSync(join(cwd, "shared/env"), join(cwd, "app/.env"));
    const out = runCli(["check", "--format", "json"], cwd);
    expect(JSON.parse(out.stdout).findings.map((f: { image: string }) => f.image)).toContain("centos:7");
  });
});

describe("SPEC §3.6, §4: YAML details that used to hide images or waive them", () => {
  const pod = (name: string, image: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers:\n  - name: a\n    image: ${image}\n`;

  it.each([
    [
      "after a --- marker",
      `${pod("a", "registry.example.com/base/alpine:3.22")}---\n\uFEFF${pod("b", "centos:7")}`,
      "pods.yaml:15",
    ],
    [
      "before a --- marker",
      `${pod("a", "registry.example.com/base/alpine:3.22")}\uFEFF---\n${pod("b", "centos:7")}`,
      "pods.yaml:15",
    ],
  ])("a byte-order mark %s hides no document", (_, text, at) => {
    const result = check({ "pods.yaml": text });
    expect(
      result.findings
        .filter((f) => f.rule === "block-deprecated-base-images")
        .map((f) => `${f.file}:${f.line}`),
    ).toEqual([at]);
  });

  it.each([
    [
      "a block scalar",
      '    args:\n    - |\n      # base-image-guard ignore=approved-base-images,block-deprecated-base-images reason="sneaky"\n    image: centos:7\n',
    ],
    [
      "a quoted scalar",
      '    args:\n    - "echo\n      # base-image-guard ignore=approved-base-images,block-deprecated-base-images reason=\\"sneaky\\""\n    image: centos:7\n',
    ],
  ])("suppression text inside %s is data and suppresses nothing", (_, container) => {
    const result = check({
      "pod.yaml": `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n${container}`,
    });
    expect(result.findings.map((f) => f.rule)).toEqual([
      "approved-base-images",
      "block-deprecated-base-images",
    ]);
    expect(result.suppressed).toEqual([]);
  });

  it("a real comment above the image line still suppresses", () => {
    const result = check({
      "pod.yaml": `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    # base-image-guard ignore=approved-base-images,block-deprecated-base-images reason="migration OPS-1"\n    image: centos:7\n`,
    });
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toHaveLength(2);
  });
});

describe("SPEC §4: expansion an input controls is bounded", () => {
  const doubling = (prefix: string, steps: number) => {
    const lines = [`${prefix}V0=abcdefgh`];
    for (let i = 1; i <= steps; i++) lines.push(`${prefix}V${i}=\${V${i - 1}}\${V${i - 1}}`);
    return lines;
  };

  it.each([
    [
      "Dockerfile ARGs",
      { Dockerfile: `${doubling("ARG ", 40).join("\n")}\nFROM centos:\${V40}\n` },
      "Dockerfile",
    ],
    [
      ".env values",
      {
        "app/compose.yaml": "services:\n  web:\n    image: centos:${V40}\n",
        "app/.env": `${doubling("", 40).join("\n")}\n`,
      },
      "app/compose.yaml",
    ],
    [
      "nested defaults",
      { Dockerfile: `ARG X=${"${A:-".repeat(5000)}x${"}".repeat(5000)}\nFROM centos:$X\n` },
      "Dockerfile",
    ],
  ])(
    "%s that double without bound are a parse-error for that file; the others are judged",
    (_, files, bad) => {
      const result = check({ ...files, "other/Dockerfile": "FROM debian:9\n" } as Record<string, string>);
      expect(result.findings.filter((f) => f.file === bad).map((f) => f.rule)).toEqual(["parse-error"]);
      expect(result.findings.find((f) => f.file === bad)?.message).toMatch(/refusing to expand/);
      expect(result.findings.filter((f) => f.file === "other/Dockerfile").map((f) => f.rule)).toContain(
        "block-deprecated-base-images",
      );
    },
  );
});

describe("SPEC §6: a giant image string does not empty the summary's findings table", () => {
  it("the long value is shortened in its row and the other rows stay", () => {
    const giant = `registry.example.com/${"a".repeat(2_000_000)}:1`;
    const result = check({
      "a/Dockerfile": `FROM ${giant}\n`,
      "b/Dockerfile": "FROM centos:7\n",
    });
    const summary = renderMarkdown(result, { maxBytes: 1_000_000 });
    expect(Buffer.byteLength(summary)).toBeLessThan(1_000_000);
    expect(summary).toContain("centos:7");
    expect(summary).toContain("more characters)");
    expect(summary).not.toMatch(/findings? (is|are) not shown here/);
  });
});
