/**
 * The base-image library (SPEC §7): `base/<name>.Dockerfile`, or the entries of `base/images.yml`.
 * Each image's upstream is the base of its Dockerfile's final stage, read with the check engine's
 * own Dockerfile source, so both agree on what a Dockerfile builds from.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { UsageError } from "../errors.js";
import type { ImageRef } from "../image/reference.js";
import { displayPath } from "../sources/discover.js";
import { readDockerfile } from "../sources/dockerfile.js";

export interface BaseImage {
  name: string;
  /** Dockerfile path relative to the working directory. */
  dockerfile: string;
  /** Build context: the library folder, or the entry's `context` (relative to it). */
  context: string;
  /** The image the final stage is built FROM. */
  upstream: ImageRef;
  /** Where the upstream is written in the Dockerfile (1-based), and as what. */
  from: { line: number; column: number; written: string };
  /** Tags to publish; each also gets an immutable `<tag>-<YYYYMMDD>` twin. Default: the upstream tag. */
  tags: string[];
  /**
   * Build platforms, such as linux/amd64. None: the builder's default. Several: each is built and
   * scanned locally, then one multi-platform index is pushed and signed.
   */
  platforms: string[];
  /** `<base>/<name>.trivyignore`: CVEs accepted for this image, each with its reason (Trivy's format). */
  trivyIgnore?: string;
  /** `<base>/<name>.vex.json`: an OpenVEX document saying which CVEs do not affect this image. */
  vex?: string;
}

interface ImagesFileEntry {
  name?: unknown;
  dockerfile?: unknown;
  tags?: unknown;
  platforms?: unknown;
  context?: unknown;
}

const NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function readLibrary(baseDir: string, cwd: string, only: string[] = []): BaseImage[] {
  const dir = join(cwd, baseDir);
  if (!existsSync(dir)) throw new UsageError(`base image folder ${baseDir} does not exist`);
  const imagesFile = join(dir, "images.yml");
  const entries = existsSync(imagesFile) ? readImagesFile(imagesFile, baseDir) : fromFileNames(dir);
  const images = entries.map((entry) => describe(entry, baseDir, cwd));
  const unknown = only.filter((name) => !images.some((image) => image.name === name));
  if (unknown.length > 0) {
    throw new UsageError(
      `no base image called ${unknown.join(", ")} in ${baseDir} (have: ${images.map((i) => i.name).join(", ")})`,
    );
  }
  return only.length > 0 ? images.filter((image) => only.includes(image.name)) : images;
}

interface Entry {
  name: string;
  dockerfile: string;
  tags?: string[];
  platforms?: string[];
  /** The build context, relative to the library folder (the CLI's own image builds from `..`). */
  context?: string;
}

function fromFileNames(dir: string): Entry[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".Dockerfile"))
    .sort()
    .map((file) => ({ name: file.slice(0, -".Dockerfile".length), dockerfile: file }));
}

function readImagesFile(path: string, baseDir: string): Entry[] {
  const where = `${baseDir}/images.yml`;
  let data: unknown;
  try {
    data = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`${where} is not valid YAML: ${(error as Error).message}`);
  }
  const list = (data as { images?: unknown } | null)?.images;
  if (!Array.isArray(list)) throw new UsageError(`${where}: expected "images:" with a list of images`);
  return list.map((raw: ImagesFileEntry, i) => {
    const at = `${where}: images[${i}]`;
    if (typeof raw?.name !== "string" || !NAME.test(raw.name)) {
      throw new UsageError(`${at}.name: expected a lowercase image name such as "alpine"`);
    }
    const strings = (value: unknown, key: string) => {
      if (value === undefined) return undefined;
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        !value.every((v) => typeof v === "string" && v !== "")
      ) {
        throw new UsageError(`${at}.${key}: expected a list of strings`);
      }
      return value as string[];
    };
    const tags = strings(raw.tags, "tags");
    const platforms = strings(raw.platforms, "platforms");
    const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
    const bad = platforms?.find((p) => !PLATFORM.test(p));
    if (bad !== undefined)
      throw new UsageError(`${at}.platforms: "${bad}" is not a platform such as linux/arm64`);
    if (raw.dockerfile !== undefined && typeof raw.dockerfile !== "string") {
      throw new UsageError(`${at}.dockerfile: expected a file name`);
    }
    if (raw.context !== undefined && (typeof raw.context !== "string" || raw.context === "")) {
      throw new UsageError(`${at}.context: expected a folder, relative to ${baseDir}`);
    }
    return {
      name: raw.name,
      dockerfile: (raw.dockerfile as string | undefined) ?? `${raw.name}.Dockerfile`,
      ...(tags && { tags }),
      ...(platforms && { platforms: [...new Set(platforms)] }),
      ...(typeof raw.context === "string" && { context: raw.context }),
    };
  });
}

function contextOf(entry: Entry, baseDir: string, cwd: string, display: string): string {
  const folder = join(cwd, baseDir, entry.context ?? ".");
  if (!existsSync(folder))
    throw new UsageError(`${display}: the build context ${entry.context} does not exist`);
  return displayPath(cwd, folder);
}

function describe(entry: Entry, baseDir: string, cwd: string): BaseImage {
  const path = join(cwd, baseDir, entry.dockerfile);
  const display = displayPath(cwd, path);
  if (!existsSync(path)) throw new UsageError(`${display} (base image ${entry.name}) does not exist`);
  const { occurrences, problems } = readDockerfile(readFileSync(path, "utf8"), display);
  if (problems[0]) throw new UsageError(`${display}:${problems[0].line}: ${problems[0].message}`);
  const base = occurrences.find((o) => o.via === "from" && o.stage?.final);
  if (base?.image.kind !== "image") {
    throw new UsageError(`${display}: cannot tell which upstream image the final stage is built FROM`);
  }
  const upstream = base.image.ref;
  const tags = entry.tags ?? (upstream.tag ? [upstream.tag] : []);
  if (tags.length === 0) {
    throw new UsageError(
      `${display}: the upstream ${upstream.raw} has no tag; give the image tags in images.yml`,
    );
  }
  const beside = (suffix: string) => {
    const file = join(cwd, baseDir, `${entry.name}${suffix}`);
    return existsSync(file) ? displayPath(cwd, file) : undefined;
  };
  const trivyIgnore = beside(".trivyignore");
  const vex = beside(".vex.json");
  return {
    name: entry.name,
    dockerfile: display,
    from: { line: base.line, column: base.column, written: base.text },
    context: contextOf(entry, baseDir, cwd, display),
    upstream,
    tags,
    platforms: entry.platforms ?? [],
    ...(trivyIgnore && { trivyIgnore }),
    ...(vex && { vex }),
  };
}
