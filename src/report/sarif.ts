/**
 * SARIF 2.1.0 for code scanning (SPEC §5, §6): one rule per rule id with help text and a
 * security-severity, every finding a result, suppressed ones marked as suppressed, and fingerprints
 * that survive moved lines. Code scanning refuses a run of more than 25,000 results, so results
 * are capped below that, errors first, and the cut is said in the run itself.
 */
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { CheckResult } from "../check.js";
import { RULE_IDS, RULES } from "../rules/catalog.js";
import { fingerprints } from "./fingerprint.js";

export interface SarifOptions {
  version: string;
  /**
   * `runAutomationDetails.id`, so several uploads in one workflow do not collide. Left out when not
   * given: upload-sarif's own `category` then applies (a category in the file would override it).
   */
  category?: string;
  /** At most this many results (code scanning's limit is 25,000 per run). */
  maxResults?: number;
}

/** Below code scanning's 25,000 results per run. */
export const MAX_SARIF_RESULTS = 20_000;

export interface Sarif {
  log: Log;
  /** Results left out to stay below the limit (the least severe ones). */
  dropped: number;
  /** Every result there was, kept or left out. */
  total: number;
  /** What the cut left out, in words; undefined when nothing was. */
  cut?: string;
}

/** The one sentence every output that carries a cut SARIF file says about it. */
function cutNotice(dropped: number, total: number): string {
  return `${dropped.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} results left out of the SARIF file, the least severe first (code scanning takes at most 25,000 per run); the JSON report lists them all.`;
}

const INFORMATION_URI = "https://www.npmjs.com/package/base-image-guard";

export function toSarif(result: CheckResult, options: SarifOptions): Sarif {
  const rules: ReportingDescriptor[] = RULE_IDS.map((id) => ({
    id,
    name: id.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase()),
    shortDescription: { text: RULES[id].title },
    fullDescription: { text: RULES[id].help },
    help: { text: RULES[id].help, markdown: RULES[id].help },
    defaultConfiguration: { level: "error" },
    properties: {
      tags: ["security", "containers", "supply-chain"],
      "security-severity": RULES[id].securitySeverity,
    },
  }));
  const findingPrints = fingerprints(result.findings);
  const suppressedPrints = fingerprints(result.suppressed);
  const location = (file: string, line: number, column?: number) => ({
    physicalLocation: {
      artifactLocation: { uri: encodeURI(file), uriBaseId: "%SRCROOT%" },
      ...(line > 0 && { region: { startLine: line, ...(column && column > 0 && { startColumn: column }) } }),
    },
  });

  const all: Result[] = result.findings.map((finding, i) => ({
    ruleId: finding.rule,
    ruleIndex: RULE_IDS.indexOf(finding.rule),
    level: finding.severity,
    message: { text: finding.message },
    locations: [location(finding.file, finding.line, finding.column)],
    partialFingerprints: { "baseImageGuard/v1": findingPrints[i] as string },
    ...(result.baselineFile !== undefined && { baselineState: "new" as const }),
  }));
  for (const [i, s] of result.suppressed.entries()) {
    all.push({
      ruleId: s.rule,
      ruleIndex: RULE_IDS.indexOf(s.rule),
      level: "note",
      message: { text: `${s.image} (${s.rule}) is suppressed: ${s.reason}` },
      locations: [location(s.file, s.line)],
      partialFingerprints: { "baseImageGuard/v1": suppressedPrints[i] as string },
      suppressions: [
        { kind: s.expires === null && !s.baseline ? "inSource" : "external", justification: s.reason },
      ],
      ...(s.baseline && { baselineState: "unchanged" as const }),
    });
  }

  // Errors, then warnings, then suppressed notes; a stable sort keeps each group in report order.
  const rank = { error: 0, warning: 1, note: 2, none: 3 } as const;
  const max = options.maxResults ?? MAX_SARIF_RESULTS;
  const results =
    all.length > max
      ? [...all].sort((a, b) => rank[a.level ?? "none"] - rank[b.level ?? "none"]).slice(0, max)
      : all;
  const dropped = all.length - results.length;
  const log: Log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "base-image-guard",
            version: options.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        ...(options.category !== undefined && { automationDetails: { id: `${options.category}/` } }),
        ...(dropped > 0 && {
          invocations: [
            {
              executionSuccessful: true,
              toolExecutionNotifications: [
                {
                  level: "warning",
                  message: {
                    text: cutNotice(dropped, all.length),
                  },
                },
              ],
            },
          ],
        }),
        results,
      },
    ],
  };
  return { log, dropped, total: all.length, ...(dropped > 0 && { cut: cutNotice(dropped, all.length) }) };
}
