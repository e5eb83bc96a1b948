/**
 * digests.json (issue 13): what the weekly rebuild pushed — image, tag, digest, date — written by
 * `rebuild --digests FILE` (the Action's `digests` output), and read by `check --digests FILE` so a
 * `require-pinned-image` finding names the exact digest to pin to (SPEC §3.4a).
 */
import { InputError } from "./errors.js";
import { InvalidReferenceError, parseImageRef } from "./image/reference.js";
import type { ImageOutcome } from "./rebuild/pipeline.js";

export interface DigestEntry {
  /** Repository, such as registry.example.com/base/alpine. */
  image: string;
  tag: string;
  digest: string;
  /** YYYY-MM-DD, the day it was pushed. */
  date: string;
}

export interface DigestsFile {
  version: 1;
  images: DigestEntry[];
}

/** Every tag of every pushed image, with the digest the registry reported. */
export function digestsOf(outcomes: readonly ImageOutcome[], date: Date): DigestsFile {
  const day = date.toISOString().slice(0, 10);
  const images: DigestEntry[] = [];
  for (const outcome of outcomes) {
    if (outcome.status !== "pushed" || !outcome.digest) continue;
    for (const ref of outcome.tags) {
      const at = ref.lastIndexOf(":");
      images.push({ image: ref.slice(0, at), tag: ref.slice(at + 1), digest: outcome.digest, date: day });
    }
  }
  return { version: 1, images };
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Digests by normalised `repository:tag` (as policies match: host lower-cased, Docker Hub folded);
 * a tag listed more than once keeps its newest date. Each digest is also listed by
 * `repository@digest`, so the tag an old digest was pushed as can be found.
 */
export function readDigests(text: string, file: string): Map<string, DigestEntry> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `digests ${file} is not JSON (${(error as Error).message}); give the digests.json a rebuild wrote`,
    );
  }
  const images = (data as { images?: unknown } | null)?.images;
  if (!Array.isArray(images))
    throw new InputError(`digests ${file}: expected {"images": [...]} as rebuild --digests writes it`);
  const byRef = new Map<string, DigestEntry>();
  images.forEach((entry: Partial<DigestEntry>, i) => {
    const { image, tag, digest, date } = entry ?? {};
    if (
      typeof image !== "string" ||
      typeof tag !== "string" ||
      typeof digest !== "string" ||
      !DIGEST.test(digest)
    ) {
      throw new InputError(`digests ${file}: images[${i}] needs image, tag and a sha256 digest`);
    }
    let key: string;
    try {
      key = `${parseImageRef(`${image}:${tag}`).match.repository}:${tag}`;
    } catch (error) {
      if (error instanceof InvalidReferenceError)
        throw new InputError(`digests ${file}: images[${i}]: ${error.message}`);
      throw error;
    }
    // A tag pushed on several days: the newest push is what the tag names now (SPEC §9 digest refresh).
    const day = typeof date === "string" ? date : "";
    const previous = byRef.get(key);
    const pushed = { image, tag, digest, date: day };
    if (!previous || previous.date <= day) byRef.set(key, pushed);
    // Every digest ever pushed, by `repository@digest`: an image pinned to an old one finds its tag.
    byRef.set(`${key.slice(0, key.length - tag.length - 1)}@${digest}`, pushed);
  });
  return byRef;
}
