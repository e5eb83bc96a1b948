/**
 * Which path each file took (issue 24): for YAML the line scanner, js-yaml with `image:` lines
 * paired (manifests the scanner leaves), or the exact parser (`yaml`) as fallback — and
 * `exactOnly`, read by the exact parser from the start (JSON, kustomize inline patches); for
 * Dockerfiles the fast path or dockerfile-ast. Counted always — two increments per file —
 * and printed only where asked (`npm run bench` sets BASE_IMAGE_GUARD_PATH_STATS).
 */
export const pathStats = {
  yaml: { scanned: 0, jsYaml: 0, exact: 0, exactOnly: 0 },
  dockerfile: { fast: 0, exact: 0 },
  /** Threads that read files in the last run (`--jobs`; 1 when there were too few files for more). */
  readers: 1,
};
