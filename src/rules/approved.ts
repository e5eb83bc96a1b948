/** approved-base-images (SPEC §3.1): the image's repository is on the allowlist. */
import { listSome, withSuggestion } from "./suggest.js";
import type { Rule } from "./types.js";

export const approvedBaseImages: Rule = (image, _occurrence, { policy }) => {
  const approved = policy.approved;
  if (!approved || approved.some((a) => a.matches(image))) return undefined;
  const message = `${image.raw} is not an approved base image (approved: ${listSome(approved.map((a) => a.entry))})`;
  return { rule: "approved-base-images", message: withSuggestion(message, image, policy) };
};
