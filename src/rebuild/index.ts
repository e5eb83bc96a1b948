/**
 * The rebuild as the CLI and the Action run it: settings in, outcomes out. Reads the library,
 * checks the tools, picks the builder and runs the pipeline in a scratch folder it removes after.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { git } from "../git.js";
import { InvalidReferenceError, parseImageRef } from "../image/reference.js";
import { type BuilderChoice, chooseBuilder } from "./builders.js";
import { type BaseImage, readLibrary } from "./library.js";
import { type ImageOutcome, type RebuildOptions, rebuildLibrary, requireTools } from "./pipeline.js";
import { MissingToolError, type ToolRunner } from "./tools.js";
import { SEVERITIES, type Severity } from "./trivy.js";

export interface RebuildSettings {
  cwd: string;
  baseDir: string;
  /** Image names to rebuild; all when empty. */
  images: string[];
  registry: string;
  push: boolean;
  scan: boolean;
  severity: string;
  /** Trivy --ignore-unfixed. */
  ignoreUnfixed: boolean;
  sign: boolean;
  attest: boolean;
  key?: string;
  builder: BuilderChoice;
  /** Rebuild only when the upstream moved or the published image is older than this (days). */
  maxAgeDays?: number;
  gate?: "severity" | "no-new";
}

/** Placeholder for the scratch folder in a dry run, so printed command lines are stable. */
export const DRY_RUN_WORK_DIR = "/tmp/base-image-guard-rebuild";

export function parseSeverity(text: string): Severity[] {
  const list = text
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const wrong = list.filter((s) => !(SEVERITIES as readonly string[]).includes(s));
  if (list.length === 0 || wrong.length > 0) {
    throw new UsageError(
      `severity must be a comma-separated list of ${SEVERITIES.join(", ")}; got "${text}"`,
    );
  }
  return list as Severity[];
}

/** When the image is built (SOURCE_DATE_EPOCH for reproducible runs) and from which commit. */
export function provenance(
  cwd: string,
  env = process.env,
): Pick<RebuildOptions, "date" | "source" | "revision"> {
  const epoch = env.SOURCE_DATE_EPOCH;
  const date = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
  const source =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}`
      : undefined;
  let revision = env.GITHUB_SHA;
  if (!revision) {
    try {
      revision = git(cwd, ["rev-parse", "HEAD"]).trim();
    } catch {
      revision = undefined;
    }
  }
  return { date, ...(source && { source }), ...(revision && { revision }) };
}

export function libraryOf(settings: Pick<RebuildSettings, "baseDir" | "cwd" | "images">): BaseImage[] {
  return readLibrary(settings.baseDir, settings.cwd, settings.images);
}

/**
 * The registry and namespace images are pushed to, checked before anything is built: registries
 * refuse upper case and a scheme late, after the build and scan (issue 13). `ghcr.io/Acme-Corp/base`
 * from github.repository_owner is the usual way in.
 */
export function validateRegistry(registry: string): string {
  const value = registry.trim().replace(/\/+$/, "");
  if (value === "") throw new UsageError("registry is required, such as ghcr.io/acme/base");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new UsageError(
      `registry ${value} has a scheme; write it without one, such as ${value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")}`,
    );
  }
  if (value !== value.toLowerCase()) {
    throw new UsageError(
      `registry ${value} has upper-case letters, which registries refuse; write ${value.toLowerCase()}`,
    );
  }
  try {
    parseImageRef(`${value}/probe:tag`);
  } catch (error) {
    const why = error instanceof InvalidReferenceError ? error.reason : (error as Error).message;
    throw new UsageError(
      `registry ${value} is not a registry and namespace such as ghcr.io/acme/base (${why})`,
    );
  }
  return value;
}

export async function runRebuild(
  settings: RebuildSettings,
  tools: ToolRunner,
  /** Each image as it starts: which of how many. */
  onImage: (image: BaseImage, index: number, count: number) => void = () => {},
  onStep?: RebuildOptions["onStep"],
): Promise<ImageOutcome[]> {
  const registry = validateRegistry(settings.registry);
  const images = libraryOf(settings);
  const workDir = tools.dryRun ? DRY_RUN_WORK_DIR : mkdtempSync(join(tmpdir(), "base-image-guard-rebuild-"));
  const options: RebuildOptions = {
    registry,
    scan: settings.scan,
    severity: parseSeverity(settings.severity),
    ignoreUnfixed: settings.ignoreUnfixed,
    ...(settings.maxAgeDays !== undefined && { maxAgeDays: settings.maxAgeDays }),
    ...(settings.gate && { gate: settings.gate }),
    push: settings.push,
    sign: settings.sign,
    attest: settings.attest,
    ...(settings.key && { key: settings.key }),
    ...provenance(settings.cwd),
    workDir,
    ...(onStep && { onStep }),
  };
  try {
    await requireTools(options, tools);
    const builder = await chooseBuilder(settings.builder, tools);
    if (options.push && !(await tools.has(builder.inspector))) throw new MissingToolError(builder.inspector);
    return await rebuildLibrary(images, options, builder, tools, onImage);
  } finally {
    if (!tools.dryRun) rmSync(workDir, { recursive: true, force: true });
  }
}
