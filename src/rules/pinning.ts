/**
 * require-pinned-image (SPEC §3.4a): `pinning: digest` — the image carries a digest (a tag may
 * stand beside it); `pinning: tag` — an explicit tag other than `latest`, or a digest.
 */
import type { Rule } from "./types.js";

export const requirePinnedImage: Rule = (image, _occurrence, { policy }) => {
  const pinning = policy.policy.pinning;
  if (pinning === undefined || image.digest !== undefined) return undefined;
  if (pinning === "digest") {
    return {
      rule: "require-pinned-image",
      message: `${image.raw} is not pinned by digest; write it as ${image.repository}${image.tag ? `:${image.tag}` : ""}@sha256:<digest>`,
    };
  }
  const written = image.raw.slice(image.raw.lastIndexOf("/") + 1);
  if (written.includes(":") && image.tag !== "latest") return undefined;
  return {
    rule: "require-pinned-image",
    message: `${image.raw} does not name a version (${image.tag === "latest" && written.includes(":") ? "latest moves" : "no tag means latest"}); pin a tag or a digest`,
  };
};
