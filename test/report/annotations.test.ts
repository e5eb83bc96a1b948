/** SPEC §6 / issue 9: GitHub shows 10 annotations per level per step, so the first ten must count. */
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/check.js";
import { ANNOTATIONS_PER_LEVEL, annotationsOf } from "../../src/report/annotations.js";
import { renderGithub } from "../../src/report/github.js";

function manyFindings(count: number): CheckResult {
  return {
    mode: "enforce",
    policySource: "p.yml",
    policyWarnings: [],
    files: count,
    judged: Array.from({ length: count }, (_, i) => `svc-${String(i).padStart(5, "0")}/Dockerfile`),
    images: count,
    findings: Array.from({ length: count }, (_, i) => ({
      rule: i % 2 === 0 ? "approved-base-images" : "block-deprecated-base-images",
      severity: "error" as const,
      file: `svc-${String(i).padStart(5, "0")}/Dockerfile`,
      line: 1,
      column: 6,
      image: "centos:7",
      message: "centos:7 …",
    })),
    suppressed: [],
    skipped: Array.from({ length: 30 }, (_, i) => ({ file: `bin/${i}`, reason: "binary file" })),
  };
}

describe("issue 9: 60,000 findings are 10 annotations per level, the most relevant first", () => {
  const result = manyFindings(60_000);

  it("starts with the headline, ends with how many more there are and where", () => {
    const errors = annotationsOf(result).filter((a) => a.level === "error");
    expect(errors).toHaveLength(ANNOTATIONS_PER_LEVEL);
    expect(errors[0]?.message).toBe("60000 base-image violations in 60000 files (enforce mode)");
    expect(errors.at(-1)?.message).toMatch(/^59992 more errors not shown here .*job summary.*SARIF/);
  });

  it("puts a pull request's changed files first, then deprecated before not-approved", () => {
    const changed = new Set(["svc-59998/Dockerfile"]);
    const errors = annotationsOf(result, { firstFiles: changed }).filter((a) => a.file !== undefined);
    expect(errors[0]).toMatchObject({ file: "svc-59998/Dockerfile", title: "approved-base-images" });
    expect(errors[1]?.title).toBe("block-deprecated-base-images");
  });

  it("limits notices too, and --format github prints the same choice", () => {
    const notices = annotationsOf(result).filter((a) => a.level === "notice");
    expect(notices).toHaveLength(ANNOTATIONS_PER_LEVEL);
    expect(renderGithub(result).trim().split("\n")).toHaveLength(2 * ANNOTATIONS_PER_LEVEL);
  });
});
