import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    {
      // Same as esbuild's `text` loader in scripts/build.mjs: data files arrive as strings.
      name: "yml-as-text",
      enforce: "pre",
      load(id) {
        if (!id.endsWith(".yml")) return null;
        return `export default ${JSON.stringify(readFileSync(id, "utf8"))};`;
      },
    },
  ],
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/build-dist.ts"],
    testTimeout: 30_000,
  },
});
