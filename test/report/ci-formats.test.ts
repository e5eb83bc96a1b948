/**
 * Issue 25: reports other CI systems read. `--format gitlab` is GitLab's Code Quality report,
 * validated against a schema written from GitLab's documentation; `--format junit` is JUnit XML,
 * validated against Jenkins' junit-4.xsd by libxml2 and read back with a DOM parser. Both keep the
 * baseline's fingerprints and neutralise untrusted text (non-negotiable 7).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { hasUnsafeCharacter } from "../../src/report/neutralise.js";
import { fixture, runCli } from "../helpers.js";

const gitlabSchema = JSON.parse(readFileSync("schema/gitlab-code-quality.schema.json", "utf8"));
const junitSchema = readFileSync("test/fixtures/junit/junit-4.xsd", "utf8");

const HOSTILE = 'evil <script>x</script> & "q" \']]> \u001b[31m\u202e';

const repository = () =>
  fixture({
    ".github/base-image-policy.yml": "approved: [registry.example.com/base/**]\ndeprecated: [centos]\n",
    "services/api/Dockerfile": "FROM registry.example.com/base/alpine:3.20 AS build\nFROM centos:7\n",
    "services/web/Dockerfile":
      '# base-image-guard ignore=approved-base-images reason="vendor image, SEC-42"\nFROM nginx:1.27\n',
    "clean/Dockerfile": "FROM registry.example.com/base/alpine:3.20\n",
    [`odd/${HOSTILE}/Dockerfile`]: `FROM ${"evil<b>&x"}:1\n`,
    "k8s/broken.yaml": "kind: Pod\nspec: [unclosed\n",
    "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
    "chart/templates/deployment.yaml": "image: {{ .Values.image }}\n",
  });

function xml(text: string) {
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level, message) => {
      errors.push(`${level}: ${message}`);
    },
  }).parseFromString(text, "text/xml");
  expect(errors).toEqual([]);
  return doc;
}

const all = (node: { getElementsByTagName(name: string): ArrayLike<Element> }, name: string) =>
  Array.from(node.getElementsByTagName(name));

describe("--format gitlab: GitLab's Code Quality report", () => {
  it("validates against the schema written from GitLab's documentation, one issue per finding", () => {
    const cwd = repository();
    const json = runCli(["check", "--format", "json"], cwd);
    const out = runCli(["check", "--format", "gitlab"], cwd);
    expect(out.code).toBe(1);
    const issues = JSON.parse(out.stdout);
    const validate = new Ajv({ strict: true }).compile(gitlabSchema);
    expect(validate(issues), JSON.stringify(validate.errors)).toBe(true);
    const findings = JSON.parse(json.stdout).findings;
    expect(issues).toHaveLength(findings.length);
    expect(issues.map((i: { check_name: string }) => i.check_name)).toEqual(
      findings.map((f: { rule: string }) => f.rule),
    );
    expect(new Set(issues.map((i: { fingerprint: string }) => i.fingerprint)).size).toBe(issues.length);
    const centos = issues.find(
      (i: { check_name: string }) => i.check_name === "block-deprecated-base-images",
    );
    expect(centos).toMatchObject({
      type: "issue",
      severity: "major",
      location: { path: "services/api/Dockerfile", lines: { begin: 2 } },
    });
    expect(centos.description).toContain("centos:7 is deprecated");
    // The parse error is an issue at its line; the suppressed nginx finding is none.
    expect(issues.some((i: { check_name: string }) => i.check_name === "parse-error")).toBe(true);
    expect(out.stdout).not.toContain("nginx");
    // Untrusted text: no raw control characters in any description, the path kept exactly.
    for (const issue of issues) expect(hasUnsafeCharacter(issue.description)).toBe(false);
    expect(issues.some((i: { location: { path: string } }) => i.location.path.includes(HOSTILE))).toBe(true);
  });

  it("fingerprints are the baseline's: equal to SARIF's, and unchanged when lines move", () => {
    const cwd = repository();
    const before = JSON.parse(runCli(["check", "--format", "gitlab"], cwd).stdout);
    const sarif = JSON.parse(runCli(["check", "--format", "sarif"], cwd).stdout);
    expect(before.map((i: { fingerprint: string }) => i.fingerprint)).toEqual(
      sarif.runs[0].results
        .filter((r: { level: string }) => r.level !== "note")
        .map(
          (r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints["baseImageGuard/v1"],
        ),
    );
    const file = join(cwd, "services/api/Dockerfile");
    writeFileSync(file, `# a comment\n\n${readFileSync(file, "utf8")}`);
    const after = JSON.parse(runCli(["check", "--format", "gitlab"], cwd).stdout);
    const centos = (
      list: { check_name: string; fingerprint: string; location: { lines: { begin: number } } }[],
    ) => list.find((i) => i.check_name === "block-deprecated-base-images");
    expect(centos(after)?.location.lines.begin).toBe(4);
    expect(centos(after)?.fingerprint).toBe(centos(before)?.fingerprint);
    // A baseline written now takes every one of them: the same identity.
    expect(runCli(["baseline"], cwd).code).toBe(0);
    const gated = JSON.parse(
      runCli(["check", "--format", "gitlab", "--baseline", "base-image-guard-baseline.json"], cwd).stdout,
    );
    expect(gated).toEqual([]);
  });

  it("a clean repository is an empty array, exit 0", () => {
    const cwd = fixture({
      Dockerfile: `FROM registry.example.com/base/alpine:3.20@sha256:${"a".repeat(64)}\n`,
    });
    const out = runCli(["check", "--format", "gitlab"], cwd);
    expect(out.stdout).toBe("[]\n");
    expect(out.code).toBe(0);
  });
});

describe("--format junit: JUnit XML", () => {
  it("is valid against Jenkins' junit-4.xsd (libxml2) and parses with a DOM parser", async () => {
    const out = runCli(["check", "--format", "junit"], repository());
    expect(out.code).toBe(1);
    const validation = await validateXML({
      xml: [{ fileName: "report.xml", contents: out.stdout }],
      schema: [{ fileName: "junit-4.xsd", contents: junitSchema }],
    });
    expect(validation.errors).toEqual([]);
    expect(validation.valid).toBe(true);
    xml(out.stdout);
    // The validator does judge: a case outside a suite is refused.
    const wrong = await validateXML({
      xml: [{ fileName: "wrong.xml", contents: "<testsuites><testcase name='x'/></testsuites>" }],
      schema: [{ fileName: "junit-4.xsd", contents: junitSchema }],
    });
    expect(wrong.valid).toBe(false);
  });

  it("one case per file and rule, a failure per finding, a clean file one passing case, a skip its reason", () => {
    const cwd = repository();
    const report = JSON.parse(runCli(["check", "--format", "json"], cwd).stdout);
    const doc = xml(runCli(["check", "--format", "junit"], cwd).stdout);
    const suites = all(doc, "testsuite");
    const byFile = new Map(suites.map((s) => [s.getAttribute("name"), s]));
    const api = byFile.get("services/api/Dockerfile") as Element;
    expect(all(api, "testcase").map((c) => c.getAttribute("name"))).toEqual([
      "approved-base-images",
      "block-deprecated-base-images",
    ]);
    expect(all(api, "failure").map((f) => f.getAttribute("type"))).toEqual([
      "approved-base-images",
      "block-deprecated-base-images",
    ]);
    expect(api.getAttribute("failures")).toBe("2");
    const clean = byFile.get("clean/Dockerfile") as Element;
    expect(all(clean, "testcase")).toHaveLength(1);
    expect(all(clean, "failure")).toHaveLength(0);
    const web = byFile.get("services/web/Dockerfile") as Element;
    expect(all(web, "failure")).toHaveLength(0);
    expect(all(web, "system-out")[0]?.textContent).toContain("suppressed: approved-base-images");
    const template = byFile.get("chart/templates/deployment.yaml") as Element;
    expect(all(template, "skipped")[0]?.textContent).toContain("Helm chart template");
    // Every finding is one failure; every file judged is a suite.
    expect(all(doc, "failure")).toHaveLength(report.findings.length);
    expect(suites.length).toBe(report.summary.files + report.summary.skipped);
    const root = doc.documentElement as Element;
    expect(Number(root.getAttribute("tests"))).toBe(all(doc, "testcase").length);
    expect(Number(root.getAttribute("failures"))).toBe(
      all(doc, "testcase").filter((c) => all(c, "failure").length > 0).length,
    );
  });

  it("untrusted text is character data: file names and images cannot open elements or run control sequences", () => {
    const text = runCli(["check", "--format", "junit"], repository()).stdout;
    expect(text).not.toContain("<script>");
    expect(text).not.toContain("<b>");
    expect(hasUnsafeCharacter(text.replace(/\n/g, ""))).toBe(false);
    const doc = xml(text);
    const names = all(doc, "testsuite").map((s) => s.getAttribute("name") ?? "");
    // The name reads back as the file's name, its control characters shown as escapes.
    expect(names).toContain('odd/evil <script>x</script> & "q" \']]> \\x1b[31m\\u202e/Dockerfile');
    expect(all(doc, "script")).toHaveLength(0);
  });

  it("audit mode: findings are warnings, written out but not failures (the gate passed)", () => {
    const cwd = repository();
    const out = runCli(["check", "--format", "junit", "--mode", "audit"], cwd);
    expect(out.code).toBe(0);
    const doc = xml(out.stdout);
    expect(all(doc, "failure").filter((f) => f.getAttribute("type") !== "parse-error")).toHaveLength(0);
    const api = all(doc, "testsuite").find(
      (s) => s.getAttribute("name") === "services/api/Dockerfile",
    ) as Element;
    const written = all(api, "system-out")
      .map((o) => o.textContent)
      .join("\n");
    expect(written).toContain("warning: services/api/Dockerfile:2:6: centos:7 is deprecated");
  });
});
