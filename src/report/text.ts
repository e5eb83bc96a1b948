/** `--format text`: findings grouped by file, one line each; colour only when asked (a TTY without NO_COLOR). */

import type { CheckResult } from "../check.js";
import { terminal, terminalLineStart } from "./neutralise.js";
import { skipLine, skipNotices } from "./skips.js";

interface Style {
  file(text: string): string;
  error(text: string): string;
  warning(text: string): string;
  dim(text: string): string;
}

const PLAIN: Style = { file: (t) => t, error: (t) => t, warning: (t) => t, dim: (t) => t };
const ansi = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
const COLOR: Style = { file: ansi("4"), error: ansi("31"), warning: ansi("33"), dim: ansi("2") };

export function renderText(result: CheckResult, options: { color: boolean }): string {
  const style = options.color ? COLOR : PLAIN;
  const out: string[] = [];
  for (const warning of result.policyWarnings)
    out.push(`${style.warning("policy warning")} ${terminal(warning)}`);
  if (out.length > 0) out.push("");

  let currentFile: string | undefined;
  for (const finding of result.findings) {
    if (finding.file !== currentFile) {
      if (currentFile !== undefined) out.push("");
      out.push(style.file(terminalLineStart(finding.file)));
      currentFile = finding.file;
    }
    const where = (finding.line > 0 ? `${finding.line}:${finding.column}` : "-").padEnd(7);
    const severity = finding.severity === "error" ? style.error("error  ") : style.warning("warning");
    out.push(`  ${where} ${severity}  ${terminal(finding.message)}  ${style.dim(finding.rule)}`);
  }
  if (result.findings.length > 0) out.push("");

  for (const notice of skipNotices(result.skipped))
    out.push(`${style.dim("skipped")} ${terminal(skipLine(notice))}`);
  const baseline = result.suppressed.filter((s) => s.baseline).length;
  for (const s of result.suppressed) {
    if (s.baseline) continue;
    const until = s.expires ? ` until ${s.expires}` : "";
    const what = `${s.file}:${s.line} ${s.rule} ${s.image}: ${s.reason}${until}`;
    out.push(`${style.dim("suppressed")} ${terminal(what)}`);
  }
  // Known findings are counted, not listed: a baseline of thousands must not bury the new ones.
  if (baseline > 0) {
    out.push(
      `${style.dim("baseline")} ${plural(baseline, "known finding")} of ${terminal(result.baselineFile ?? "the baseline")} not counted (the JSON report lists them)`,
    );
  }
  if (result.skipped.length > 0 || result.suppressed.length > 0) out.push("");

  const errors = result.findings.filter((f) => f.severity === "error").length;
  const warnings = result.findings.length - errors;
  const counts = `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
  const scope = `${plural(result.files, "file")}, ${plural(result.images, "image")}`;
  const extra =
    baseline > 0
      ? `${result.suppressed.length - baseline} suppressed, ${baseline} in the baseline, ${result.skipped.length} skipped`
      : `${result.suppressed.length} suppressed, ${result.skipped.length} skipped`;
  const verdict = result.findings.length === 0 ? "✔ no violations" : `✖ ${counts}`;
  const paint = result.findings.length === 0 ? (t: string) => t : errors > 0 ? style.error : style.warning;
  out.push(
    `${paint(verdict)} in ${scope} (${extra}; policy: ${terminal(result.policySource)}, mode: ${result.mode})`,
  );
  return `${out.join("\n")}\n`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
