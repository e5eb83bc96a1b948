/**
 * validate-base-image-version (SPEC §3.4): the tag names a release the policy allows for that
 * distribution. A tag that names no release cannot be verified and fails.
 */
import { releaseOf } from "../image/release.js";
import { withSuggestion } from "./suggest.js";
import type { Rule } from "./types.js";

export const validateBaseImageVersion: Rule = (image, _occurrence, { policy }) => {
  const versions = policy.versions.find((v) => v.matches(image));
  if (!versions) return undefined;
  const allowed = versions.allowed.join(", ");
  const release = releaseOf(image);
  if (release === undefined) {
    const message = `cannot verify release of ${image.raw}: its tag does not name a ${versions.distribution} release (allowed: ${allowed})`;
    return { rule: "validate-base-image-version", message: withSuggestion(message, image, policy) };
  }
  if (versions.allows(release)) return undefined;
  const message = `${image.raw} is ${versions.distribution} ${release}, which the policy does not allow (allowed: ${allowed})`;
  return { rule: "validate-base-image-version", message: withSuggestion(message, image, policy) };
};
