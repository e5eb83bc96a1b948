/** The README's worked "your own registry" policy validates and says what its comments say (SPEC §2, §3). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCheck } from "../../src/check.js";
import { parsePolicy } from "../../src/policy/load.js";
import { fixture } from "../helpers.js";

const readme = readFileSync("README.md", "utf8");
const section = readme.slice(readme.indexOf("### A worked example: your own registry"));
const policyText = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? "";

describe("README: a worked example, your own registry", () => {
  it("is a valid policy", () => {
    expect(policyText).toContain("ghcr.io/acme/base/*");
    expect(parsePolicy(policyText, "README.md").warnings).toEqual([]);
  });

  it.each([
    ["ghcr.io/acme/base/alpine:3.20", []],
    ["ghcr.io/acme/apps/payments/api:1.4.2", []],
    ["ghcr.io/acme/base/ubuntu:20.04", ["block-deprecated-base-images", "validate-base-image-version"]],
    ["ghcr.io/acme/base/alpine", ["require-pinned-image", "validate-base-image-version"]],
    ["nginx:1.27", ["approved-base-images"]],
    ["redis:7", []],
  ])("judges %s", (image, rules) => {
    const result = runCheck({
      paths: [],
      cwd: fixture({ Dockerfile: `FROM ${image}\n` }),
      loaded: parsePolicy(policyText, "README.md"),
      today: new Date("2026-11-27T00:00:00Z"),
    });
    expect(result.findings.map((f) => f.rule)).toEqual(rules);
  });
});
