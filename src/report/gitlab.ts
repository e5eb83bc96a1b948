/**
 * GitLab's Code Quality report (`--format gitlab`, issue 25): the JSON array of CodeClimate-style
 * issues that a job's `artifacts:reports:codequality` file holds. GitLab reads `description`,
 * `check_name`, `fingerprint`, `severity`, `location.path` and `location.lines.begin`; `type` and
 * `categories` are CodeClimate's own and keep the file readable by its tools too. Fingerprints are
 * the baseline's (fingerprint.ts), so an issue keeps its identity when lines above it move and
 * GitLab's merge request widget shows only what a change introduced. Suppressed findings are not
 * issues; their count is in every other format.
 */
import type { CheckResult } from "../check.js";
import { RULES } from "../rules/catalog.js";
import type { Finding } from "../rules/types.js";
import { fingerprints } from "./fingerprint.js";
import { terminal } from "./neutralise.js";

export type CodeQualitySeverity = "info" | "minor" | "major" | "critical" | "blocker";

export interface CodeQualityIssue {
  type: "issue";
  check_name: string;
  description: string;
  categories: string[];
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number } };
}

/** A warning (audit mode, an end of support that is near) is `info`; an error is ranked by the rule's security severity. */
function severityOf(finding: Finding): CodeQualitySeverity {
  if (finding.severity === "warning") return "info";
  const score = Number(RULES[finding.rule].securitySeverity);
  return score >= 9 ? "critical" : score >= 7 ? "major" : "minor";
}

export function toCodeQuality(result: CheckResult): CodeQualityIssue[] {
  const prints = fingerprints(result.findings);
  return result.findings.map((finding, i) => ({
    type: "issue",
    check_name: finding.rule,
    // The message names the image. GitLab shows it as text; control characters are made visible.
    description: terminal(finding.message),
    categories: ["Security"],
    fingerprint: prints[i] as string,
    severity: severityOf(finding),
    // The path names the file in the repository exactly (GitLab links it); JSON escapes it. A
    // finding without a line (a cluster's pod) is placed on the first.
    location: { path: finding.file.replace(/^\.\//, ""), lines: { begin: Math.max(1, finding.line) } },
  }));
}

export function renderGitlab(result: CheckResult): string {
  return `${JSON.stringify(toCodeQuality(result), null, 2)}\n`;
}
