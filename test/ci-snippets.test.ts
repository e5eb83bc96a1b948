/**
 * Issue 25: the README's snippets for other CI systems. Each YAML snippet is valid YAML of the
 * shape its system reads; the GitLab job's script lines run here as GitLab's runner runs them (one
 * shell, a failing line fails the job), with `base-image-guard` on PATH as in the container image,
 * and its reports are the files GitLab's `artifacts:reports` take.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DOMParser } from "@xmldom/xmldom";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { fixture } from "./helpers.js";

const readme = readFileSync("README.md", "utf8");

/** The first fenced block of `language` after the heading `heading`. */
function snippet(heading: string, language: string): string {
  const start = readme.indexOf(`\n### ${heading}\n`);
  expect(start, heading).toBeGreaterThan(0);
  const fence = readme.indexOf(`\`\`\`${language}\n`, start);
  const body = fence + language.length + 4;
  return readme.slice(body, readme.indexOf("\n```", body) + 1);
}

interface GitlabJob {
  image: { name: string; entrypoint: string[] };
  script: string[];
  artifacts: { when: string; reports: { codequality: string; junit: string } };
}

/** The script lines in one shell, stopping at the first that fails: how GitLab's runner runs them. */
function runJob(job: GitlabJob, cwd: string, bin: string) {
  const script = `set -e\n${job.script.join("\n")}\n`;
  return spawnSync("sh", ["-c", script], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, CI: "true" },
  });
}

describe("README: GitLab CI", () => {
  const config = parse(snippet("GitLab CI", "yaml")) as Record<string, GitlabJob>;
  const job = config["base-image-guard"] as GitlabJob;

  it("is a job on the published image with its entrypoint cleared, keeping both reports always", () => {
    expect(Object.keys(config)).toEqual(["base-image-guard"]);
    expect(job.image.name).toMatch(/^ghcr\.io\/[\w-]+\/base-image-guard:\d+$/);
    expect(job.image.entrypoint).toEqual([""]); // GitLab runs script lines in a shell, not the entrypoint
    expect(job.artifacts.when).toBe("always");
    expect(job.script.some((l) => l.includes(`--output ${job.artifacts.reports.codequality}`))).toBe(true);
    expect(job.script.some((l) => l.includes(`--output ${job.artifacts.reports.junit}`))).toBe(true);
  });

  // base-image-guard on PATH, as the image's launcher puts it there.
  const bin = join(fixture({}), "bin");
  mkdirSync(bin);
  writeFileSync(
    join(bin, "base-image-guard"),
    `#!/bin/sh\nexec "${process.execPath}" "${resolve("dist/cli.js")}" "$@"\n`,
  );
  chmodSync(join(bin, "base-image-guard"), 0o755);

  it("its script lines fail the job on a violation and leave valid Code Quality and JUnit reports", () => {
    const cwd = fixture({ "services/api/Dockerfile": "FROM centos:7\n" });
    const run = runJob(job, cwd, bin);
    expect(run.status, run.stderr).toBe(1);
    const codequality = JSON.parse(readFileSync(join(cwd, job.artifacts.reports.codequality), "utf8"));
    const schema = JSON.parse(readFileSync("schema/gitlab-code-quality.schema.json", "utf8"));
    const validate = new Ajv({ strict: true }).compile(schema);
    expect(validate(codequality), JSON.stringify(validate.errors)).toBe(true);
    expect(codequality.map((i: { location: { path: string } }) => i.location.path)).toContain(
      "services/api/Dockerfile",
    );
    const junit = new DOMParser().parseFromString(
      readFileSync(join(cwd, job.artifacts.reports.junit), "utf8"),
      "text/xml",
    );
    expect(junit.getElementsByTagName("failure").length).toBe(codequality.length);
  });

  it("and pass on approved images, with an empty Code Quality report", () => {
    const cwd = fixture({ Dockerfile: "FROM registry.example.com/base/alpine:3.23\n" });
    const run = runJob(job, cwd, bin);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(cwd, job.artifacts.reports.codequality), "utf8")).toBe("[]\n");
    expect(existsSync(join(cwd, job.artifacts.reports.junit))).toBe(true);
  });
});

describe("README: CircleCI and Azure Pipelines", () => {
  it("CircleCI: a job in a Node image that stores the JUnit report and gates on the exit code", () => {
    const config = parse(snippet("CircleCI", "yaml"));
    expect(config.version).toBe(2.1);
    const steps = config.jobs["base-images"].steps;
    expect(steps[0]).toBe("checkout");
    expect(steps.map((s: unknown) => (typeof s === "object" && s ? Object.keys(s)[0] : s))).toEqual([
      "checkout",
      "run",
      "store_test_results",
      "run",
    ]);
    expect(steps[1].run).toContain("--format junit --output reports/");
    expect(steps[3].run).toMatch(/check \.$/);
    expect(config.workflows.check.jobs).toEqual(["base-images"]);
  });

  it("Azure Pipelines: the report published always, before the gate", () => {
    const config = parse(snippet("Azure Pipelines", "yaml"));
    const kinds = config.steps.map((s: { task?: string; script?: string }) => s.task ?? "script");
    expect(kinds).toEqual(["NodeTool@0", "script", "PublishTestResults@2", "script"]);
    expect(config.steps[2].condition).toBe("always()");
    expect(config.steps[2].inputs.testResultsFormat).toBe("JUnit");
    expect(config.steps[1].script).toContain("--format junit");
    expect(config.steps[3].script).toMatch(/check \.$/);
  });
});
