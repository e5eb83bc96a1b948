/** Test helpers: a fixture repository in, the check result out. */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll } from "vitest";
import { parse, stringify } from "yaml";
import { type CheckOptions, type CheckResult, runCheck } from "../src/check.js";
import { defaultPolicyText, parsePolicy } from "../src/policy/load.js";
import type { LoadedPolicy } from "../src/policy/types.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (path → content) into a fresh temporary folder and returns its path. */
export function fixture(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "big-test-"));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export const defaultPolicy = (): LoadedPolicy => parsePolicy(defaultPolicyText, "built-in default");

/** The default policy with top-level keys replaced, e.g. `withPolicy({ dockerfile: { stages: "final" } })`. */
export function withPolicy(overrides: Record<string, unknown>): LoadedPolicy {
  const base = parse(defaultPolicyText) as Record<string, unknown>;
  return parsePolicy(stringify({ ...base, ...overrides }), "test-policy.yml");
}

/** Runs the engine over a fixture repository (without helm on PATH: test/setup/no-helm.ts). */
export function check(
  files: Record<string, string | Buffer>,
  options: Partial<Omit<CheckOptions, "cwd">> = {},
): CheckResult {
  const cwd = fixture(files);
  return runCheck({
    paths: [],
    loaded: defaultPolicy(),
    today: new Date("2026-11-27T12:00:00Z"),
    ...options,
    cwd,
  });
}

/** The findings as `line rule` strings: short enough to read like the spec. */
export function verdicts(result: CheckResult): string[] {
  return result.findings.map((f) => `${f.file}:${f.line} ${f.rule}`);
}

/**
 * A folder to put on PATH holding the named fake tools (test/fixtures/fake-tools) and node, which
 * they run on. Only what it holds can be found there.
 */
export function fakeToolsDir(tools = ["docker", "buildah", "skopeo", "trivy", "cosign"]): string {
  const dir = join(fixture({}), "bin");
  mkdirSync(dir);
  for (const tool of tools) symlinkSync(resolve("test/fixtures/fake-tools/bin", tool), join(dir, tool));
  symlinkSync(process.execPath, join(dir, "node"));
  return dir;
}

/** A repository holding a copy of this project's base-image library (base/). */
export function libraryRepository(): string {
  const repo = fixture({});
  cpSync("base", join(repo, "base"), { recursive: true });
  return repo;
}

/** The CLI as a user runs it (`node dist/cli.js …` in `cwd`, no colour): exit code, stdout, stderr. */
export function runCli(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [resolve("dist/cli.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every occurrence the check judged, as `file:line:column source image`, and unresolved ones marked. */
export function seen(result: ReturnType<typeof check>): string[] {
  return result.findings
    .filter(
      (f) => f.rule === "approved-base-images" || f.rule === "unresolved-image" || f.rule === "parse-error",
    )
    .map(
      (f) =>
        `${f.file}:${f.line}:${f.column} ${f.source ?? "-"} ${f.rule === "approved-base-images" ? "" : `${f.rule} `}${f.image}`,
    );
}
