/**
 * SARIF 2.1.0 for code scanning (SPEC §5, §6): one rule per rule id with help text, every finding
 * a result, suppressed ones marked as suppressed, and fingerprints that survive moved lines.
 */
import { createHash } from "node:crypto";
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { CheckResult } from "../check.js";
import { RULE_IDS, RULES, type RuleId } from "../rules/catalog.js";

export interface SarifOptions {
  version: string;
  /** `runAutomationDetails.id` category, so several uploads in one workflow do not collide. */
  category: string;
}

const INFORMATION_URI = "https://github.com/org/base-image-guard";

export function toSarif(result: CheckResult, options: SarifOptions): Log {
  const rules: ReportingDescriptor[] = RULE_IDS.map((id) => ({
    id,
    name: id.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase()),
    shortDescription: { text: RULES[id].title },
    fullDescription: { text: RULES[id].help },
    help: { text: RULES[id].help, markdown: RULES[id].help },
    helpUri: `${INFORMATION_URI}#rules`,
    defaultConfiguration: { level: "error" },
    properties: { tags: ["security", "containers", "supply-chain"] },
  }));
  const seen = new Map<string, number>();
  const fingerprint = (rule: RuleId, file: string, image: string) => {
    const key = `${rule}\u0000${file}\u0000${image}`;
    const nth = (seen.get(key) ?? 0) + 1;
    seen.set(key, nth);
    return createHash("sha256").update(`${key}\u0000${nth}`).digest("hex").slice(0, 32);
  };
  const location = (file: string, line: number, column?: number) => ({
    physicalLocation: {
      artifactLocation: { uri: encodeURI(file), uriBaseId: "%SRCROOT%" },
      ...(line > 0 && { region: { startLine: line, ...(column && column > 0 && { startColumn: column }) } }),
    },
  });

  const results: Result[] = result.findings.map((finding) => ({
    ruleId: finding.rule,
    ruleIndex: RULE_IDS.indexOf(finding.rule),
    level: finding.severity,
    message: { text: finding.message },
    locations: [location(finding.file, finding.line, finding.column)],
    partialFingerprints: { "baseImageGuard/v1": fingerprint(finding.rule, finding.file, finding.image) },
  }));
  for (const s of result.suppressed) {
    results.push({
      ruleId: s.rule,
      ruleIndex: RULE_IDS.indexOf(s.rule),
      level: "note",
      message: { text: `${s.image} (${s.rule}) is suppressed: ${s.reason}` },
      locations: [location(s.file, s.line)],
      partialFingerprints: { "baseImageGuard/v1": fingerprint(s.rule, s.file, s.image) },
      suppressions: [{ kind: s.expires === null ? "inSource" : "external", justification: s.reason }],
    });
  }

  return {
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
        automationDetails: { id: `${options.category}/` },
        results,
      },
    ],
  };
}
