import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, runCli } from "../helpers.js";

const POLICY = "deprecated: [centos]\n";

const run = runCli;

describe("baseline", () => {
  it("1,000 baseline findings and one new one: exactly one finding fails", () => {
    const files: Record<string, string> = { ".github/base-image-policy.yml": POLICY };
    for (let i = 0; i < 1000; i++) files[`services/s${i}/Dockerfile`] = "FROM centos:7\n";
    const cwd = fixture(files);
    const written = run(["baseline"], cwd);
    expect(written.code).toBe(0);
    expect(written.stdout).toBe(
      "wrote base-image-guard-baseline.json: 1000 known findings; run check --baseline base-image-guard-baseline.json and only new ones fail\n",
    );
    mkdirSync(join(cwd, "services/s1000"));
    writeFileSync(join(cwd, "services/s1000/Dockerfile"), "FROM centos:8\n");
    const out = run(["check", "--baseline", "base-image-guard-baseline.json", "--format", "json"], cwd);
    expect(out.code).toBe(1);
    const report = JSON.parse(out.stdout);
    expect(report.findings.map((f: { file: string; image: string }) => [f.file, f.image])).toEqual([
      ["services/s1000/Dockerfile", "centos:8"],
    ]);
    expect(report.suppressed).toHaveLength(1000);
    expect(report.suppressed[0]).toMatchObject({
      baseline: true,
      expires: null,
      reason: "already in the baseline base-image-guard-baseline.json",
    });
    const text = run(["check", "--baseline", "base-image-guard-baseline.json"], cwd);
    expect(text.stdout).toContain(
      "baseline 1000 known findings of base-image-guard-baseline.json not counted",
    );
    expect(text.stdout).toContain("(0 suppressed, 1000 in the baseline, 0 skipped;");
  });

  it("keeps a finding known when lines move, and counts a second occurrence as new", () => {
    const cwd = fixture({ ".github/base-image-policy.yml": POLICY, Dockerfile: "FROM centos:7\n" });
    run(["baseline", "--output", "known.json"], cwd);
    writeFileSync(join(cwd, "Dockerfile"), "# moved down\n\nFROM centos:7\n");
    expect(run(["check", "--baseline", "known.json"], cwd).code).toBe(0);
    writeFileSync(join(cwd, "Dockerfile"), "FROM centos:7 AS a\nFROM centos:7\n");
    const out = run(["check", "--baseline", "known.json", "--format", "json"], cwd);
    expect(out.code).toBe(1);
    expect(JSON.parse(out.stdout).findings).toHaveLength(1);
  });

  it("a baseline made under a baseline keeps the findings it inherited", () => {
    const cwd = fixture({ ".github/base-image-policy.yml": POLICY, Dockerfile: "FROM centos:7\n" });
    run(["baseline", "--output", "first.json"], cwd);
    const report = run(["check", "--baseline", "first.json", "--format", "json", "--mode", "audit"], cwd);
    writeFileSync(join(cwd, "second.json"), report.stdout);
    expect(run(["check", "--baseline", "second.json"], cwd).code).toBe(0);
  });

  it("marks SARIF results new or unchanged against the baseline", () => {
    const cwd = fixture({ ".github/base-image-policy.yml": POLICY, Dockerfile: "FROM centos:7\n" });
    run(["baseline"], cwd);
    writeFileSync(join(cwd, "Dockerfile"), "FROM centos:7\nFROM centos:8\n");
    const sarif = JSON.parse(
      run(["check", "--baseline", "base-image-guard-baseline.json", "--format", "sarif"], cwd).stdout,
    );
    expect(
      sarif.runs[0].results.map((r: { baselineState: string; level: string }) => [r.baselineState, r.level]),
    ).toEqual([
      ["new", "error"],
      ["unchanged", "note"],
    ]);
  });

  it("refuses a baseline that is missing, not JSON or not a report (exit 2)", () => {
    const cwd = fixture({
      ".github/base-image-policy.yml": POLICY,
      Dockerfile: "FROM centos:7\n",
      "x.json": "{oops",
      "y.json": '{"a":1}',
    });
    const missing = run(["check", "--baseline", "nope.json"], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.json");
    const bad = run(["check", "--baseline", "x.json"], cwd);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      expect.stringMatching(/^base-image-guard: baseline x\.json is not JSON/),
    ]);
    const other = run(["check", "--baseline", "y.json"], cwd);
    expect([other.code, other.stderr]).toEqual([
      2,
      expect.stringContaining("baseline y.json is not a base-image-guard JSON report"),
    ]);
    expect(readFileSync(join(cwd, "Dockerfile"), "utf8")).toBe("FROM centos:7\n");
  });
});
