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

/** Finds the product an image name (last path segment) is: the bundled calendar or a policy's. */
export interface ProductLookup {
  productOf(imageName: string): EolProduct | undefined;
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

/** Days from `today` to `end` (both YYYY-MM-DD); negative once past. */
export function daysUntil(end: string, today: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** Whether support that ends at `end` has ended by `today` (`true`: ended, no day published). */
export function hasEnded(end: SupportEnd, today: string): boolean {
  return end === true || (typeof end === "string" && end < today);
}

/**
 * The calendar's release of an image and when its support ends, as reports show it: a date, "ended"
 * or "not announced" (`date` tells a date apart). Undefined for a product or release it does not list.
 */
export function endOfSupport(
  calendar: ProductLookup,
  imageName: string,
  release: string | undefined,
  support: "standard" | "extended",
): { product: string; release: string; end: string; date: boolean } | undefined {
  const product = calendar.productOf(imageName);
  const cycle = product && release !== undefined ? cycleOf(product, release) : undefined;
  if (!product || !cycle) return undefined;
  const end = supportEnd(cycle, support);
  return {
    product: product.product,
    release: cycle.release,
    end: typeof end === "string" ? end : end ? "ended" : "not announced",
    date: typeof end === "string",
  };
}

/** A release in use, for the job summary: when its support ends and how many images use it. */
export interface ReleaseInUse {
  product: string;
  release: string;
  /** YYYY-MM-DD, or "ended" / "not announced". */
  end: string;
  /** Days from the day judged to the end; negative once past; undefined without a date. */
  daysLeft?: number;
  images: number;
}

/** Tallies the releases images use, against the calendar (SPEC §3.4b summary). */
export class ReleaseTally {
  private readonly byKey = new Map<string, ReleaseInUse>();

  constructor(
    private readonly today: string,
    private readonly support: "standard" | "extended",
    private readonly calendar: ProductLookup,
  ) {}

  add(imageName: string, release: string | undefined): void {
    const found = endOfSupport(this.calendar, imageName, release, this.support);
    if (!found) return;
    const key = `${found.product} ${found.release}`;
    const known = this.byKey.get(key);
    if (known) {
      known.images++;
      return;
    }
    const days = found.date ? daysUntil(found.end, this.today) : undefined;
    this.byKey.set(key, {
      product: found.product,
      release: found.release,
      end: found.end,
      ...(days !== undefined && { daysLeft: days }),
      images: 1,
    });
  }

  /** Soonest end first; releases with no announced end last. */
  list(): ReleaseInUse[] {
    const order = (r: ReleaseInUse) => (r.end === "ended" ? -Infinity : (r.daysLeft ?? Infinity));
    return [...this.byKey.values()].sort((a, b) => order(a) - order(b));
  }
}
