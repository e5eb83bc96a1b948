/** Issue 12: the release workflow's tagging script, against temporary git repositories. */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { changelogSection, release } from "../scripts/release.mjs";

const SCRIPT = resolve("scripts/release.mjs");

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd,
    encoding: "utf8",
  }).trim();
}

const CHANGELOG = "# Changelog\n\n## 1.1.0\n\n- Baselines.\n\n## 1.0.0\n\n- First release.\n";

function repository(version: string) {
  const work = mkdtempSync(join(tmpdir(), "big-release-"));
  const remote = join(work, "remote.git");
  const repo = join(work, "repo");
  execFileSync("git", ["init", "-q", "--bare", remote]);
  execFileSync("git", ["init", "-q", repo]);
  writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "x", version }));
  writeFileSync(join(repo, "CHANGELOG.md"), CHANGELOG);
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", `release ${version}`);
  git(repo, "remote", "add", "origin", remote);
  git(repo, "push", "-q", "origin", "HEAD:refs/heads/main");
  return { repo, remote, work };
}

const tagTarget = (cwd: string, tag: string) => git(cwd, "rev-parse", `${tag}^{commit}`);

describe("scripts/release.mjs", () => {
  it("tags vX.Y.Z, moves vX to it, pushes both, and writes the notes", () => {
    const { repo, remote, work } = repository("1.0.0");
    const notes = join(work, "notes.md");
    const out = spawnSync(process.execPath, [SCRIPT, "1.0.0", "--push", "origin", "--notes", notes], {
      cwd: repo,
      encoding: "utf8",
    });
    expect([out.status, out.stderr]).toEqual([0, ""]);
    const first = git(repo, "rev-parse", "HEAD");
    expect(tagTarget(remote, "v1.0.0")).toBe(first);
    expect(tagTarget(remote, "v1")).toBe(first);
    expect(readFileSync(notes, "utf8")).toBe("- First release.\n");

    // The next minor release moves v1 and leaves v1.0.0 where it was.
    writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "x", version: "1.1.0" }));
    git(repo, "commit", "-qam", "release 1.1.0");
    release(repo, "1.1.0", { push: "origin" });
    const second = git(repo, "rev-parse", "HEAD");
    expect(tagTarget(remote, "v1.0.0")).toBe(first);
    expect(tagTarget(remote, "v1.1.0")).toBe(second);
    expect(tagTarget(remote, "v1")).toBe(second);
  });

  it("refuses to move a release tag, a version package.json does not say, a missing changelog entry and a dirty tree", () => {
    const { repo } = repository("1.0.0");
    release(repo, "1.0.0");
    const again = spawnSync(process.execPath, [SCRIPT, "1.0.0"], { cwd: repo, encoding: "utf8" });
    expect([again.status, again.stderr]).toEqual([
      2,
      "release: v1.0.0 exists already; a release tag never moves — release a new version\n",
    ]);
    expect(() => release(repo, "1.1.0")).toThrow(/package\.json says 1\.0\.0, not 1\.1\.0/);
    expect(() => release(repo, "v1.0.1")).toThrow(/is not a version X\.Y\.Z/);
    writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "x", version: "1.2.0" }));
    git(repo, "commit", "-qam", "1.2.0");
    expect(() => release(repo, "1.2.0")).toThrow(/CHANGELOG\.md has no "## 1\.2\.0" section/);
    writeFileSync(join(repo, "CHANGELOG.md"), `${CHANGELOG}\n## 1.2.0\n\n- More.\n`);
    expect(() => release(repo, "1.2.0")).toThrow(/uncommitted changes/);
    expect(git(repo, "tag", "--list")).toBe("v1\nv1.0.0");
  });

  it("reads one section of a Keep a Changelog file", () => {
    expect(changelogSection(CHANGELOG, "1.1.0")).toBe("- Baselines.");
    expect(changelogSection("## [2.0.0] - 2026-11-27\n\n- Big.\n", "2.0.0")).toBe("- Big.");
    expect(changelogSection(CHANGELOG, "1.0")).toBeUndefined();
  });

  it("this repository's own package.json version has its CHANGELOG section", () => {
    const version = JSON.parse(readFileSync("package.json", "utf8")).version as string;
    expect(changelogSection(readFileSync("CHANGELOG.md", "utf8"), version)).toBeTruthy();
  });
});
