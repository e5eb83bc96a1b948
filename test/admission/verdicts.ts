/** What check says about Kubernetes objects, in the shape the CEL evaluation gives (SPEC §8). */
import { dump } from "js-yaml";
import { runCheck } from "../../src/check.js";
import type { Policy } from "../../src/policy/types.js";
import type { RuleId } from "../../src/rules/catalog.js";

export type Rejected = Partial<Record<RuleId, string[]>>;

/**
 * The images each rule rejects when check reads `objects` as rendered manifests, after policy
 * exceptions. An unresolved image counts as a parse error: in the cluster it is no reference.
 */
export function checkVerdict(policy: Policy, objects: object[], today: string): Rejected {
  const result = runCheck({
    paths: [],
    cwd: process.cwd(),
    loaded: { policy, source: "test", warnings: [] },
    // Judged as enforce: every violation is then an error, and what stays a warning (an end of
    // support that is near, or past with eol.block false) is advice the cluster does not enforce.
    mode: "enforce",
    manifests: { text: objects.map((o) => dump(o)).join("---\n"), origin: "objects.yaml" },
    today: new Date(`${today}T12:00:00Z`),
  });
  const rejected: Rejected = {};
  for (const finding of result.findings) {
    if (finding.severity !== "error") continue;
    const rule = finding.rule === "unresolved-image" ? "parse-error" : finding.rule;
    const images = rejected[rule] ?? [];
    images.push(finding.image);
    rejected[rule] = images;
  }
  for (const images of Object.values(rejected)) images.sort();
  return rejected;
}
