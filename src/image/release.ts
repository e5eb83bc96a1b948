/**
 * The release an image tag names (SPEC §3.2): `3.12.12-slim` → `3.12.12`, `bionic-20230530` → `18.04`
 * for ubuntu. Codenames are data (codenames.json), looked up by the image's last path segment.
 */
import codenameData from "./codenames.json" with { type: "json" };
import type { ImageRef } from "./reference.js";

type CodenameTable = Record<string, Record<string, string>>;
const { $comment: _source, ...codenames } = codenameData;
const CODENAMES: CodenameTable = codenames;

/** The codename table, by the image's last path segment. */
export function codenamesOf(): Readonly<CodenameTable> {
  return CODENAMES;
}

const LEADING_VERSION = /^(\d+(?:\.\d+)*)(?=$|[^\d.]|\.(?!\d))/;
const FIRST_WORD = /^[a-z]+/;

/** The release a tag names for an image called `name`, or undefined when the tag does not say (`latest`). */
export function releaseOfTag(name: string, tag: string | undefined): string | undefined {
  if (tag === undefined) return undefined;
  const version = LEADING_VERSION.exec(tag);
  if (version) return version[1];
  const codenames = CODENAMES[name];
  if (!codenames) return undefined;
  const word = FIRST_WORD.exec(tag)?.[0];
  return word !== undefined && Object.hasOwn(codenames, word) ? codenames[word] : undefined;
}

export function releaseOf(image: ImageRef): string | undefined {
  return releaseOfTag(image.name, image.tag);
}

/**
 * True when `release` is `wanted` or continues it at a component boundary:
 * `3.12.12` is release `3.12`; `3.120` and `3.1` are not.
 */
export function releaseMatches(release: string, wanted: string): boolean {
  return release === wanted || release.startsWith(`${wanted}.`);
}
