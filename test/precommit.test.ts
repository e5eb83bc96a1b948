/**
 * Issue 25: the pre-commit hook (.pre-commit-hooks.yaml), installed the way pre-commit installs a
 * node hook — from a clone of this repository at a commit, with its own node environment — into a
 * repository whose commits it then gates. Needs Debian's `pre-commit` (.ci/run installs it).
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture } from "./helpers.js";

const havePreCommit = spawnSync("pre-commit", ["--version"]).status === 0;
if (!havePreCommit)
  console.warn("pre-commit test skipped: no pre-commit on PATH (apt-get install pre-commit)");

const git = (cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync("git", ["-c", "user.name=Dev", "-c", "user.email=dev@example.com", ...args], {
    cwd,
    encoding: "utf8",
    env,
  });

/**
 * This repository as pre-commit clones it: the files a tag carries (the package, its bundle, the
 * hook definition), committed as they are in the work tree now.
 */
function hookRepository(): { dir: string; rev: string } {
  const dir = join(fixture({}), "base-image-guard");
  mkdirSync(join(dir, "dist"), { recursive: true });
  for (const file of ["package.json", "package-lock.json", ".pre-commit-hooks.yaml", "LICENSE", "README.md"])
    cpSync(resolve(file), join(dir, file));
  cpSync(resolve("schema"), join(dir, "schema"), { recursive: true });
  for (const file of readdirSync("dist").filter((f) => f === "cli.js" || f.endsWith(".LEGAL.txt")))
    cpSync(resolve("dist", file), join(dir, "dist", file));
  git(dir, ["init", "-q"]);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-qm", "release"]);
  return { dir, rev: git(dir, ["rev-parse", "HEAD"]).stdout.trim() };
}

describe.skipIf(!havePreCommit)("pre-commit hook base-image-guard", () => {
  it("refuses a commit of FROM centos:7 with the finding, and lets an approved image commit", () => {
    const hook = hookRepository();
    const app = fixture({
      ".pre-commit-config.yaml": `repos:\n  - repo: ${hook.dir}\n    rev: ${hook.rev}\n    hooks:\n      - id: base-image-guard\n`,
      "README.md": "# app\n",
    });
    const env = { ...process.env, PRE_COMMIT_HOME: join(app, ".cache-pre-commit"), CI: "" };
    git(app, ["init", "-q"]);
    writeFileSync(join(app, ".gitignore"), ".cache-pre-commit/\n");
    const install = spawnSync("pre-commit", ["install"], { cwd: app, encoding: "utf8", env });
    expect(install.status, install.stderr).toBe(0);

    writeFileSync(join(app, "Dockerfile"), "FROM centos:7\n");
    git(app, ["add", "-A"]);
    const refused = git(app, ["commit", "-m", "centos"], env);
    const said = refused.stdout + refused.stderr;
    expect(refused.status, said).not.toBe(0);
    expect(said).toContain("base-image-guard");
    expect(said).toContain("Failed");
    expect(said).toContain('centos:7 is deprecated (matches policy entry "centos")');
    expect(said).toMatch(/Dockerfile\s+1:6\s+error/);
    expect(git(app, ["rev-parse", "--verify", "-q", "HEAD"]).status).not.toBe(0); // nothing committed

    writeFileSync(join(app, "Dockerfile"), "FROM registry.example.com/base/alpine:3.23\n");
    git(app, ["add", "-A"]);
    const accepted = git(app, ["commit", "-m", "approved base"], env);
    expect(accepted.status, accepted.stdout + accepted.stderr).toBe(0);
    expect(accepted.stdout + accepted.stderr).toMatch(/base-image-guard\.+Passed/);
    expect(git(app, ["log", "--format=%s"]).stdout.trim()).toBe("approved base");
  }, 300_000);
});
