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

/** Annotations with control characters shown as escapes; line breaks are left to the command encoding. */
export function annotationsOf(result: CheckResult): Annotation[] {
  return rawAnnotations(result).map((a) => ({
    ...a,
    message: controls(a.message),
    ...(a.file !== undefined && { file: controls(a.file) }),
  }));
}

function rawAnnotations(result: CheckResult): Annotation[] {
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
  for (const finding of result.findings) {
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
