/**
 * Issue 21: the last ways a check passed without looking. Each case is built here from a minimal
 * example of its class and fails on the code before the issue (SPEC §3.5, §4, §5, §6, §7).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check, fixture, runCli, verdicts } from "../helpers.js";

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
