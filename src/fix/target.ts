/**
 * What `fix` rewrites one image to (SPEC §9) — only where the replacement is known, never by
 * guessing. The repository: the first `replacements` entry that matches, else the image's own
 * repository, else an approved repository of the same distribution name (§3's suggestion). The
 * tag: the image's own release when the policy allows it and the library publishes it, else the
 * newest allowed release the library publishes (`--digests`), else the newest release `versions`
 * allows. Every candidate is judged by the rules themselves before it is taken, so a fix never
 * trades one finding for another. The digest: from `--digests`, or the registry (`--resolve`).
 */
import semver from "semver";
import type { DigestEntry } from "../digests.js";
import { hasGlob } from "../glob.js";
import { type ImageRef, InvalidReferenceError, parseImageRef, splitReference } from "../image/reference.js";
import { releaseOfTag } from "../image/release.js";
import { coerce } from "../policy/compile.js";
import type { RuleId } from "../rules/catalog.js";
import { judge } from "../rules/index.js";
import type { RuleContext } from "../rules/types.js";
import type { Occurrence } from "../sources/types.js";

/** The rules whose findings `fix` can repair. */
export const REPAIRABLE: readonly RuleId[] = [
  "approved-base-images",
  "block-deprecated-base-images",
  "require-minimal-base-images",
  "validate-base-image-version",
  "block-eol-base-images",
  "require-pinned-image",
];

/** Findings that no release of the image's own repository can repair. */
const REPOSITORY_RULES: ReadonlySet<RuleId> = new Set([
  "approved-base-images",
  "block-deprecated-base-images",
  "require-minimal-base-images",
]);

/** What the registry says a reference's digest is (`--resolve`), or why it could not say. */
export type Resolver = (reference: string) => Promise<{ digest: string } | { error: string }>;

export interface TargetContext {
  rules: RuleContext;
  /** What the library publishes (`--digests`), by normalised `repository:tag`. */
  digests?: ReadonlyMap<string, DigestEntry>;
  resolve?: Resolver;
  /** Only these rules are repaired (`--rules`). */
  only?: ReadonlySet<string>;
}

export interface NewImage {
  /** The image as it will be written. */
  text: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export type Target =
  | { kind: "keep" }
  | {
      kind: "change";
      to: NewImage;
      /** The rule the change repairs first (`digest-refresh` for a newer digest of the same tag). */
      rule: string;
      /** A repairable finding the change leaves, and why (a digest nobody knows). */
      left?: { rule: RuleId; reason: string };
    }
  | { kind: "unfixable"; rule: RuleId; reason: string };

export async function targetOf(
  occurrence: Occurrence,
  image: ImageRef,
  reported: readonly RuleId[],
  context: TargetContext,
): Promise<Target> {
  const wanted = reported.filter((rule) => REPAIRABLE.includes(rule) && (context.only?.has(rule) ?? true));
  if (wanted.length === 0) {
    const refreshed = newerDigest(image, context.digests);
    if (refreshed === undefined || (context.only && !context.only.has("require-pinned-image")))
      return { kind: "keep" };
    const to = compose(writtenRepository(image), image.tag, refreshed);
    return { kind: "change", to, rule: "digest-refresh" };
  }
  const first = wanted[0] as RuleId;
  const chosen = choose(occurrence, image, wanted, context);
  if ("reason" in chosen) return { kind: "unfixable", rule: first, reason: chosen.reason };
  const { repository, tag } = chosen;
  let digest = chosen.digest;
  let left: { rule: RuleId; reason: string } | undefined;
  const pinning = context.rules.policy.policy.pinning;
  if (digest === undefined && pinning === "digest") {
    const reference = `${repository}${tag === undefined ? "" : `:${tag}`}`;
    const resolved = context.resolve ? await context.resolve(reference) : undefined;
    if (resolved && "digest" in resolved) digest = resolved.digest;
    else {
      left = {
        rule: "require-pinned-image",
        reason: resolved
          ? `the registry did not give the digest of ${reference}: ${resolved.error}`
          : `no digest known for ${reference}: give --digests (a rebuild's digests.json) or --resolve`,
      };
    }
  }
  if (pinning === "tag" && tag === undefined && digest === undefined) {
    left = {
      rule: "require-pinned-image",
      reason: `no release of ${repository} known to pin to: give --digests (a rebuild's digests.json) or list releases under versions`,
    };
  }
  const to = compose(repository, tag, digest);
  if (to.text === image.raw) {
    return left ? { kind: "unfixable", ...left } : { kind: "keep" };
  }
  const repaired = wanted.find((rule) => rule !== "require-pinned-image" || left === undefined) ?? first;
  return { kind: "change", to, rule: repaired, ...(left && { left }) };
}

interface Candidate {
  /** As it will be written. */
  repository: string;
  /** The image's own repository (kept as written). */
  own?: boolean;
  tag?: string;
  digest?: string;
}

/** The first repository and tag that the rules accept (pinning aside, which the digest settles). */
function choose(
  occurrence: Occurrence,
  image: ImageRef,
  wanted: readonly RuleId[],
  context: TargetContext,
): { repository: string; tag?: string; digest?: string } | { reason: string } {
  const { policy } = context.rules;
  const repositories: Candidate[] = [];
  // A replacement moves an image off a repository it may not use, or to the release it names; an
  // image whose only fault is its release or pinning keeps its repository (a `**` entry must not
  // move an approved distroless image onto ubuntu to pin it).
  const leaves = wanted.some((rule) => REPOSITORY_RULES.has(rule));
  const replacement = policy.replacements.find((r) => r.matches(image));
  if (replacement) {
    const use = parseImageRef(replacement.use);
    const namesRelease = writesTag(replacement.use) || use.digest !== undefined;
    if (leaves || namesRelease) {
      repositories.push({
        repository: writtenRepository(use),
        ...(namesRelease && use.tag !== undefined && { tag: use.tag }),
        ...(use.digest !== undefined && { digest: use.digest }),
      });
    }
  }
  repositories.push({ repository: writtenRepository(image), own: true });
  const entries = [...(policy.minimal?.images ?? []), ...(policy.approved ?? [])];
  for (const { entry } of entries) {
    const same = !hasGlob(entry) && lastSegment(entry) === image.name;
    if (same && !repositories.some((r) => matchRepository(r.repository) === matchRepository(entry)))
      repositories.push({ repository: entry });
  }
  const tried: string[] = [];
  for (const candidate of repositories) {
    const digestKnown = candidate.digest;
    for (const tag of tagsFor(candidate, image, context)) {
      const text = `${candidate.repository}${tag === undefined ? "" : `:${tag}`}`;
      if (tried.includes(text)) continue;
      tried.push(text);
      let ref: ImageRef;
      try {
        ref = parseImageRef(text);
      } catch (error) {
        if (error instanceof InvalidReferenceError) continue;
        throw error;
      }
      const verdicts = judge({ ...occurrence, text, image: { kind: "image", ref } }, context.rules).filter(
        (v) => v.rule !== "require-pinned-image",
      );
      if (verdicts.length > 0) continue;
      const known =
        digestKnown ?? (tag === undefined ? undefined : publishedDigest(ref, tag, context.digests));
      const kept = candidate.own && tag === image.tag ? image.digest : undefined;
      const digest = known ?? kept;
      // `alpine` means `alpine:latest`: an implicit tag kept stays implicit, unless a digest is
      // written beside it (the tag then says what the digest was pushed as).
      const implicit = tag === image.tag && !writesTag(image.raw) && digest === undefined;
      const written = tag !== undefined && !implicit;
      return {
        repository: candidate.repository,
        ...(written && { tag }),
        ...(digest && { digest }),
      };
    }
  }
  if (replacement && repositories.length > 1 && !repositories[0]?.own) {
    return {
      reason: `the replacement ${replacement.use} (policy entry for ${replacement.entry}) does not pass the policy itself at any release known (tried ${tried.join(", ") || "none"})`,
    };
  }
  if (repositories.length === 1) {
    const which = wanted.includes("require-minimal-base-images")
      ? "a minimal image"
      : "an approved repository";
    return {
      reason: `no replacement known for ${image.raw}: add a replacements entry (match: ${image.name}, use: <${which}>) to the policy`,
    };
  }
  return {
    reason: `no release of ${repositories
      .slice(1)
      .map((r) => r.repository)
      .join(
        ", ",
      )} passes the policy (tried ${tried.join(", ")}): give --digests with the library's releases, or list them under versions`,
  };
}

/** Tags to try for a repository, best first. */
function tagsFor(candidate: Candidate, image: ImageRef, context: TargetContext): (string | undefined)[] {
  if (candidate.tag !== undefined) return [candidate.tag];
  const name = lastSegment(candidate.repository);
  const repository = matchRepository(candidate.repository);
  const published = repository === undefined ? [] : publishedTags(repository, name, context.digests);
  const tags: (string | undefined)[] = [];
  const sameDistribution = candidate.own || name === image.name;
  if (
    sameDistribution &&
    image.tag !== undefined &&
    (published.length === 0 || published.includes(image.tag))
  )
    tags.push(image.tag);
  tags.push(...published);
  try {
    const ref = parseImageRef(candidate.repository);
    const newest = context.rules.policy.versions.find((v) => v.matches(ref))?.newest;
    if (newest !== undefined) tags.push(newest);
  } catch {
    // Not a reference: no versions entry can match it.
  }
  if (candidate.own && image.tag === undefined) tags.push(undefined);
  return tags;
}

/** Tags the library publishes for a repository, newest release first (the moving tag before its dated ones). */
function publishedTags(
  repository: string,
  name: string,
  digests: ReadonlyMap<string, DigestEntry> | undefined,
): string[] {
  if (!digests) return [];
  const tags: { tag: string; version: string }[] = [];
  const prefix = `${repository}:`;
  for (const key of digests.keys()) {
    if (!key.startsWith(prefix)) continue;
    const tag = key.slice(prefix.length);
    if (tag.includes(":")) continue;
    const release = releaseOfTag(name, tag);
    tags.push({ tag, version: release === undefined ? "0.0.0" : coerce(release) });
  }
  return tags
    .sort(
      (a, b) =>
        semver.compare(b.version, a.version) || a.tag.length - b.tag.length || (a.tag < b.tag ? -1 : 1),
    )
    .map((t) => t.tag);
}

function publishedDigest(
  ref: ImageRef,
  tag: string,
  digests: ReadonlyMap<string, DigestEntry> | undefined,
): string | undefined {
  return digests?.get(`${ref.match.repository}:${tag}`)?.digest;
}

/**
 * A newer digest for a library image pinned to an older one (SPEC §9 digest refresh): the newest
 * push of its tag, or — digest only — of the tag that digest was pushed as.
 */
function newerDigest(
  image: ImageRef,
  digests: ReadonlyMap<string, DigestEntry> | undefined,
): string | undefined {
  if (!digests || image.digest === undefined) return undefined;
  const tag = image.tag ?? digests.get(`${image.match.repository}@${image.digest}`)?.tag;
  const newest = tag === undefined ? undefined : digests.get(`${image.match.repository}:${tag}`);
  return newest && newest.digest !== image.digest ? newest.digest : undefined;
}

function compose(repository: string, tag: string | undefined, digest: string | undefined): NewImage {
  const text = `${repository}${tag === undefined ? "" : `:${tag}`}${digest === undefined ? "" : `@${digest}`}`;
  return { text, repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/** Whether a reference writes its tag (`alpine:3.20`, `alpine:3.20@sha256:…`), not only implies it. */
function writesTag(raw: string): boolean {
  return splitReference(raw).tag !== undefined;
}

/** The repository as the reference writes it (`ubuntu`, not `docker.io/library/ubuntu`). */
function writtenRepository(image: ImageRef): string {
  return splitReference(image.raw).name;
}

function matchRepository(repository: string): string | undefined {
  try {
    return parseImageRef(repository).match.repository;
  } catch {
    return undefined;
  }
}

function lastSegment(repository: string): string {
  return repository.slice(repository.lastIndexOf("/") + 1);
}
