#!/usr/bin/env node
/**
 * The round trip of SPEC §9 on real files: a copy of a folder in a fresh git repository, a policy
 * whose `replacements` and a digests.json that cover every image `check` finds in it, then
 * `fix --write`, `check` and `fix` again. Reports, from the files and the diff themselves:
 * findings fix could repair but left, what a second fix would change, changed files that no longer
 * parse (YAML with js-yaml and yaml, Dockerfiles with dockerfile-ast), and changed lines that
 * differ from their old text outside an image token.
 *
 *   node scripts/fix-roundtrip.mjs [DIR]      (default: ../shared/corpus/real)
 *
 * test/fix/roundtrip.test.ts runs the same function over vendored real files.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DockerfileParser } from "dockerfile-ast";
import jsYaml from "js-yaml";
import { parseAllDocuments } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist", "cli.js");
const LIBRARY = "registry.example.com/library";
const REPAIRABLE = new Set([
  "approved-base-images",
  "block-deprecated-base-images",
  "require-minimal-base-images",
  "validate-base-image-version",
  "block-eol-base-images",
  "require-pinned-image",
]);

function run(args, cwd) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const digestOf = (text) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

/** The policy and digests that cover every image of `findings` (a check report over the copy). */
export function coveringPolicy(report) {
  const names = new Map();
  for (const finding of report.findings) {
    if (!finding.normalized) continue;
    const name = finding.normalized
      .replace(/[:@].*$/, "")
      .split("/")
      .pop();
    const tag =
      /:([\w][\w.-]{0,127})(?:@|$)/.exec(
        finding.normalized.slice(finding.normalized.lastIndexOf("/")),
      )?.[1] ?? "latest";
    if (!names.has(name)) names.set(name, new Set());
    names.get(name).add(tag);
  }
  const policy = [
    "mode: enforce",
    `approved: ["${LIBRARY}/**"]`,
    "pinning: digest",
    "replacements:",
    ...[...names.keys()].sort().map((name) => `  - {match: "${name}", use: "${LIBRARY}/${name}"}`),
    "",
  ].join("\n");
  const images = [];
  for (const [name, tags] of names) {
    for (const tag of tags)
      images.push({
        image: `${LIBRARY}/${name}`,
        tag,
        digest: digestOf(`${name}:${tag}`),
        date: "2026-12-07",
      });
  }
  return { policy, digests: { version: 1, images } };
}

/** Changed lines whose difference from the old line is not one image-like token. */
function nonImageChanges(diff) {
  const problems = [];
  let file = "";
  const removed = [];
  const added = [];
  const flush = () => {
    const pairs = Math.min(removed.length, added.length);
    for (let i = 0; i < pairs; i++) {
      const before = removed[i];
      const after = added[i];
      let start = 0;
      while (start < before.length && before[start] === after[start]) start++;
      let end = 0;
      while (end < before.length - start && before[before.length - 1 - end] === after[after.length - 1 - end])
        end++;
      const from = before.slice(start, before.length - end);
      const to = after.slice(start, after.length - end);
      if (!/^[\w.\-/:@]*$/.test(from) || !/^[\w.\-/:@"]*$/.test(to))
        problems.push(`${file}: "${before}" → "${after}"`);
    }
    // Lines only added are the keys fix adds to a kustomization entry or a Helm map.
    for (const line of added.slice(pairs)) {
      if (!/^\s*(newName|newTag|digest|tag):\s\S+\r?$/.test(line)) problems.push(`${file}: added "${line}"`);
    }
    for (const line of removed.slice(pairs)) problems.push(`${file}: removed "${line}"`);
    removed.length = 0;
    added.length = 0;
  };
  for (const line of diff.split("\n")) {
    if (line.startsWith("+++ ") || line.startsWith("--- ")) {
      if (line.startsWith("+++ ")) file = line.slice(6);
      continue;
    }
    if (line.startsWith("-")) removed.push(line.slice(1));
    else if (line.startsWith("+")) added.push(line.slice(1));
    else flush();
  }
  flush();
  return problems;
}

function parses(path, text) {
  if (/\.ya?ml$/i.test(path)) {
    try {
      jsYaml.loadAll(text);
    } catch (error) {
      return `js-yaml: ${error.message.split("\n")[0]}`;
    }
    const errors = parseAllDocuments(text).flatMap((doc) => doc.errors ?? []);
    return errors.length > 0 ? `yaml: ${errors[0].message.split("\n")[0]}` : undefined;
  }
  return undefined;
}

export function roundTrip(source) {
  const work = mkdtempSync(join(tmpdir(), "big-fix-roundtrip-"));
  try {
    const repo = join(work, "repo");
    cpSync(source, repo, { recursive: true });
    const git = (...args) => execFileSync("git", args, { cwd: repo, encoding: "utf8", maxBuffer: 1 << 30 });
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "before", "--no-gpg-sign");
    // What the default policy's reading finds: every image of the tree, as a finding under a policy
    // that approves nothing of it.
    writeFileSync(join(work, "census.yml"), `approved: ["${LIBRARY}/**"]\n`);
    const census = JSON.parse(
      run(["check", ".", "--policy", join(work, "census.yml"), "--format", "json", "--mode", "audit"], repo)
        .stdout,
    );
    const { policy, digests } = coveringPolicy(census);
    writeFileSync(join(work, "policy.yml"), policy);
    writeFileSync(join(work, "digests.json"), JSON.stringify(digests));
    const common = ["--policy", join(work, "policy.yml"), "--digests", join(work, "digests.json")];
    const dockerfilesBefore = new Map();
    for (const file of git("ls-files", "-z").split("\0").filter(Boolean)) {
      if (!/\.ya?ml$/i.test(file))
        dockerfilesBefore.set(
          file,
          DockerfileParser.parse(readFileSync(join(repo, file), "utf8")).getInstructions().length,
        );
    }
    const first = run(["fix", ".", ...common, "--write", "--format", "json"], repo);
    if (first.status !== 0) throw new Error(`fix --write exited ${first.status}: ${first.stderr}`);
    const fixed = JSON.parse(first.stdout);
    const after = JSON.parse(
      run(["check", ".", ...common, "--format", "json", "--mode", "audit"], repo).stdout,
    );
    const second = run(["fix", ".", ...common, "--format", "json"], repo);
    const again = JSON.parse(second.stdout);
    const unfixable = new Set(again.unfixable.map((u) => `${u.file}\0${u.line}\0${u.rule}`));
    const left = after.findings.filter(
      (f) => REPAIRABLE.has(f.rule) && !unfixable.has(`${f.file}\0${f.line}\0${f.rule}`),
    );
    const diff = git("diff", "--no-color", "--no-ext-diff");
    const changedFiles = git("diff", "--name-only", "-z").split("\0").filter(Boolean);
    const broken = [];
    for (const file of changedFiles) {
      const text = readFileSync(join(repo, file), "utf8");
      // What a strict parser already said of the file before (GitLab reads duplicate `<<` keys) is not damage.
      const problem = parses(file, text);
      if (problem && problem !== parses(file, git("show", `HEAD:${file}`)))
        broken.push(`${file}: ${problem}`);
      if (
        dockerfilesBefore.has(file) &&
        DockerfileParser.parse(text).getInstructions().length !== dockerfilesBefore.get(file)
      )
        broken.push(`${file}: dockerfile-ast reads a different number of instructions`);
    }
    return {
      images: census.summary.images,
      changes: fixed.changes.length,
      files: changedFiles.length,
      unfixable: fixed.unfixable.length,
      unfixableReasons: countReasons(fixed.unfixable),
      left,
      secondChanges: again.changes,
      broken,
      nonImage: nonImageChanges(diff),
      stat: git("diff", "--shortstat").trim(),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function countReasons(list) {
  const counts = new Map();
  for (const u of list) {
    const key = u.reason.replace(/[\w./:@${}-]*\d[\w./:@${}-]*/g, "…").slice(0, 90);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = resolve(process.argv[2] ?? join(root, "..", "shared", "corpus", "real"));
  const result = roundTrip(dir);
  console.log(
    `${dir}: ${result.images} images; fix changed ${result.changes} in ${result.files} files (${result.stat}); ${result.unfixable} not fixable`,
  );
  for (const [reason, count] of result.unfixableReasons) console.log(`  ${count} × ${reason}`);
  console.log(
    `left repairable: ${result.left.length}; second fix changes: ${result.secondChanges.length}; broken files: ${result.broken.length}; non-image line changes: ${result.nonImage.length}`,
  );
  for (const line of [
    ...result.left.map((f) => `left ${f.file}:${f.line} ${f.rule} ${f.image}`),
    ...result.secondChanges.map((c) => `again ${c.file}:${c.line} ${c.from} → ${c.to}`),
    ...result.broken,
    ...result.nonImage,
  ].slice(0, 40))
    console.log(`  ${line}`);
  process.exitCode =
    result.left.length + result.secondChanges.length + result.broken.length + result.nonImage.length > 0
      ? 1
      : 0;
}
