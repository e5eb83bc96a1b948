/**
 * What a check result says as annotations, whatever prints them: `--format github` writes workflow
 * commands itself, the Action hands them to `@actions/core` (SPEC §6).
 */

import type { CheckResult } from "../check.js";
import { controls } from "./neutralise.js";
import { skipNotices } from "./skips.js";

export interface Annotation {
  level: "error" | "warning" | "notice";
  title: string;
  message: string;
  file?: string;
  /** 1-based; absent where there is no position (cluster pods, policy warnings). */
  line?: number;
  column?: number;
}

/** GitHub shows at most this many annotations of each level per step; the rest are lost. */
export const ANNOTATIONS_PER_LEVEL = 10;

export interface AnnotationOptions {
  /** Files to annotate first (a pull request's changed files). */
  firstFiles?: ReadonlySet<string>;
  /** Annotations per level; 0 for no limit. Default: GitHub's 10. */
  perLevel?: number;
}

/** How much a rule's finding matters to the reader, first to last. */
const RULE_ORDER = [
  "block-deprecated-base-images",
  "unresolved-image",
  "parse-error",
  "require-minimal-base-images",
  "validate-base-image-version",
  "approved-base-images",
  "require-pinned-image",
  "invalid-suppression",
];

/**
 * What GitHub will show (SPEC §6): the headline first, then the most relevant annotations —
 * changed files first, then by rule — up to the limit per level, and one line saying how many
 * more there are and where they are listed. Control characters are shown as escapes; line breaks
 * are left to the command encoding.
 */
export function annotationsOf(result: CheckResult, options: AnnotationOptions = {}): Annotation[] {
  const perLevel = options.perLevel ?? ANNOTATIONS_PER_LEVEL;
  const all = [...headlineAnnotation(result), ...rawAnnotations(result, options.firstFiles)];
  const chosen: Annotation[] = [];
  for (const level of ["error", "warning", "notice"] as const) {
    const ofLevel = all.filter((a) => a.level === level);
    if (perLevel <= 0 || ofLevel.length <= perLevel) {
      chosen.push(...ofLevel);
      continue;
    }
    const shown = ofLevel.slice(0, perLevel - 1);
    const more = ofLevel.length - shown.length;
    chosen.push(...shown, {
      level,
      title: "base-image-guard",
      message: `${more} more ${level === "notice" ? "notices" : `${level}s`} not shown here (GitHub shows ${perLevel} per step): the job summary, the JSON report and the SARIF file list them all`,
    });
  }
  return chosen.map((a) => ({
    ...a,
    message: controls(a.message),
    ...(a.file !== undefined && { file: controls(a.file) }),
  }));
}

function headlineAnnotation(result: CheckResult): Annotation[] {
  const count = result.findings.length;
  if (count <= 1) return [];
  const files = new Set(result.findings.map((f) => f.file)).size;
  return [
    {
      level: result.mode === "enforce" ? "error" : "warning",
      title: "base-image-guard",
      message: `${count} base-image violations in ${files} ${files === 1 ? "file" : "files"} (${result.mode} mode)`,
    },
  ];
}

function rawAnnotations(result: CheckResult, firstFiles: ReadonlySet<string> | undefined): Annotation[] {
  const annotations: Annotation[] = [];
  for (const warning of result.policyWarnings) {
    annotations.push({ level: "warning", title: "base-image-guard policy", message: warning });
  }
  for (const notice of skipNotices(result.skipped)) {
    annotations.push({
      level: "notice",
      title: "base-image-guard skipped",
      message:
        notice.count > 1
          ? `not checked (${notice.count} files): ${notice.reason}`
          : `not checked: ${notice.reason}`,
      file: notice.where,
    });
  }
  const rank = (rule: string) => {
    const at = RULE_ORDER.indexOf(rule);
    return at < 0 ? RULE_ORDER.length : at;
  };
  const byRelevance = [...result.findings].sort(
    (a, b) =>
      Number(!firstFiles?.has(a.file)) - Number(!firstFiles?.has(b.file)) || rank(a.rule) - rank(b.rule),
  );
  for (const finding of byRelevance) {
    annotations.push({
      level: finding.severity,
      title: finding.rule,
      message: finding.message,
      file: finding.file,
      ...(finding.line > 0 && { line: finding.line, column: finding.column }),
    });
  }
  return annotations;
}
