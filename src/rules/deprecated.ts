/** block-deprecated-base-images (SPEC §3.2): the image matches no deprecated entry. */
import { withSuggestion } from "./suggest.js";
import type { Rule } from "./types.js";

export const blockDeprecatedBaseImages: Rule = (image, _occurrence, { policy }) => {
  const match = policy.deprecated?.find((d) => d.matches(image));
  if (!match) return undefined;
  const message = `${image.raw} is deprecated (matches policy entry "${match.entry}")`;
  return { rule: "block-deprecated-base-images", message: withSuggestion(message, image, policy) };
};
