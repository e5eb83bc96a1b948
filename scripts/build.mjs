// Bundles the two entry points into dist/ (committed: the Action runs dist/index.js as is), after
// compiling the policy schema into its standalone validator.
import { build } from "esbuild";
import "./generate-validator.mjs";

const shared = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  loader: { ".yml": "text" },
  legalComments: "linked",
  // Bundled CommonJS dependencies still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
};

await build({ ...shared, entryPoints: { cli: "src/cli.ts", index: "src/action.ts" }, outdir: "dist" });
