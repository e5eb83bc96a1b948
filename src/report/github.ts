/** `--format github`: one workflow command per finding, so any CI step can annotate a pull request. */
import type { CheckResult } from "../check.js";
import { workflowCommand } from "./workflow-commands.js";

export function renderGithub(result: CheckResult): string {
  const lines: string[] = [];
  for (const warning of result.policyWarnings) {
    lines.push(workflowCommand("warning", { title: "base-image-guard policy" }, warning));
  }
  for (const skip of result.skipped) {
    lines.push(
      workflowCommand(
        "notice",
        { file: skip.file, title: "base-image-guard skipped" },
        `not checked: ${skip.reason}`,
      ),
    );
  }
  for (const finding of result.findings) {
    const position = finding.line > 0 ? { line: finding.line, col: finding.column } : {};
    lines.push(
      workflowCommand(
        finding.severity,
        { file: finding.file, ...position, title: finding.rule },
        finding.message,
      ),
    );
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
