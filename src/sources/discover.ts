/**
 * Which files to read (SPEC §2 include/exclude, §4). Inside a git work tree the file set is the
 * repository's own (`git ls-files`: a tracked file is checked even when a .gitignore names it);
 * elsewhere the tree is walked with its nested `.gitignore` files. Symbolic links to files inside
 * the tree are read at the link's path; links out of the tree are never followed and are reported.
 * Each file is then classified by name: YAML and JSON by extension first, then Dockerfile names.
 */
import { type Dirent, lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import { InputError, UsageError } from "../errors.js";
import { isInsideWorkTree, trackedFiles } from "../git.js";
import { compileGlobs, GlobError } from "../glob.js";
import { isInside } from "../paths.js";
import { isJenkinsfileName } from "./jenkins.js";
import { readSideFile } from "./small-file.js";

export type FileKind = "dockerfile" | "yaml" | "json" | "jenkinsfile" | "hcl";

export interface Candidate {
  /** Relative to the working directory, `/`-separated: what reports print. */
  path: string;
  absolute: string;
  /** The path's bytes, when its name is not valid UTF-8: the file is opened by them. */
  bytes?: Buffer;
  kind: FileKind;
}

/** A file that would have been read but is not (SPEC §3.5: counted and named, never silent). */
export interface DiscoverySkip {
  file: string;
  reason: string;
}

export interface DiscoverOptions {
  cwd: string;
  include: string[];
  exclude: string[];
}

export interface Discovery {
  candidates: Candidate[];
  skipped: DiscoverySkip[];
  /**
   * What should be judged but cannot be read (SPEC §3.5): a folder without read permission, a
   * FIFO, socket or device named on the command line, a link out of the tree where a file to
   * judge would be. Each is a parse-error at line 0, so the run fails closed.
   */
  unreadable: DiscoverySkip[];
  /** Real paths of the checked folders (a named file's folder): side files never come from outside them. */
  roots: string[];
}

const YAML_EXTENSION = /\.ya?ml$/i;
const JSON_EXTENSION = /\.json$/i;
/** `Dockerfile`, `Containerfile`, either followed by `.`, `-` or `_` and anything; `*.Dockerfile`. */
const DOCKERFILE_NAME = /^(?:dockerfile|containerfile)(?:[._-].*)?$|\.(?:dockerfile|containerfile)$/i;
/**
 * Names that end in a document, data, script or source-code extension are never Dockerfiles
 * (SPEC §4): `dockerfile_test.go` is Go source, `Dockerfile.md` a document.
 */
const NOT_A_DOCKERFILE =
  /\.(?:md|markdown|rst|adoc|txt|html?|json|ya?ml|toml|xml|ini|cfg|csv|lock|sh|bash|zsh|fish|ps1|psm1|bat|cmd|go|py|pyc|js|mjs|cjs|ts|mts|cts|tsx|jsx|rb|rs|java|kt|kts|scala|groovy|c|cc|cpp|cxx|h|hpp|cs|fs|php|pl|swift|lua|sql|r|patch|diff|dockerignore|png|jpe?g|gif|svg|ico|gz|tgz|zip|tar)$/i;
/** A kustomization file may have no extension (SPEC §4 Kustomize). */
const KUSTOMIZATION_NAME = "Kustomization";
/** Docker Bake's HCL files (SPEC §4); its JSON files are JSON by extension. */
const BAKE_HCL_NAME = /^docker-bake(?:\.override)?(?:\.[^/]*)?\.hcl$/i;

/** YAML and JSON by extension before any Dockerfile name pattern (SPEC §4): `Dockerfile.yaml` is YAML. */
export function fileKind(name: string): FileKind | undefined {
  if (YAML_EXTENSION.test(name) || name === KUSTOMIZATION_NAME) return "yaml";
  if (JSON_EXTENSION.test(name)) return "json";
  if (isJenkinsfileName(name)) return "jenkinsfile";
  if (BAKE_HCL_NAME.test(name)) return "hcl";
  if (DOCKERFILE_NAME.test(name) && !NOT_A_DOCKERFILE.test(name) && !name.startsWith("."))
    return "dockerfile";
  return undefined;
}

interface IgnoreScope {
  /** Folder of the .gitignore, relative to where globs match ("" for that folder itself). */
  base: string;
  rules: Ignore;
}

/** How one scanned folder maps to what reports print. */
interface Root {
  absolute: string;
  /** Real path of the folder: symbolic links must resolve inside it. */
  real: string;
  /** The folder relative to where globs match (the working directory, or the folder itself). */
  relative: string;
  /** The path reports print for a file at `path` (relative to where globs match). */
  display(path: string, absolute: string): string;
}

export function discoverFiles(paths: string[], options: DiscoverOptions): Discovery {
  // Linear-time globs (issue 9); `**` and `*` match any character but "/", line breaks included.
  let included: (path: string) => boolean;
  let excluded: (path: string) => boolean;
  try {
    included = compileGlobs(options.include, "path");
    excluded = compileGlobs(options.exclude, "path");
  } catch (error) {
    if (error instanceof GlobError) throw new UsageError(`policy include/exclude: ${error.message}`);
    throw error;
  }
  const found = new Map<string, Candidate>();
  const roots: string[] = [];
  const skipped = new Map<string, DiscoverySkip>();
  const skip = (file: string, reason: string) => skipped.set(file, { file, reason });
  const unreadable = new Map<string, DiscoverySkip>();
  const failClosed = (file: string, reason: string) => unreadable.set(file, { file, reason });
  const toPosix = (path: string) => (sep === "/" ? path : path.split(sep).join("/"));

  /**
   * Adds a file found under `root` at `path`: filtered by include/exclude and classified by name.
   * `regular` is true when the walk already knows it is a plain file (no link, no folder).
   */
  const consider = (root: Root, path: string, absolute: string, regular = false) => {
    if (!included(path) || excluded(path)) return;
    const name = path.slice(path.lastIndexOf("/") + 1);
    const kind = fileKind(name);
    if (!kind) return;
    const display = root.display(path, absolute);
    if (regular) {
      found.set(absolute, { path: display, absolute, kind });
      return;
    }
    let stats: ReturnType<typeof lstatSync>;
    try {
      stats = lstatSync(absolute);
    } catch {
      skip(display, "listed by git but missing from the work tree");
      return;
    }
    if (stats.isSymbolicLink()) {
      const target = linkTarget(absolute);
      if (!target) return skip(display, "broken symbolic link");
      if (!isInside(target, root.real)) {
        return failClosed(
          display,
          "symbolic link out of the checked tree: not followed, so what it names is not judged; check the target's folder itself, or replace the link with the file",
        );
      }
      if (!statOrUndefined(target)?.isFile()) return;
    } else if (!stats.isFile()) {
      // A FIFO, socket or device with a Dockerfile or manifest name: never opened (it could block).
      if (!stats.isDirectory()) skip(display, "not a regular file (a FIFO, socket or device), not read");
      return;
    }
    found.set(absolute, { path: display, absolute, kind });
  };

  const walk = (root: Root, absoluteDir: string, relativeDir: string, scopes: IgnoreScope[]): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(absoluteDir, { withFileTypes: true });
    } catch (error) {
      failClosed(
        root.display(relativeDir, absoluteDir) || ".",
        `folder cannot be read (${errorCode(error)}), so none of its files were judged; give the check read permission on it, or exclude it in the policy`,
      );
      return;
    }
    // Names that are not UTF-8 arrive with U+FFFD in them; only then are the raw bytes looked at.
    const invalid = entries.some((e) => e.name.includes("\uFFFD")) ? invalidNames(absoluteDir) : undefined;
    const gitignore = entries.find((e) => e.name === ".gitignore" && e.isFile());
    const rules = gitignore && readIgnoreFile(join(absoluteDir, ".gitignore"));
    if (rules) scopes = [...scopes, { base: relativeDir, rules }];
    for (const entry of entries) {
      const name = entry.name;
      const path = relativeDir === "" ? name : `${relativeDir}/${name}`;
      const raw = invalid?.get(name);
      if (raw) {
        // The name cannot be written as text: the file is read by its bytes and reported with the
        // bytes escaped; a folder is not walked, and says so (never silently passed, never a crash).
        const folder = root.display(relativeDir, absoluteDir);
        const shown = `${folder === "" ? "" : `${folder}/`}${escapedName(raw)}`;
        if (excluded(path) || ignoredBy(scopes, path, entry.isDirectory())) continue;
        const bytes = Buffer.concat([Buffer.from(`${absoluteDir}${sep}`), raw]);
        const kind = fileKind(name);
        if (entry.isDirectory()) {
          failClosed(shown, "folder name is not valid UTF-8, so none of its files were judged; rename it");
        } else if (kind && entry.isFile() && included(path)) {
          found.set(`${absoluteDir}${sep}${name}`, {
            path: shown,
            absolute: `${absoluteDir}${sep}${name}`,
            bytes,
            kind,
          });
        }
        continue;
      }
      const absolute = `${absoluteDir}${sep}${name}`;
      let isDirectory = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        const target = linkTarget(absolute);
        if (target && statOrUndefined(target)?.isDirectory()) {
          // A folder link inside the tree is read at its real path; one out of it is never followed.
          if (!isInside(target, root.real) && !excluded(path) && !ignoredBy(scopes, path, true)) {
            skip(
              root.display(path, absolute),
              "symbolic link to a folder out of the scanned tree, not followed",
            );
          }
          continue;
        }
        isDirectory = false;
      }
      if (isDirectory) {
        if (name === ".git" || excluded(path) || ignoredBy(scopes, path, true)) continue;
        walk(root, absolute, path, scopes);
      } else if (!ignoredBy(scopes, path, false)) {
        consider(root, path, absolute, entry.isFile());
      }
    }
  };

  for (const given of paths) {
    const absolute = isAbsolute(given) ? given : resolve(options.cwd, given);
    const stats = statOrUndefined(absolute);
    if (!stats) throw new InputError(`path ${given} does not exist`);
    if (!stats.isFile() && !stats.isDirectory()) {
      failClosed(
        displayPath(options.cwd, absolute),
        "named on the command line but not a regular file (a FIFO, socket or device), so it cannot be judged; name the file itself",
      );
      continue;
    }
    if (stats.isFile()) {
      roots.push(realpathSync(dirname(absolute)));
      // A file named on the command line is read whatever its name: by extension, else as a Dockerfile.
      const kind = fileKind(basename(absolute)) ?? "dockerfile";
      found.set(absolute, { path: displayPath(options.cwd, absolute), absolute, kind });
      continue;
    }
    // Globs and .gitignore files match paths relative to the working directory, or to the scanned
    // folder when it lies outside it.
    const fromCwd = toPosix(relative(options.cwd, absolute));
    const outside = fromCwd === ".." || fromCwd.startsWith("../") || isAbsolute(fromCwd);
    const root: Root = {
      absolute,
      real: realpathSync(absolute),
      relative: outside ? "" : fromCwd,
      display: outside ? (_path, file) => displayPath(options.cwd, file) : (path) => path,
    };
    // A folder named on the command line is checked even when a .gitignore above it names it:
    // ignoring it would check nothing and pass. Its own .gitignore files still apply inside it.
    const above = outside ? [] : ancestorScopes(options.cwd, absolute);
    const scopes = root.relative !== "" && ignoredBy(above, root.relative, true) ? [] : above;
    roots.push(root.real);
    walk(root, absolute, root.relative, scopes);
    // Inside a git work tree, tracked files are checked even when a .gitignore names them. Only the
    // index is asked: git itself never reads a .gitignore here (a FIFO one would hang it).
    const prefix = root.relative === "" ? "" : `${root.relative}/`;
    const tracked = isInsideWorkTree(absolute) ? trackedFiles(absolute) : [];
    for (const file of tracked) {
      const path = `${prefix}${file}`;
      const fileAbsolute = join(absolute, file);
      if (found.has(fileAbsolute) || isUnder(path, excluded)) continue;
      consider(root, path, fileAbsolute);
    }
  }
  const byPath = <T extends { path?: string; file?: string }>(a: T, b: T) => {
    const x = a.path ?? a.file ?? "";
    const y = b.path ?? b.file ?? "";
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return {
    candidates: [...found.values()].sort(byPath),
    skipped: [...skipped.values()].sort(byPath),
    unreadable: [...unreadable.values()].sort(byPath),
    roots,
  };
}

/** True when a folder on the way to `path` is excluded (git lists files, not folders). */
function isUnder(path: string, excluded: (path: string) => boolean): boolean {
  for (let at = path.indexOf("/"); at >= 0; at = path.indexOf("/", at + 1)) {
    if (excluded(path.slice(0, at))) return true;
  }
  return false;
}

function ignoredBy(scopes: IgnoreScope[], path: string, isDirectory: boolean): boolean {
  return scopes.some(({ base, rules }) => {
    const inside = base === "" ? path : path.slice(base.length + 1);
    return inside !== "" && !inside.startsWith("../") && rules.ignores(isDirectory ? `${inside}/` : inside);
  });
}

function linkTarget(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** .gitignore files between the working directory and a scanned folder below it. */
function ancestorScopes(cwd: string, dir: string): IgnoreScope[] {
  const scopes: IgnoreScope[] = [];
  for (let current = dirname(dir); current.startsWith(cwd) && current !== dir; current = dirname(current)) {
    const rules = readIgnoreFile(join(current, ".gitignore"));
    if (rules) scopes.unshift({ base: relative(cwd, current).split(sep).join("/"), rules });
    if (current === cwd) break;
  }
  return scopes;
}

/**
 * The rules of a .gitignore that is a regular file of sane size; undefined for anything else (a
 * folder, a FIFO, a link to a device): without its rules more files are checked, never fewer.
 */
function readIgnoreFile(path: string): Ignore | undefined {
  const text = readSideFile(path);
  return text === undefined ? undefined : ignore().add(text);
}

/** The names in a folder that are not valid UTF-8, as Node decodes them (with U+FFFD), to their bytes. */
function invalidNames(dir: string): Map<string, Buffer> {
  const names = new Map<string, Buffer>();
  for (const raw of readdirSync(dir, { encoding: "buffer" })) {
    const name = raw.toString("utf8");
    if (!Buffer.from(name, "utf8").equals(raw)) names.set(name, raw);
  }
  return names;
}

/** A name's bytes as text: valid UTF-8 as it is, every other byte as `\xNN`. */
export function escapedName(raw: Buffer): string {
  let out = "";
  for (let i = 0; i < raw.length; ) {
    let taken = 0;
    for (let n = 1; n <= 4 && i + n <= raw.length && taken === 0; n++) {
      const piece = raw.subarray(i, i + n);
      const text = piece.toString("utf8");
      if (!text.includes("\uFFFD") && Buffer.from(text, "utf8").equals(piece)) {
        out += text;
        taken = n;
      }
    }
    if (taken === 0) {
      out += `\\x${(raw[i] as number).toString(16).padStart(2, "0")}`;
      taken = 1;
    }
    i += taken;
  }
  return out;
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

export function displayPath(cwd: string, absolute: string): string {
  const path = relative(cwd, absolute);
  return (path === "" ? "." : path).split(sep).join("/");
}
