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
  return [...jsonChunks(result)].join("");
}

/**
 * The JSON report in pieces — exactly `JSON.stringify(report, null, 2)` and a newline — so a large
 * report is written as it is produced instead of being built as one string first (issue 10: the
 * whole-string report added ~100 MB to the peak at 50,000 files).
 */
export function* jsonChunks(result: CheckResult): Generator<string> {
  const report = toJsonReport(result);
  const indent = (text: string, by: string) => text.replace(/\n/g, `\n${by}`);
  yield `{\n  "version": ${report.version},\n  "mode": ${JSON.stringify(report.mode)},\n`;
  yield `  "summary": ${indent(JSON.stringify(report.summary, null, 2), "  ")},\n`;
  const lists = [
    ["findings", report.findings],
    ["suppressed", report.suppressed],
    ["skipped", report.skipped],
  ] as const;
  for (const [index, [key, list]] of lists.entries()) {
    const end = index === lists.length - 1 ? "\n" : ",\n";
    if (list.length === 0) {
      yield `  ${JSON.stringify(key)}: []${end}`;
      continue;
    }
    yield `  ${JSON.stringify(key)}: [\n`;
    for (let i = 0; i < list.length; i++) {
      yield `    ${indent(JSON.stringify(list[i], null, 2), "    ")}${i === list.length - 1 ? "\n" : ",\n"}`;
    }
    yield `  ]${end}`;
  }
  yield "}\n";
}

/**
 * JSON Lines (`--format jsonl`, issue 10): one object per line — each finding, suppressed finding
 * and skipped file with its `type`, then the summary — for tools that read a report as a stream.
 */
export function* jsonLines(result: CheckResult): Generator<string> {
  const report = toJsonReport(result);
  for (const finding of report.findings) yield `${JSON.stringify({ type: "finding", ...finding })}\n`;
  for (const entry of report.suppressed) yield `${JSON.stringify({ type: "suppressed", ...entry })}\n`;
  for (const entry of report.skipped) yield `${JSON.stringify({ type: "skipped", ...entry })}\n`;
  yield `${JSON.stringify({ type: "summary", version: report.version, mode: report.mode, ...report.summary })}\n`;
}
