/**
 * `base-image-guard eol update` (SPEC §3.4b): one product's calendar file refreshed from a file of
 * the endoflife.date API, in either of its formats — v0 (`/api/<product>.json`: a list of cycles
 * with `cycle`, `eol`, `extendedSupport`, `lts`) or v1 (`/api/v1/products/<product>`:
 * `{"result": {"releases": [{"name", "isLts", "eolFrom", "isEol", "eoesFrom", "isEoes", …}]}}`).
 * Written into `--dir`: the bundled folder, or a folder a policy names with `eol.calendar`, where
 * the product's file is created from the bundled one when it is not there yet. The whole file is
 * refused (nothing written) when a date is not a real date, a release is not a string or appears
 * twice. The write is atomic: a temporary file renamed over the old one.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError, UsageError } from "../../errors.js";
import { checkedReleases, productFromFile, releaseName, supportEndOf } from "./calendar.js";
import { type EolRelease, PRODUCTS } from "./index.js";

type Json = Record<string, unknown>;

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `${file} is not JSON (${(error as Error).message}); give the endoflife.date API file of one product`,
    );
  }
}

/** v0: `[{"cycle": "3.22", "eol": "2027-05-01", "extendedSupport": false, "lts": false}, …]`. */
function fromV0(cycles: unknown[], file: string): EolRelease[] {
  return cycles.map((raw, i) => {
    const at = `${file}: [${i}]`;
    const c = (raw ?? {}) as Json;
    const standard = supportEndOf(c.eol, `${at}.eol`);
    if (standard === undefined) throw new InputError(`${at}.eol: missing`);
    const extended = supportEndOf(c.extendedSupport, `${at}.extendedSupport`);
    return {
      release: releaseName(c.cycle, `${at}.cycle`),
      standard,
      ...(extended !== undefined && { extended }),
      // `lts` is true, false or the day LTS began.
      lts: c.lts !== undefined && c.lts !== null && c.lts !== false,
    };
  });
}

/** An end in v1 (`eol`, `eoes`): its `…From` date when there is one, else its `is…` flag. */
function endV1(r: Json, key: "eol" | "eoes", at: string): ReturnType<typeof supportEndOf> {
  const flag = key === "eol" ? "isEol" : "isEoes";
  return supportEndOf(r[`${key}From`], `${at}.${key}From`) ?? supportEndOf(r[flag], `${at}.${flag}`);
}

/** v1: `{"result": {"releases": [{"name": "3.22", "isLts": false, "eolFrom": "2027-05-01", "isEol": false, …}]}}`. */
function fromV1(releases: unknown[], file: string): EolRelease[] {
  return releases.map((raw, i) => {
    const at = `${file}: result.releases[${i}]`;
    const r = (raw ?? {}) as Json;
    const standard = endV1(r, "eol", at);
    if (standard === undefined) throw new InputError(`${at}: neither eolFrom nor isEol`);
    const extended = endV1(r, "eoes", at);
    return {
      release: releaseName(r.name, `${at}.name`),
      standard,
      ...(extended !== undefined && { extended }),
      lts: r.isLts === true,
    };
  });
}

/** The releases of an endoflife.date API file, either format. */
export function releasesFromApi(text: string, file: string): EolRelease[] {
  const data = parseJson(text, file);
  const v1 = (data as { result?: { releases?: unknown } } | null)?.result?.releases;
  const releases = Array.isArray(data)
    ? fromV0(data, file)
    : Array.isArray(v1)
      ? fromV1(v1, file)
      : undefined;
  if (!releases || releases.length === 0) {
    throw new InputError(
      `${file}: expected an endoflife.date API file of one product with releases: v0, a list such as [{"cycle": "3.22", "eol": "2027-05-01"}], or v1, {"result": {"releases": [{"name": "3.22", "eolFrom": "2027-05-01", …}]}}`,
    );
  }
  return checkedReleases(releases, file);
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
  const bundled = PRODUCTS.find((p) => p.product === product);
  if (!bundled) {
    throw new UsageError(
      `no end-of-life product ${JSON.stringify(product)}: the calendar has ${PRODUCTS.map((p) => p.product).join(", ")}`,
    );
  }
  const file = join(dir, `${product}.json`);
  const current = existsSync(file) ? productFromFile(readFileSync(file, "utf8"), file, bundled) : bundled;
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
  mkdirSync(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(temporary, file);
  return update;
}
