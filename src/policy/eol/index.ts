/**
 * The end-of-life calendar (SPEC §3.4b): one JSON file per product in this folder, each release
 * with its end of standard (and, where there is one, extended) support and the public page it
 * came from. Data, not code: `scripts/eol-seed.mjs` and `base-image-guard eol update` write them.
 */
import almalinux from "./almalinux.json" with { type: "json" };
import alpine from "./alpine.json" with { type: "json" };
import amazonlinux from "./amazonlinux.json" with { type: "json" };
import centos from "./centos.json" with { type: "json" };
import debian from "./debian.json" with { type: "json" };
import eclipseTemurin from "./eclipse-temurin.json" with { type: "json" };
import fedora from "./fedora.json" with { type: "json" };
import golang from "./golang.json" with { type: "json" };
import nginx from "./nginx.json" with { type: "json" };
import node from "./node.json" with { type: "json" };
import postgres from "./postgres.json" with { type: "json" };
import python from "./python.json" with { type: "json" };
import redis from "./redis.json" with { type: "json" };
import rockylinux from "./rockylinux.json" with { type: "json" };
import ubuntu from "./ubuntu.json" with { type: "json" };

/** A date (YYYY-MM-DD), true (ended, no day published) or false (no end announced). */
export type SupportEnd = string | boolean;

export interface EolRelease {
  release: string;
  standard: SupportEnd;
  extended?: SupportEnd;
  lts: boolean;
}

export interface EolProduct {
  product: string;
  /** Image names (last path segment) that are this product. */
  images: string[];
  source: string;
  /** When the data was taken from its source. */
  taken: string;
  releases: EolRelease[];
}

export const PRODUCTS: readonly EolProduct[] = [
  alpine,
  debian,
  ubuntu,
  centos,
  rockylinux,
  almalinux,
  fedora,
  amazonlinux,
  node,
  python,
  golang,
  eclipseTemurin,
  nginx,
  postgres,
  redis,
] as EolProduct[];

const BY_IMAGE = new Map(PRODUCTS.flatMap((p) => p.images.map((image) => [image, p] as const)));

export function productOf(imageName: string): EolProduct | undefined {
  return BY_IMAGE.get(imageName);
}

/**
 * The product release an image release belongs to: the longest listed release it is or continues
 * (`3.20.3` → `3.20`, node `20.11.1` → `20`); undefined for a release the calendar does not list.
 */
export function cycleOf(product: EolProduct, release: string): EolRelease | undefined {
  let best: EolRelease | undefined;
  for (const r of product.releases) {
    if (release !== r.release && !release.startsWith(`${r.release}.`)) continue;
    if (!best || r.release.length > best.release.length) best = r;
  }
  return best;
}

/** When support ends for `support`: the extended date where there is one, else the standard one. */
export function supportEnd(r: EolRelease, support: "standard" | "extended"): SupportEnd {
  if (support === "extended" && typeof r.extended === "string") return r.extended;
  return r.standard;
}
