/** Every output format is a pure function of the check result (DESIGN "The flow"). */
import type { CheckResult } from "../check.js";
import { renderGithub } from "./github.js";
import { renderGitlab } from "./gitlab.js";
import { jsonLines, renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { toSarif } from "./sarif.js";
import { renderText } from "./text.js";

export const FORMATS = ["text", "json", "jsonl", "sarif", "github", "gitlab", "junit"] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  color: boolean;
  version: string;
  /** SARIF `automationDetails.id`; left out when not given (see sarif.ts). */
  category?: string;
}

/**
 * The report in `format`, and what it had to leave out, said for stderr (SPEC §6: a cut is never
 * silent; only SARIF cuts, at code scanning's limit).
 */
export function renderReport(
  format: Format,
  result: CheckResult,
  options: RenderOptions,
): { text: string; cut?: string } {
  switch (format) {
    case "text":
      return { text: renderText(result, options) };
    case "json":
      return { text: renderJson(result) };
    case "sarif": {
      const { log, cut } = toSarif(result, options);
      return { text: `${JSON.stringify(log, null, 2)}\n`, ...(cut && { cut }) };
    }
    case "jsonl":
      return { text: [...jsonLines(result)].join("") };
    case "github":
      return { text: renderGithub(result) };
    case "gitlab":
      return { text: renderGitlab(result) };
    case "junit":
      return { text: renderJunit(result) };
  }
}
