/**
 * Issue 24: `check --jobs N` reads and parses files on N threads, and the report is the same for
 * any N, byte for byte, in every format. The tree is large enough for workers to start (a few
 * hundred files: vendored real files and examples, copied into many folders, with what reading
 * has to get right on any thread — a name that is not UTF-8, a template skipped, an unreadable
 * file, Namespace labels and a kustomization that act across files, a compose file's .env).
 */
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultJobs } from "../../src/sources/parallel.js";
import { fixture, runCli } from "../helpers.js";

const ROOT = join(import.meta.dirname, "../..");
let tree: string;

beforeAll(() => {
  tree = fixture({});
  for (let copy = 0; copy < 12; copy++) {
    cpSync(join(ROOT, "test/fixtures/real-fix/files"), join(tree, `real-${copy}`), { recursive: true });
    cpSync(join(ROOT, "examples"), join(tree, `examples-${copy}`), { recursive: true });
  }
  for (let i = 0; i < 300; i++) {
    const dir = join(tree, "services", String(i));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "Dockerfile"),
      `FROM ${i % 3 === 0 ? "centos:7" : "registry.example.com/base/alpine:3.22"}\n`,
    );
  }
  writeFileSync(
    Buffer.concat([Buffer.from(`${tree}/services/na`), Buffer.from([0xe9]), Buffer.from(".Dockerfile")]),
    "FROM ubuntu:18.04\n",
  );
  writeFileSync(join(tree, "services/tmpl.Dockerfile"), "FROM {{ base }}\nRUN {{ cmd\n");
  writeFileSync(join(tree, "services/locked.Dockerfile"), "FROM centos:7\n");
  chmodSync(join(tree, "services/locked.Dockerfile"), 0);
  mkdirSync(join(tree, "zz"));
  mkdirSync(join(tree, "compose"));
  writeFileSync(
    join(tree, "ns.yaml"),
    "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: secure\n  labels:\n    security.enforce: high\n",
  );
  writeFileSync(
    join(tree, "zz/pod.yaml"),
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: secure\nspec:\n  containers:\n  - name: a\n    image: registry.example.com/base/alpine:3.22\n",
  );
  writeFileSync(
    join(tree, "zz/kustomization.yaml"),
    "resources: [pod.yaml]\nimages:\n- name: registry.example.com/base/alpine\n  newTag: '3.12'\n",
  );
  writeFileSync(join(tree, "compose/.env"), "TAG=18.04\n");
  writeFileSync(join(tree, "compose/compose.yaml"), "services:\n  app:\n    image: ubuntu:${TAG}\n");
}, 60_000);

function files(dir: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) count++;
  return count;
}

describe("check --jobs", () => {
  it("is a tree large enough for workers", () => {
    expect(files(tree)).toBeGreaterThan(500);
  });

  it.each(["json", "jsonl", "sarif", "text", "github"])(
    "gives the same %s report on one thread and on two",
    (format) => {
      const stats = join(tree, "..", `stats-${format}-${Date.now()}.json`);
      const run = (jobs: string) => {
        process.env.BASE_IMAGE_GUARD_PATH_STATS = `${stats}.${jobs}`;
        try {
          return runCli(["check", ".", "--format", format, "--jobs", jobs, "--today", "2026-12-07"], tree);
        } finally {
          delete process.env.BASE_IMAGE_GUARD_PATH_STATS;
        }
      };
      const one = run("1");
      const two = run("2");
      expect(one.code).toBe(1);
      expect(two).toEqual(one);
      // Two threads really read: the stats say how many did.
      expect(JSON.parse(readFileSync(`${stats}.1`, "utf8")).readers).toBe(1);
      expect(JSON.parse(readFileSync(`${stats}.2`, "utf8")).readers).toBe(2);
      if (format === "json") {
        const report = JSON.parse(one.stdout);
        const rules = new Set(report.findings.map((f: { rule: string }) => f.rule));
        // What only the whole tree decides was decided: the Namespace's label and the kustomization.
        expect(rules).toContain("require-minimal-base-images");
        expect(report.findings.some((f: { image: string }) => f.image.includes("alpine:3.12"))).toBe(true);
        // An unreadable file fails closed on either path (root reads it anyway).
        const locked = report.findings.some(
          (f: { rule: string; file: string }) =>
            f.rule === "parse-error" && f.file.endsWith("locked.Dockerfile"),
        );
        expect(locked).toBe(process.getuid?.() !== 0);
      }
    },
    60_000,
  );

  it("uses the cores, at most four, and one thread on two cores or fewer (measured slower there)", () => {
    expect([1, 2, 3, 4, 8, 64].map((cores) => defaultJobs(cores))).toEqual([1, 1, 3, 4, 4, 4]);
  });

  it.each(["0", "65", "two", "1.5", "-1"])("refuses --jobs %s", (jobs) => {
    const result = runCli(["check", ".", "--jobs", jobs], tree);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--jobs takes a number of threads from 1 to 64");
  });
});
