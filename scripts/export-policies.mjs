// npm run policies: writes policies/, the admission exports of the built-in default policy
// (SPEC §8), with the CLI as users run it. test/admission/policies-current.test.ts fails when stale.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// An empty working folder: the built-in default, never a policy file that happens to lie around.
const empty = mkdtempSync(join(tmpdir(), "big-policies-"));
try {
  execFileSync(
    process.execPath,
    [
      resolve("dist/cli.js"),
      "policy",
      "export",
      "--to",
      "kyverno,vap,kyverno-clusterpolicy",
      "--output-dir",
      resolve("policies"),
    ],
    { cwd: empty, stdio: "inherit" },
  );
} finally {
  rmSync(empty, { recursive: true, force: true });
}
