#!/usr/bin/env node
// Records what the real helm prints for the charts in test/fixtures/helm/charts, for the fake helm
// (test/fixtures/fake-tools/fake-helm.mjs) to replay. The product itself runs, with the fake on
// PATH passing each command line through to the real helm, so the recordings hold exactly the
// commands `check` runs.
//
//   node scripts/record-helm.mjs [HELM]   HELM: a real helm (default: helm3 of tools/helm/setup.sh)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const real =
  process.argv[2] ??
  join(execFileSync(join(root, "tools/helm/setup.sh"), { encoding: "utf8" }).trim(), "bin/helm3");
const recordings = join(root, "test/fixtures/fake-tools/recorded/helm");
rmSync(recordings, { recursive: true, force: true });
mkdirSync(recordings, { recursive: true });
writeFileSync(join(recordings, "version.txt"), execFileSync(real, ["version"], { encoding: "utf8" }));
const run = spawnSync(
  process.execPath,
  ["dist/cli.js", "check", "test/fixtures/helm/charts", "--format", "json"],
  {
    cwd: root,
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${join(root, "test/fixtures/fake-tools/bin")}${delimiter}${process.env.PATH}`,
      FAKE_HELM_REAL: real,
    },
  },
);
if (run.status !== 0 && run.status !== 1) {
  process.stderr.write(run.stderr);
  process.exit(2);
}
const report = JSON.parse(run.stdout);
console.log(`recorded with ${real}: ${report.summary.images} images, ${report.summary.skipped} skipped`);
