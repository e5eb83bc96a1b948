/**
 * What each occurrence asks of the files it is written in, for `fix` (SPEC §9 "where the text
 * changes"): a located value set to a new text, or a key line added beside its siblings. The
 * located values come from the sources (ValueAt); the bytes at each are checked before anything is
 * claimed, so a value that is not written as one plain or quoted token on its line is left alone.
 */
import { readFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { parseImageRef } from "../image/reference.js";
import type { ImageWritten, KustomizeImage, MapKey, Occurrence, ValueAt } from "../sources/types.js";
import { FileText, needsQuotes, type Span } from "./file-text.js";
import type { NewImage } from "./target.js";

/** A change to one value of one file, or a key line added after a line. */
export type Claim =
  | { kind: "set"; at: ValueAt; next: string; yaml: boolean }
  | { kind: "insert"; file: string; after: number; key: string; text: string };

/** Files as `fix` reads them: by display path, once, and only when they are UTF-8 it can write back exactly. */
export class Files {
  private readonly cache = new Map<
    string,
    { text: FileText; bytes: Buffer; absolute: string } | { reason: string }
  >();

  constructor(private readonly cwd: string) {}

  get(file: string): { text: FileText; bytes: Buffer; absolute: string } | { reason: string } {
    let entry = this.cache.get(file);
    if (!entry) {
      const absolute = resolvePath(this.cwd, file);
      try {
        const bytes = readFileSync(absolute);
        const text = bytes.toString("utf8");
        entry = Buffer.from(text, "utf8").equals(bytes)
          ? { text: new FileText(text), bytes, absolute }
          : { reason: "the file is not UTF-8, so rewriting it could change other bytes" };
      } catch (error) {
        entry = { reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})` };
      }
      this.cache.set(file, entry);
    }
    return entry;
  }

  /** The span of a located value, or why its bytes are not what the source read. */
  span(at: ValueAt): Span | { reason: string } {
    const read = this.get(at.file);
    if (!("text" in read)) return read;
    if (isYaml(at.file)) {
      // An anchor's value is every alias's value too; an alias is no value of its own (SPEC §9).
      const line = read.text.lines[at.line - 1] ?? "";
      if (line[at.column - 1] === "*" || /&[^\s,[\]{}]+[ \t]+$/.test(line.slice(0, at.column - 1)))
        return {
          reason: `${at.file}:${at.line} is a YAML anchor or alias: changing it changes every use, so it is left to a person`,
        };
    }
    return (
      read.text.span(at) ?? {
        reason: `${at.file}:${at.line} does not write the value as one token on its line (escapes, a line continuation or a multi-line value), so it is left to a person`,
      }
    );
  }

  line(file: string, line: number): string | undefined {
    const read = this.get(file);
    return "text" in read ? read.text.lines[line - 1] : undefined;
  }
}

export function isYaml(file: string): boolean {
  return /\.ya?ml$/i.test(file) || /(^|\/)Kustomization$/.test(file);
}

/** What changing an occurrence to `to` (or keeping it, `to` undefined) asks of the files. */
export function claimsFor(
  occurrence: Occurrence,
  to: NewImage | undefined,
  files: Files,
): Claim[] | { reason: string } {
  const written: ImageWritten | undefined = occurrence.written;
  if (!written) return { reason: "no position is known for this image" };
  const set = (at: ValueAt, next: string): Claim | { reason: string } => {
    const span = files.span(at);
    if ("reason" in span) return span;
    return { kind: "set", at, next, yaml: isYaml(at.file) };
  };
  const all = (claims: (Claim | { reason: string })[]): Claim[] | { reason: string } => {
    const failed = claims.find((c): c is { reason: string } => "reason" in c);
    return failed ?? (claims as Claim[]);
  };
  switch (written.kind) {
    case "fixed":
      return to ? { reason: written.reason } : [];
    case "value": {
      const { at, part } = written;
      if (!to) return all([set(at, at.value)]);
      const next = part ? at.value.slice(0, part.start) + to.text + at.value.slice(part.end) : to.text;
      return all([set(at, next)]);
    }
    case "map":
      return mapClaims(written, occurrence, to, files, set, all);
    case "kustomize":
      return kustomizeClaims(written, occurrence, to, files, set, all);
  }
}

type Setter = (at: ValueAt, next: string) => Claim | { reason: string };
type Gather = (claims: (Claim | { reason: string })[]) => Claim[] | { reason: string };

/** A Helm-style map changes only the keys that differ (`registry`, `repository`, `tag`, `digest`). */
function mapClaims(
  written: Extract<ImageWritten, { kind: "map" }>,
  occurrence: Occurrence,
  to: NewImage | undefined,
  files: Files,
  set: Setter,
  all: Gather,
): Claim[] | { reason: string } {
  const { keys } = written;
  const present = Object.values(keys).filter((at): at is ValueAt => at !== undefined);
  if (!to) return all(present.map((at) => set(at, at.value)));
  let registry = keys.registry?.value;
  let repository = to.repository;
  if (written.global !== undefined) {
    if (!repository.startsWith(`${written.global}/`))
      return {
        reason: `global.imageRegistry (${written.global}) sets the registry of every image in the file; change it by hand`,
      };
    repository = repository.slice(written.global.length + 1);
  } else if (keys.registry) {
    const slash = repository.indexOf("/");
    const first = slash < 0 ? "" : repository.slice(0, slash);
    const isHost = first.includes(".") || first.includes(":") || first === "localhost";
    registry = isHost ? first : "docker.io";
    repository = isHost ? repository.slice(slash + 1) : repository;
  }
  const wanted: Partial<Record<MapKey, string>> = { repository };
  if (keys.registry && registry !== undefined) wanted.registry = registry;
  const claims: (Claim | { reason: string })[] = [];
  if (keys.digest) {
    if (to.digest === undefined && keys.digest.value !== "")
      return { reason: "the map pins a digest and no digest is known for the replacement" };
    if (to.digest !== undefined) wanted.digest = to.digest;
    if (to.tag !== undefined) wanted.tag = to.tag;
  } else {
    const tag = `${to.tag ?? ""}${to.digest === undefined ? "" : `@${to.digest}`}`;
    const image = occurrence.image.kind === "image" ? occurrence.image.ref : undefined;
    if (keys.tag) wanted.tag = tag;
    else if (tag !== "" && (tag !== image?.tag || to.digest !== undefined)) {
      const insert = insertAfter(files, written.repository, "repository", "tag", tag);
      if ("reason" in insert) return insert;
      claims.push(insert);
    }
  }
  for (const [key, value] of Object.entries(wanted) as [MapKey, string][]) {
    const at = keys[key];
    if (at) claims.push(set(at, value));
  }
  for (const at of present) if (!claims.some((c) => "at" in c && c.at === at)) claims.push(set(at, at.value));
  return all(claims);
}

/** An image a kustomization rewrites is fixed in its entry: `newName`, `newTag`, `digest` (SPEC §9). */
function kustomizeClaims(
  written: Extract<ImageWritten, { kind: "kustomize" }>,
  occurrence: Occurrence,
  to: NewImage | undefined,
  files: Files,
  set: Setter,
  all: Gather,
): Claim[] | { reason: string } {
  const entry: KustomizeImage = written.entry;
  const keys = entry.keys ?? {};
  const present = Object.values(keys).filter((at): at is ValueAt => at !== undefined);
  const nameAt = keys.name;
  const last = present.reduce(
    (a, b) => (b.line > a.line ? b : a),
    nameAt ?? ({ line: entry.line } as ValueAt),
  );
  if (!to) {
    // Keeping the image also claims the keys the entry leaves out: another image's fix may not add them.
    const absent = (["newName", "newTag", "digest"] as const)
      .filter((key) => !keys[key])
      .map((key): Claim => ({ kind: "insert", file: written.file, after: last.line, key, text: "" }));
    return all([...present.map((at) => set(at, at.value)), ...absent]);
  }
  if (!nameAt) return { reason: "the kustomization entry's name is not a plain value" };
  let resource: { tag?: string; digest?: string } = {};
  try {
    const ref = parseImageRef(occurrence.rewrittenBy?.written ?? "");
    resource = {
      ...(ref.tag !== undefined && { tag: ref.tag }),
      ...(ref.digest !== undefined && { digest: ref.digest }),
    };
  } catch {
    // The resource's own text is not a reference: the entry decides everything it can.
  }
  const wanted: Partial<Record<"newName" | "newTag" | "digest", string>> = {};
  if (keys.newName || to.repository !== entry.name) wanted.newName = to.repository;
  if (to.digest === undefined && keys.digest)
    return { reason: "the kustomization entry pins a digest and no digest is known for the replacement" };
  if (to.tag === undefined && keys.newTag)
    return { reason: "the kustomization entry sets a tag and the replacement has none" };
  if (to.digest !== undefined) {
    wanted.digest = to.digest;
    // kustomize drops the tag for a digest alone; both keys give name:tag@digest.
    if (to.tag !== undefined) wanted.newTag = to.tag;
  } else if (
    to.tag !== undefined &&
    (keys.newTag || resource.tag !== to.tag || resource.digest !== undefined)
  ) {
    wanted.newTag = to.tag;
  }
  const claims: (Claim | { reason: string })[] = [];
  for (const key of ["newName", "newTag", "digest"] as const) {
    if (!keys[key] && wanted[key] === undefined)
      claims.push({ kind: "insert", file: written.file, after: last.line, key, text: "" });
  }
  for (const [key, value] of Object.entries(wanted) as ["newName" | "newTag" | "digest", string][]) {
    const at = keys[key];
    if (at) claims.push(set(at, value));
    else {
      const insert = insertAfter(files, nameAt, "name", key, value, last.line);
      if ("reason" in insert) return insert;
      claims.push(insert);
    }
  }
  for (const at of present) if (!claims.some((c) => "at" in c && c.at === at)) claims.push(set(at, at.value));
  return all(claims);
}

/** A `key: value` line at the indentation of `sibling`'s key, after `after` (its own line by default). */
function insertAfter(
  files: Files,
  sibling: ValueAt,
  siblingKey: string,
  key: string,
  value: string,
  after = sibling.line,
): Claim | { reason: string } {
  const line = files.line(sibling.file, sibling.line) ?? "";
  const prefix = /^([ \t]*(?:-[ \t]+)?)([A-Za-z]+)[ \t]*:[ \t]*$/.exec(line.slice(0, sibling.column - 1));
  if (!prefix || prefix[2] !== siblingKey || (prefix[1] as string).includes("\t")) {
    return {
      reason: `${sibling.file}:${sibling.line} is not a block-style "${siblingKey}:" line to add "${key}:" beside`,
    };
  }
  const indent = " ".repeat((prefix[1] as string).length);
  const text = `${indent}${key}: ${needsQuotes(value) ? `"${value}"` : value}`;
  return { kind: "insert", file: sibling.file, after, key, text };
}
