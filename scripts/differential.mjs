// Differential check of the readers (issues 8 and 10): every YAML file and Dockerfile under the
// given folders (default: ../shared/corpus/real, the real third-party corpus) is read on the fast
// path and on the exact path alone; both must find the same occurrences, problems, lines and
// columns, and the YAML line scanner holds the exact parser's data, positions and written text for
// every value (issue 24). Prints how many files took the fast paths and every disagreement; exits 1 on any.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { importBundled } from "./bundled.mjs";

const roots = process.argv.slice(2);
if (roots.length === 0) roots.push("../shared/corpus/real");

const { readManifestText, readFast, readModel, fastModel, exactModel, compareYaml } = await importBundled(
  "scripts/differential-entry.ts",
);

function* filesOf(dir, pattern) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesOf(path, pattern);
    else if (entry.isFile() && pattern.test(entry.name)) yield path;
  }
}
const YAML = /\.ya?ml$/i;
/** Dockerfile names of SPEC §4 (a superset here: a file that is not one is read anyway). */
const DOCKERFILE = /^(?:dockerfile|containerfile)(?:[._-].*)?$|\.(?:dockerfile|containerfile)$/i;

let dockerfiles = 0;
let dockerFast = 0;
let dockerImages = 0;

let files = 0;
let fast = 0;
let scanned = 0;
let occurrences = 0;
const disagreements = [];
for (const root of roots) {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(`differential: ${root} is not a folder`);
    process.exit(2);
  }
  for (const file of filesOf(root, DOCKERFILE)) {
    const text = readFileSync(file, "utf8");
    dockerfiles++;
    const fast = fastModel(text);
    if (!fast) continue;
    dockerFast++;
    const a = readModel(fast, text, file);
    const b = readModel(exactModel(text), text, file);
    dockerImages += b.occurrences.length;
    // Heredoc lines too: text in them is never a suppression comment.
    const key = (r) => JSON.stringify([r.occurrences, r.problems, [...r.heredocLines].sort()]);
    if (key(a) !== key(b)) disagreements.push(file);
  }
  for (const file of filesOf(root, YAML)) {
    const text = readFileSync(file, "utf8");
    files++;
    if (readFast(text) !== undefined) fast++;
    // The line scanner, value by value against the exact parser (issue 24).
    const comparison = compareYaml(text, file);
    if (comparison.scanned) {
      scanned++;
      for (const difference of comparison.differences.slice(0, 3))
        disagreements.push(`${file}: ${difference}`);
    }
    const a = readManifestText(text, file);
    const b = readManifestText(text, file, { exact: true });
    occurrences += b.occurrences.length;
    const key = (r) => JSON.stringify([r.occurrences, r.problems]);
    if (key(a) !== key(b)) disagreements.push(file);
  }
}
console.log(
  `differential: ${files} YAML files, ${scanned} read by the line scanner, ${fast} on the js-yaml path, ${occurrences} images; ` +
    `${dockerfiles} Dockerfiles, ${dockerFast} on the fast path, ${dockerImages} images; ` +
    `${disagreements.length} disagreement(s)`,
);
for (const file of disagreements) console.log(`  differs: ${file}`);
process.exit(disagreements.length > 0 ? 1 : 0);
