/**
 * Policy lint: valid entries that probably do not say what was meant. Warnings, never errors.
 */

import { hasGlob } from "../glob.js";
import { normalizeGlob, normalizeRepository } from "../image/reference.js";
import type { CompiledPolicy } from "./compile.js";
import type { Policy } from "./types.js";

/** A `*` or `?` glued to a name (`…/alpine*`) also matches `…/alpine-evil` (SPEC §3.1). */
const GLOB_AFTER_NAME = /[a-z0-9._-][*?]/;

export function lintPolicy(policy: Policy, today = new Date()): string[] {
  const warnings: string[] = [];
  const lists: [string, string[] | undefined][] = [
    ["approved", policy.approved],
    ["minimal.images", policy.minimal?.images],
  ];
  for (const [key, entries] of lists) {
    entries?.forEach((entry, i) => {
      if (hasGlob(entry) && !normalizeGlob(entry).replace(/\*\*/g, "/").includes("/")) {
        warnings.push(
          `${key}[${i}]: "${entry}" can never match: "*" stops at "/", and every repository has one ` +
            '(docker.io/library/nginx); write "**" to match everything, or name the repositories',
        );
      } else if (hasGlob(entry) && GLOB_AFTER_NAME.test(entry)) {
        const example = entry.replace(/\*\*?|\?/, "-evil");
        warnings.push(
          `${key}[${i}]: "${entry}" can match more than intended (for example ${example}); ` +
            'list exact repositories, or end a path with "/*" to allow everything below it',
        );
      }
    });
  }
  const isoToday = today.toISOString().slice(0, 10);
  policy.exceptions.forEach((exception, i) => {
    if (exception.expires < isoToday) {
      warnings.push(`exceptions[${i}]: the exception for ${exception.image} expired on ${exception.expires}`);
    }
  });
  return warnings;
}

/**
 * Warnings that need the scanned images (SPEC §3): an exact `approved` or `minimal.images` entry
 * that matches none of them while some live below it was probably meant as a namespace.
 * `repositories` are the scanned images' repositories as matched (`ImageRef.match.repository`).
 */
export function lintAgainstImages(policy: CompiledPolicy, repositories: ReadonlySet<string>): string[] {
  const warnings: string[] = [];
  const lists = [
    ["approved", policy.approved],
    ["minimal.images", policy.minimal?.images],
  ] as const;
  for (const [key, entries] of lists) {
    entries?.forEach(({ entry }, i) => {
      if (hasGlob(entry)) return;
      const repository = normalizedEntry(entry);
      // An exact entry matches exactly its repository (SPEC §3.1).
      if (repositories.has(repository)) return;
      const prefix = `${repository}/`;
      const below = [...repositories].find((used) => used.startsWith(prefix));
      if (below) {
        warnings.push(
          `${key}[${i}]: "${entry}" is a repository and matches no image, but ${below} is used: did you mean "${entry}/**"?`,
        );
      }
    });
  }
  return warnings;
}

function normalizedEntry(entry: string): string {
  try {
    return normalizeRepository(entry);
  } catch {
    return entry;
  }
}
