/**
 * What the YAML sources share: an image value found in a parsed document with the path that leads
 * to it, and the Helm convention of an image written as a map (SPEC §4: `registry` + `repository`
 * + `tag` / `digest`).
 */
import type { Suppression } from "../rules/waivers.js";
import { trimBlanks } from "./resolve.js";
import type { MapKey, Occurrence, SourceKind, WorkloadContext } from "./types.js";
import type { KeyPath, YamlDocument } from "./yaml.js";

export type Json = Record<string, unknown>;

/** The scalar at a path as written in the file (`1.10` stays `1.10`). */
export type Written = (path: KeyPath) => string | undefined;

/** An image value found in a parsed document, with the path of the line to report. */
export interface ImageAt {
  path: KeyPath;
  /** The image text (a string as written, or composed from a map), or a value that is not one. */
  value: unknown;
  workload?: WorkloadContext;
  container?: Occurrence["container"];
  labels: Record<string, string>;
  /** An image written as a map: where the map is and which of its keys are written (for `fix`). */
  map?: ImageMap;
  /** Variables the file defines for this image (a GitLab job's `variables:`), and where each is written. */
  variables?: FileVariables;
  /** The source kind, when it is not the file's (a Crossplane package among Kubernetes objects). */
  source?: SourceKind;
  /** The document the path is in, when it is another file's (a GitLab pipeline's local include). */
  in?: OtherFile;
  /** Text before the image in the value as written (bake's `docker-image://`): not part of it. */
  prefix?: string;
  /** Why no image can be told here, as the finding's message says it (a job whose image a template elsewhere sets). */
  unresolved?: string;
}

/** Side files a source reads beside the file it reads. */
export interface SideFiles {
  /** The YAML file at `path` (from the file's folder; a leading `/` too), one entry per document, or why it cannot be read. */
  yaml(path: string): OtherFile[] | string;
}

/** A side file read as part of another (SPEC §4: GitLab's local includes). */
export interface OtherFile {
  doc: YamlDocument;
  /** Display path. */
  file: string;
  /** Valid suppression comments of that file, by 0-based line. */
  suppressions: ReadonlyMap<number, Suppression>;
}

/** Variables an image is interpolated from, and where each value is written (for `fix`). */
export interface FileVariables {
  variables: ReadonlyMap<string, string>;
  positions: ReadonlyMap<string, { line: number; column: number }>;
  /** Display path of the file the values are written in. */
  file: string;
}

export interface ImageMap {
  path: KeyPath;
  keys: MapKey[];
  /** `global.imageRegistry`, when it decides the registry instead of the map's own key. */
  global?: string;
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * An image written as a string, or as a map holding it under `key` (`image: x` or
 * `image: {name: x}`, `container: {image: x}`): the path of the line to report and the value.
 * Undefined for anything else, and for a map whose key is missing or null.
 */
export function stringOrKey(
  value: unknown,
  path: KeyPath,
  key: string,
): { path: KeyPath; value: unknown } | undefined {
  if (typeof value === "string") return { path, value };
  if (isObject(value) && value[key] !== undefined && value[key] !== null)
    return { path: [...path, key], value: value[key] };
  return undefined;
}

/** The value at `path` below `value` (object keys and list indexes), or undefined. */
export function at(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export interface MapDefaults {
  /** A registry that overrides each map's own (`global.imageRegistry`). */
  registry?: string;
  /** The tag when the map has none (a chart's `appVersion`). */
  tag?: string;
}

/**
 * An image written as a map, reported at its `repository` line: `registry/repository:tag`, or
 * `registry/repository@digest` when a digest is given (a non-empty digest wins, as charts render
 * it). Undefined when the map has no non-empty `repository`.
 */
export function imageOfMap(
  value: unknown,
  path: KeyPath,
  written: Written,
  defaults: MapDefaults = {},
): Pick<ImageAt, "path" | "value" | "map"> | undefined {
  if (!isObject(value)) return undefined;
  const text = (key: string) => {
    const raw = value[key];
    if (raw === undefined || raw === null) return "";
    if (typeof raw === "object") return "";
    return trimBlanks(written([...path, key]) ?? String(raw));
  };
  const repository = text("repository");
  if (repository === "") return undefined;
  const registry = defaults.registry || text("registry");
  const digest = text("digest");
  const tag = text("tag") || defaults.tag || "";
  let image = registry ? `${registry.replace(/\/+$/, "")}/${repository}` : repository;
  if (digest) image += `@${digest}`;
  else if (tag) image += `:${tag}`;
  const keys = (["registry", "repository", "tag", "digest"] as const).filter((key) => {
    const raw = value[key];
    return raw !== undefined && raw !== null && typeof raw !== "object";
  });
  const map: ImageMap = { path, keys, ...(defaults.registry && { global: defaults.registry }) };
  return { path: [...path, "repository"], value: image, map };
}
