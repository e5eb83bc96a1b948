/**
 * Reads a Trivy JSON report (`trivy image --format json`, SchemaVersion 2): counts per severity
 * and the vulnerabilities with the version that fixes them.
 */

export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Vulnerability {
  id: string;
  package: string;
  installed: string;
  /** Empty when no fixed version exists yet. */
  fixed: string;
  severity: Severity;
}

export interface ScanSummary {
  counts: Record<Severity, number>;
  vulnerabilities: Vulnerability[];
}

interface TrivyReport {
  Results?:
    | {
        Vulnerabilities?:
          | {
              VulnerabilityID?: string;
              PkgName?: string;
              InstalledVersion?: string;
              FixedVersion?: string;
              Severity?: string;
            }[]
          | null;
      }[]
    | null;
}

export function emptyCounts(): Record<Severity, number> {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
}

export function summarizeScan(json: string): ScanSummary {
  const report = JSON.parse(json) as TrivyReport;
  const counts = emptyCounts();
  const vulnerabilities: Vulnerability[] = [];
  for (const result of report.Results ?? []) {
    for (const v of result.Vulnerabilities ?? []) {
      const severity = (SEVERITIES as readonly string[]).includes(v.Severity ?? "")
        ? (v.Severity as Severity)
        : "UNKNOWN";
      counts[severity]++;
      vulnerabilities.push({
        id: v.VulnerabilityID ?? "",
        package: v.PkgName ?? "",
        installed: v.InstalledVersion ?? "",
        fixed: v.FixedVersion ?? "",
        severity,
      });
    }
  }
  return { counts, vulnerabilities };
}
