/** Every rule the checker reports, with the text SARIF and `--help` show for it. */
export const RULES = {
  "approved-base-images": {
    title: "Image is not from an approved repository",
    help: "Every image must come from a repository on the policy's `approved` list (SPEC §3.1). Use the approved image named in the message.",
  },
  "block-deprecated-base-images": {
    title: "Image is deprecated or end-of-life",
    help: "The image matches the policy's `deprecated` list (SPEC §3.2). Move to a supported release of an approved image.",
  },
  "require-minimal-base-images": {
    title: "High-security workload uses a non-minimal image",
    help: "Workloads labelled with the policy's `minimal.label` must use one of `minimal.images` (SPEC §3.3).",
  },
  "validate-base-image-version": {
    title: "Image release is not allowed",
    help: "The tag must name a release the policy's `versions` allows; `latest` and digest-only references cannot be verified (SPEC §3.4).",
  },
  "require-pinned-image": {
    title: "Image is not pinned",
    help: "The policy's `pinning` asks every image to carry a digest (`pinning: digest`) or an explicit tag other than `latest` (`pinning: tag`) (SPEC §3.4a). Pin the image.",
  },
  "unresolved-image": {
    title: "Image reference cannot be resolved",
    help: "The image uses an ARG or variable with no default and no --build-arg value, a GitHub expression, or another tool's placeholder, so the checker cannot tell which image it is (SPEC §3.5). Give the variable a default, pass --build-arg, or render the manifests and check them with --manifests.",
  },
  "parse-error": {
    title: "File or image reference cannot be parsed",
    help: "The checker could not read this file or image reference, so it could not judge it (SPEC §3.5). Fix the syntax.",
  },
  "invalid-suppression": {
    title: "Suppression comment is not valid",
    help: 'A `# base-image-guard ignore=<rule> reason="<why>"` comment needs a known rule and a reason; without them it suppresses nothing (SPEC §3.6).',
  },
} as const satisfies Record<string, { title: string; help: string }>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function isRuleId(value: string): value is RuleId {
  return Object.hasOwn(RULES, value);
}
