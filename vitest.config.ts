import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/build-dist.ts"],
    setupFiles: ["test/setup/no-helm.ts"],
    testTimeout: 30_000,
  },
});
