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
  /** A multi-platform image: each platform's own manifest digest under the pushed index. */
  platforms?: { platform: string; digest?: string }[];
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

/** Trivy's report and filters: severities, --ignore-unfixed, the image's .trivyignore and VEX. */
function scanFilters(
  options: RebuildOptions,
  image: BaseImage,
  report: string,
  exit: string[] = [],
): string[] {
  return [
    "--severity",
    options.severity.join(","),
    ...exit,
    "--format",
    "json",
    "--output",
    report,
    ...(options.ignoreUnfixed ? ["--ignore-unfixed"] : []),
    ...(image.trivyIgnore ? ["--ignorefile", image.trivyIgnore] : []),
    ...(image.vex ? ["--vex", image.vex] : []),
  ];
}

/**
 * The CVE ids of the published image at the same severities (gate no-new), scanned in its
 * registry; undefined when nothing is published (then the severity gate applies).
 */
async function publishedCves(
  ref: string,
  options: RebuildOptions,
  tools: ToolRunner,
  image: BaseImage,
  name: string,
): Promise<{ ids: Set<string> } | { failed: string } | undefined> {
  if (tools.dryRun) return undefined;
  const report = join(options.workDir, `${name}.published.trivy.json`);
  rmSync(report, { force: true });
  // The same severities, ignore file and VEX as the local scan: only then do the lists compare.
  const scan = await tools.run("trivy", ["image", ...scanFilters(options, image, report), ref]);
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

/** An image's outcome before any step has run. */
function newOutcome(name: string, tags: string[]): ImageOutcome {
  return {
    name,
    tags,
    vulnerabilities: emptyCounts(),
    cves: [],
    scanned: false,
    signed: false,
    attested: false,
    sbom: false,
    status: "built",
  };
}

export async function rebuildImage(
  image: BaseImage,
  options: RebuildOptions,
  builder: Builder,
  tools: ToolRunner,
): Promise<ImageOutcome> {
  let refs = imageTags(image, options);
  const outcome = newOutcome(image.name, refs);
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

  // One variant per platform of a multi-platform image, each built and scanned on its own under a
  // local per-platform tag; a single-platform image is one variant with the image's own tags.
  const multi = image.platforms.length > 1;
  const variants: Variant[] = multi
    ? image.platforms.map((platform) => {
        const slug = platform.replace(/\//g, "-");
        return { platform, label: `${image.name}-${slug}`, refs: [`${primary}-${slug}`] };
      })
    : [{ ...(image.platforms[0] && { platform: image.platforms[0] }), label: image.name, refs }];

  step("build");
  for (const v of variants) {
    const platforms = v.platform ? [v.platform] : [];
    const built = await builder.build({ ...image, platforms }, v.refs, ociLabels(image, options));
    if (built.exitCode !== 0) return fail("build", toolError(builder.tool, built));
  }

  // Scan each variant locally: nothing leaves the machine before every platform is clean.
  for (const v of variants) {
    const scanned = await scanVariant(v, primary, image, options, builder, tools, step);
    // Counted also when the scan fails the image: the report says what it found.
    if (scanned.summary) addScan(outcome, scanned.summary);
    if ("failed" in scanned) return fail(scanned.step, scanned.failed);
    if (scanned.gate) outcome.gate = scanned.gate;
    outcome.scanned = options.scan;
  }

  if (!options.push) return outcome;
  step("push");
  if (!multi) {
    for (const ref of refs) {
      const pushed = await builder.push(ref, options.workDir);
      if ("failed" in pushed) return fail("push", toolError(builder.tool, pushed.failed));
      outcome.digest ??= pushed.digest;
    }
  } else {
    // Each platform's image, then one index over them under the image's own tags.
    const manifests: string[] = [];
    outcome.platforms = [];
    for (const v of variants) {
      const pushed = await builder.push(v.refs[0] as string, options.workDir);
      if ("failed" in pushed) return fail("push", toolError(builder.tool, pushed.failed));
      v.digest = pushed.digest;
      manifests.push(`${repository}@${pushed.digest}`);
      outcome.platforms.push({ platform: v.platform as string, digest: pushed.digest });
    }
    const index = await builder.index(refs, manifests, options.workDir);
    if ("failed" in index) return fail("push", toolError(builder.tool, index.failed));
    outcome.digest = index.digest;
  }
  outcome.status = "pushed";

  const key = options.key ? ["--key", options.key] : [];
  const signed = `${repository}@${outcome.digest}`;
  if (options.sign) {
    step("sign");
    // An index is signed with every platform manifest under it.
    const sign = await tools.run("cosign", [
      "sign",
      "--yes",
      ...key,
      ...(multi ? ["--recursive"] : []),
      signed,
    ]);
    if (sign.exitCode !== 0) return fail("sign", toolError("cosign", sign));
    outcome.signed = true;
  }
  if (options.attest && options.scan) {
    step("attest");
    for (const v of variants) {
      // Each platform's scan and SBOM go to its own manifest; a single image's to its digest.
      const subject = multi ? `${repository}@${v.digest}` : signed;
      const attested = await attestVariant(v, subject, key, options, tools);
      if (attested) return fail("attest", attested);
    }
    outcome.attested = true;
    outcome.sbom = true;
  }
  return outcome;
}

interface Variant {
  platform?: string;
  /** Names its files: the image name, or `<name>-<os>-<arch>`. */
  label: string;
  /** Local tags it is built with (the image's tags for a single platform). */
  refs: string[];
  /** Its manifest digest once pushed (multi-platform). */
  digest?: string;
}

function addScan(outcome: ImageOutcome, summary: ScanSummary): void {
  for (const severity of Object.keys(summary.counts) as Severity[]) {
    outcome.vulnerabilities[severity] += summary.counts[severity];
  }
  outcome.cves.push(...summary.vulnerabilities);
}

/** Trivy on the local image of one variant (and its SBOM when attesting); the gate decides. */
async function scanVariant(
  v: Variant,
  /** The image's moving tag: what the no-new gate compares with in the registry. */
  published: string,
  image: BaseImage,
  options: RebuildOptions,
  builder: Builder,
  tools: ToolRunner,
  step: (name: Step) => void,
): Promise<{ summary?: ScanSummary; gate?: string } | { step: Step; failed: string; summary?: ScanSummary }> {
  if (!options.scan) return {};
  const report = join(options.workDir, `${v.label}.trivy.json`);
  const local = v.refs[0] as string;
  step("scan");
  const target = await builder.scanTarget(local, options.workDir);
  if ("failed" in target) return { step: "scan", failed: toolError(builder.tool, target.failed) };
  if (!tools.dryRun) rmSync(report, { force: true });
  const scan = await tools.run("trivy", [
    "image",
    ...scanFilters(options, image, report, ["--exit-code", "1"]),
    ...target.args,
  ]);
  if (scan.exitCode !== 0 && scan.exitCode !== 1) return { step: "scan", failed: toolError("trivy", scan) };
  let summary: ScanSummary | undefined;
  if (!tools.dryRun) {
    // Exit 1 means "vulnerabilities found" only with a report: Trivy also exits 1 when it fails
    // (a database download error), and a failed scan is a failed image, never a finding.
    summary = readScanReport(report);
    if (!summary) {
      return { step: "scan", failed: `${toolError("trivy", scan)} (no scan report: the scan did not run)` };
    }
  }
  let gate: string | undefined;
  if (scan.exitCode === 1) {
    const counts = summary?.counts ?? emptyCounts();
    const found = options.severity.map((s) => `${counts[s]} ${s}`).join(", ");
    const where = v.platform && image.platforms.length > 1 ? ` on ${v.platform}` : "";
    const ids = [...new Set((summary?.vulnerabilities ?? []).map((x) => x.id))];
    const known =
      options.gate === "no-new" ? await publishedCves(published, options, tools, image, v.label) : undefined;
    if (known === undefined) {
      return {
        step: "scan",
        ...(summary && { summary }),
        failed: `not pushed: the scan found ${found} vulnerabilities${where}${ids.length > 0 ? ` (${ids.join(", ")})` : ""}`,
      };
    }
    if ("failed" in known) return { step: "scan", failed: known.failed, ...(summary && { summary }) };
    const added = ids.filter((id) => !known.ids.has(id));
    if (added.length > 0) {
      return {
        step: "scan",
        ...(summary && { summary }),
        failed: `not pushed: ${added.length} vulnerabilities${where} the published image does not have (${added.join(", ")})`,
      };
    }
    gate = `no worse than the published image: ${ids.length} known vulnerabilities (${ids.join(", ")}), none new`;
  }
  if (options.attest) {
    // The SBOM of the image as scanned, before anything leaves the machine.
    step("sbom");
    const sbom = join(options.workDir, `${v.label}.cdx.json`);
    const made = await tools.run("trivy", [
      "image",
      "--format",
      "cyclonedx",
      "--output",
      sbom,
      ...target.args,
    ]);
    if (made.exitCode !== 0) return { step: "sbom", failed: toolError("trivy", made) };
  }
  return { ...(summary && { summary }), ...(gate && { gate }) };
}

/** The variant's scan (cosign vuln) and SBOM (cyclonedx) attested on `subject`; an error, or undefined. */
async function attestVariant(
  v: Variant,
  subject: string,
  key: string[],
  options: RebuildOptions,
  tools: ToolRunner,
): Promise<string | undefined> {
  const report = join(options.workDir, `${v.label}.trivy.json`);
  const predicate = join(options.workDir, `${v.label}.cosign-vuln.json`);
  const convert = await tools.run("trivy", [
    "convert",
    "--format",
    "cosign-vuln",
    "--output",
    predicate,
    report,
  ]);
  if (convert.exitCode !== 0) return toolError("trivy", convert);
  const attest = (type: string, file: string) =>
    tools.run("cosign", ["attest", "--yes", ...key, "--type", type, "--predicate", file, subject]);
  const vuln = await attest("vuln", predicate);
  if (vuln.exitCode !== 0) return toolError("cosign", vuln);
  const cyclonedx = await attest("cyclonedx", join(options.workDir, `${v.label}.cdx.json`));
  if (cyclonedx.exitCode !== 0) return toolError("cosign", cyclonedx);
  return undefined;
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
  onImage: (image: BaseImage, index: number, count: number) => void = () => {},
): Promise<ImageOutcome[]> {
  const outcomes: ImageOutcome[] = [];
  for (const [index, image] of images.entries()) {
    onImage(image, index, images.length);
    try {
      outcomes.push(await rebuildImage(image, options, builder, tools));
    } catch (error) {
      // Whatever goes wrong with one image fails that image, never the images after it.
      outcomes.push({
        ...newOutcome(image.name, imageTags(image, options)),
        status: "failed",
        error: `unexpected error: ${(error as Error).message}`,
      });
    }
  }
  return outcomes;
}
