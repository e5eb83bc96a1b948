// Bundles a TypeScript entry of the project (src/ and test helpers) with esbuild and imports it, for
// scripts that run the engine outside vitest (npm run differential, npm run admission-differential).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

export async function importBundled(entry) {
  const out = mkdtempSync(join(tmpdir(), "big-bundled-"));
  try {
    await build({
      entryPoints: [resolve(entry)],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: join(out, "entry.mjs"),
      logLevel: "warning",
      // Bundled CommonJS dependencies still call require() for Node built-ins (as scripts/build.mjs).
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    return await import(pathToFileURL(join(out, "entry.mjs")).href);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
