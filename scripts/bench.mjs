// npm run bench: checks real files — ../shared/corpus/real replicated to 10,000 and 50,000 files —
// side by side with grep over the same tree (a generated synthetic tree where the corpus is absent).
// Targets (issue 24): check --jobs 1 <= 2x the floor script, check on both cores <= 4x grep, peak RSS
// <= 200 MB at 50,000 files with --jobs 2, --version <= 3x node -e 0.

import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { coveringPolicy } from "./fix-roundtrip.mjs";

const ROOT = resolve(".bench/repo");
/** Walk + read + one regular expression, single-threaded: Node's own floor (scripts/floor.mjs). */
const FLOOR = resolve("scripts/floor.mjs");
const CLI = resolve("dist/cli.js");
const RSS_PROBE = resolve("scripts/bench-rss.mjs");
const TOTAL = 10_000;
const RUNS = 3;
const CORPUS = resolve("../shared/corpus/real");

/** Deterministic pseudo-random numbers, so every run measures the same tree. */
function random(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const IMAGES = [
  "registry.example.com/base/alpine:3.19",
  "registry.example.com/base/ubuntu:24.04",
  "registry.example.com/base/distroless:static",
  "registry.example.com/base/wolfi:latest",
  "ubuntu:20.04",
  "centos:7",
  "node:20-alpine",
  "python:3.12-slim",
  "golang:1.22",
  "debian:bookworm-slim",
];

function dockerfile(pick, i) {
  return `# syntax=docker/dockerfile:1
ARG BASE=${pick(IMAGES)}
FROM ${pick(IMAGES)} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/.cache go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/service-${i} ./cmd/service \\
    && strip /out/service-${i}

FROM \${BASE}
LABEL org.opencontainers.image.title="service-${i}"
COPY --from=build /out/service-${i} /usr/local/bin/service
USER 1000:1000
ENTRYPOINT ["/usr/local/bin/service"]
`;
}

function deployment(pick, i) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: service-${i}
  namespace: team-${i % 40}
  labels:
    app.kubernetes.io/name: service-${i}
    app.kubernetes.io/part-of: platform
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: service-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: service-${i}
    spec:
      serviceAccountName: service-${i}
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
      initContainers:
        - name: migrate
          image: ${pick(IMAGES)}
          command: ["/usr/local/bin/service", "migrate"]
      containers:
        - name: app
          image: ${pick(IMAGES)}
          ports:
            - containerPort: 8080
              name: http
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: "1", memory: 512Mi}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
          env:
            - name: LOG_LEVEL
              value: info
---
apiVersion: v1
kind: Service
metadata:
  name: service-${i}
  namespace: team-${i % 40}
spec:
  selector:
    app.kubernetes.io/name: service-${i}
  ports:
    - port: 80
      targetPort: http
`;
}

function configMap(_pick, i) {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-${i}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
  config.json: |
    {"service": "service-${i}", "replicas": 3, "timeoutSeconds": 30}
`;
}

function cronJob(pick, i) {
  return `apiVersion: batch/v1
kind: CronJob
metadata:
  name: job-${i}
spec:
  schedule: "${i % 60} 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: ${pick(IMAGES)}
              args: ["--once"]
`;
}

function compose(pick, i) {
  return `services:
  app-${i}:
    image: ${pick(IMAGES)}
    ports: ["8080:8080"]
  cache:
    image: ${pick(IMAGES)}
`;
}

function workflow(_pick, i) {
  return `name: ci-${i}
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
`;
}

function source(_pick, i) {
  return `export function handler${i}(input: string): string {\n  return input.trim().toLowerCase();\n}\n`.repeat(
    8,
  );
}

function markdown(_pick, i) {
  return `# Service ${i}\n\nRuns on the platform. See the runbook for on-call steps.\n\n`.repeat(6);
}

/** Share of the 10,000 files per kind: what a platform monorepo tends to hold. */
const MIX = [
  [0.15, (i) => `services/svc-${i}/Dockerfile`, dockerfile],
  [0.3, (i) => `deploy/team-${i % 40}/svc-${i}.yaml`, deployment],
  [0.1, (i) => `deploy/team-${i % 40}/config-${i}.yaml`, configMap],
  [0.05, (i) => `jobs/job-${i}.yaml`, cronJob],
  [0.05, (i) => `compose/stack-${i}/compose.yml`, compose],
  [0.05, (i) => `ci/${i}/.github/workflows/ci-${i}.yml`, workflow],
  [0.2, (i) => `services/svc-${i}/src/handler.ts`, source],
  [0.1, (i) => `services/svc-${i}/README.md`, markdown],
];

function generate() {
  const marker = join(ROOT, ".generated");
  if (existsSync(marker) && readFileSync(marker, "utf8") === String(TOTAL)) return;
  rmSync(ROOT, { recursive: true, force: true });
  const rand = random(42);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  let written = 0;
  for (const [share, pathOf, content] of MIX) {
    const count = Math.round(share * TOTAL);
    for (let i = 0; i < count; i++) {
      const path = join(ROOT, pathOf(written + i));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content(pick, written + i));
    }
    written += count;
  }
  writeFileSync(marker, String(TOTAL));
}

function time(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ["ignore", "ignore", "pipe"], ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  }
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The real third-party corpus, replicated into `count` files (whole copies, the last one cut). */
function replicateCorpus(count) {
  const root = resolve(`.bench/real-${count}`);
  const marker = join(root, ".generated");
  if (existsSync(marker) && readFileSync(marker, "utf8") === String(count)) return root;
  rmSync(root, { recursive: true, force: true });
  const files = [];
  const collect = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) collect(path);
      else if (entry.isFile()) files.push(relative(CORPUS, path));
    }
  };
  collect(CORPUS);
  files.sort();
  for (let i = 0; i < count; i++) {
    const source = files[i % files.length];
    const target = join(root, `copy-${Math.floor(i / files.length)}`, source);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(CORPUS, source), target);
  }
  writeFileSync(marker, String(count));
  return root;
}

function fileCount(root) {
  return Number(
    execFileSync("sh", ["-c", "find . -type f ! -name .generated | wc -l"], { cwd: root, encoding: "utf8" }),
  );
}

/** check's arguments on a bench tree: JSON report to /dev/null, audit mode, the given threads. */
const checkArgs = (jobs) => [
  "--import",
  RSS_PROBE,
  CLI,
  "check",
  ".",
  "--format",
  "json",
  "--mode",
  "audit",
  "--output",
  "/dev/null",
  "--jobs",
  String(jobs),
];

/** grep, the floor script and check with one and two threads on one tree, `runs` times each, alternating. */
function measure(root, runs) {
  const grepMs = [];
  const floorMs = [];
  const checkMs = { 1: [], 2: [] };
  const rss = { 1: [], 2: [] };
  const rssFile = resolve(".bench/rss");
  const statsFile = resolve(".bench/path-stats.json");
  for (let run = 0; run < runs; run++) {
    grepMs.push(time("grep", ["-rnE", "^\\s*FROM|image:", "."], { cwd: root }));
    floorMs.push(time(process.execPath, [FLOOR, "."], { cwd: root }));
    for (const jobs of [1, 2]) {
      checkMs[jobs].push(
        time(process.execPath, checkArgs(jobs), {
          cwd: root,
          env: { ...process.env, BENCH_RSS_FILE: rssFile, BASE_IMAGE_GUARD_PATH_STATS: statsFile },
        }),
      );
      rss[jobs].push(Number(readFileSync(rssFile, "utf8")) / 1024);
    }
  }
  return {
    files: fileCount(root),
    grep: median(grepMs),
    floor: median(floorMs),
    check1: median(checkMs[1]),
    check2: median(checkMs[2]),
    rss1: Math.max(...rss[1]),
    rss2: Math.max(...rss[2]),
    paths: JSON.parse(readFileSync(statsFile, "utf8")),
  };
}

if (!existsSync(CLI)) execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
const trees = [];
if (existsSync(CORPUS)) {
  trees.push(["real files (../shared/corpus/real replicated)", replicateCorpus(10_000)]);
  trees.push(["real files (../shared/corpus/real replicated)", replicateCorpus(50_000)]);
} else {
  generate();
  trees.push(["synthetic tree (no ../shared/corpus/real here)", ROOT]);
}
const nodeMs = median(Array.from({ length: RUNS }, () => time(process.execPath, ["-e", "0"])));
const versionMs = median(Array.from({ length: RUNS }, () => time(process.execPath, [CLI, "--version"])));

/**
 * `fix` beside `check` on the first tree, under a policy whose replacements and digests cover every
 * image it holds (as the round trip's), so fix plans a change for nearly every image: the diff is
 * computed, no file written.
 */
function measureFix(root, runs) {
  const work = resolve(".bench/fix");
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, "census.yml"), 'approved: ["registry.example.com/library/**"]\n');
  const census = JSON.parse(
    execFileSync(
      process.execPath,
      [CLI, "check", ".", "--policy", join(work, "census.yml"), "--format", "json", "--mode", "audit"],
      {
        cwd: root,
        encoding: "utf8",
        maxBuffer: 1 << 30,
        // Its skip notices are not the benchmark's output.
        stdio: ["ignore", "pipe", "ignore"],
      },
    ),
  );
  const { policy, digests } = coveringPolicy(census);
  writeFileSync(join(work, "policy.yml"), policy);
  writeFileSync(join(work, "digests.json"), JSON.stringify(digests));
  const common = ["--policy", join(work, "policy.yml"), "--digests", join(work, "digests.json")];
  const checkMs = [];
  const fixMs = [];
  for (let run = 0; run < runs; run++) {
    checkMs.push(
      time(process.execPath, [CLI, "check", ".", ...common, "--format", "json", "--output", "/dev/null"], {
        cwd: root,
      }),
    );
    fixMs.push(time(process.execPath, [CLI, "fix", ".", ...common, "--format", "json"], { cwd: root }));
  }
  return { check: median(checkMs), fix: median(fixMs) };
}

/** `inventory merge` of 10,000 generated repository lines of 50 images each (SPEC §10: within 200 MB). */
function measureMerge(runs) {
  const work = resolve(".bench/merge");
  mkdirSync(work, { recursive: true });
  const input = join(work, "scan.jsonl");
  const repositories = 10_000;
  if (!existsSync(input)) {
    const rand = random(7);
    const families = [
      "ubuntu",
      "alpine",
      "debian",
      "node",
      "python",
      "golang",
      "nginx",
      "centos",
      "redis",
      "postgres",
    ];
    let text = "";
    for (let r = 0; r < repositories; r++) {
      const occurrences = [];
      for (let i = 0; i < 50; i++) {
        const family = families[Math.floor(rand() * families.length)];
        const version = Math.floor(rand() * 200);
        occurrences.push({
          file: `services/${i}/Dockerfile`,
          line: 1,
          image: `${family}:${version}`,
          normalized: `docker.io/library/${family}:${version}`,
          family,
          rules: rand() < 0.5 ? ["approved-base-images"] : [],
          ...(rand() < 0.3 && { release: { product: family, release: String(version), end: "2027-01-01" } }),
        });
      }
      text += `${JSON.stringify({ version: 1, repository: `acme/repo-${r}`, branch: "main", commit: "a".repeat(40), scanned: "2026-12-07T00:00:00.000Z", files: 50, images: 50, skipped: 0, counts: { "approved-base-images": 25 }, wouldFail: true, occurrences })}\n`;
    }
    writeFileSync(input, text);
  }
  const ms = [];
  const rss = [];
  const rssFile = resolve(".bench/rss");
  for (let run = 0; run < runs; run++) {
    ms.push(
      time(
        process.execPath,
        ["--import", RSS_PROBE, CLI, "inventory", "merge", input, "--out", join(work, "out")],
        {
          env: { ...process.env, BENCH_RSS_FILE: rssFile },
        },
      ),
    );
    rss.push(Number(readFileSync(rssFile, "utf8")) / 1024);
  }
  return { repositories, mb: statSync(input).size / 1024 / 1024, ms: median(ms), rss: Math.max(...rss) };
}

/**
 * Issue 26: what the readers of the other CI systems, dev containers, bake files and the rest add
 * to check, on the 10,000-file tree and on it with the vendored real files of those kinds added to
 * every corpus copy: this build against the build before them (dist/cli.js at BENCH_BASELINE_REF,
 * default f3e30f8), both with two threads, runs alternating.
 */
function measureReaders(root, runs) {
  const ref = process.env.BENCH_BASELINE_REF ?? "f3e30f8";
  const baseDir = resolve(`.bench/baseline-${ref}`);
  const baseline = join(baseDir, "dist", "cli.js");
  if (!existsSync(baseline)) {
    mkdirSync(dirname(baseline), { recursive: true });
    for (const file of ["dist/cli.js", "package.json"])
      writeFileSync(
        join(baseDir, file),
        execFileSync("git", ["show", `${ref}:${file}`], { maxBuffer: 1 << 30 }),
      );
  }
  const withKinds = resolve(".bench/real-10000-ci");
  if (!existsSync(join(withKinds, ".generated"))) {
    rmSync(withKinds, { recursive: true, force: true });
    execFileSync("cp", ["-R", root, withKinds]);
    for (const copy of readdirSync(withKinds).filter((name) => name.startsWith("copy-")))
      execFileSync("cp", ["-R", resolve("test/fixtures/real-ci/files/."), join(withKinds, copy, "ci")]);
  }
  const args = (cli) => [
    cli,
    "check",
    ".",
    "--format",
    "json",
    "--mode",
    "audit",
    "--output",
    "/dev/null",
    "--jobs",
    "2",
  ];
  const rows = [];
  for (const tree of [root, withKinds]) {
    const now = [];
    const before = [];
    for (let run = 0; run < runs; run++) {
      before.push(time(process.execPath, args(baseline), { cwd: tree }));
      now.push(time(process.execPath, args(CLI), { cwd: tree }));
    }
    rows.push({ tree, files: fileCount(tree), before: median(before), now: median(now) });
  }
  return { ref, rows };
}

const cell = (text) => text.replace(/\|/g, "\\|");
console.log(
  "| tree | files | grep | floor | check --jobs 1 | check --jobs 2 | jobs 1 ÷ floor | jobs 2 ÷ grep | peak RSS jobs 1 / 2 |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
);
const fallbacks = [];
for (const [name, root] of trees) {
  const m = measure(root, RUNS);
  console.log(
    `| ${cell(name)} | ${m.files} | ${m.grep.toFixed(0)} ms | ${m.floor.toFixed(0)} ms | ${m.check1.toFixed(0)} ms | ${m.check2.toFixed(0)} ms | ${(m.check1 / m.floor).toFixed(2)}x | ${(m.check2 / m.grep).toFixed(2)}x | ${m.rss1.toFixed(0)} / ${m.rss2.toFixed(0)} MB |`,
  );
  fallbacks.push([m.files, m.paths]);
}
const share = (part, whole) => `${whole === 0 ? 0 : ((100 * part) / whole).toFixed(1)}%`;
for (const [files, { yaml, dockerfile }] of fallbacks) {
  const yamlRead = yaml.scanned + yaml.jsYaml + yaml.exact + yaml.exactOnly;
  console.log(
    `\nparsers at ${files} files (the last run, --jobs 2): YAML files read ${yamlRead}: ${yaml.scanned} by the line scanner, ${yaml.jsYaml} by js-yaml (manifests the scanner left), ${yaml.exact} fell back to the exact parser, ${yaml.exactOnly} read only by it (JSON, kustomize inline patches) — ${share(yaml.exact + yaml.exactOnly, yamlRead)} took the full parser, ${share(yamlRead - yaml.scanned, yamlRead)} not the scanner; Dockerfiles ${dockerfile.fast} fast, ${dockerfile.exact} fell back to dockerfile-ast (${share(dockerfile.exact, dockerfile.fast + dockerfile.exact)})`,
  );
}
{
  const [name, root] = trees[0];
  const m = measureFix(root, RUNS);
  console.log(
    `\nfix on ${cell(name)}, ${fileCount(root)} files (every image covered by replacements and digests; diff computed, nothing written): fix ${m.fix.toFixed(0)} ms, check ${m.check.toFixed(0)} ms under the same policy (${(m.fix / m.check).toFixed(2)}x)`,
  );
}
if (existsSync(CORPUS)) {
  const m = measureReaders(trees[0][1], RUNS);
  for (const row of m.rows) {
    console.log(
      `\nissue 26 readers on ${relative(process.cwd(), row.tree)} (${row.files} files): check --jobs 2 ${row.now.toFixed(0)} ms now, ${row.before.toFixed(0)} ms at ${m.ref} before them (${(((row.now - row.before) / row.before) * 100).toFixed(1)}%; target: <= 5% on the 10,000-file tree)`,
    );
  }
}
{
  const m = measureMerge(RUNS);
  console.log(
    `\ninventory merge of ${m.repositories.toLocaleString("en-US")} repository lines of 50 images each (${m.mb.toFixed(0)} MB of JSON lines): ${m.ms.toFixed(0)} ms, peak RSS ${m.rss.toFixed(0)} MB (target: <= 200 MB)`,
  );
}
console.log(
  `\ndist/cli.js --version: ${versionMs.toFixed(0)} ms (node -e 0: ${nodeMs.toFixed(0)} ms, ${(versionMs / nodeMs).toFixed(2)}x)`,
);
console.log(
  `median of ${RUNS} runs each, grep, floor and check (--jobs 1, --jobs 2) alternating in this one process tree (floor: scripts/floor.mjs, walk + read + one regex, one thread); grep -rnE '^\\s*FROM|image:' .; check --format json --mode audit`,
);
console.log(
  "targets (issue 24): check --jobs 1 <= 2x the floor, check on both cores <= 4x grep, peak RSS <= 200 MB at 50,000 files with --jobs 2, --version <= 3x node -e 0",
);
