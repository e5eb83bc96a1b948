#!/usr/bin/env node
// Tags a release (issue 12): `node scripts/release.mjs 1.2.3 [--push REMOTE] [--notes FILE]`.
// Refuses unless package.json says 1.2.3, CHANGELOG.md has a "## 1.2.3" section, the work tree is
// clean and v1.2.3 does not exist yet (a release tag never moves). Then tags v1.2.3 (annotated)
// and moves the major tag v1 to the same commit, which is what `uses: org/base-image-guard@v1`
// follows. --notes writes the CHANGELOG section for the GitHub release; --push pushes both tags
// (v1 forced: it is meant to move).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

export class ReleaseError extends Error {}

function git(cwd, args) {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** The "## X.Y.Z" section of a Keep a Changelog file, without its heading. */
export function changelogSection(text, version) {
  const lines = text.split("\n");
  const start = lines.findIndex((line) =>
    new RegExp(`^## \\[?${version.replace(/\./g, "\\.")}\\]?(\\s|$)`).test(line),
  );
  if (start < 0) return undefined;
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join("\n")
    .trim();
}

export function release(cwd, version, options = {}) {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new ReleaseError(`"${version}" is not a version X.Y.Z`);
  const pkg = JSON.parse(readFileSync(`${cwd}/package.json`, "utf8"));
  if (pkg.version !== version) {
    throw new ReleaseError(
      `package.json says ${pkg.version}, not ${version}: bump it (npm version ${version} --no-git-tag-version) and commit`,
    );
  }
  const notes = changelogSection(readFileSync(`${cwd}/CHANGELOG.md`, "utf8"), version);
  if (!notes) throw new ReleaseError(`CHANGELOG.md has no "## ${version}" section: say what changed`);
  if (git(cwd, ["status", "--porcelain"]) !== "")
    throw new ReleaseError("the work tree has uncommitted changes");
  const tag = `v${version}`;
  const major = `v${version.split(".")[0]}`;
  const exists = git(cwd, ["tag", "--list", tag]) !== "";
  if (exists)
    throw new ReleaseError(`${tag} exists already; a release tag never moves — release a new version`);
  git(cwd, ["tag", "-a", tag, "-m", `base-image-guard ${tag}`]);
  git(cwd, ["tag", "-f", "-a", major, "-m", `base-image-guard ${major} (at ${tag})`]);
  if (options.notes) writeFileSync(options.notes, `${notes}\n`);
  if (options.push) {
    // The release tag must not exist on the remote either; the major tag is meant to move.
    git(cwd, ["push", options.push, `refs/tags/${tag}`]);
    git(cwd, ["push", "--force", options.push, `refs/tags/${major}`]);
  }
  return { tag, major, commit: git(cwd, ["rev-parse", "HEAD"]) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [version, ...rest] = process.argv.slice(2);
  const option = (name) => {
    const at = rest.indexOf(name);
    return at >= 0 ? rest[at + 1] : undefined;
  };
  try {
    const done = release(process.cwd(), version ?? "", { push: option("--push"), notes: option("--notes") });
    console.log(`tagged ${done.tag} and moved ${done.major} to ${done.commit}`);
  } catch (error) {
    console.error(
      `release: ${error instanceof ReleaseError ? error.message : error.stderr?.toString() || error.message}`,
    );
    process.exit(error instanceof ReleaseError ? 2 : 1);
  }
}
