/** approved-base-images (SPEC §3.1): the image's repository is on the allowlist. */
import { suggestion } from "./suggest.js";
import type { Rule } from "./types.js";

export const approvedBaseImages: Rule = (image, _occurrence, { policy }) => {
  const approved = policy.approved;
  if (!approved || approved.some((a) => a.matches(image))) return undefined;
  // Name the one approved image to move to when there is one; otherwise show what is approved.
  const use = suggestion(image, policy);
  const message = use
    ? `${image.raw} is not an approved base image; use ${use}`
    : `${image.raw} is not an approved base image (approved: ${policy.approvedList})`;
  return { rule: "approved-base-images", message };
};
