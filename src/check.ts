/**
 * The check engine (DESIGN "The flow"): discover → sources → rules → findings. Reads files, never
 * writes; the entry points decide what to print and how to exit.
 */
import { compilePolicy } from "./policy/compile.js";
import type { LoadedPolicy, Mode } from "./policy/types.js";
import type { RuleId } from "./rules/catalog.js";
import { judge } from "./rules/index.js";
import type { Finding, SuppressedFinding } from "./rules/types.js";
import { type Suppression, waiverFor } from "./rules/waivers.js";
import { readPodList } from "./sources/cluster.js";
import { discoverFiles } from "./sources/discover.js";
import { readSource } from "./sources/read.js";
import type { Occurrence, ParseProblem, SourceResult } from "./sources/types.js";

export interface CheckOptions {
  /** Files and folders to scan, relative to `cwd`. None (and no pod list) means `cwd`. */
  paths: string[];
  cwd: string;
  loaded: LoadedPolicy;
  /** Overrides the policy's mode (`--mode`). */
  mode?: Mode;
  buildArgs?: Record<string, string>;
  /** A cluster pod list (`--from-json`): its text and where it came from. */
  podList?: { text: string; origin: string };
  /** Only these display paths are checked (`--changed-since`); each is still judged whole. */
  onlyFiles?: ReadonlySet<string>;
  /** Decides whether exceptions have expired; today by default. */
  today?: Date;
}

export interface Skip {
  file: string;
  reason: string;
}

export interface CheckResult {
  mode: Mode;
  policySource: string;
  policyWarnings: string[];
  files: number;
  images: number;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  skipped: Skip[];
}

export function runCheck(options: CheckOptions): CheckResult {
  const { policy } = options.loaded;
  const mode = options.mode ?? policy.mode;
  const compiled = compilePolicy(policy);
  const today = (options.today ?? new Date()).toISOString().slice(0, 10);

  const paths = options.paths.length > 0 || options.podList ? options.paths : ["."];
  let candidates = discoverFiles(paths, {
    cwd: options.cwd,
    include: policy.include,
    exclude: policy.exclude,
  });
  if (options.onlyFiles) candidates = candidates.filter((c) => options.onlyFiles?.has(c.path));

  const skipped: Skip[] = [];
  const scanned: { result: SourceResult; suppressions: Map<number, Suppression> }[] = [];
  const invalidSuppressions: ParseProblem[] = [];
  const readOptions = {
    maxFileSize: policy.maxFileSize,
    buildArgs: options.buildArgs ?? {},
    copyFrom: policy.dockerfile.copyFrom === "check",
  };
  for (const candidate of candidates) {
    const outcome = readSource(candidate, readOptions);
    if ("skip" in outcome) {
      skipped.push({ file: outcome.file, reason: outcome.skip });
      continue;
    }
    for (const problem of outcome.suppressionProblems)
      invalidSuppressions.push({ file: outcome.file, ...problem });
    scanned.push({ result: outcome.result, suppressions: outcome.suppressions });
  }
  if (options.podList) {
    scanned.push({
      result: readPodList(options.podList.text, options.podList.origin),
      suppressions: new Map(),
    });
  }

  const namespaceLabels = Object.assign({}, ...scanned.map((s) => s.result.namespaces));
  const context = { policy: compiled, namespaceLabels };
  const severity = mode === "enforce" ? "error" : "warning";
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  let images = 0;

  const report = (
    rule: RuleId,
    at: Occurrence | ParseProblem,
    message: string,
    suppressions: Map<number, Suppression>,
  ) => {
    const occurrence = "source" in at ? at : undefined;
    const ref = occurrence?.image.kind === "image" ? occurrence.image.ref : undefined;
    const image = occurrence?.text ?? "";
    const waiver = waiverFor(rule, at.line, ref, suppressions, compiled, today);
    if (waiver?.kind === "suppressed") {
      suppressed.push({
        rule,
        file: at.file,
        line: at.line,
        image,
        reason: waiver.reason,
        expires: waiver.expires,
      });
      return;
    }
    findings.push({
      rule,
      severity,
      file: at.file,
      line: at.line,
      column: at.column,
      image,
      ...(ref && { normalized: ref.normalized }),
      message: waiver?.kind === "expired" ? `${message} (${waiver.note})` : message,
    });
  };

  for (const { result, suppressions } of scanned) {
    for (const problem of result.problems) report("parse-error", problem, problem.message, suppressions);
    for (const occurrence of result.occurrences) {
      images++;
      for (const verdict of judge(occurrence, context))
        report(verdict.rule, occurrence, verdict.message, suppressions);
    }
  }
  for (const problem of invalidSuppressions) {
    findings.push({ rule: "invalid-suppression", severity, ...problem, image: "" });
  }

  return {
    mode,
    policySource: options.loaded.source,
    policyWarnings: options.loaded.warnings,
    files: scanned.length,
    images,
    findings: findings.sort(byPosition),
    suppressed: suppressed.sort(byPosition),
    skipped,
  };
}

function byPosition<T extends { file: string; line: number; rule: string }>(a: T, b: T): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0;
}

/** Exit code of SPEC §5: 1 when enforce mode has findings, else 0. Errors that stop a run exit 2 elsewhere. */
export function exitCodeOf(result: CheckResult): 0 | 1 {
  return result.mode === "enforce" && result.findings.length > 0 ? 1 : 0;
}
