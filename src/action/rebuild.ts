/** `command: plan` and `command: rebuild` in the Action (SPEC §6, §7): the CLI's pipeline with Actions outputs. */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as core from "@actions/core";
import { digestsOf } from "../digests.js";
import { UsageError } from "../errors.js";
import { libraryOf, provenance, runRebuild } from "../rebuild/index.js";
import { pinUpstreams, renderPins } from "../rebuild/pin.js";
import { matrixOf } from "../rebuild/plan.js";
import { imagesOutput, renderRebuildSummary } from "../rebuild/report.js";
import { execRunner, MissingToolError, type ToolRunner } from "../rebuild/tools.js";
import { cell } from "../report/markdown.js";
import { type GetInput, readRebuildInputs, workspace } from "./inputs.js";
import { writeSummary } from "./summary.js";

/** `command: plan`: the matrix the weekly workflow fans out over, one runner per image. */
export function plan(get: GetInput): void {
  const { baseDir, images } = readRebuildInputs(get);
  const matrix = matrixOf(libraryOf({ cwd: workspace(), baseDir, images }));
  core.setOutput("matrix", JSON.stringify(matrix));
  core.info(`matrix: ${matrix.include.map((i) => i.name).join(", ")}`);
}

/**
 * `command: pin`: each base Dockerfile's upstream pinned to the digest its tag names now. The
 * workflow opens a pull request with the change, so an upstream release is a reviewed diff.
 */
export async function pin(get: GetInput): Promise<void> {
  const { baseDir, images } = readRebuildInputs(get);
  const tools = execRunner();
  if (!(await tools.has("skopeo"))) throw new MissingToolError("skopeo");
  const outcomes = await pinUpstreams(libraryOf({ cwd: workspace(), baseDir, images }), workspace(), tools);
  core.info(renderPins(outcomes));
  core.setOutput("pins", JSON.stringify(outcomes));
  const changed = outcomes.filter((o) => o.status === "pinned");
  await writeSummary(
    changed.length === 0
      ? "### base images: every upstream is pinned to its current digest\n"
      : `### base images: ${changed.length} upstream(s) moved\n\n| image | upstream | old | new |\n| --- | --- | --- | --- |\n${changed
          .map(
            (o) =>
              `| ${cell(o.name)} | <code>${cell(o.upstream)}</code> | <code>${cell(o.old ?? "unpinned")}</code> | <code>${cell(o.new ?? "")}</code> |`,
          )
          .join("\n")}\n`,
  );
  const failed = outcomes.filter((o) => o.status === "failed");
  for (const o of failed) core.error(`${o.name}: ${o.error}`, { title: "base image pin" });
  if (failed.length > 0)
    core.setFailed(
      `${failed.length} upstream(s) could not be pinned: ${failed.map((o) => o.name).join(", ")}`,
    );
}

/**
 * The scan runs with the Trivy the step says (SPEC §6 `trivy-version`): the one on PATH is asked
 * its version, and another release is refused before anything is built.
 */
export async function requireTrivy(runner: ToolRunner, wanted: string): Promise<void> {
  const { exitCode, stdout, stderr } = await runner.run("trivy", ["version"]);
  const found = /^Version:\s*v?(\S+)/m.exec(stdout)?.[1];
  if (exitCode !== 0 || found === undefined) {
    throw new UsageError(
      `trivy version gave no version (${(stderr || stdout).trim().split("\n")[0] ?? ""}); install Trivy ${wanted}`,
    );
  }
  if (`v${found}` !== wanted) {
    throw new UsageError(
      `trivy on PATH is v${found}, but trivy-version asks for ${wanted}: install that release (aquasecurity/setup-trivy with version: ${wanted}, as the reusable workflow does) or set trivy-version to the one you trust`,
    );
  }
  core.info(`trivy ${wanted}: the release trivy-version asks for`);
}

/** `command: rebuild` (SPEC §7): the same pipeline as the CLI, with the summary table and `images` output. */
export async function rebuild(get: GetInput): Promise<void> {
  const inputs = readRebuildInputs(get);
  if (inputs.scan) await requireTrivy(execRunner(), inputs.trivyVersion);
  // A signing key, when the workflow provides one, is passed by reference and never echoed.
  for (const secret of [process.env.COSIGN_KEY, process.env.COSIGN_PASSWORD])
    if (secret) core.setSecret(secret);
  // One collapsible log group per step of each image (build, scan, sbom, push, sign, attest).
  let open = false;
  const close = () => {
    if (open) core.endGroup();
    open = false;
  };
  const outcomes = await runRebuild(
    { cwd: workspace(), ...inputs, ...(process.env.COSIGN_KEY && { key: "env://COSIGN_KEY" }) },
    execRunner(),
    (image) => {
      close();
      core.info(`== ${image.name}: ${image.dockerfile}, from ${image.upstream.raw}`);
    },
    (image, step) => {
      close();
      core.startGroup(`${image}: ${step}`);
      open = true;
    },
  ).finally(close);
  core.setOutput("images", imagesOutput(outcomes));
  // digests.json for check --digests (and the workflow's artifact): every pushed tag's digest.
  const digestsPath = join(process.env.RUNNER_TEMP ?? tmpdir(), "base-image-guard", "digests.json");
  mkdirSync(dirname(digestsPath), { recursive: true });
  writeFileSync(
    digestsPath,
    `${JSON.stringify(digestsOf(outcomes, provenance(workspace()).date), null, 2)}\n`,
  );
  core.setOutput("digests", digestsPath);
  await writeSummary(renderRebuildSummary(outcomes));
  const failed = outcomes.filter((o) => o.status === "failed");
  for (const o of failed)
    core.error(`${o.name}: ${o.failedStep} failed: ${o.error}`, { title: "base image rebuild" });
  if (failed.length > 0)
    core.setFailed(
      `${failed.length} of ${outcomes.length} base images failed: ${failed.map((o) => o.name).join(", ")}`,
    );
}
