/** SPEC §5.1 JSON contract, SARIF 2.1.0, GitHub workflow commands and text output. */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/check.js";
import { renderGithub } from "../../src/report/github.js";
import { jsonChunks, toJsonReport } from "../../src/report/json.js";
import { toSarif } from "../../src/report/sarif.js";
import { renderText } from "../../src/report/text.js";
import { escapeData, escapeProperty } from "../../src/report/workflow-commands.js";
import { RULE_IDS } from "../../src/rules/catalog.js";
import { check, withPolicy } from "../helpers.js";

const reportSchema = JSON.parse(readFileSync("schema/report.schema.json", "utf8"));
const policySchema = JSON.parse(readFileSync("schema/policy.schema.json", "utf8"));

const repository = {
  "services/api/Dockerfile": "FROM registry.example.com/base/alpine:3.19 AS build\n\nFROM centos:7\n",
  "services/web/Dockerfile":
    '# base-image-guard ignore=approved-base-images reason="vendor image, SEC-42"\nFROM nginx:1.27\n',
  "k8s/pod.yaml":
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: 'ubuntu:18.04:x'}]}\n",
  "bin/Dockerfile": Buffer.from([0, 1, 2]),
  "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
  "chart/templates/deployment.yaml": "image: {{ .Values.image }}\n",
};

describe("SPEC §5.1 JSON report", () => {
  const result = check(repository);
  const report = toJsonReport(result);

  it("validates against schema/report.schema.json", () => {
    const validate = new Ajv({ strict: true }).compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });

  it("has the exact shape of the spec's example", () => {
    expect(report.summary).toEqual({
      files: 4,
      images: 4,
      errors: 3,
      warnings: 0,
      suppressed: 1,
      skipped: 2,
    });
    expect(report.findings[2]).toEqual({
      rule: "block-deprecated-base-images",
      severity: "error",
      file: "services/api/Dockerfile",
      line: 3,
      column: 6,
      image: "centos:7",
      normalized: "docker.io/library/centos:7",
      message: 'centos:7 is deprecated (matches policy entry "centos")',
      source: "dockerfile",
    });
    expect(report.suppressed).toEqual([
      {
        rule: "approved-base-images",
        file: "services/web/Dockerfile",
        line: 2,
        image: "nginx:1.27",
        source: "dockerfile",
        reason: "vendor image, SEC-42",
        expires: null,
      },
    ]);
  });

  it("sorts findings by file, line, rule", () => {
    expect(report.findings.map((f) => `${f.file}:${f.line}:${f.rule}`)).toEqual([
      "k8s/pod.yaml:4:parse-error",
      "services/api/Dockerfile:3:approved-base-images",
      "services/api/Dockerfile:3:block-deprecated-base-images",
    ]);
  });

  it("marks findings as warnings in audit mode", () => {
    const audit = toJsonReport(check(repository, { loaded: withPolicy({ mode: "audit" }) }));
    expect(audit.mode).toBe("audit");
    expect(audit.summary).toMatchObject({ errors: 0, warnings: 3 });
  });

  it("lists the same rule ids in the code, the report schema and the policy schema", () => {
    expect(reportSchema.definitions.rule.enum).toEqual(RULE_IDS);
    const exceptionRules = policySchema.properties.exceptions.items.properties.rules.items.enum;
    expect(exceptionRules).toEqual(
      RULE_IDS.filter((id) => id !== "parse-error" && id !== "invalid-suppression"),
    );
  });
});

describe("SARIF 2.1.0", () => {
  const sarif = (result: CheckResult) =>
    toSarif(result, { version: "1.2.3", category: "base-image-guard/build/check" }).log;

  it("describes every rule and every finding, with suppressed ones marked", () => {
    const log = sarif(check(repository));
    const run = log.runs[0];
    expect(log.version).toBe("2.1.0");
    expect(run?.tool.driver.rules?.map((r) => r.id)).toEqual(RULE_IDS);
    expect(run?.automationDetails?.id).toBe("base-image-guard/build/check/");
    expect(run?.results?.map((r) => [r.ruleId, r.level, r.suppressions?.[0]?.kind])).toEqual([
      ["parse-error", "error", undefined],
      ["approved-base-images", "error", undefined],
      ["block-deprecated-base-images", "error", undefined],
      ["approved-base-images", "note", "inSource"],
    ]);
    expect(run?.results?.[2]?.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: "services/api/Dockerfile", uriBaseId: "%SRCROOT%" },
      region: { startLine: 3, startColumn: 6 },
    });
  });

  it("sets a category only when given one, so upload-sarif's category: applies otherwise", () => {
    const { log } = toSarif(check(repository), { version: "1.2.3" });
    expect(log.runs[0]?.automationDetails).toBeUndefined();
  });

  it("gives every rule a security-severity and help that stands on its own", () => {
    for (const rule of sarif(check(repository)).runs[0]?.tool.driver.rules ?? []) {
      expect(Number(rule.properties?.["security-severity"])).toBeGreaterThan(0);
      expect(rule.help?.text).not.toMatch(/SPEC|§/);
      expect(rule.helpUri ?? "").not.toContain("github.com/org/");
    }
  });

  it("stays below code scanning's result limit, errors first, and says what it left out", () => {
    const { log, dropped } = toSarif(check(repository), { version: "1.2.3", maxResults: 2 });
    const run = log.runs[0];
    expect(dropped).toBe(2);
    expect(run?.results?.map((r) => r.level)).toEqual(["error", "error"]);
    expect(run?.invocations?.[0]?.toolExecutionNotifications?.[0]?.message.text).toMatch(
      /^2 of 4 results left out of the SARIF file, the least severe first \(code scanning takes at most 25,000 per run\)/,
    );
    expect(toSarif(check(repository), { version: "1.2.3" }).dropped).toBe(0);
  });

  it("keeps fingerprints stable when lines move", () => {
    const before = sarif(check(repository)).runs[0]?.results?.map((r) => r.partialFingerprints);
    const moved = {
      ...repository,
      "services/api/Dockerfile": `# a comment\n\n${repository["services/api/Dockerfile"]}`,
    };
    const after = sarif(check(moved)).runs[0]?.results?.map((r) => r.partialFingerprints);
    expect(after).toEqual(before);
    expect(new Set(before?.map((f) => f?.["baseImageGuard/v1"])).size).toBe(4);
  });
});

describe("GitHub workflow commands (non-negotiable 7)", () => {
  it("escapes data and properties", () => {
    expect(escapeData("50% done\r\n::error::x")).toBe("50%25 done%0D%0A::error::x");
    expect(escapeProperty("a,b:c%\n")).toBe("a%2Cb%3Ac%25%0A");
  });

  it("cannot be broken out of by a hostile file name or image", () => {
    const hostile = check({ "evil,file=x::y%0A/Dockerfile": "FROM nginx:1.27\n" });
    const out = renderGithub(hostile);
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      "::error file=evil%2Cfile=x%3A%3Ay%250A/Dockerfile,line=1,col=6,title=approved-base-images::" +
        "nginx:1.27 is not an approved base image (approved: registry.example.com/base/alpine, registry.example.com/base/ubuntu, registry.example.com/base/distroless, registry.example.com/base/wolfi)",
    );
  });

  it("leaves out line and col for cluster pods and announces skipped files", () => {
    const out = renderGithub(check(repository));
    expect(out).toContain(
      "::notice file=bin/Dockerfile,title=base-image-guard skipped::not checked: binary file\n",
    );
  });
});

describe("text report", () => {
  it("groups findings by file and ends with a summary, without colour when not asked", () => {
    const text = renderText(check(repository), { color: false });
    expect(text).toContain(
      "services/api/Dockerfile\n  3:6     error    centos:7 is not an approved base image",
    );
    expect(text).toContain("skipped bin/Dockerfile: binary file\n");
    expect(text).toContain(
      "suppressed services/web/Dockerfile:2 approved-base-images nginx:1.27: vendor image, SEC-42\n",
    );
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "✖ 3 errors, 0 warnings in 4 files, 4 images (1 suppressed, 2 skipped; policy: built-in default, mode: enforce)",
    );
    expect(text).not.toContain("\u001b[");
  });

  it("colours when asked", () => {
    expect(renderText(check(repository), { color: true })).toContain("\u001b[31m");
  });
});

describe("issue 10: the JSON report written in pieces", () => {
  it("is byte for byte JSON.stringify(report, null, 2), empty lists included", () => {
    const trees: Record<string, string | Buffer>[] = [
      repository,
      {},
      { Dockerfile: "FROM registry.example.com/base/alpine:3.20\n" },
    ];
    for (const files of trees) {
      const result = check(files);
      expect([...jsonChunks(result)].join("")).toBe(`${JSON.stringify(toJsonReport(result), null, 2)}\n`);
    }
  });
});
