/**
 * A policy as the YAML file a user keeps (SPEC §2): rule keys as they are, settings only where
 * they differ from the built-in values, versions and dates quoted so YAML reads them back as
 * strings. parsePolicy(policyText(p)) gives p again.
 */
import { dump } from "js-yaml";
import { BUILT_IN, defaultPolicyText, parsePolicy } from "./load.js";
import type { Policy } from "./types.js";

/** The settings a policy file leaves out when they are the built-in values. */
const SETTINGS = [
  "workflows",
  "ci",
  "devcontainers",
  "dockerfile",
  "include",
  "exclude",
  "maxFileSize",
] as const;

export function policyText(policy: Policy, header: string[] = []): string {
  const defaults = parsePolicy(defaultPolicyText, BUILT_IN).policy;
  const out: Record<string, unknown> = { mode: policy.mode };
  for (const key of ["approved", "deprecated", "minimal", "versions", "pinning", "eol"] as const) {
    if (policy[key] !== undefined) out[key] = policy[key];
  }
  if (policy.replacements !== undefined) out.replacements = policy.replacements;
  if (policy.exceptions.length > 0) out.exceptions = policy.exceptions;
  for (const key of SETTINGS) {
    if (JSON.stringify(policy[key]) !== JSON.stringify(defaults[key])) out[key] = policy[key];
  }
  const comments = header.map((line) => `# ${line}`.trimEnd());
  const body = dump(out, { lineWidth: -1, noRefs: true, quotingType: '"' });
  return `${comments.length > 0 ? `${comments.join("\n")}\n` : ""}${body}`;
}
