/**
 * `base-image-guard eol update` (SPEC §3.4b): one product's data file refreshed from a file in the
 * endoflife.date API format (`https://endoflife.date/api/<product>.json`: a list of release
 * cycles with `cycle`, `eol`, `extendedSupport`, `lts`). The product's image names and source stay;
 * the releases and the day taken are replaced. Prints what changed.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError, UsageError } from "../../errors.js";
import type { EolProduct, EolRelease, SupportEnd } from "./index.js";

interface ApiCycle {
  cycle?: unknown;
  eol?: unknown;
  extendedSupport?: unknown;
  lts?: unknown;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseEnd(value: unknown, what: string): SupportEnd | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && DATE.test(value)) return value;
  throw new InputError(`${what}: expected a date (YYYY-MM-DD), true or false, got ${JSON.stringify(value)}`);
}

function releasesFromApi(text: string, file: string): EolRelease[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `${file} is not JSON (${(error as Error).message}); give the endoflife.date API file of one product`,
    );
  }
  if (!Array.isArray(data) || data.length === 0) {
    throw new InputError(
      `${file}: expected the endoflife.date API list of release cycles, such as [{"cycle": "3.22", "eol": "2027-05-01"}]`,
    );
  }
  return (data as ApiCycle[]).map((c, i) => {
    const at = `${file}: [${i}]`;
    if (typeof c?.cycle !== "string" && typeof c?.cycle !== "number")
      throw new InputError(`${at}.cycle: expected a release such as "3.22"`);
    const standard = parseEnd(c.eol, `${at}.eol`);
    if (standard === undefined) throw new InputError(`${at}.eol: missing`);
    const extended = parseEnd(c.extendedSupport, `${at}.extendedSupport`);
    return {
      release: String(c.cycle),
      standard,
      ...(extended !== undefined && { extended }),
      lts: c.lts !== undefined && c.lts !== false,
    };
  });
}

export interface EolUpdate {
  file: string;
  added: string[];
  changed: string[];
  removed: string[];
}

export function updateProduct(
  dir: string,
  product: string,
  text: string,
  from: string,
  today: string,
): EolUpdate {
  const file = join(dir, `${product}.json`);
  if (!/^[a-z0-9-]+$/.test(product) || !existsSync(file)) {
    throw new UsageError(
      `no end-of-life data for ${product} in ${dir} (one file per product, such as alpine.json)`,
    );
  }
  const current = JSON.parse(readFileSync(file, "utf8")) as EolProduct & { $comment?: string };
  const releases = releasesFromApi(text, from);
  const before = new Map(current.releases.map((r) => [r.release, JSON.stringify(r)]));
  const after = new Map(releases.map((r) => [r.release, JSON.stringify(r)]));
  const update: EolUpdate = {
    file,
    added: releases.filter((r) => !before.has(r.release)).map((r) => r.release),
    changed: releases
      .filter((r) => before.has(r.release) && before.get(r.release) !== after.get(r.release))
      .map((r) => r.release),
    removed: current.releases.filter((r) => !after.has(r.release)).map((r) => r.release),
  };
  const next = {
    $comment: `End of support per release, from ${current.source} (refreshed with base-image-guard eol update on ${today}).`,
    product: current.product,
    images: current.images,
    source: current.source,
    taken: today,
    releases,
  };
  writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
  return update;
}
