/**
 * Issue 21: the last ways a check passed without looking. Each case is built here from a minimal
 * example of its class and fails on the code before the issue (SPEC §3.5, §4, §5, §6, §7).
 */
import { describe, expect, it } from "vitest";
import { check, verdicts } from "../helpers.js";

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
