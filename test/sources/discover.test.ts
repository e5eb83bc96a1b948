/** SPEC §2 include/exclude, .gitignore, and SPEC §4 file classification and skips. */
import { execFileSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCheck } from "../../src/check.js";
import { fileKind } from "../../src/sources/discover.js";
import { check, defaultPolicy, fixture, withPolicy } from "../helpers.js";

const DOCKERFILE = "FROM nginx:1.27\n";

describe("SPEC §4 file discovery", () => {
  it.each([
    ["Dockerfile", "dockerfile"],
    ["Containerfile", "dockerfile"],
    ["api.Dockerfile", "dockerfile"],
    ["Dockerfile.dev", "dockerfile"],
    ["Dockerfile.yaml", "yaml"],
    ["deploy.yml", "yaml"],
    ["README.md", undefined],
  ])("classifies %s as %s (YAML by extension first)", (name, kind) => {
    expect(fileKind(name)).toBe(kind);
  });

  it("finds files by the policy's include patterns and leaves out exclude and .gitignore matches", () => {
    const result = check({
      "svc/Dockerfile": DOCKERFILE,
      "svc/Dockerfile.dev": DOCKERFILE,
      "base/alpine.Dockerfile": DOCKERFILE,
      "node_modules/pkg/Dockerfile": DOCKERFILE,
      "build/Dockerfile": DOCKERFILE,
      "vendor/x/Dockerfile": DOCKERFILE,
      ".gitignore": "build/\n",
      "docs/Dockerfile.md": "a document about Dockerfiles, not one (SPEC §4)\n",
      "notes.txt": DOCKERFILE,
    });
    expect([...new Set(result.findings.map((f) => f.file))]).toEqual([
      "base/alpine.Dockerfile",
      "svc/Dockerfile",
      "svc/Dockerfile.dev",
    ]);
  });

  it("checks files whose path holds a line break", () => {
    const result = check({ "odd\nname/Dockerfile": DOCKERFILE });
    expect(result.findings.map((f) => f.file)).toEqual(["odd\nname/Dockerfile"]);
  });

  it("honours nested .gitignore files", () => {
    const result = check({
      "a/.gitignore": "generated.Dockerfile\n",
      "a/generated.Dockerfile": DOCKERFILE,
      "a/Dockerfile": DOCKERFILE,
    });
    expect(result.findings.map((f) => f.file)).toEqual(["a/Dockerfile"]);
  });

  it("skips files over maxFileSize and reports the skip", () => {
    const loaded = withPolicy({ maxFileSize: "1KB" });
    const result = check({ Dockerfile: `${DOCKERFILE}${"# padding\n".repeat(200)}` }, { loaded });
    expect(result.findings).toEqual([]);
    expect(result.skipped).toEqual([
      { file: "Dockerfile", reason: "larger than maxFileSize (2.0 KB > 1.0 KB)" },
    ]);
  });

  it("reports files of a folder outside the working directory relative to it", () => {
    const outside = fixture({ "svc/Dockerfile": DOCKERFILE });
    const result = runCheck({ paths: [outside], cwd: fixture({}), loaded: defaultPolicy() });
    expect(result.findings[0]?.file).toMatch(/^\.\.\/[^/]+\/svc\/Dockerfile$/);
  });

  it("checks only the given paths", () => {
    const result = check({ "a/Dockerfile": DOCKERFILE, "b/Dockerfile": DOCKERFILE }, { paths: ["b"] });
    expect(result.findings.map((f) => f.file)).toEqual(["b/Dockerfile"]);
  });
});

describe("SPEC §4 Dockerfile names (issue 8: real names the walk used to omit)", () => {
  it.each([
    "dockerfile",
    "app.dockerfile",
    "Dockerfile-WINDOWS_LTSC2019",
    "Dockerfile_arm",
    "Containerfile.dev",
    "api.Containerfile",
  ])("%s is a Dockerfile", (name) => {
    expect(fileKind(name)).toBe("dockerfile");
  });

  it.each([
    "dockerfile_test.go",
    "Dockerfile.md",
    "Dockerfile.sh",
    "Dockerfile.dockerignore",
    ".dockerignore",
    "dockerfile.json",
    "Dockerfiles.txt",
  ])("%s is not a Dockerfile", (name) => {
    expect(fileKind(name)).not.toBe("dockerfile");
  });

  it("classifies JSON manifests and an extension-less Kustomization", () => {
    expect(fileKind("pods.json")).toBe("json");
    expect(fileKind("Kustomization")).toBe("yaml");
  });
});

describe("SPEC §4 the file set: the repository's files, links never followed out of the tree", () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd, stdio: "ignore" });

  it("checks a committed Dockerfile that a .gitignore names (issue 8)", () => {
    const repo = fixture({
      ".gitignore": "build/\n",
      "build/Dockerfile": "FROM centos:7\n",
      Dockerfile: DOCKERFILE,
    });
    git(repo, "init", "-q");
    git(repo, "add", "-f", "build/Dockerfile", "Dockerfile", ".gitignore");
    git(repo, "commit", "-qm", "x");
    const result = runCheck({ paths: [], cwd: repo, loaded: defaultPolicy() });
    expect([...new Set(result.findings.map((f) => f.file))]).toEqual(["Dockerfile", "build/Dockerfile"]);
  });

  it("leaves out untracked files that a .gitignore names, inside a work tree", () => {
    const repo = fixture({
      ".gitignore": "tmp/\n",
      "tmp/Dockerfile": "FROM centos:7\n",
      Dockerfile: DOCKERFILE,
    });
    git(repo, "init", "-q");
    const result = runCheck({ paths: [], cwd: repo, loaded: defaultPolicy() });
    expect(result.findings.map((f) => f.file)).toEqual(["Dockerfile"]);
  });

  it("reads an in-tree symlinked Dockerfile at the link's path; a link out of the tree is a parse-error (SPEC §4)", () => {
    const outside = fixture({ Dockerfile: "FROM debian:9\n" });
    const repo = fixture({ "real/Dockerfile": "FROM centos:7\n" });
    symlinkSync(join(repo, "real/Dockerfile"), join(repo, "Dockerfile"));
    symlinkSync(join(outside, "Dockerfile"), join(repo, "Dockerfile.outside"));
    const result = runCheck({ paths: [], cwd: repo, loaded: defaultPolicy() });
    expect([...new Set(result.findings.map((f) => f.file))]).toEqual([
      "Dockerfile",
      "Dockerfile.outside",
      "real/Dockerfile",
    ]);
    const outsideFinding = result.findings.find((f) => f.file === "Dockerfile.outside");
    expect(outsideFinding).toMatchObject({ rule: "parse-error", line: 0 });
    expect(outsideFinding?.message).toMatch(/^symbolic link out of the checked tree: not followed/);
    expect(result.skipped).toEqual([]);
  });
});

describe("SPEC §3.5 a folder named on the command line is never silently empty", () => {
  it.each([false, true])(
    "checks a named folder that a .gitignore above it ignores (in a git work tree: %s)",
    (inGit) => {
      const cwd = fixture({ ".gitignore": ".bench/\n", ".bench/repo/Dockerfile": "FROM centos:7\n" });
      if (inGit) execFileSync("git", ["init", "-q"], { cwd });
      const result = runCheck({ paths: [".bench/repo"], cwd, loaded: defaultPolicy() });
      expect(result.files).toBe(1);
      expect(result.findings.map((f) => f.file)).toContain(".bench/repo/Dockerfile");
    },
  );
});
