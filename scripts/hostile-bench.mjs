// npm run hostile: the heavy hostile inputs of issue 9, each generated into a temporary folder and
// checked by dist/cli.js, with its wall time and peak RSS measured against a bound. Quadratic code
// shows up here as minutes; linear code stays in seconds. Not part of `npm test` (no timed tests).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const CLI = resolve("dist/cli.js");
const RSS_PROBE = resolve("scripts/bench-rss.mjs");
const BOUND_SECONDS = 10;
const BOUND_MB = 512;

const cases = [
  {
    name: "80,000 one-line YAML documents (line scanner)",
    files: { "many.yaml": Array.from({ length: 80_000 }, (_, i) => `image: x${i}`).join("\n---\n") },
  },
  {
    name: "20,000 flow-style Pods (one-line flow collections, line scanner)",
    files: {
      "pods.yaml": Array.from(
        { length: 20_000 },
        (_, i) =>
          `{apiVersion: v1, kind: Pod, metadata: {name: p${i}}, spec: {containers: [{name: a, image: "alpine:3.20"}]}}`,
      ).join("\n---\n"),
    },
  },
  {
    name: "100,000 chained FROM sN AS sN+1",
    files: {
      Dockerfile: `FROM alpine:3.20 AS s0\n${Array.from({ length: 100_000 }, (_, i) => `FROM s${i} AS s${i + 1}`).join("\n")}\n`,
    },
  },
  {
    name: "50,000 containers in one List",
    files: {
      "list.yaml": `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: big}\n  spec:\n    containers:\n${Array.from({ length: 50_000 }, (_, i) => `    - name: c${i}\n      image: alpine:3.${i % 30}`).join("\n")}\n`,
    },
  },
  {
    // The line scanner looks for a key's colon and a comment's hash on each line only.
    name: "a Pod with 200,000 args, no colon on their lines (line scanner)",
    files: {
      "pod.yaml": `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: alpine:3.20\n    args:\n${Array.from({ length: 200_000 }, (_, i) => `    - --flag-${i}`).join("\n")}\n`,
    },
  },
  {
    name: "YAML alias bomb (line scanner, then the exact parser's limit)",
    files: {
      "bomb.yaml": `${[
        "a: &a [image, image, image, image, image, image, image, image, image]",
        ...Array.from({ length: 12 }, (_, i) => {
          const prev = String.fromCharCode(97 + i);
          const next = String.fromCharCode(98 + i);
          return `${next}: &${next} [${Array(9).fill(`*${prev}`).join(", ")}]`;
        }),
      ].join("\n")}\n`,
    },
  },
  {
    name: "20 deprecated *a*a*a*a*b globs x 2,000 images of 320 characters",
    files: {
      "p.yml": `deprecated:\n${Array.from({ length: 20 }, (_, i) => `  - "*a*a*a*a*a*a*a*${String.fromCharCode(98 + i)}"`).join("\n")}\n`,
      ...Object.fromEntries(
        Array.from({ length: 2_000 }, (_, i) => [
          `s${i}/Dockerfile`,
          `FROM registry.example.com/${"a".repeat(200)}:${"a".repeat(99)}${i % 10}\n`,
        ]),
      ),
    },
    args: ["--policy", "p.yml"],
  },
  {
    name: "10,000 skipped chart templates",
    files: {
      "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
      ...Object.fromEntries(
        Array.from({ length: 10_000 }, (_, i) => [
          `chart/templates/t${i}.yaml`,
          "image: {{ .Values.image }}\n",
        ]),
      ),
    },
  },
];

const rows = [];
let failed = 0;
for (const { name, files, args = [] } of cases) {
  const dir = mkdtempSync(join(tmpdir(), "big-hostile-"));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const rssFile = join(dir, ".rss");
    const start = process.hrtime.bigint();
    const run = spawnSync(
      process.execPath,
      ["--import", RSS_PROBE, CLI, "check", ".", "--format", "json", "--output", "/dev/null", ...args],
      { cwd: dir, env: { ...process.env, BENCH_RSS_FILE: rssFile }, encoding: "utf8", timeout: 120_000 },
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const mb = Number(readFileSync(rssFile, "utf8")) / 1024;
    const ok =
      run.signal === null &&
      (run.status === 0 || run.status === 1) &&
      seconds <= BOUND_SECONDS &&
      mb <= BOUND_MB;
    if (!ok) failed++;
    rows.push([
      name,
      `${seconds.toFixed(2)} s`,
      `${mb.toFixed(0)} MB`,
      `exit ${run.status ?? run.signal}`,
      ok ? "ok" : "OVER",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(
  `| input | time | peak RSS | outcome | within ${BOUND_SECONDS} s / ${BOUND_MB} MB |\n| --- | --- | --- | --- | --- |`,
);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
process.exit(failed > 0 ? 1 : 0);
