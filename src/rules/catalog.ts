/**
 * Every rule the checker reports, with the text SARIF and `--help` show for it. The help stands on
 * its own (code scanning shows it to people who have never seen this repository), and
 * `securitySeverity` is the CVSS-like score code scanning ranks alerts by (9+ critical, 7+ high,
 * 4+ medium, below low).
 */
export const RULES = {
  "approved-base-images": {
    title: "Image is not from an approved repository",
    help: "Every image must come from a repository on the policy's `approved` list, the organisation's curated, rebuilt and scanned base images. An entry matches that exact repository with any tag or digest; `…/*` one level below and `…/**` any depth. Move to the approved image the message names, or add the repository to `approved` if it is meant to be allowed.",
    securitySeverity: "7.5",
  },
  "block-deprecated-base-images": {
    title: "Image is deprecated or end-of-life",
    help: "The image matches an entry of the policy's `deprecated` list: a release past its support, which receives no security fixes. A bare name (`centos`) matches that image on any registry; `name:release` matches the release and its point releases and variants, codenames included (`debian:9` matches `debian:stretch-slim`). Move to a supported release of an approved image.",
    securitySeverity: "8.0",
  },
  "require-minimal-base-images": {
    title: "High-security workload uses a non-minimal image",
    help: "The workload is high-security — the policy's `minimal.label` is on it, on its pod template, on its Namespace (or the Namespace is listed in `minimal.namespaces`), or, for a Dockerfile, a LABEL of its final stage — and its image is not one of `minimal.images` (distroless or similar images with no shell or package manager). Use one of the minimal images.",
    securitySeverity: "7.0",
  },
  "validate-base-image-version": {
    title: "Image release is not allowed",
    help: "The policy's `versions` lists the releases allowed for this distribution (exact releases such as `22.04`, or ranges such as `>=3.19`). The image's tag names another release, or names none at all (`latest`, no tag, a digest only), which cannot be verified. Use an allowed release.",
    securitySeverity: "5.5",
  },
  "block-eol-base-images": {
    title: "Image release is past, or near, its end of support",
    help: "The image's release is looked up in an end-of-life calendar (endoflife.date data, each date with its source): past the end of support it receives no security fixes and is an error; within the policy's warnDays of it, a warning naming the date and the days left. An image whose tag names no release (latest, a digest only) cannot be verified. Move to a supported release.",
    securitySeverity: "7.5",
  },
  "require-pinned-image": {
    title: "Image is not pinned",
    help: "The policy's `pinning` asks every image to carry a digest (`pinning: digest`: `image:tag@sha256:…`) or an explicit tag other than `latest` (`pinning: tag`), so a build or deployment cannot change under you. Pin the image.",
    securitySeverity: "4.0",
  },
  "unresolved-image": {
    title: "Image reference cannot be resolved",
    help: "The image uses an ARG or variable with no default and no --build-arg value, a GitHub expression, or another tool's placeholder, so the checker cannot tell which image it is and fails closed. Give the variable a default, pass --build-arg, or render the manifests (helm template, kustomize build) and check them with --manifests.",
    securitySeverity: "6.0",
  },
  "parse-error": {
    title: "File or image reference cannot be parsed",
    help: "The checker could not read this file (malformed YAML, a Dockerfile it cannot parse) or this string is not a valid image reference, so nothing in it could be judged. Fix the syntax.",
    securitySeverity: "6.0",
  },
  "invalid-suppression": {
    title: "Suppression comment is not valid",
    help: 'A `# base-image-guard ignore=<rule> reason="<why>"` comment on the line above an image needs a known rule and a reason; without them it suppresses nothing. Name the rule and say why.',
    securitySeverity: "3.0",
  },
} as const satisfies Record<string, { title: string; help: string; securitySeverity: string }>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function isRuleId(value: string): value is RuleId {
  return Object.hasOwn(RULES, value);
}
