/**
 * block-eol-base-images (SPEC §3.4b): the image's release looked up in the end-of-life calendar.
 * Past the end of support: an error (a warning with `block: false`); within `warnDays`: a warning
 * with the date and the days left. A known product whose tag names no release cannot be verified.
 */
import { releaseOf } from "../image/release.js";
import { cycleOf, daysUntil, type EolRelease, hasEnded, supportEnd } from "../policy/eol/index.js";
import type { Rule } from "./types.js";

/** The newest listed release still supported on `today` (the calendar lists newest first). */
function supported(releases: readonly EolRelease[], today: string): string | undefined {
  return releases.find((r) => r.standard === false || (typeof r.standard === "string" && r.standard > today))
    ?.release;
}

export const blockEolBaseImages: Rule = (image, _occurrence, { policy, today }) => {
  const eol = policy.policy.eol;
  if (!eol) return undefined;
  const product = policy.calendar.productOf(image.name);
  if (!product) return undefined;
  const release = releaseOf(image);
  if (release === undefined) {
    return {
      rule: "block-eol-base-images",
      message: `cannot verify the end of support of ${image.raw}: its tag names no ${product.product} release; name one (such as ${image.name}:${supported(product.releases, today) ?? "<release>"})`,
    };
  }
  const cycle = cycleOf(product, release);
  if (!cycle) return undefined;
  const support = eol.support ?? "standard";
  const end = supportEnd(cycle, support);
  if (end === false) return undefined;
  const what = `${product.product} ${cycle.release}`;
  const kind = support === "extended" && typeof cycle.extended === "string" ? "extended support" : "support";
  const past = (message: string) =>
    eol.block
      ? { rule: "block-eol-base-images" as const, message }
      : { rule: "block-eol-base-images" as const, message, warning: true as const };
  if (end === true)
    return past(`${image.raw} is ${what}, which is past its end of ${kind} (${product.source})`);
  if (hasEnded(end, today))
    return past(`${image.raw} is ${what}, which left ${kind} on ${end} (${product.source})`);
  const days = daysUntil(end, today);
  if (days > (eol.warnDays ?? 180)) return undefined;
  return {
    rule: "block-eol-base-images",
    message: `${image.raw} is ${what}, which leaves ${kind} on ${end}, in ${days} day${days === 1 ? "" : "s"} (${product.source})`,
    warning: true,
  };
};
