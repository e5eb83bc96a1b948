/**
 * `inventory merge` (SPEC §10): the JSON lines of every scan job, streamed line by line (each line's
 * occurrences are folded into counts and let go), into one inventory: repositories judged and not,
 * images by use, rules by repository, the releases in use by end of support, deprecated images
 * still in use, repositories that would fail in enforce mode, and with a previous inventory what
 * changed since. It carries no clock of its own — its date is the newest scan time of its inputs —
 * and everything is sorted, so the same inputs give the same bytes in any order.
 */
import { createReadStream, readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import type { RepositoryLine } from "./scan.js";

export interface RepositoryRow {
  repository: string;
  branch?: string;
  commit?: string;
  scanned: string;
  error?: string;
  images: number;
  findings: number;
  counts: Record<string, number>;
  wouldFail: boolean;
}

export interface ImageUse {
  image: string;
  family: string;
  repositories: number;
  occurrences: number;
  rules: string[];
  /** End of support of its release, where the calendar knows it. */
  end?: string;
  release?: string;
  /** The repositories that use it, with how often. */
  usedBy: { repository: string; occurrences: number }[];
}

export interface ReleaseUse {
  product: string;
  release: string;
  end: string;
  repositories: number;
  occurrences: number;
}

export interface Inventory {
  version: 1;
  /** The newest scan time among the inputs (the inventory has no clock of its own). */
  date: string;
  summary: {
    repositories: number;
    judged: number;
    failed: number;
    wouldFail: number;
    clean: number;
    images: number;
    occurrences: number;
  };
  repositories: RepositoryRow[];
  images: ImageUse[];
  rules: { rule: string; findings: number; repositories: number }[];
  releases: ReleaseUse[];
  deprecated: string[];
  changes?: {
    previousDate: string;
    newUses: { image: string; repository: string }[];
    removedUses: { image: string; repository: string }[];
    becameClean: string[];
  };
}

interface ImageAcc {
  family: string;
  occurrences: number;
  byRepository: Map<string, number>;
  rules: Set<string>;
  end?: string;
  release?: string;
}

/** Each repository line of the files, in order, with where it is (`file:line`); a bad line is an error naming it. */
async function eachLine(
  files: readonly string[],
  visit: (line: RepositoryLine, at: string) => void,
): Promise<void> {
  for (const file of files) {
    let lineNumber = 0;
    const take = (text: string) => {
      lineNumber++;
      if (text.trim() === "") return;
      let line: RepositoryLine;
      try {
        line = JSON.parse(text) as RepositoryLine;
      } catch (error) {
        throw new InputError(
          `${file}:${lineNumber} is not a JSON line (${(error as Error).message}); give the files inventory scan wrote`,
        );
      }
      if (typeof line?.repository !== "string" || typeof line.scanned !== "string") {
        throw new InputError(
          `${file}:${lineNumber}: expected a repository line of inventory scan (repository, scanned)`,
        );
      }
      visit(line, `${file}:${lineNumber}`);
    };
    // The stream's own async iteration, split by hand: readline's iterator can end early on Node 20
    // when the file is read faster than it is iterated, and the run then exits as if it were done.
    let rest = "";
    try {
      for await (const chunk of createReadStream(file, { encoding: "utf8" })) {
        const text = rest + (chunk as string);
        let start = 0;
        for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
          take(text.slice(start, end).replace(/\r$/, ""));
          start = end + 1;
        }
        rest = text.slice(start);
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
    }
    if (rest !== "") take(rest);
  }
}

/** Reads the scan files and merges them; `previous` is an earlier inventory.json's text. */
export async function mergeInventory(
  files: readonly string[],
  previous?: { text: string; file: string },
): Promise<Inventory> {
  const rows = new Map<string, RepositoryRow>();
  const images = new Map<string, ImageAcc>();
  const releases = new Map<
    string,
    { product: string; release: string; end: string; repositories: Set<string>; occurrences: number }
  >();
  const ruleRepositories = new Map<string, Set<string>>();
  // A repository scanned twice counts once: its newest scan (the later commit on a tie). A first
  // pass finds each repository's line, so the second folds only those and keeps nothing per line.
  const winners = new Map<string, { key: string; at: string }>();
  await eachLine(files, (line, at) => {
    const key = `${line.scanned}\0${line.commit ?? ""}`;
    const seen = winners.get(line.repository);
    if (!seen || key > seen.key) winners.set(line.repository, { key, at });
  });
  await eachLine(files, (line, at) => {
    if (winners.get(line.repository)?.at !== at) return;
    fold(line, images, releases, ruleRepositories);
    const counts = Object.fromEntries(
      Object.entries(line.counts ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)),
    ) as Record<string, number>;
    rows.set(line.repository, {
      repository: line.repository,
      ...(line.branch !== undefined && { branch: line.branch }),
      ...(line.commit !== undefined && { commit: line.commit }),
      scanned: line.scanned,
      ...(line.error !== undefined && { error: line.error }),
      images: line.images ?? 0,
      findings: Object.values(counts).reduce((a, b) => a + b, 0),
      counts,
      wouldFail: line.wouldFail === true,
    });
  });

  const byName = <T>(list: T[], name: (t: T) => string) =>
    list.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  const repositories = byName([...rows.values()], (r) => r.repository);
  // Each image's counts are turned into its entry and let go, so both never live at once.
  const imageList: ImageUse[] = [];
  for (const [image, acc] of images) {
    imageList.push({
      image,
      family: acc.family,
      repositories: acc.byRepository.size,
      occurrences: acc.occurrences,
      rules: [...acc.rules].sort(),
      ...(acc.end !== undefined && { end: acc.end }),
      ...(acc.release !== undefined && { release: acc.release }),
      usedBy: byName(
        [...acc.byRepository].map(([repository, occurrences]) => ({ repository, occurrences })),
        (u) => u.repository,
      ),
    });
    images.delete(image);
  }
  imageList.sort(
    (a, b) =>
      b.repositories - a.repositories || b.occurrences - a.occurrences || (a.image < b.image ? -1 : 1),
  );
  const endOrder = (end: string) => (end === "ended" ? "0" : end === "not announced" ? "9" : `1${end}`);
  const releaseList = [...releases.values()]
    .map((r) => ({
      product: r.product,
      release: r.release,
      end: r.end,
      repositories: r.repositories.size,
      occurrences: r.occurrences,
    }))
    .sort((a, b) =>
      endOrder(a.end) < endOrder(b.end)
        ? -1
        : endOrder(a.end) > endOrder(b.end)
          ? 1
          : `${a.product} ${a.release}` < `${b.product} ${b.release}`
            ? -1
            : 1,
    );
  const rules = [...ruleRepositories]
    .map(([rule, set]) => ({
      rule,
      findings: repositories.reduce((sum, r) => sum + (r.counts[rule] ?? 0), 0),
      repositories: set.size,
    }))
    .sort((a, b) => (a.rule < b.rule ? -1 : 1));
  const judged = repositories.filter((r) => r.error === undefined);
  const inventory: Inventory = {
    version: 1,
    // biome-ignore lint/complexity/useMathMinMax: ISO times are compared as strings, which Math.max cannot.
    date: repositories.reduce((newest, r) => (r.scanned > newest ? r.scanned : newest), ""),
    summary: {
      repositories: repositories.length,
      judged: judged.length,
      failed: repositories.length - judged.length,
      wouldFail: judged.filter((r) => r.wouldFail).length,
      clean: judged.filter((r) => r.findings === 0).length,
      images: imageList.length,
      occurrences: imageList.reduce((sum, i) => sum + i.occurrences, 0),
    },
    repositories,
    images: imageList,
    rules,
    releases: releaseList,
    deprecated: imageList.filter((i) => i.rules.includes("block-deprecated-base-images")).map((i) => i.image),
  };
  if (previous) inventory.changes = changesSince(inventory, previous);
  return inventory;
}

function fold(
  line: RepositoryLine,
  images: Map<string, ImageAcc>,
  releases: Map<
    string,
    { product: string; release: string; end: string; repositories: Set<string>; occurrences: number }
  >,
  ruleRepositories: Map<string, Set<string>>,
): void {
  for (const [rule, count] of Object.entries(line.counts ?? {})) {
    if (!count) continue;
    const set = ruleRepositories.get(rule) ?? new Set();
    set.add(line.repository);
    ruleRepositories.set(rule, set);
  }
  for (const o of line.occurrences ?? []) {
    const image = o.normalized ?? o.image;
    let acc = images.get(image);
    if (!acc) {
      acc = { family: o.family ?? "(unresolved)", occurrences: 0, byRepository: new Map(), rules: new Set() };
      if (o.release) {
        acc.end = o.release.end;
        acc.release = `${o.release.product} ${o.release.release}`;
      }
      images.set(image, acc);
    }
    acc.occurrences++;
    acc.byRepository.set(line.repository, (acc.byRepository.get(line.repository) ?? 0) + 1);
    for (const rule of o.rules) acc.rules.add(rule);
    if (o.release) {
      const key = `${o.release.product} ${o.release.release}`;
      const r = releases.get(key) ?? { ...o.release, repositories: new Set(), occurrences: 0 };
      r.repositories.add(line.repository);
      r.occurrences++;
      releases.set(key, r);
    }
  }
}

function changesSince(
  now: Inventory,
  previous: { text: string; file: string },
): NonNullable<Inventory["changes"]> {
  let before: Inventory;
  try {
    before = JSON.parse(previous.text) as Inventory;
  } catch (error) {
    throw new InputError(`--previous ${previous.file} is not JSON (${(error as Error).message})`);
  }
  if (before?.version !== 1 || !Array.isArray(before.images) || !Array.isArray(before.repositories)) {
    throw new InputError(
      `--previous ${previous.file}: expected an inventory.json that inventory merge wrote`,
    );
  }
  const pairs = (inventory: Inventory) => {
    const set = new Set<string>();
    for (const image of inventory.images)
      for (const use of image.usedBy ?? []) set.add(`${image.image}\0${use.repository}`);
    return set;
  };
  const was = pairs(before);
  const is = pairs(now);
  const split = (key: string) => {
    const [image = "", repository = ""] = key.split("\0");
    return { image, repository };
  };
  const order = (a: { image: string; repository: string }, b: { image: string; repository: string }) =>
    a.repository < b.repository
      ? -1
      : a.repository > b.repository
        ? 1
        : a.image < b.image
          ? -1
          : a.image > b.image
            ? 1
            : 0;
  const findingsBefore = new Map(before.repositories.map((r) => [r.repository, r.findings]));
  return {
    previousDate: before.date,
    newUses: [...is]
      .filter((k) => !was.has(k))
      .map(split)
      .sort(order),
    removedUses: [...was]
      .filter((k) => !is.has(k))
      .map(split)
      .sort(order),
    becameClean: now.repositories
      .filter((r) => r.error === undefined && r.findings === 0 && (findingsBefore.get(r.repository) ?? 0) > 0)
      .map((r) => r.repository),
  };
}

export function readPrevious(file: string): { text: string; file: string } {
  try {
    return { text: readFileSync(file, "utf8"), file };
  } catch (error) {
    throw new InputError(`cannot read --previous ${file}: ${(error as Error).message}`);
  }
}
