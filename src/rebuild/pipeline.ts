/**
 * The rebuild of one base image, and of the library (SPEC §7): build → scan the local image →
 * push only when clean → sign the pushed digest → optionally attest the scan. One image's failure
 * never stops the others; every outcome says which step failed and the tool's own words.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Builder } from "./builders.js";
import type { BaseImage } from "./library.js";
import { MissingToolError, skopeoArgs, type Tool, type ToolResult, type ToolRunner } from "./tools.js";
import { emptyCounts, type ScanSummary, type Severity, summarizeScan } from "./trivy.js";

export interface RebuildOptions {
  /** Registry and namespace, such as ghcr.io/acme/base. */
  registry: string;
  scan: boolean;
  severity: Severity[];
  /** Trivy --ignore-unfixed: a CVE with no fixed version cannot block the rebuild forever. */
  ignoreUnfixed: boolean;
  /**
   * `severity`: any vulnerability at the severities fails the image. `no-new`: only one the
   * published image does not have already — the rebuild may not make things worse, and a known
   * CVE waiting for a fix does not stop the patches that are there.
   */
  gate?: "severity" | "no-new";
  push: boolean;
  sign: boolean;
  attest: boolean;
  /** cosign --key value (a path, env://VAR or a KMS URI); keyless when absent. */
  key?: string;
  /** Stamps the immutable tag and the `created` label. */
  date: Date;
  /** OCI source and revision labels, when known. */
  source?: string;
  revision?: string;
  /** Where scan reports, archives and digest files go. */
  workDir: string;
  /**
   * Rebuild only when the upstream digest changed since the published image was built, or it is
   * older than this many days (`--max-age`); undefined rebuilds every time.
   */
  maxAgeDays?: number;
  /** Called as each step of an image starts (the Action groups its log by step). */
  onStep?: (image: string, step: Step) => void;
}

export type Step = "build" | "scan" | "sbom" | "push" | "sign" | "attest";

export interface ImageOutcome {
  name: string;
  tags: string[];
  digest?: string;
  vulnerabilities: Record<Severity, number>;
  /** Vulnerabilities at the failing severities, with the version that fixes each. */
  cves: ScanSummary["vulnerabilities"];
  scanned: boolean;
  signed: boolean;
  attested: boolean;
  /** A CycloneDX SBOM was attached to the pushed digest (cosign attest --type cyclonedx). */
  sbom: boolean;
  /** How the no-new gate passed an image with known vulnerabilities. */
  gate?: string;
  status: "pushed" | "built" | "skipped" | "failed";
  /** Why a skipped image was not rebuilt. */
  skipped?: string;
  /** The upstream digest the published image was built from, and the one this run builds from. */
  upstream?: { old?: string; new?: string };
  failedStep?: Step;
  error?: string;
}

/** The last lines of what a tool said, enough to see why it failed. */
function toolError(tool: string, result: ToolResult): string {
  const said = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-15).join("\n");
  return `${tool} exited with ${result.exitCode}${said ? `: ${said}` : ""}`;
}

export function imageTags(image: BaseImage, options: Pick<RebuildOptions, "registry" | "date">): string[] {
  const stamp = options.date.toISOString().slice(0, 10).replace(/-/g, "");
  const repository = `${options.registry.replace(/\/+$/, "")}/${image.name}`;
  return image.tags.flatMap((tag) => [`${repository}:${tag}`, `${repository}:${tag}-${stamp}`]);
}

interface Published {
  baseDigest?: string;
  created?: Date;
}

/**
 * The published image's base digest and creation date, read from the registry (skopeo inspect:
 * its labels and `Created`); undefined when it is not there or the registry does not say — then
 * the image is rebuilt, never skipped on a guess.
 */
async function publishedImage(ref: string, tools: ToolRunner): Promise<Published | undefined> {
  if (tools.dryRun) return undefined;
  let result: ToolResult;
  try {
    result = await tools.run("skopeo", skopeoArgs(["inspect", `docker://${ref}`]));
  } catch {
    return undefined;
  }
  if (result.exitCode !== 0) return undefined;
  try {
    const data = JSON.parse(result.stdout) as { Labels?: Record<string, string>; Created?: string };
    const baseDigest = data.Labels?.["org.opencontainers.image.base.digest"];
    const created = data.Created ? new Date(data.Created) : undefined;
    return {
      ...(baseDigest && { baseDigest }),
      ...(created && !Number.isNaN(created.getTime()) && { created }),
    };
  } catch {
    return undefined;
  }
}

/** Why the published image is still good (skip the rebuild), or undefined to rebuild. */
function freshness(
  image: BaseImage,
  published: Published | undefined,
  options: RebuildOptions,
): string | undefined {
  if (options.maxAgeDays === undefined || !published?.created || !published.baseDigest) return undefined;
  if (!image.upstream.digest || image.upstream.digest !== published.baseDigest) return undefined;
  const days = (options.date.getTime() - published.created.getTime()) / 86_400_000;
  if (days > options.maxAgeDays) return undefined;
  return `upstream unchanged (${image.upstream.digest}) and the published image is ${Math.floor(days)} day(s) old (limit ${options.maxAgeDays})`;
}

/**
 * The CVE ids of the published image at the same severities (gate no-new), scanned in its
 * registry; undefined when nothing is published (then the severity gate applies).
 */
async function publishedCves(
  ref: string,
  options: RebuildOptions,
  tools: ToolRunner,
  name: string,
): Promise<{ ids: Set<string> } | { failed: string } | undefined> {
  if (tools.dryRun) return undefined;
  const report = join(options.workDir, `${name}.published.trivy.json`);
  rmSync(report, { force: true });
  const scan = await tools.run("trivy", [
    "image",
    "--severity",
    options.severity.join(","),
    "--format",
    "json",
    "--output",
    report,
    ...(options.ignoreUnfixed ? ["--ignore-unfixed"] : []),
    ref,
  ]);
  const summary = readScanReport(report);
  if (scan.exitCode !== 0 || !summary) {
    if (/MANIFEST_UNKNOWN|manifest unknown|not found/i.test(`${scan.stderr}${scan.stdout}`)) return undefined;
    return { failed: `cannot scan the published ${ref} to compare with: ${toolError("trivy", scan)}` };
  }
  return { ids: new Set(summary.vulnerabilities.map((v) => v.id)) };
}

/** Run suffixes tried for a date tag that exists already: `3.22-20261130.2` … `.9`. */
const MAX_RUNS_A_DAY = 9;

/**
 * The tags to publish, with the date tag made free: `<tag>-<YYYYMMDD>` is promised never to move,
 * so when the registry has it already (a second run the same day) the run suffix `.2`, `.3`, …
 * is added instead of overwriting it.
 */
async function freeTags(
  image: BaseImage,
  options: Pick<RebuildOptions, "registry" | "date">,
  builder: Builder,
): Promise<{ refs: string[] } | { failed: string }> {
  const refs = imageTags(image, options);
  const out: string[] = [];
  for (const [i, ref] of refs.entries()) {
    if (i % 2 === 0) {
      out.push(ref); // the moving tag
      continue;
    }
    let candidate = ref;
    for (let run = 2; ; run++) {
      const taken = await builder.exists(candidate);
      if (typeof taken === "object") {
        return {
          failed: `cannot tell whether ${candidate} exists, so it is not overwritten: ${toolError(builder.inspector, taken.failed)}`,
        };
      }
      if (!taken) break;
      if (run > MAX_RUNS_A_DAY)
        return { failed: `${ref} and its run suffixes up to .${MAX_RUNS_A_DAY} exist already today` };
      candidate = `${ref}.${run}`;
    }
    out.push(candidate);
  }
  return { refs: out };
}

export function ociLabels(image: BaseImage, options: RebuildOptions): Record<string, string> {
  const prefix = "org.opencontainers.image";
  return {
    [`${prefix}.created`]: options.date.toISOString(),
    ...(options.source && { [`${prefix}.source`]: options.source }),
    ...(options.revision && { [`${prefix}.revision`]: options.revision }),
    [`${prefix}.base.name`]: image.upstream.normalized.replace(/@.*$/, ""),
    ...(image.upstream.digest && { [`${prefix}.base.digest`]: image.upstream.digest }),
  };
}

export async function rebuildImage(
  image: BaseImage,
  options: RebuildOptions,
  builder: Builder,
  tools: ToolRunner,
): Promise<ImageOutcome> {
  let refs = imageTags(image, options);
  const outcome: ImageOutcome = {
    name: image.name,
    tags: refs,
    vulnerabilities: emptyCounts(),
    cves: [],
    scanned: false,
    signed: false,
    attested: false,
    sbom: false,
    status: "built",
  };
  const step = (name: Step) => options.onStep?.(image.name, name);
  const fail = (step: Step, error: string): ImageOutcome => ({
    ...outcome,
    status: "failed",
    failedStep: step,
    error,
  });

  // Asked only when a max age is set: then whether to rebuild depends on what is published.
  const published =
    options.maxAgeDays === undefined ? undefined : await publishedImage(refs[0] as string, tools);
  outcome.upstream = {
    ...(published?.baseDigest && { old: published.baseDigest }),
    ...(image.upstream.digest && { new: image.upstream.digest }),
  };
  const fresh = freshness(image, published, options);
  if (fresh) return { ...outcome, status: "skipped", skipped: fresh };

  if (options.push) {
    const free = await freeTags(image, options, builder);
    if ("failed" in free) return fail("push", free.failed);
    refs = free.refs;
    outcome.tags = refs;
  }
  const primary = refs[0] as string;
  const repository = primary.slice(0, primary.lastIndexOf(":"));

  step("build");
  const built = await builder.build(image, refs, ociLabels(image, options));
  if (built.exitCode !== 0) return fail("build", toolError(builder.tool, built));

  const report = join(options.workDir, `${image.name}.trivy.json`);
  const sbom = join(options.workDir, `${image.name}.cdx.json`);
  if (options.scan) {
    step("scan");
    const target = await builder.scanTarget(primary, options.workDir);
    if ("failed" in target) return fail("scan", toolError(builder.tool, target.failed));
    const severity = options.severity.join(",");
    if (!tools.dryRun) rmSync(report, { force: true });
    const scan = await tools.run("trivy", [
      "image",
      "--severity",
      severity,
      "--exit-code",
      "1",
      "--format",
      "json",
      "--output",
      report,
      ...(options.ignoreUnfixed ? ["--ignore-unfixed"] : []),
      ...(image.trivyIgnore ? ["--ignorefile", image.trivyIgnore] : []),
      ...(image.vex ? ["--vex", image.vex] : []),
      ...target.args,
    ]);
    if (scan.exitCode !== 0 && scan.exitCode !== 1) return fail("scan", toolError("trivy", scan));
    if (!tools.dryRun) {
      // Exit 1 means "vulnerabilities found" only with a report: Trivy also exits 1 when it fails
      // (a database download error), and a failed scan is a failed image, never a finding.
      const summary = readScanReport(report);
      if (!summary) return fail("scan", `${toolError("trivy", scan)} (no scan report: the scan did not run)`);
      outcome.vulnerabilities = summary.counts;
      outcome.cves = summary.vulnerabilities;
    }
    outcome.scanned = true;
    if (scan.exitCode === 1) {
      const found = options.severity.map((s) => `${outcome.vulnerabilities[s]} ${s}`).join(", ");
      const ids = [...new Set(outcome.cves.map((v) => v.id))];
      const known =
        options.gate === "no-new" ? await publishedCves(primary, options, tools, image.name) : undefined;
      if (known === undefined) {
        return fail(
          "scan",
          `not pushed: the scan found ${found} vulnerabilities${ids.length > 0 ? ` (${ids.join(", ")})` : ""}`,
        );
      }
      if ("failed" in known) return fail("scan", known.failed);
      const added = ids.filter((id) => !known.ids.has(id));
      if (added.length > 0) {
        return fail(
          "scan",
          `not pushed: ${added.length} vulnerabilities the published image does not have (${added.join(", ")})`,
        );
      }
      outcome.gate = `no worse than the published image: ${ids.length} known vulnerabilities (${ids.join(", ")}), none new`;
    }
    if (options.attest) {
      // The SBOM of the image as scanned, before anything leaves the machine.
      step("sbom");
      const made = await tools.run("trivy", [
        "image",
        "--format",
        "cyclonedx",
        "--output",
        sbom,
        ...target.args,
      ]);
      if (made.exitCode !== 0) return fail("sbom", toolError("trivy", made));
    }
  }

  if (!options.push) return outcome;
  step("push");
  for (const ref of refs) {
    const pushed = await builder.push(ref, options.workDir);
    if ("failed" in pushed) return fail("push", toolError(builder.tool, pushed.failed));
    outcome.digest ??= pushed.digest;
  }
  outcome.status = "pushed";

  const key = options.key ? ["--key", options.key] : [];
  const signed = `${repository}@${outcome.digest}`;
  if (options.sign) {
    step("sign");
    const sign = await tools.run("cosign", ["sign", "--yes", ...key, signed]);
    if (sign.exitCode !== 0) return fail("sign", toolError("cosign", sign));
    outcome.signed = true;
  }
  if (options.attest && options.scan) {
    step("attest");
    const predicate = join(options.workDir, `${image.name}.cosign-vuln.json`);
    const convert = await tools.run("trivy", [
      "convert",
      "--format",
      "cosign-vuln",
      "--output",
      predicate,
      report,
    ]);
    if (convert.exitCode !== 0) return fail("attest", toolError("trivy", convert));
    const attest = (type: string, file: string) =>
      tools.run("cosign", ["attest", "--yes", ...key, "--type", type, "--predicate", file, signed]);
    const vuln = await attest("vuln", predicate);
    if (vuln.exitCode !== 0) return fail("attest", toolError("cosign", vuln));
    outcome.attested = true;
    const cyclonedx = await attest("cyclonedx", sbom);
    if (cyclonedx.exitCode !== 0) return fail("attest", toolError("cosign", cyclonedx));
    outcome.sbom = true;
  }
  return outcome;
}

/** Fails before anything is built when a tool the options need is missing (SPEC §7). */
export async function requireTools(options: RebuildOptions, tools: ToolRunner): Promise<void> {
  const needed: Tool[] = [
    ...(options.maxAgeDays !== undefined ? (["skopeo"] as const) : []),
    ...(options.scan ? (["trivy"] as const) : []),
    ...(options.sign || options.attest ? (["cosign"] as const) : []),
  ];
  for (const tool of needed) if (!(await tools.has(tool))) throw new MissingToolError(tool);
}

/** Rebuilds every image in turn; a failed image is reported and the next one still runs. */
/** A Trivy JSON report, or undefined when there is none or it is not one. */
function readScanReport(path: string): ScanSummary | undefined {
  try {
    return summarizeScan(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

export async function rebuildLibrary(
  images: BaseImage[],
  options: RebuildOptions,
  builder: Builder,
  tools: ToolRunner,
  onImage: (image: BaseImage) => void = () => {},
): Promise<ImageOutcome[]> {
  const outcomes: ImageOutcome[] = [];
  for (const image of images) {
    onImage(image);
    try {
      outcomes.push(await rebuildImage(image, options, builder, tools));
    } catch (error) {
      // Whatever goes wrong with one image fails that image, never the images after it.
      outcomes.push({
        name: image.name,
        tags: imageTags(image, options),
        vulnerabilities: emptyCounts(),
        cves: [],
        scanned: false,
        signed: false,
        attested: false,
        sbom: false,
        status: "failed",
        error: `unexpected error: ${(error as Error).message}`,
      });
    }
  }
  return outcomes;
}
