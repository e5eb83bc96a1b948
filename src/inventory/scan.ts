/**
 * `inventory scan` (SPEC §10): each folder — a repository's checkout — judged in audit mode under
 * the one policy given (a file, `owner/repo/path@ref`, or the built-in default), never the
 * repository's own, which the repository controls. One JSON line per repository: its name (the
 * `origin` remote's `owner/name`, else the folder's name), branch, commit, scan time, counts by rule
 * and every image occurrence with its rules and end of support. A folder that is missing, unreadable
 * or not a git work tree is a line with its error: nothing is left out without saying so.
 */
import { statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { runCheck } from "../check.js";
import { GuardError } from "../errors.js";
import { git } from "../git.js";
import { releaseOf } from "../image/release.js";
import { BUNDLED } from "../policy/eol/calendar.js";
import { endOfSupport } from "../policy/eol/index.js";
import type { LoadedPolicy } from "../policy/types.js";
import type { RuleId } from "../rules/catalog.js";
import type { SourceKind } from "../sources/types.js";

/** One occurrence of an image in a repository. */
export interface InventoryOccurrence {
  file: string;
  line: number;
  /** The image as written (after variable expansion). */
  image: string;
  /** Normalised reference; absent for an image that could not be resolved. */
  normalized?: string;
  /** Last path segment: the image's family (`ubuntu`). */
  family?: string;
  /** Calendar product and release, and when its support ends (YYYY-MM-DD, "ended", "not announced"). */
  release?: { product: string; release: string; end: string };
  rules: RuleId[];
  /** The kind of file it is in (SPEC §4): `dockerfile`, `gitlab-ci`, `devcontainer`, … */
  source: SourceKind;
}

/** One repository's line (SPEC §10). */
export interface RepositoryLine {
  version: 1;
  repository: string;
  branch?: string;
  commit?: string;
  /** ISO time of the scan. */
  scanned: string;
  /** Why it could not be judged; then nothing else is known of it. */
  error?: string;
  files?: number;
  images?: number;
  skipped?: number;
  /** Findings by rule. */
  counts?: Partial<Record<RuleId, number>>;
  /** True when an enforce-mode check would fail (an error-level finding). */
  wouldFail?: boolean;
  occurrences?: InventoryOccurrence[];
}

/** The scan time: `SOURCE_DATE_EPOCH` (seconds) when set, so reruns can be byte-identical; else now. */
export function scanTime(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d{1,12}$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}

export function scanRepository(
  dir: string,
  loaded: LoadedPolicy,
  scanned: string,
  /** Files of this repository read so far, of how many (for a progress line). */
  onProgress?: (done: number, total: number) => void,
): RepositoryLine {
  const folder = resolve(dir);
  // The folder's name, where `owner__name` (as the inventory workflow clones into) reads as owner/name.
  const fallback = basename(folder).replace(/^([A-Za-z0-9-]+)__([A-Za-z0-9._-]+)$/, "$1/$2");
  const failed = (repository: string, error: string): RepositoryLine => ({
    version: 1,
    repository,
    scanned,
    error,
  });
  try {
    if (!statSync(folder).isDirectory()) return failed(fallback, "not a folder");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return failed(
      fallback,
      code === "ENOENT" ? "the folder does not exist (did its clone fail?)" : `cannot be read (${code})`,
    );
  }
  let commit: string;
  let repository = fallback;
  let branch: string | undefined;
  try {
    if (git(folder, ["rev-parse", "--is-inside-work-tree"]).trim() !== "true")
      return failed(fallback, "not a git work tree");
    // The folder must be the work tree's root: a subfolder of another repository is not that repository.
    if (resolve(git(folder, ["rev-parse", "--show-toplevel"]).trim()) !== folder) {
      return failed(fallback, "not the root of a git work tree");
    }
    commit = git(folder, ["rev-parse", "HEAD"]).trim();
    repository = nameOfRemote(folder) ?? fallback;
    branch = git(folder, ["branch", "--show-current"]).trim() || undefined;
  } catch (error) {
    const said = error instanceof GuardError ? error.message : String(error);
    return failed(fallback, `not a git work tree with a commit (${said.split("\n")[0]})`);
  }
  const calendar = loaded.calendar ?? BUNDLED;
  const support = loaded.policy.eol?.support ?? "standard";
  const occurrences: InventoryOccurrence[] = [];
  try {
    const result = runCheck({
      paths: ["."],
      cwd: folder,
      loaded,
      // Enforce-mode severities tell which repositories would fail; the scan itself never fails.
      mode: "enforce",
      ...(onProgress && { onProgress }),
      onJudged: (occurrence, rules) => {
        const ref = occurrence.image.kind === "image" ? occurrence.image.ref : undefined;
        const found: InventoryOccurrence = {
          file: occurrence.file,
          line: occurrence.line,
          image: occurrence.text,
          rules: [...rules],
          source: occurrence.source,
        };
        if (ref) {
          found.normalized = ref.normalized;
          found.family = ref.name;
          const end = endOfSupport(calendar, ref.name, releaseOf(ref), support);
          if (end) found.release = { product: end.product, release: end.release, end: end.end };
        }
        occurrences.push(found);
      },
    });
    const counts: Partial<Record<RuleId, number>> = {};
    for (const finding of result.findings) counts[finding.rule] = (counts[finding.rule] ?? 0) + 1;
    occurrences.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    return {
      version: 1,
      repository,
      ...(branch && { branch }),
      commit,
      scanned,
      files: result.files,
      images: result.images,
      skipped: result.skipped.length,
      counts,
      wouldFail: result.findings.some((f) => f.severity === "error"),
      occurrences,
    };
  } catch (error) {
    // One repository that cannot be judged must not stop its job's others: its line says why.
    const why =
      error instanceof GuardError
        ? error.message
        : `internal error while judging it: ${(error as Error).message}`;
    return failed(repository, why);
  }
}

/** `owner/name` of the `origin` remote (https, ssh or a local path ending in `owner/name(.git)`). */
function nameOfRemote(folder: string): string | undefined {
  let url: string;
  try {
    url = git(folder, ["remote", "get-url", "origin"]).trim();
  } catch {
    return undefined;
  }
  const match = /([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(
    url.replace(/^[^:]+:(?!\/\/)/, "/"),
  );
  return match ? `${match[1]}/${match[2]}` : undefined;
}
