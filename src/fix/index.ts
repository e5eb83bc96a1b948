/**
 * The fix engine (SPEC §9): the check engine's occurrences, each with where its text is written
 * (the sources' located values), a target image for what the policy rejects (target.ts), and the
 * changes to the files that write it — the image token only, everything else byte for byte. A value
 * that several occurrences share (an ARG default, a `.env` value, a kustomization entry) changes
 * only when every one of them wants the same new text. Reads and plans; writing is write.ts's.
 */
import { lstatSync, readFileSync, realpathSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { type CheckOptions, type CheckResult, runCheck } from "../check.js";
import { parseImageRef } from "../image/reference.js";
import type { RuleId } from "../rules/catalog.js";
import type { RuleContext } from "../rules/types.js";
import type { ImageWritten, KustomizeImage, MapKey, Occurrence, ValueAt } from "../sources/types.js";
import { FileText, NotExact, needsQuotes, type Span, writeInStyle } from "./file-text.js";
import { type NewImage, REPAIRABLE, type Resolver, type Target, targetOf } from "./target.js";

export interface FixOptions extends Omit<CheckOptions, "onJudged"> {
  resolve?: Resolver;
  /** Only findings of these rules are repaired (`--rules`). */
  only?: ReadonlySet<string>;
}

/** One image rewritten (SPEC §9 `--format json`). */
export interface Change {
  file: string;
  line: number;
  rule: string;
  from: string;
  to: string;
}

export interface Unfixable {
  file: string;
  line: number;
  rule: string;
  image: string;
  reason: string;
}

/** A file `fix` changes: its bytes as read, and its new text. */
export interface FileChange {
  /** Display path (relative to the working directory, `/` separators). */
  file: string;
  absolute: string;
  before: Buffer;
  after: string;
  diff: string;
  /** Each old line that changes (1-based) and its new lines: what a pull-request suggestion shows. */
  lines: { line: number; old: string; new: string[] }[];
}

export interface FixResult {
  changes: Change[];
  unfixable: Unfixable[];
  files: FileChange[];
  check: CheckResult;
}

/** A change to one value of one file, or a key line added after a line. */
type Claim =
  | { kind: "set"; at: ValueAt; next: string; yaml: boolean }
  | { kind: "insert"; file: string; after: number; key: string; text: string };

interface Plan {
  occurrence: Occurrence;
  /** The repairable rules it was reported under. */
  repairable: RuleId[];
  target: Target;
  claims: Claim[];
  /** Why the change cannot be made, once that is known. */
  blocked?: string;
}

export async function runFix(options: FixOptions): Promise<FixResult> {
  const judged: { occurrence: Occurrence; rules: RuleId[]; context: RuleContext }[] = [];
  const check = runCheck({
    ...options,
    onJudged: (occurrence, rules, context) => judged.push({ occurrence, rules, context }),
  });
  const files = new Files(options.cwd);
  const plans: Plan[] = [];
  const unfixable: Unfixable[] = [];
  const cannot = (occurrence: Occurrence, rule: string, reason: string) =>
    unfixable.push({ file: occurrence.file, line: occurrence.line, rule, image: occurrence.text, reason });
  /** Each finding fix leaves is listed under its own rule. */
  const cannotAny = (occurrence: Occurrence, rules: readonly string[], reason: string) => {
    for (const rule of rules.length > 0 ? rules : [""]) cannot(occurrence, rule, reason);
  };
  for (const { occurrence, rules, context } of judged) {
    const { image } = occurrence;
    const repairable = rules.filter((rule) => REPAIRABLE.includes(rule) && (options.only?.has(rule) ?? true));
    if (occurrence.written?.kind === "fixed" && repairable.length > 0) {
      cannotAny(occurrence, repairable, occurrence.written.reason);
      continue;
    }
    if (image.kind !== "image") {
      if (rules.length > 0) {
        cannot(
          occurrence,
          rules[0] as RuleId,
          image.kind === "invalid"
            ? image.reason
            : occurrence.written?.kind === "fixed"
              ? `cannot tell which image it is: ${occurrence.written.reason}`
              : "cannot tell which image it is (see the finding)",
        );
      }
      continue;
    }
    const target = await targetOf(occurrence, image.ref, rules, {
      rules: context,
      ...(options.digests && { digests: options.digests }),
      ...(options.resolve && { resolve: options.resolve }),
      ...(options.only && { only: options.only }),
    });
    if (target.kind === "unfixable") cannotAny(occurrence, repairable, target.reason);
    const to = target.kind === "change" ? target.to : undefined;
    const claims = claimsFor(occurrence, to, files);
    if ("reason" in claims) {
      if (to) cannotAny(occurrence, repairable, claims.reason);
      continue;
    }
    plans.push({ occurrence, target, claims, repairable });
  }
  settleShared(plans);

  const changes: Change[] = [];
  const touched = new Map<string, FileText>();
  const applied = new Set<string>();
  for (const plan of plans) {
    const { occurrence, target } = plan;
    if (target.kind !== "change") continue;
    if (plan.blocked) {
      cannotAny(occurrence, plan.repairable, plan.blocked);
      continue;
    }
    let where: { file: string; line: number } | undefined;
    for (const claim of plan.claims) {
      const file = claim.kind === "set" ? claim.at.file : claim.file;
      const text = files.get(file);
      if (!("text" in text)) continue;
      // A value several occurrences share (and agree on) is changed once.
      const key =
        claim.kind === "set"
          ? `${file}\0${claim.at.line}\0${claim.at.column}`
          : `${file}\0+${claim.after}\0${claim.key}`;
      const done = applied.has(key);
      applied.add(key);
      if (claim.kind === "set") {
        if (claim.next === claim.at.value) continue;
        where ??= { file, line: claim.at.line };
        if (done) continue;
        const span = text.text.span(claim.at) as Span;
        text.text.replace(span, writeInStyle(claim.next, span.quote, claim.yaml));
      } else if (claim.text !== "") {
        where ??= { file, line: claim.after + 1 };
        if (done) continue;
        text.text.insertAfter(claim.after - 1, claim.text);
      }
      touched.set(file, text.text);
    }
    if (!where) continue;
    changes.push({ ...where, rule: target.rule, from: occurrence.text, to: target.to.text });
    if (target.left) cannot({ ...occurrence, text: target.to.text }, target.left.rule, target.left.reason);
  }
  // A value several occurrences share is one change: the first occurrence's line says it.
  const seen = new Set<string>();
  const unique = changes.filter((c) => {
    const key = `${c.file}\0${c.line}\0${c.to}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  for (const skip of check.skipped) {
    if (/template/i.test(skip.reason))
      unfixable.push({ file: skip.file, line: 0, rule: "skipped", image: "", reason: skip.reason });
  }
  const changed: FileChange[] = [];
  const broken = new Set<string>();
  // A file reached under two names (a symbolic link inside the tree) is changed once, under its own name.
  const real = new Map<string, string>();
  const absoluteOf = (file: string) => (files.get(file) as { absolute: string }).absolute;
  for (const file of touched.keys()) {
    const target = realPath(absoluteOf(file));
    const other = real.get(target);
    if (other === undefined || (isLink(absoluteOf(other)) && !isLink(absoluteOf(file))))
      real.set(target, file);
  }
  const kept = new Set(real.values());
  for (const [file, text] of [...touched].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const read = files.get(file);
    if (!("bytes" in read) || !kept.has(file)) continue;
    try {
      changed.push({
        file,
        absolute: read.absolute,
        before: read.bytes,
        after: text.result(),
        diff: text.diff(file),
        lines: text.changedLines(),
      });
    } catch (error) {
      if (!(error instanceof NotExact)) throw error;
      unfixable.push({ file, line: 0, rule: "", image: "", reason: error.message });
      broken.add(file);
    }
  }
  return {
    changes: unique
      .filter((c) => !broken.has(c.file) && (!touched.has(c.file) || kept.has(c.file)))
      .sort(byPosition),
    unfixable: unfixable.sort(byPosition),
    files: changed,
    check,
  };
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function byPosition<T extends { file: string; line: number }>(a: T, b: T): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line;
}

/** Files as `fix` reads them: by display path, once, and only when they are UTF-8 it can write back exactly. */
class Files {
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

function isYaml(file: string): boolean {
  return /\.ya?ml$/i.test(file) || /(^|\/)Kustomization$/.test(file);
}

/** What changing an occurrence to `to` (or keeping it, `to` undefined) asks of the files. */
function claimsFor(
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

/**
 * A value several occurrences share changes only when they all want the same text for it; where
 * they do not, none of them changes (SPEC §9: "a value shared by occurrences that need different
 * replacements"), and that can leave other shared values undecided in turn, so it is repeated.
 */
function settleShared(plans: Plan[]): void {
  for (let changed = true; changed; ) {
    changed = false;
    const wants = new Map<string, Set<string>>();
    const keyOf = (claim: Claim) =>
      claim.kind === "set"
        ? `${claim.at.file}\0${claim.at.line}\0${claim.at.column}`
        : `${claim.file}\0+${claim.after}\0${claim.key}`;
    const wantedBy = (plan: Plan, claim: Claim) =>
      plan.blocked
        ? claim.kind === "set"
          ? claim.at.value
          : ""
        : claim.kind === "set"
          ? claim.next
          : claim.text;
    for (const plan of plans) {
      for (const claim of plan.claims) {
        const key = keyOf(claim);
        const set = wants.get(key) ?? new Set();
        set.add(wantedBy(plan, claim));
        wants.set(key, set);
      }
    }
    for (const plan of plans) {
      if (plan.blocked || plan.target.kind !== "change") continue;
      if (plan.claims.some((claim) => (wants.get(keyOf(claim))?.size ?? 0) > 1)) {
        plan.blocked =
          "the value is shared with other images that need a different replacement (an ARG, a .env value or a kustomization entry used more than once); change it by hand";
        changed = true;
      }
    }
  }
}
