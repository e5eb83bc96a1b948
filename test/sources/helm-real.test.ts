/**
 * The recording fake against the real engine: `check` over the fixture charts with the real helm
 * 3.17.2 and 4.1.4 on PATH gives the same report as with the fake that replays recordings
 * (test/sources/helm-render.test.ts). The binaries come from tools/helm/setup.sh (HELM_DIR);
 * .ci/run fetches them and sets HELM_REQUIRED, so there a missing helm fails instead of skipping.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeToolsDir, fixture } from "../helpers.js";

const helmDir = process.env.HELM_DIR;
const required = process.env.HELM_REQUIRED === "1";

/** The JSON report of `check test/fixtures/helm/charts` with the `helm` in `bin` first on PATH. */
function reportWith(bin: string): unknown {
  const run = spawnSync(
    process.execPath,
    [resolve("dist/cli.js"), "check", "test/fixtures/helm/charts", "--format", "json"],
    {
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` },
    },
  );
  expect(run.status, run.stderr).toBe(1);
  const report = JSON.parse(run.stdout) as { summary: { images: number } };
  expect(report.summary.images).toBeGreaterThan(10);
  return report;
}

describe.skipIf(!helmDir && !required)(
  "the fake helm replays what the real helm prints (SPEC §4 Helm, rendered)",
  () => {
    it.each(["helm3", "helm4"])("%s renders the fixture charts to the same report as the fake", (binary) => {
      expect(helmDir, "HELM_DIR (tools/helm/setup.sh) is not set: the real helm is missing").toBeTruthy();
      const bin = join(fixture({}), "bin");
      mkdirSync(bin);
      symlinkSync(join(helmDir as string, "bin", binary), join(bin, "helm"));
      expect(reportWith(bin)).toEqual(reportWith(fakeToolsDir(["helm"])));
    });
  },
);
