// Bundles the two entry points (thin files that run src/cli.ts main() and src/action.ts run()) into dist/ (committed: the Action runs dist/index.js as is), after
// compiling the policy schema into its standalone validator.
import { rmSync } from "node:fs";
import { build } from "esbuild";
import "./generate-validator.mjs";
import "./generate-default-policy.mjs";

const shared = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // No "module" condition: dockerfile-ast's require() of vscode-languageserver-types then gets its
  // UMD build, not the ESM one whose getter wrappers cost ~140 ms per run (issue 10).
  conditions: [],
  legalComments: "linked",
  // Bundled CommonJS dependencies still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
};

await build({ ...shared, entryPoints: { cli: "src/cli-entry.ts" }, outdir: "dist" });
// The Action is split: what only some runs need (the artifact client for upload-report, with the
// Azure storage SDK) is a chunk loaded on demand, so every other run starts as fast as before.
rmSync("dist/chunks", { recursive: true, force: true });
await build({
  ...shared,
  entryPoints: { index: "src/action-entry.ts" },
  outdir: "dist",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
});
