/**
 * Issue 12: the npm package as a user gets it — `npm pack`, installed into an empty project with no
 * network, then run through its bin. The CLI is one bundle, so the package needs no dependencies;
 * and nothing `npm ci` installs asks for a newer Node than the README promises.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import semver from "semver";
import { expect, it } from "vitest";
import packageJson from "../package.json" with { type: "json" };

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

it("installs from its tarball without the network and runs as base-image-guard", () => {
  const work = mkdtempSync(join(tmpdir(), "big-package-"));
  const packed = JSON.parse(
    execFileSync(npm, ["pack", "--json", "--pack-destination", work], {
      cwd: resolve("."),
      encoding: "utf8",
    }),
  ) as { filename: string; files: { path: string }[] }[];
  const files = packed[0]?.files.map((f) => f.path).sort();
  expect(files).toEqual(
    [
      "LICENSE",
      "README.md",
      "dist/cli.js",
      "dist/index.js.LEGAL.txt",
      "package.json",
      "schema/gitlab-code-quality.schema.json",
      "schema/policy.schema.json",
      "schema/report.schema.json",
    ].sort(),
  );
  const project = join(work, "project");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), '{"name":"user","private":true}\n');
  execFileSync(
    npm,
    ["install", "--offline", "--no-audit", "--no-fund", join(work, packed[0]?.filename as string)],
    {
      cwd: project,
      encoding: "utf8",
    },
  );
  const bin = join(project, "node_modules/.bin/base-image-guard");
  expect(execFileSync(bin, ["--version"], { encoding: "utf8" }).trim()).toBe(packageJson.version);
  writeFileSync(join(project, "Dockerfile"), "FROM centos:7\n");
  const check = spawnSync(bin, ["check", "Dockerfile"], { cwd: project, encoding: "utf8" });
  expect(check.status).toBe(1);
  expect(check.stdout).toContain("centos:7 is deprecated");
});

it("has no runtime dependencies, and every installed package runs on the Node the README promises", () => {
  expect((packageJson as { dependencies?: object }).dependencies).toBeUndefined();
  expect(packageJson.engines.node).toBe(">=20");
  const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
    packages: Record<string, { engines?: { node?: string } }>;
  };
  const tooNew = Object.entries(lock.packages)
    .filter(([, entry]) => entry.engines?.node && !semver.satisfies("20.19.0", entry.engines.node))
    .map(([path, entry]) => `${path} wants node ${entry.engines?.node}`);
  expect(tooNew).toEqual([]);
});
