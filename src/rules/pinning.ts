/**
 * require-pinned-image (SPEC §3.4a): `pinning: digest` — the image carries a digest (a tag may
 * stand beside it); `pinning: tag` — an explicit tag other than `latest`, or a digest.
 */
import type { Rule } from "./types.js";

export const requirePinnedImage: Rule = (image, _occurrence, { policy, digests }) => {
  const pinning = policy.policy.pinning;
  if (pinning === undefined || image.digest !== undefined) return undefined;
  // A rebuild's digests.json knows the digest this tag was pushed with.
  const known = image.tag === undefined ? undefined : digests?.get(`${image.match.repository}:${image.tag}`);
  const pinned = `${image.repository}${image.tag ? `:${image.tag}` : ""}@${known?.digest ?? "sha256:<digest>"}`;
  const from = known ? ` (the digest the rebuild of ${known.date} pushed)` : "";
  if (pinning === "digest") {
    return {
      rule: "require-pinned-image",
      message: `${image.raw} is not pinned by digest; write it as ${pinned}${from}`,
    };
  }
  const written = image.raw.slice(image.raw.lastIndexOf("/") + 1);
  if (written.includes(":") && image.tag !== "latest") return undefined;
  return {
    rule: "require-pinned-image",
    message: `${image.raw} does not name a version (${image.tag === "latest" && written.includes(":") ? "latest moves" : "no tag means latest"}); pin a tag or a digest${known ? `: ${pinned}${from}` : ""}`,
  };
};
