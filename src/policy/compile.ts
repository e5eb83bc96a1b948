/**
 * A policy with its entries turned into matchers once, so judging an image is cheap and every
 * rule matches the same way (SPEC §3).
 */

import semver from "semver";
import { hasGlob } from "../glob.js";
import { releaseMatches } from "../image/release.js";
import { BUNDLED, type Calendar } from "./eol/calendar.js";
import { type ImageMatcher, imageMatcher, repositoryMatcher } from "./match.js";
import type { Policy, PolicyException } from "./types.js";

/** "a, b, c, d and 2 more": keeps messages one line long. */
export function listSome(items: readonly string[], max = 4): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

export interface Entry {
  entry: string;
  matches: ImageMatcher;
}

export interface AllowedReleases {
  distribution: string;
  matches: ImageMatcher;
  allowed: string[];
  /** True when `release` is one of the listed releases or inside one of the listed ranges (SPEC §3.4). */
  allows(release: string): boolean;
  /** The newest release listed by name (not by range), to suggest. */
  newest?: string;
}

export interface CompiledPolicy {
  policy: Policy;
  /** The end-of-life calendar: the bundled one, or the policy's `eol.calendar` over it. */
  calendar: Calendar;
  approved?: Entry[];
  /** "a, b, c, d and 2 more": the approved list as messages show it, built once. */
  approvedList?: string;
  deprecated?: Entry[];
  minimal?: {
    key: string;
    value: string;
    label: string;
    images: Entry[];
    /** The minimal images as messages show them, built once. */
    list: string;
    namespaces: Set<string>;
  };
  versions: AllowedReleases[];
  exceptions: (Entry & { exception: PolicyException })[];
  /** `replacements` (SPEC §9), in order: the first whose `match` fits names what `fix` uses. */
  replacements: (Entry & { use: string })[];
}

export const RELEASE = /^\d+(?:\.\d+)*$/;

export function compilePolicy(policy: Policy, calendar: Calendar = BUNDLED): CompiledPolicy {
  const repositories = (list: string[]) =>
    list.map((entry) => ({ entry, matches: repositoryMatcher(entry) }));
  const images = (list: string[]) => list.map((entry) => ({ entry, matches: imageMatcher(entry) }));
  const compiled: CompiledPolicy = {
    policy,
    calendar,
    versions: Object.entries(policy.versions ?? {}).map(([distribution, allowed]) =>
      allowedReleases(distribution, allowed),
    ),
    replacements: (policy.replacements ?? []).map(({ match, use }) => ({
      entry: match,
      matches: imageMatcher(match),
      use,
    })),
    exceptions: policy.exceptions.map((exception) => ({
      entry: exception.image,
      matches: imageMatcher(exception.image),
      exception,
    })),
  };
  if (policy.approved) {
    compiled.approved = repositories(policy.approved);
    compiled.approvedList = listSome(policy.approved);
  }
  if (policy.deprecated) compiled.deprecated = images(policy.deprecated);
  if (policy.minimal) {
    const [key = "", value = ""] = splitLabel(policy.minimal.label);
    compiled.minimal = {
      key,
      value,
      label: policy.minimal.label,
      images: repositories(policy.minimal.images),
      list: listSome(policy.minimal.images),
      namespaces: new Set(policy.minimal.namespaces ?? []),
    };
  }
  return compiled;
}

export function splitLabel(label: string): [string, string] {
  const at = label.indexOf("=");
  return [label.slice(0, at), label.slice(at + 1)];
}

function allowedReleases(distribution: string, allowed: string[]): AllowedReleases {
  const releases = allowed.filter((value) => RELEASE.test(value));
  const ranges = allowed.filter((value) => !RELEASE.test(value));
  const matches = imageMatcher(hasGlob(distribution) ? distribution : distribution.replace(/:.*$/, ""));
  const newest = [...releases].sort((a, b) => semver.compare(coerce(b), coerce(a)))[0];
  return {
    distribution,
    matches,
    allowed,
    allows: (release) =>
      releases.some((r) => releaseMatches(release, r)) || ranges.some((range) => rangeAllows(release, range)),
    ...(newest !== undefined && { newest }),
  };
}

/**
 * True when the release, coerced, is in the range. A component of more than 15 digits is no number
 * the checker compares (nor can the admission exports, whose CEL integers it would overflow).
 */
function rangeAllows(release: string, range: string): boolean {
  if (
    release
      .split(".")
      .slice(0, 3)
      .some((part) => part.length > 15)
  )
    return false;
  return semver.satisfies(coerce(release), range);
}

/**
 * `22.04` → `22.4.0`: releases compared as semver (SPEC §3.4). Written out because
 * `semver.coerce` no longer accepts components with leading zeros, and Ubuntu's releases have them.
 */
export function coerce(release: string): string {
  const [major = 0, minor = 0, patch = 0] = release.split(".").map((part) => Number.parseInt(part, 10));
  return `${major}.${minor}.${patch}`;
}
