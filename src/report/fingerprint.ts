/**
 * Line-independent fingerprints of findings: rule, file and image, and which occurrence of that
 * triple in the file it is. A finding keeps its fingerprint when lines above it move; a second
 * `FROM centos:7` in the same file is a new finding. SARIF's partialFingerprints and baselines use
 * the same function.
 */
import { createHash } from "node:crypto";

export interface Fingerprinted {
  rule: string;
  file: string;
  image: string;
}

/** Fingerprints of `items`, in their order (the nth occurrence of a triple counts from the first). */
export function fingerprints(items: Iterable<Fingerprinted>): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const { rule, file, image } of items) {
    const key = `${rule}\u0000${file}\u0000${image}`;
    const nth = (seen.get(key) ?? 0) + 1;
    seen.set(key, nth);
    out.push(createHash("sha256").update(`${key}\u0000${nth}`).digest("hex").slice(0, 32));
  }
  return out;
}
