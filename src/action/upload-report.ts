/**
 * `upload-report: true`: the step's JSON report (and SARIF file, when one was written) kept as one
 * workflow artifact, so the full list stays reachable after the job — the job summary and the
 * comment link to it. A failed upload is a warning, never the step's verdict.
 */
import { copyFileSync } from "node:fs";
import { basename, join } from "node:path";
import * as core from "@actions/core";

/**
 * Uploads `files` as artifact `base-image-guard-report-<step>`, each at its top level (copied into
 * `dir`, the report's folder, first). Returns the artifact's page, or undefined when it failed.
 */
export async function uploadReport(step: string, dir: string, files: string[]): Promise<string | undefined> {
  const name = `base-image-guard-report-${step}`;
  try {
    const inDir = files.map((file) => {
      const target = join(dir, basename(file));
      if (target !== file) copyFileSync(file, target);
      return target;
    });
    // Loaded only when asked: the artifact client (Azure storage SDK and all) would add ~100 ms and
    // 20 MB to every run of the Action.
    const { DefaultArtifactClient } = await import("@actions/artifact");
    const { id } = await new DefaultArtifactClient().uploadArtifact(name, inDir, dir);
    const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
    if (id === undefined || !GITHUB_SERVER_URL || !GITHUB_REPOSITORY || !GITHUB_RUN_ID) return undefined;
    const url = `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}/artifacts/${id}`;
    core.setOutput("report-artifact", url);
    core.info(`report: uploaded as artifact ${name} (${url})`);
    return url;
  } catch (error) {
    core.warning(
      `The report could not be uploaded as an artifact (${(error as Error).message}); the report output still names the file.`,
      { title: "base-image-guard" },
    );
    return undefined;
  }
}
