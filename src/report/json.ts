/** The JSON report, SPEC §5.1: a stable contract, validated by schema/report.schema.json in tests. */
import type { CheckResult } from "../check.js";
import type { Finding, SuppressedFinding } from "../rules/types.js";

export interface JsonReport {
  version: 1;
  mode: CheckResult["mode"];
  summary: {
    files: number;
    images: number;
    errors: number;
    warnings: number;
    suppressed: number;
    skipped: number;
  };
  findings: Finding[];
  suppressed: SuppressedFinding[];
  /** Files not judged, and why (counted in summary.skipped). */
  skipped: CheckResult["skipped"];
}

export function toJsonReport(result: CheckResult): JsonReport {
  return {
    version: 1,
    mode: result.mode,
    summary: {
      files: result.files,
      images: result.images,
      errors: result.findings.filter((f) => f.severity === "error").length,
      warnings: result.findings.filter((f) => f.severity === "warning").length,
      suppressed: result.suppressed.length,
      skipped: result.skipped.length,
    },
    findings: result.findings,
    suppressed: result.suppressed,
    skipped: result.skipped,
  };
}

export function renderJson(result: CheckResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}
