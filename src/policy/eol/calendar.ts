/**
 * The calendar a policy judges with (SPEC §3.4b): the bundled product files, each overridden by a
 * file of the same name in the folder a policy names with `eol.calendar`, so an adopter's refreshed
 * dates change verdicts without a new release of the tool. Every file is checked as `eol update`
 * checks what it writes: real calendar dates, releases as strings, no release twice.
 */
import { posix } from "node:path";
import { InputError } from "../../errors.js";
import { isCalendarDate } from "../dates.js";
import { type EolProduct, type EolRelease, PRODUCTS, type ProductLookup, type SupportEnd } from "./index.js";

export class Calendar implements ProductLookup {
  private readonly byImage: Map<string, EolProduct>;

  constructor(readonly products: readonly EolProduct[]) {
    this.byImage = new Map(products.flatMap((p) => p.images.map((image) => [image, p] as const)));
  }

  /** The product an image name (last path segment) is, if the calendar knows it. */
  productOf(imageName: string): EolProduct | undefined {
    return this.byImage.get(imageName);
  }
}

export const BUNDLED = new Calendar(PRODUCTS);

/** An end of support as the data files hold it: a real date, true (ended) or false (none announced). */
export function supportEndOf(value: unknown, what: string): SupportEnd | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && isCalendarDate(value)) return value;
  throw new InputError(
    `${what}: expected a real calendar date (YYYY-MM-DD), true or false, got ${JSON.stringify(value)}`,
  );
}

/**
 * A release name as the data must write it: a string. A JSON or YAML number has lost what it was
 * written as (`3.10` is the number 3.1), so it is refused, never guessed.
 */
export function releaseName(value: unknown, what: string): string {
  if (typeof value === "string" && /^[0-9A-Za-z][0-9A-Za-z._-]*$/.test(value)) return value;
  if (typeof value === "number") {
    throw new InputError(
      `${what}: the release is the number ${value}, not a string; a number loses how it was written (3.10 reads as 3.1), so write it quoted`,
    );
  }
  throw new InputError(`${what}: expected a release such as "3.22", got ${JSON.stringify(value)}`);
}

/** Releases, each named once: a second entry for a release would make its dates ambiguous. */
export function checkedReleases(releases: EolRelease[], file: string): EolRelease[] {
  const seen = new Set<string>();
  for (const r of releases) {
    if (seen.has(r.release)) throw new InputError(`${file}: release ${r.release} appears twice`);
    seen.add(r.release);
  }
  return releases;
}

/** A product file of the calendar's own format (what `eol update` writes), checked. */
export function productFromFile(text: string, file: string, bundled: EolProduct): EolProduct {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not JSON (${(error as Error).message})`);
  }
  const object = (data ?? {}) as Partial<Record<keyof EolProduct, unknown>>;
  if (typeof data !== "object" || Array.isArray(data) || !Array.isArray(object.releases)) {
    throw new InputError(
      `${file}: expected a calendar file as base-image-guard eol update --dir writes it ({"product", "releases": [...]})`,
    );
  }
  if (object.product !== undefined && object.product !== bundled.product) {
    throw new InputError(
      `${file}: holds product ${JSON.stringify(object.product)}, expected ${bundled.product}`,
    );
  }
  const releases = (object.releases as unknown[]).map((raw, i) => {
    const at = `${file}: releases[${i}]`;
    const r = (raw ?? {}) as Record<string, unknown>;
    const standard = supportEndOf(r.standard, `${at}.standard`);
    if (standard === undefined) throw new InputError(`${at}.standard: missing`);
    const extended = supportEndOf(r.extended, `${at}.extended`);
    return {
      release: releaseName(r.release, `${at}.release`),
      standard,
      ...(extended !== undefined && { extended }),
      lts: r.lts === true,
    };
  });
  return {
    product: bundled.product,
    images: bundled.images,
    source: typeof object.source === "string" ? object.source : bundled.source,
    taken: typeof object.taken === "string" ? object.taken : bundled.taken,
    releases: checkedReleases(releases, file),
  };
}

/** The files a calendar folder may hold: one per bundled product. */
export function calendarFiles(dir: string): { product: EolProduct; path: string }[] {
  return PRODUCTS.map((product) => ({ product, path: posix.join(dir, `${product.product}.json`) }));
}

/**
 * The bundled calendar with each product that `dir` has a file for replaced by that file. A
 * folder with none of the product files is an error: a mistyped folder must not leave the
 * bundled dates in force without a word.
 */
export function loadCalendar(dir: string, read: (path: string) => string | undefined): Calendar {
  let found = 0;
  const products = calendarFiles(dir).map(({ product, path }) => {
    const text = read(path);
    if (text === undefined) return product;
    found++;
    return productFromFile(text, path, product);
  });
  if (found === 0) {
    throw new InputError(
      `eol.calendar: ${dir} holds none of the calendar's product files (${PRODUCTS.map((p) => `${p.product}.json`).join(", ")}); write them with base-image-guard eol update --dir ${dir}`,
    );
  }
  return new Calendar(products);
}
