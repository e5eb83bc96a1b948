/** Every output format is a pure function of the check result (DESIGN "The flow"). */
import type { CheckResult } from "../check.js";
import { renderGithub } from "./github.js";
import { jsonLines, renderJson } from "./json.js";
import { toSarif } from "./sarif.js";
import { renderText } from "./text.js";

export const FORMATS = ["text", "json", "jsonl", "sarif", "github"] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  color: boolean;
  version: string;
  /** SARIF category: `base-image-guard/<paths>`. */
  category: string;
}

export function render(format: Format, result: CheckResult, options: RenderOptions): string {
  switch (format) {
    case "text":
      return renderText(result, options);
    case "json":
      return renderJson(result);
    case "sarif":
      return `${JSON.stringify(toSarif(result, options), null, 2)}\n`;
    case "jsonl":
      return [...jsonLines(result)].join("");
    case "github":
      return renderGithub(result);
  }
}

/** `base-image-guard/<paths>`: one SARIF category per set of checked paths (SPEC §6). */
export function sarifCategory(paths: string[]): string {
  const names = paths.map((path) => path.replace(/\/+$/, "") || "/");
  return `base-image-guard/${names.length > 0 ? names.join(",") : "."}`;
}
