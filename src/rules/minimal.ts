/**
 * require-minimal-base-images (SPEC §3.3): a high-security workload (by its own labels, its pod
 * template's, its Namespace's, or a Dockerfile's final-stage LABEL) uses a minimal image.
 */
import type { Occurrence } from "../sources/types.js";
import type { Rule, RuleContext } from "./types.js";

export const requireMinimalBaseImages: Rule = (image, occurrence, context) => {
  const minimal = context.policy.minimal;
  if (!minimal) return undefined;
  const why = highSecurityReason(occurrence, context);
  if (why === undefined || minimal.images.some((m) => m.matches(image))) return undefined;
  return {
    rule: "require-minimal-base-images",
    message: `${image.raw} is not a minimal image, but ${why}; ` + `use one of ${minimal.list}`,
  };
};

/** Why this occurrence is high-security, in words, or undefined when it is not. */
function highSecurityReason(
  occurrence: Occurrence,
  { policy, namespaceLabels }: RuleContext,
): string | undefined {
  const minimal = policy.minimal;
  if (!minimal) return undefined;
  const subject = occurrence.workload
    ? `${occurrence.workload.kind} ${occurrence.workload.name} is high-security`
    : "the image's final stage is high-security";
  if (occurrence.labels[minimal.key] === minimal.value) return `${subject} (label ${minimal.label})`;
  const namespace = occurrence.workload?.namespace;
  if (namespace === undefined) return undefined;
  if (namespaceLabels[namespace]?.[minimal.key] === minimal.value) {
    return `${subject} (label ${minimal.label} on Namespace ${namespace})`;
  }
  if (minimal.namespaces.has(namespace))
    return `${subject} (Namespace ${namespace} is listed in minimal.namespaces)`;
  return undefined;
}
