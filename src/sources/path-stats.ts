/**
 * Which path each file took (issue 24): the hand-written fast paths, or the exact parsers
 * (`yaml` for YAML, dockerfile-ast for Dockerfiles). Counted always — two increments per file —
 * and printed only where asked (`npm run bench` sets BASE_IMAGE_GUARD_PATH_STATS).
 */
export const pathStats = {
  yaml: { fast: 0, exact: 0, exactByRole: 0 },
  dockerfile: { fast: 0, exact: 0 },
};
