/**
 * Issue 26 on real files (test/fixtures/real-ci, see its SOURCES.md): GitLab CI, Woodpecker,
 * Drone, CircleCI, Azure Pipelines, Jenkins and Docker Bake files as projects write them.
 * - every occurrence at its line and column (expected.txt, read against the files by hand once);
 * - a differential against a grep of the documented keys: every line the grep finds is an
 *   occurrence and every occurrence is a line the grep finds, but for the differences listed
 *   here with the reason for each;
 * - `fix` through the same positions: SPEC §9's round trip leaves nothing repairable and changes
 *   nothing but image tokens.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { roundTrip } from "../../scripts/fix-roundtrip.mjs";
import { runCheck } from "../../src/check.js";
import { defaultPolicy } from "../helpers.js";

const ROOT = "test/fixtures/real-ci/files";

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = dir ? `${dir}/${name}` : name;
    return statSync(join(ROOT, path)).isDirectory() ? files(path) : [path];
  });
}

const result = runCheck({
  paths: [ROOT],
  cwd: process.cwd(),
  loaded: defaultPolicy(),
  today: new Date("2026-12-07"),
});
const occurrences = result.findings
  .filter(
    (f) => f.rule === "approved-base-images" || f.rule === "unresolved-image" || f.rule === "parse-error",
  )
  .map((f) => ({ ...f, file: f.file.slice(ROOT.length + 1) }));

describe("issue 26 kinds on real files", () => {
  it("finds every image at its line and column, with its source kind", () => {
    const seen = occurrences.map(
      (f) =>
        `${f.file}:${f.line}:${f.column} ${f.source} ${f.rule === "approved-base-images" ? "" : `${f.rule} `}${f.image}`,
    );
    expect(seen).toEqual(readFileSync("test/fixtures/real-ci/expected.txt", "utf8").trimEnd().split("\n"));
    expect(result.findings.filter((f) => f.rule === "parse-error")).toEqual([]);
    expect(result.files).toBe(files("").filter((f) => !f.endsWith(".md")).length);
  });

  it("agrees with a grep of the documented keys, every difference explained", () => {
    /** Lines that name an image by the documented keys, as text: `image:` keys (YAML), the Jenkins forms. */
    const KEYS =
      /^\s*(?:-\s+)?image:\s*\S|\bdocker\s*\{\s*image\s|agent\s*\{\s*docker\s+['"]|docker\.image\(/;
    const grep = new Set<string>();
    for (const file of files("")) {
      readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (KEYS.test(line) && !/^\s*(#|\/\/)/.test(line)) grep.add(`${file}:${i + 1}`);
        });
    }
    const found = new Set(
      occurrences.filter((f) => f.rule !== "unresolved-image").map((f) => `${f.file}:${f.line}`),
    );
    const byLine = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });
    const onlyGrep = [...grep].filter((line) => !found.has(line)).sort(byLine);
    const onlyFound = [...found].filter((line) => !grep.has(line)).sort(byLine);
    // Azure Pipelines: `image:` under a job's strategy matrix feeds `pool.vmImage` (a VM, not a container).
    expect(onlyGrep).toEqual(
      [8, 13, 18, 23, 48, 52, 56, 60].map((line) => `cpprestsdk/azure-pipelines.yml:${line}`),
    );
    expect(onlyFound).toEqual([
      // CircleCI's flow style: `docker: [{image: 'docker:20.10-git'}]`.
      "docker-cli/.circleci/config.yml:7",
      "docker-cli/.circleci/config.yml:42",
      "docker-cli/.circleci/config.yml:72",
      "docker-cli/.circleci/config.yml:119",
      // GitLab services as list items (`services: [- docker:dind]`), no `image:` key.
      "libvirt-ci/.gitlab-ci.yml:40",
      "libvirt-ci/.gitlab-ci.yml:75",
    ]);
    // The jobs whose image comes from freedesktop's ci-templates (a remote include) or GNOME's
    // citemplates (a project include) are unresolved at their extends:, never passed; the grep
    // sees nothing there.
    const unresolved = occurrences.filter((f) => f.rule === "unresolved-image");
    expect(unresolved.every((f) => /remote include|project gnome\/citemplates/.test(f.message))).toBe(true);
    expect(new Set(unresolved.map((f) => f.file))).toEqual(
      new Set(["gtk/.gitlab-ci.yml", "mutter/.gitlab-ci.yml"]),
    );
  });

  it("fix rewrites them through the same positions and damages nothing (SPEC §9)", () => {
    const trip = roundTrip(ROOT);
    expect(trip.changes).toBeGreaterThan(25);
    expect(trip.left).toEqual([]);
    expect(trip.secondChanges).toEqual([]);
    expect(trip.broken).toEqual([]);
    expect(trip.nonImage).toEqual([]);
  });

  it("fix rewrites every kind in its documented shape (test/fixtures/pipelines-docs), each image in place", () => {
    const trip = roundTrip("test/fixtures/pipelines-docs");
    // One file per kind, every image of each repaired: nothing unfixable, nothing left. The
    // Dockerfile's `FROM runtime` names the bake target's context: fixed in the bake file, not here.
    expect(trip.images).toBe(25);
    expect(trip.changes).toBe(25);
    expect(trip.unfixable).toBe(0);
    expect(trip.files).toBe(12);
    expect(trip.left).toEqual([]);
    expect(trip.secondChanges).toEqual([]);
    expect(trip.broken).toEqual([]);
    expect(trip.nonImage).toEqual([]);
  });
});
