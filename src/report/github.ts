/** `--format github`: one workflow command per annotation, so any CI step can annotate a pull request. */
import type { CheckResult } from "../check.js";
import { annotationsOf } from "./annotations.js";
import { workflowCommand } from "./workflow-commands.js";

export function renderGithub(result: CheckResult): string {
  const lines = annotationsOf(result).map(({ level, title, message, file, line, column }) =>
    workflowCommand(level, { file, line, col: column, title }, message),
  );
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
