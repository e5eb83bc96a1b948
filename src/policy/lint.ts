/**
 * Policy lint: valid entries that probably do not say what was meant. Warnings, never errors.
 */
import { hasGlob } from "./glob.js";
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
      if (hasGlob(entry) && GLOB_AFTER_NAME.test(entry)) {
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
