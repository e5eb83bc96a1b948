/**
 * The one matcher behind the allowlist, the blocklist, minimal images, versions keys and exceptions
 * (SPEC §3.1, §3.2). Entries are compiled once per policy; matching an image is then a few string
 * comparisons.
 */

import { compileGlob, hasGlob } from "../glob.js";
import { type ImageRef, normalizeGlob, normalizeRepository, splitReference } from "../image/reference.js";
import { releaseMatches, releaseOf } from "../image/release.js";

export type ImageMatcher = (image: ImageRef) => boolean;

/**
 * §3.1: an entry is a repository and matches that exact normalised repository, any tag or digest;
 * `/*` one level below, `/**` any depth, other globs against the normalised repository.
 */
export function repositoryMatcher(entry: string): ImageMatcher {
  if (hasGlob(entry)) {
    const matches = compileGlob(normalizeGlob(entry), "policy");
    return (image) => matches(image.match.repository);
  }
  const repository = normalizeRepository(entry);
  return (image) => image.match.repository === repository;
}

/**
 * §3.2: a deprecated entry (and an exception's `image`, and a `versions` key) is `name[:release]`
 * or a glob. A bare name matches the last path segment on any registry; a name with `/` the
 * normalised repository; `:release` compares releases (codenames included), never strings.
 */
export function imageMatcher(entry: string): ImageMatcher {
  if (hasGlob(entry)) {
    if (entry.includes("/")) {
      const matches = compileGlob(normalizeGlob(entry), "policy");
      return (image) => matches(image.match.normalized);
    }
    const matches = compileGlob(entry, "policy");
    return (image) => matches(image.tag === undefined ? image.name : `${image.name}:${image.tag}`);
  }
  // A deprecated entry's "tag" is a release: `alpine:3.12` means release 3.12, not the tag "3.12".
  const { name, tag: release, digest } = splitReference(entry);
  const nameMatches: ImageMatcher = name.includes("/")
    ? (
        (repository) => (image) =>
          image.match.repository === repository
      )(normalizeRepository(name))
    : (image) => image.name === name;
  return (image) => {
    if (!nameMatches(image)) return false;
    if (digest !== undefined && image.digest !== digest) return false;
    if (release === undefined) return true;
    const actual = releaseOf(image);
    return actual !== undefined && releaseMatches(actual, release);
  };
}
