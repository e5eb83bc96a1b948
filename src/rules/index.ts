/**
 * Judges one occurrence: every rule it violates is a verdict of its own (SPEC §3.5). An unresolved
 * or invalid reference gets exactly one verdict and no other rule looks at it.
 */
import type { Occurrence } from "../sources/types.js";
import { approvedBaseImages } from "./approved.js";
import { blockDeprecatedBaseImages } from "./deprecated.js";
import { blockEolBaseImages } from "./eol.js";
import { requireMinimalBaseImages } from "./minimal.js";
import { requirePinnedImage } from "./pinning.js";
import type { Rule, RuleContext, Verdict } from "./types.js";
import { validateBaseImageVersion } from "./version.js";

const IMAGE_RULES: Rule[] = [
  approvedBaseImages,
  blockDeprecatedBaseImages,
  requireMinimalBaseImages,
  validateBaseImageVersion,
  blockEolBaseImages,
  requirePinnedImage,
];

export function judge(occurrence: Occurrence, context: RuleContext): Verdict[] {
  if (!isJudged(occurrence, context)) return [];
  const { image } = occurrence;
  switch (image.kind) {
    case "unresolved":
      return [
        {
          rule: "unresolved-image",
          message: image.reason ?? unresolvedMessage(occurrence, image.missing, image.placeholder),
        },
      ];
    case "invalid":
      return [{ rule: "parse-error", message: image.reason }];
    case "image":
      return IMAGE_RULES.map((rule) => rule(image.ref, occurrence, context)).filter((v) => v !== undefined);
  }
}

/** `dockerfile.stages: final` judges only what ends up in the final image; `copyFrom: ignore` is applied by the source. */
function isJudged(occurrence: Occurrence, { policy }: RuleContext): boolean {
  if (occurrence.source !== "dockerfile" || policy.policy.dockerfile.stages === "all") return true;
  return occurrence.stage?.final === true;
}

function unresolvedMessage(occurrence: Occurrence, missing: string[], placeholder?: string): string {
  if (placeholder !== undefined) {
    const fix = placeholder.startsWith("${{")
      ? "a workflow expression is only known when the job runs; write the image out or check it where it is defined"
      : "another tool fills it in; render the manifests and check them with --manifests";
    return `cannot tell which image ${occurrence.text} is: ${placeholder} is a placeholder (${fix})`;
  }
  const names = missing.join(", ");
  if (occurrence.source === "gitlab-ci" || occurrence.source === "cloudbuild") {
    const where = occurrence.source === "gitlab-ci" ? "variables:" : "substitutions:";
    return `cannot tell which image ${occurrence.text} is: ${names} is set only when the pipeline runs (the file's ${where} does not define it); write the image out, or define it there`;
  }
  if (occurrence.source === "dockerfile") {
    const args = missing.map((name) => `--build-arg ${name}=…`).join(" ");
    return `cannot tell which image ${occurrence.text} is: ARG ${names} has no value; give it a default or pass ${args}`;
  }
  return `cannot tell which image ${occurrence.text} is: variable ${names} has no default; write \${${missing[0]}:-default}`;
}
