/**
 * JUnit XML (`--format junit`, issue 25), as Jenkins, GitLab, Azure Pipelines and CircleCI read
 * test reports; valid against Jenkins' junit-4.xsd. One `<testsuite>` per file, named by its path;
 * in it one test case per rule the file breaks (`classname` the file, `name` the rule) with one
 * `<failure>` per finding, or one passing case when the file breaks none. A file that was not
 * judged is a skipped case with the reason. A warning (audit mode, a near end of support) does
 * not fail the gate, so it is no failure: it is written in the case's `<system-out>`; the findings
 * a suppression took out are in the suite's `<system-out>`. Readers that show only a case's first
 * failure (Jenkins) still show every finding: the case's `<system-out>` lists them all. Output is
 * deterministic: no times or host names.
 */
import type { CheckResult } from "../check.js";
import type { Finding, SuppressedFinding } from "../rules/types.js";
import { fingerprints } from "./fingerprint.js";
import { xml as xmlText } from "./neutralise.js";

interface FileEntry {
  /** Findings by rule, in report order. */
  rules: Map<string, { finding: Finding; fingerprint: string }[]>;
  suppressed: SuppressedFinding[];
  skip?: string;
}

const PASSING_CASE = "no findings";

export function renderJunit(result: CheckResult): string {
  const files = new Map<string, FileEntry>();
  const entry = (file: string): FileEntry => {
    let found = files.get(file);
    if (!found) {
      found = { rules: new Map(), suppressed: [] };
      files.set(file, found);
    }
    return found;
  };
  for (const file of result.judged) entry(file);
  const prints = fingerprints(result.findings);
  for (const [i, finding] of result.findings.entries()) {
    const rules = entry(finding.file).rules;
    const list = rules.get(finding.rule) ?? [];
    list.push({ finding, fingerprint: prints[i] as string });
    rules.set(finding.rule, list);
  }
  for (const s of result.suppressed) entry(s.file).suppressed.push(s);
  for (const skip of result.skipped) {
    const found = entry(skip.file);
    if (found.rules.size === 0) found.skip = skip.reason;
  }

  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const file of [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const { rules, suppressed, skip } = files.get(file) as FileEntry;
    const name = xmlText(file);
    const cases: string[] = [];
    let failed = 0;
    for (const [rule, list] of rules) {
      const errors = list.filter((f) => f.finding.severity === "error");
      const lines = list.map(({ finding }) => `${finding.severity}: ${where(finding)}: ${finding.message}`);
      if (errors.length > 0) failed++;
      cases.push(
        `    <testcase classname="${name}" name="${xmlText(rule)}">\n${errors
          .map(
            ({ finding, fingerprint }) =>
              `      <failure message="${xmlText(finding.message)}" type="${xmlText(rule)}">${xmlText(
                `${where(finding)}: ${finding.image}`,
              )}\n${xmlText(finding.message)}\nfingerprint: ${fingerprint}</failure>\n`,
          )
          .join("")}      <system-out>${lines.map(xmlText).join("\n")}</system-out>\n    </testcase>\n`,
      );
    }
    if (rules.size === 0) {
      cases.push(
        skip
          ? `    <testcase classname="${name}" name="read">\n      <skipped>${xmlText(skip)}</skipped>\n    </testcase>\n`
          : `    <testcase classname="${name}" name="${PASSING_CASE}"/>\n`,
      );
    }
    const notes = suppressed.map((s) => `suppressed: ${s.rule} at line ${s.line}: ${s.image} (${s.reason})`);
    if (notes.length > 0) cases.push(`    <system-out>${notes.map(xmlText).join("\n")}</system-out>\n`);
    const count = rules.size > 0 ? rules.size : 1;
    tests += count;
    failures += failed;
    suites.push(
      `  <testsuite name="${name}" tests="${count}" failures="${failed}" errors="0" skipped="${skip ? 1 : 0}">\n${cases.join("")}  </testsuite>\n`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="base-image-guard" tests="${tests}" failures="${failures}" errors="0">\n${suites.join("")}</testsuites>\n`;
}

function where(finding: Finding): string {
  return finding.line > 0 ? `${finding.file}:${finding.line}:${finding.column}` : finding.file;
}
