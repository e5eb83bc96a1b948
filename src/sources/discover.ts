/**
 * Which files to read (SPEC §2 include/exclude, §4): walks the given paths, honours `.gitignore`
 * files on the way down, and classifies each file as YAML (by extension, first) or Dockerfile.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";
import { InputError } from "../errors.js";

export type FileKind = "dockerfile" | "yaml";

export interface Candidate {
  /** Relative to the working directory, `/`-separated: what reports print. */
  path: string;
  absolute: string;
  kind: FileKind;
}

export interface DiscoverOptions {
  cwd: string;
  include: string[];
  exclude: string[];
}

const YAML_EXTENSION = /\.ya?ml$/i;
const DOCKERFILE_NAME = /^(?:Dockerfile|Containerfile)(?:\..+)?$|\.(?:Dockerfile|Containerfile)$/i;

/** YAML by extension before any Dockerfile name pattern (SPEC §4): `Dockerfile.yaml` is YAML. */
export function fileKind(name: string): FileKind | undefined {
  if (YAML_EXTENSION.test(name)) return "yaml";
  if (DOCKERFILE_NAME.test(name)) return "dockerfile";
  return undefined;
}

/** The path reports print for a file: `path` is relative to where globs match, `absolute` is its full path. */
type DisplayOf = (path: string, absolute: string) => string;

interface IgnoreScope {
  /** Folder of the .gitignore, relative to the working directory ("" for the working directory). */
  base: string;
  rules: Ignore;
}

export function discoverFiles(paths: string[], options: DiscoverOptions): Candidate[] {
  // dotAll: a path may hold a line break, and must still match `**` (and never slip past a check).
  const matchOptions = { dot: true, flags: "s" };
  const included = picomatch(options.include, matchOptions);
  const excluded = options.exclude.length > 0 ? picomatch(options.exclude, matchOptions) : () => false;
  const found = new Map<string, Candidate>();
  const toPosix = (path: string) => (sep === "/" ? path : path.split(sep).join("/"));

  const ignoredBy = (scopes: IgnoreScope[], path: string, isDirectory: boolean) =>
    scopes.some(({ base, rules }) => {
      const inside = base === "" ? path : path.slice(base.length + 1);
      return inside !== "" && !inside.startsWith("../") && rules.ignores(isDirectory ? `${inside}/` : inside);
    });

  /** `relativeDir` is `absoluteDir` relative to `matchBase`, built up on the way down (no path.relative per file). */
  const walk = (
    absoluteDir: string,
    relativeDir: string,
    scopes: IgnoreScope[],
    display: DisplayOf,
  ): void => {
    const entries = readdirSync(absoluteDir, { withFileTypes: true });
    if (entries.some((e) => e.name === ".gitignore" && e.isFile())) {
      const rules = ignore().add(readFileSync(join(absoluteDir, ".gitignore"), "utf8"));
      scopes = [...scopes, { base: relativeDir, rules }];
    }
    for (const entry of entries) {
      const absolute = `${absoluteDir}${sep}${entry.name}`;
      const path = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name === ".git" || excluded(path) || ignoredBy(scopes, path, true)) continue;
        walk(absolute, path, scopes, display);
      } else if (entry.isFile()) {
        if (!included(path) || excluded(path) || ignoredBy(scopes, path, false)) continue;
        found.set(absolute, {
          path: display(path, absolute),
          absolute,
          kind: fileKind(entry.name) ?? "dockerfile",
        });
      }
    }
  };

  for (const given of paths) {
    const absolute = isAbsolute(given) ? given : resolve(options.cwd, given);
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(absolute);
    } catch {
      throw new InputError(`path ${given} does not exist`);
    }
    if (stats.isFile()) {
      // A file named on the command line is read whatever its name.
      const kind = fileKind(absolute.split(sep).pop() ?? "") ?? "dockerfile";
      found.set(absolute, { path: displayPath(options.cwd, absolute), absolute, kind });
      continue;
    }
    // Globs and .gitignore files match paths relative to the working directory, or to the scanned
    // folder when it lies outside it.
    const fromCwd = toPosix(relative(options.cwd, absolute));
    if (fromCwd === ".." || fromCwd.startsWith("../")) {
      walk(absolute, "", [], (_path, file) => displayPath(options.cwd, file));
    } else {
      walk(absolute, fromCwd, ancestorScopes(options.cwd, absolute), (path) => path);
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** .gitignore files between the working directory and a scanned folder below it. */
function ancestorScopes(cwd: string, dir: string): IgnoreScope[] {
  const scopes: IgnoreScope[] = [];
  for (let current = dirname(dir); current.startsWith(cwd) && current !== dir; current = dirname(current)) {
    const file = join(current, ".gitignore");
    if (existsSync(file)) {
      const base = relative(cwd, current).split(sep).join("/");
      scopes.unshift({ base, rules: ignore().add(readFileSync(file, "utf8")) });
    }
    if (current === cwd) break;
  }
  return scopes;
}

export function displayPath(cwd: string, absolute: string): string {
  const path = relative(cwd, absolute);
  return (path === "" ? "." : path).split(sep).join("/");
}
