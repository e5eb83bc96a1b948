/**
 * Baselines (gradual rollout): a JSON report of the findings a repository already has. Findings
 * whose line-independent fingerprint is in it leave `findings` for `suppressed`, marked
 * `baseline`, so only new ones fail; nothing is hidden. `base-image-guard baseline` writes one;
 * on a pull request the base commit's own findings can serve as the baseline (`new-findings-only`).
 */
import type { CheckResult } from "./check.js";
import { InputError } from "./errors.js";
import { type Fingerprinted, fingerprints } from "./report/fingerprint.js";

/**
 * The fingerprints of a baseline report (`--format json` output): its findings and the findings it
 * had itself taken from a baseline, so a baseline made under a baseline keeps them.
 */
export function readBaseline(text: string, file: string): Set<string> {
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `baseline ${file} is not JSON (${(error as Error).message}); give a report written by "base-image-guard baseline" or check --format json`,
    );
  }
  const lists = report !== null && typeof report === "object" ? (report as Record<string, unknown>) : {};
  const findings = lists.findings;
  const suppressed = Array.isArray(lists.suppressed) ? lists.suppressed : [];
  if (!Array.isArray(findings) || ![...findings, ...suppressed].every(isFingerprinted)) {
    throw new InputError(
      `baseline ${file} is not a base-image-guard JSON report (no findings list of rule, file and image); write one with "base-image-guard baseline"`,
    );
  }
  const known = [...findings, ...suppressed.filter((s) => (s as { baseline?: unknown }).baseline === true)];
  return new Set(fingerprints(known as Fingerprinted[]));
}

function isFingerprinted(value: unknown): value is Fingerprinted {
  if (value === null || typeof value !== "object") return false;
  const { rule, file, image } = value as Record<string, unknown>;
  return typeof rule === "string" && typeof file === "string" && typeof image === "string";
}

/** The result with every finding the baseline knows moved to `suppressed` (marked `baseline`). */
export function applyBaseline(result: CheckResult, known: ReadonlySet<string>, file: string): CheckResult {
  const prints = fingerprints(result.findings);
  const findings = result.findings.filter((_, i) => !known.has(prints[i] as string));
  const inBaseline = result.findings.filter((_, i) => known.has(prints[i] as string));
  return {
    ...result,
    findings,
    suppressed: [
      ...result.suppressed,
      ...inBaseline.map((f) => ({
        rule: f.rule,
        file: f.file,
        line: f.line,
        image: f.image,
        reason: `already in the baseline ${file}`,
        expires: null,
        baseline: true as const,
      })),
    ],
    baselineFile: file,
  };
}
