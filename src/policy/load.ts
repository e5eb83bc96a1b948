/**
 * Loads a policy file (SPEC §2): YAML → JSON Schema → checks the schema cannot express (dates,
 * version ranges, image names) → settings defaults. Every problem names the file, line and key path.
 */
import { lstatSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ErrorObject } from "ajv";
import semver from "semver";
import { isMap, isScalar, LineCounter, type Node, parseDocument, type YAMLMap } from "yaml";
import policySchema from "../../schema/policy.schema.json" with { type: "json" };
import { PolicyError, type PolicyProblem, UsageError } from "../errors.js";
import { hasGlob } from "../glob.js";
import { InvalidReferenceError, parseImageRef } from "../image/reference.js";
import { isInside } from "../paths.js";
import { isCalendarDate } from "./dates.js";
import defaultPolicyText from "./default-policy.generated.js";
import { calendarFiles, loadCalendar } from "./eol/calendar.js";
import { lintPolicy } from "./lint.js";
import type { LoadedPolicy, Policy } from "./types.js";
import validate from "./validate-policy.generated.js";

export const DEFAULT_POLICY_PATH = ".github/base-image-policy.yml";
export const BUILT_IN = "built-in default";
export { defaultPolicyText };

/**
 * What `init` writes: the built-in default with the end-of-life calendar on (SPEC §3.4b: on in the
 * starter policy, off in the built-in default, which stays the seed's policy).
 */
export const starterPolicyText = defaultPolicyText.replace(
  "\ndockerfile:",
  [
    "",
    "# End-of-life calendar (rule block-eol-base-images): a release past its end of support is an",
    "# error, one within warnDays of it a warning; support: extended counts paid extended support.",
    "eol:",
    "  block: true",
    "  warnDays: 180",
    "  support: standard",
    "",
    "# What fix rewrites an image to (SPEC §9): the first entry whose match fits (matched like a",
    "# deprecated entry) names the repository, or reference, to use. Without one, fix uses the",
    "# approved repository of the same name, at the newest release the library publishes.",
    "replacements:",
    "  - match: centos",
    "    use: registry.example.com/base/ubuntu",
    "  - match: debian",
    "    use: registry.example.com/base/ubuntu",
    "",
    "dockerfile:",
  ].join("\n"),
);

type KeyPath = (string | number)[];

/** Reads a policy file's text; undefined when there is no such file. */
export type PolicyReader = (path: string) => string | undefined;

/**
 * Reads policy files from the working tree. Only a path with nothing at it is absent (SPEC §2): a
 * dangling symbolic link, a folder or an unreadable file is an error, and a link that leads out of
 * the working directory is refused, never read, when the path named is inside it.
 */
export function workingTreeReader(cwd: string): PolicyReader {
  return (path) => {
    const file = resolve(cwd, path);
    const cannot = (why: string): never => {
      throw new UsageError(`cannot read policy file ${path}: ${why}`);
    };
    let link: ReturnType<typeof lstatSync>;
    try {
      link = lstatSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      return cannot((error as Error).message);
    }
    if (link.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(file);
      } catch {
        return cannot("it is a symbolic link to nothing");
      }
      const root = realpathSync(cwd);
      if (isInside(realpathSync(dirname(file)), root) && !isInside(target, root)) {
        return cannot("it is a symbolic link out of the repository, not followed");
      }
    }
    if (statSync(file).isDirectory()) return cannot("it is a folder");
    try {
      return readFileSync(file, "utf8");
    } catch (error) {
      return cannot((error as Error).message);
    }
  };
}

/**
 * The policy to judge with (SPEC §2): `explicitPath` when given (it must exist), else the default
 * path when that file exists, else the built-in default. `read` says where files come from: the
 * working tree, or a pull request's base branch (SPEC §3.6).
 */
export function loadPolicy(
  explicitPath: string | undefined,
  cwd = process.cwd(),
  read: PolicyReader = workingTreeReader(cwd),
): LoadedPolicy {
  const path = explicitPath ?? DEFAULT_POLICY_PATH;
  const text = read(path);
  if (text !== undefined) return withCalendar(parsePolicy(text, path), read);
  if (explicitPath !== undefined) {
    throw new UsageError(
      `policy file ${explicitPath} does not exist (run "base-image-guard init" to create one)`,
    );
  }
  return parsePolicy(defaultPolicyText, BUILT_IN);
}

/**
 * A policy read from somewhere slower than the working tree — a pull request's base commit, a
 * central repository through the API: the policy first, then the side files it names (its
 * calendar's), each fetched once, then loaded as from files. `fetch` says undefined for no file.
 */
export async function loadFetchedPolicy(
  explicitPath: string | undefined,
  cwd: string,
  fetch: (path: string, what: "policy" | "side file") => Promise<string | undefined>,
): Promise<LoadedPolicy> {
  const path = explicitPath ?? DEFAULT_POLICY_PATH;
  const text = await fetch(path, "policy");
  const files = new Map<string, string | undefined>([[path, text]]);
  for (const side of text === undefined ? [] : sideFilesOf(text))
    files.set(side, await fetch(side, "side file"));
  return loadPolicy(explicitPath, cwd, (wanted) => files.get(wanted));
}

/** A policy with `eol.calendar` gets that folder's calendar files, read where the policy was. */
function withCalendar(loaded: LoadedPolicy, read: PolicyReader): LoadedPolicy {
  const dir = loaded.policy.eol?.calendar;
  return dir === undefined ? loaded : { ...loaded, calendar: loadCalendar(dir, read) };
}

/**
 * The files besides the policy itself that loading `text` reads (its calendar's), so that a
 * reader that must fetch them first (a pull request's base, a central policy) can.
 */
function sideFilesOf(text: string): string[] {
  try {
    const dir = (parseDocument(text).toJS({ maxAliasCount: 100 }) as Partial<Policy> | null)?.eol?.calendar;
    return typeof dir === "string" ? calendarFiles(dir).map((file) => file.path) : [];
  } catch {
    return [];
  }
}

export function parsePolicy(text: string, file: string): LoadedPolicy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? 0 : lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    throw new PolicyError(
      file,
      doc.errors.map((e) => ({ line: lineOf(e.pos[0]), keyPath: "", message: `YAML syntax: ${e.message}` })),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new PolicyError(file, [
      {
        line: 0,
        keyPath: "",
        message: /alias/i.test(String(error))
          ? "YAML uses aliases too often (more than 100); refusing to expand a possible alias bomb"
          : `YAML cannot be read: ${(error as Error).message}`,
      },
    ]);
  }
  const nodeAt = (path: KeyPath) => doc.getIn(path, true) as Node | undefined;
  /** Line of the nearest node on `path` that the YAML has (a missing key reports its parent). */
  const lineAt = (path: KeyPath): number => {
    for (let p = path; ; p = p.slice(0, -1)) {
      const node = p.length === 0 ? doc.contents : nodeAt(p);
      if (node?.range) return lineOf(node.range[0]);
      if (p.length === 0) return 0;
    }
  };
  const locate: Locate = { nodeAt, lineAt, lineOf };

  if (!validate(data)) {
    const problems = (validate.errors ?? [])
      .filter((e) => e.keyword !== "if" && e.keyword !== "anyOf")
      .map((e) => schemaProblem(e, locate));
    throw new PolicyError(file, dedupe(problems));
  }
  const raw = data as Partial<Policy> & { maxFileSize?: number | string };
  const problems = semanticProblems(raw, lineAt);
  if (problems.length > 0) throw new PolicyError(file, problems);
  if (!RULE_KEYS.some((key) => raw[key] !== undefined)) {
    throw new PolicyError(file, [
      {
        line: 0,
        keyPath: "",
        message: `the policy has no rules: add at least one of ${RULE_KEYS.join(", ")} (run "base-image-guard init" for a starter file)`,
      },
    ]);
  }

  const settings = builtInSettings();
  const policy: Policy = {
    ...raw,
    mode: raw.mode ?? settings.mode,
    workflows: raw.workflows ?? settings.workflows,
    ci: raw.ci ?? settings.ci,
    devcontainers: raw.devcontainers ?? settings.devcontainers,
    dockerfile: { ...settings.dockerfile, ...raw.dockerfile },
    exceptions: raw.exceptions ?? [],
    include: raw.include ?? settings.include,
    exclude: raw.exclude ?? settings.exclude,
    maxFileSize: raw.maxFileSize === undefined ? settings.maxFileSize : parseSize(raw.maxFileSize),
  };
  return { policy, source: file, warnings: lintPolicy(policy) };
}

/** The keys that turn rules on (SPEC §2): a policy file without any of them is an error, not a pass. */
const RULE_KEYS = ["approved", "deprecated", "minimal", "versions", "pinning", "eol"] as const;

type Settings = Pick<
  Policy,
  "mode" | "workflows" | "ci" | "devcontainers" | "dockerfile" | "include" | "exclude" | "maxFileSize"
>;
let settingsCache: Settings | undefined;

/** The settings a policy file may leave out (SPEC §2), read from the built-in default: one source. */
function builtInSettings(): Settings {
  if (!settingsCache) {
    const { mode, workflows, ci, devcontainers, dockerfile, include, exclude, maxFileSize } =
      parseDocument(defaultPolicyText).toJS();
    settingsCache = {
      mode,
      workflows,
      ci,
      devcontainers,
      dockerfile,
      include,
      exclude,
      maxFileSize: parseSize(maxFileSize),
    };
  }
  return settingsCache;
}

function keyPathText(path: KeyPath): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

function pathOf(instancePath: string): KeyPath {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

interface Locate {
  nodeAt(path: KeyPath): Node | undefined;
  lineAt(path: KeyPath): number;
  lineOf(offset: number | undefined): number;
}

function schemaProblem(error: ErrorObject, { nodeAt, lineAt, lineOf }: Locate): PolicyProblem {
  const path = pathOf(error.instancePath);
  const keyPath = keyPathText(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const map = nodeAt(path);
      const pair = isMap(map)
        ? (map as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === key)
        : undefined;
      const line = isScalar(pair?.key) ? lineOf(pair.key.range?.[0]) : lineAt(path);
      const allowed = allowedKeys(path);
      return {
        line,
        keyPath: keyPathText([...path, key]),
        message: `unknown key "${key}"${allowed ? `; allowed keys: ${allowed}` : ""}`,
      };
    }
    case "type": {
      const node = nodeAt(path);
      const written = isScalar(node) ? (node.source ?? String(node.value)) : undefined;
      const expected = String(params.type);
      const asNumber = expected === "string" && isScalar(node) && typeof node.value === "number";
      return {
        line: lineAt(path),
        keyPath,
        message: asNumber
          ? `expected a string, got the number ${written}; quote it ("${written}") because YAML reads 20.10 as 20.1`
          : `expected ${TYPE_NAMES[expected] ?? expected}`,
      };
    }
    case "enum":
      return {
        line: lineAt(path),
        keyPath,
        message: `expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "required":
      return {
        line: lineAt(path),
        keyPath,
        message: `missing required key "${String(params.missingProperty)}"`,
      };
    case "pattern":
      return { line: lineAt(path), keyPath, message: patternAdvice(path, String(params.pattern)) };
    default:
      return { line: lineAt(path), keyPath, message: error.message ?? "is not valid" };
  }
}

const TYPE_NAMES: Record<string, string> = {
  array: "a list",
  object: "a mapping of keys to values",
  string: "a string",
  integer: "a whole number",
  "integer,string": "a number of bytes or a size such as 10MB",
};

function allowedKeys(path: KeyPath): string | undefined {
  let schema: Record<string, unknown> | undefined = policySchema as Record<string, unknown>;
  for (const key of path) {
    if (!schema) return undefined;
    schema =
      typeof key === "number"
        ? (schema.items as Record<string, unknown> | undefined)
        : (schema.properties as Record<string, Record<string, unknown>> | undefined)?.[key];
  }
  const properties = schema?.properties as Record<string, unknown> | undefined;
  return properties ? Object.keys(properties).join(", ") : undefined;
}

function patternAdvice(path: KeyPath, pattern: string): string {
  const last = path[path.length - 1];
  if (last === "expires") return "expected a date written YYYY-MM-DD, such as 2027-03-31";
  if (last === "label") return "expected key=value, such as security.enforce=high";
  if (pattern === "\\S") return "must not be empty";
  if (path[0] === "maxFileSize") return 'expected a size such as "10MB", "512KB" or a number of bytes';
  return "does not have the expected form";
}

function dedupe(problems: PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}|${p.keyPath}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const RELEASE = /^\d+(?:\.\d+)*$/;

/** Checks JSON Schema cannot express: real dates, semver ranges, parseable image names. */
function semanticProblems(policy: Partial<Policy>, lineAt: (path: KeyPath) => number): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const add = (path: KeyPath, message: string) =>
    problems.push({ line: lineAt(path), keyPath: keyPathText(path), message });

  const checkImages = (
    key: string,
    list: string[] | undefined,
    repositoryOnly: boolean,
    prefix: KeyPath = [],
  ) => {
    list?.forEach((entry, i) => {
      const problem = imageEntryProblem(entry, repositoryOnly);
      if (problem) add([...prefix, key, i], problem);
    });
  };
  checkImages("approved", policy.approved, true);
  checkImages("deprecated", policy.deprecated, false);
  checkImages("images", policy.minimal?.images, true, ["minimal"]);

  for (const [distribution, allowed] of Object.entries(policy.versions ?? {})) {
    allowed.forEach((value, i) => {
      if (!RELEASE.test(value) && semver.validRange(value) === null) {
        add(
          ["versions", distribution, i],
          `"${value}" is neither a release such as "22.04" nor a semver range such as ">=3.19" or "3.x"`,
        );
      }
    });
  }
  policy.replacements?.forEach((replacement, i) => {
    const match = imageEntryProblem(replacement.match, false);
    if (match) add(["replacements", i, "match"], match);
    const use = hasGlob(replacement.use)
      ? `"${replacement.use}" is a glob; use names one repository or reference`
      : imageEntryProblem(replacement.use, false);
    if (use) add(["replacements", i, "use"], use);
  });
  policy.exceptions?.forEach((exception, i) => {
    const problem = imageEntryProblem(exception.image, false);
    if (problem) add(["exceptions", i, "image"], problem);
    if (!isCalendarDate(exception.expires)) {
      add(["exceptions", i, "expires"], `"${exception.expires}" is not a calendar date (YYYY-MM-DD)`);
    }
  });
  return problems;
}

function imageEntryProblem(entry: string, repositoryOnly: boolean): string | undefined {
  if (hasGlob(entry)) return undefined;
  try {
    const ref = parseImageRef(entry);
    if (
      repositoryOnly &&
      (ref.raw.includes("@") || ref.raw.slice(ref.raw.lastIndexOf("/") + 1).includes(":"))
    ) {
      return `"${entry}" names a tag or digest; this list holds repositories (write ${ref.repository})`;
    }
    return undefined;
  } catch (error) {
    return error instanceof InvalidReferenceError ? error.message : String(error);
  }
}

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1024,
  KIB: 1024,
  MB: 1024 ** 2,
  MIB: 1024 ** 2,
  GB: 1024 ** 3,
  GIB: 1024 ** 3,
};

/**
 * `10MB` → bytes (binary units: MB and MiB both mean 2^20). A positive whole number of a unit
 * only (SPEC §2): zero, `0KB` and fractions would skip every file, so they are refused.
 */
export function parseSize(size: number | string): number {
  const match = typeof size === "number" ? null : /^([1-9][0-9]*)[ \t]*([A-Za-z]*)$/.exec(size.trim());
  const unit = match ? SIZE_UNITS[(match[2] || "B").toUpperCase()] : undefined;
  const bytes =
    typeof size === "number" ? size : match && unit !== undefined ? Number(match[1]) * unit : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new UsageError(
      `"${size}" is not a size: expected a positive whole number of bytes, KB, MB or GB, such as 10MB`,
    );
  }
  return bytes;
}
