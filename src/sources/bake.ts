/**
 * Docker Bake (SPEC §4): `docker-bake.hcl`, `docker-bake.json`, `docker-bake.override.*`. Each
 * target's `dockerfile` (relative to its `context`, which is relative to the bake file) is read
 * where it is, with the target's `args` as its `--build-arg`s (`Layout.buildArgSets`); `contexts`
 * values `docker-image://<ref>` are images, judged at their line here. `inherits` is resolved
 * (the named targets first, the target's own keys over them; maps merged, as bake merges them)
 * and `variable` defaults are interpolated (`${NAME}`, a bare `NAME`, and the `A == "" ? x : y`
 * idiom). Anything else bake evaluates (functions, other expressions) is not known: an image
 * made from it is unresolved, and an arg made from it is left out, so the Dockerfile's own
 * default applies.
 *
 * The HCL is read by a small reader of the part of HCL that bake files use: blocks with labels,
 * attributes whose values are strings (heredocs too), lists and maps of them; any other value is
 * kept as its expression text.
 */
import { dirname, resolve } from "node:path";
import { type ImageAt, isObject, type Json } from "./image-keys.js";
import { readJsonc } from "./jsonc.js";
import { positionsIn } from "./offsets.js";
import type { ParseProblem } from "./types.js";
import type { KeyPath, YamlDocument } from "./yaml.js";

const BAKE_PATH = /(?:^|\/)docker-bake(?:\.override)?(?:\.[^/]*)?\.(?:hcl|json)$/i;

export function isBakePath(path: string): boolean {
  return BAKE_PATH.test(path);
}

export function isBakeOverride(path: string): boolean {
  return /(?:^|\/)docker-bake\.override\.[^/]+$/i.test(path);
}

/** Bake's default file names, in the order it reads them (later files override earlier ones). */
export const BAKE_FILES = [
  "docker-bake.json",
  "docker-bake.override.json",
  "docker-bake.hcl",
  "docker-bake.override.hcl",
];

const DOCKER_IMAGE = "docker-image://";
const MAX_INHERITS = 32;

/** An HCL expression bake would evaluate and this reader does not: kept as text, marked. */
export interface Expression {
  expression: string;
}

function isExpression(value: unknown): value is Expression {
  return isObject(value) && typeof value.expression === "string" && Object.keys(value).length === 1;
}

export interface BakeTarget {
  name: string;
  /** Absolute path of the Dockerfile it builds. */
  dockerfile: string;
  args: Record<string, string>;
  /** The names of its `contexts` (inherited ones too). */
  contexts: string[];
}

/** What a bake file's targets build, and the images its contexts name. */
export interface Bake {
  targets: BakeTarget[];
  images: ImageAt[];
}

/**
 * The targets of a bake file (data as HCL or JSON give it) with inheritance and variables
 * resolved. `file` is the bake file's absolute path.
 */
export function bakeTargets(data: unknown, file: string): Bake {
  const bake: Bake = { targets: [], images: [] };
  if (!isObject(data)) return bake;
  const targets = isObject(data.target) ? data.target : {};
  const variables = new Map<string, string>();
  if (isObject(data.variable)) {
    for (const [name, variable] of Object.entries(data.variable)) {
      const value = isObject(variable) ? variable.default : undefined;
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
        variables.set(name, String(value));
    }
  }
  const value = (raw: unknown): string | undefined => evaluate(raw, variables, 0);

  /** A target's keys with what it inherits merged below them. */
  const resolved = (name: string, depth: number, seen: Set<string>): Json => {
    const own = targets[name];
    if (!isObject(own) || seen.has(name) || depth > MAX_INHERITS) return {};
    const inner = new Set(seen).add(name);
    const merged: Json = {};
    const parents = Array.isArray(own.inherits) ? own.inherits : [];
    for (const parent of parents)
      if (typeof parent === "string") mergeInto(merged, resolved(parent, depth + 1, inner));
    mergeInto(merged, own);
    return merged;
  };

  for (const name of Object.keys(targets)) {
    const target = resolved(name, 0, new Set());
    const context = value(target.context) ?? ".";
    if (!context.includes("://") && target["dockerfile-inline"] === undefined) {
      const dockerfile = value(target.dockerfile) ?? "Dockerfile";
      const args: Record<string, string> = {};
      if (isObject(target.args)) {
        for (const [key, raw] of Object.entries(target.args)) {
          const arg = value(raw);
          if (arg !== undefined) args[key] = arg;
        }
      }
      const contexts = isObject(target.contexts) ? Object.keys(target.contexts) : [];
      bake.targets.push({ name, dockerfile: resolve(dirname(file), context, dockerfile), args, contexts });
    }
  }
  // Contexts are reported where they are written: in the target that writes them.
  for (const [name, own] of Object.entries(targets)) {
    if (!isObject(own) || !isObject(own.contexts)) continue;
    for (const [key, raw] of Object.entries(own.contexts)) {
      const text = isExpression(raw) ? `\${${raw.expression}}` : typeof raw === "string" ? raw : undefined;
      if (text === undefined || !text.startsWith(DOCKER_IMAGE)) continue;
      const image = value(raw);
      bake.images.push({
        path: ["target", name, "contexts", key],
        value: (image ?? text).slice(DOCKER_IMAGE.length),
        ...(typeof raw === "string" && !raw.includes("${") && { prefix: DOCKER_IMAGE }),
        workload: { kind: "bake target", name },
        labels: {},
        ...(image === undefined && {
          unresolved: `cannot tell which image the context ${key} names: ${text} is an expression bake evaluates; write the image out, or give its variables defaults`,
        }),
      });
    }
  }
  return bake;
}

/** Bake's merge of two files: targets and variables merged key by key, the later file winning. */
export function mergeBakeFile(into: Json, from: Json): void {
  for (const [section, blocks] of Object.entries(from)) {
    if (!isObject(blocks)) continue;
    const current = isObject(into[section]) ? (into[section] as Json) : {};
    for (const [name, block] of Object.entries(blocks)) {
      const existing = current[name];
      current[name] = isObject(existing) && isObject(block) ? { ...existing, ...block } : block;
    }
    into[section] = current;
  }
}

/** A bake file as a document: JSON with comments by its extension, HCL otherwise. */
export function readBake(text: string, file: string): { doc?: YamlDocument; problems: ParseProblem[] } {
  return /\.json$/i.test(file) ? readJsonc(text, file) : readBakeHcl(text, file);
}

/** Bake's merge of an inherited target: maps merged key by key, anything else replaced. */
function mergeInto(into: Json, from: Json): void {
  for (const [key, value] of Object.entries(from)) {
    if (key === "inherits") continue;
    const current = into[key];
    into[key] =
      isObject(current) && isObject(value) && !isExpression(value) ? { ...current, ...value } : value;
  }
}

/** A value as bake evaluates it, when it is a string, a variable or interpolation of variables. */
function evaluate(raw: unknown, variables: ReadonlyMap<string, string>, depth: number): string | undefined {
  if (depth > 16) return undefined;
  if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
  if (isExpression(raw)) return expression(raw.expression.trim(), variables, depth);
  if (typeof raw !== "string") return undefined;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    if (raw.startsWith("$${", i)) {
      out += "${";
      i += 2;
    } else if (raw.startsWith("${", i)) {
      const end = raw.indexOf("}", i);
      if (end === -1) return undefined;
      const inner = expression(raw.slice(i + 2, end).trim(), variables, depth);
      if (inner === undefined) return undefined;
      out += inner;
      i = end;
    } else out += raw[i];
  }
  return out;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const STRING = /^"((?:[^"\\$]|\\.)*)"$/;
/** `A == "x" ? "y" : "z"` (or `!=`), with variables or strings on each side. */
const CONDITIONAL = /^(\S+)\s*(==|!=)\s*(\S+)\s*\?\s*(\S+)\s*:\s*(\S+)$/;

function expression(text: string, variables: ReadonlyMap<string, string>, depth: number): string | undefined {
  if (NAME.test(text)) return variables.get(text);
  const string = STRING.exec(text);
  if (string) return (string[1] as string).replace(/\\(.)/g, "$1");
  const conditional = CONDITIONAL.exec(text);
  if (conditional) {
    const [, left, op, right, yes, no] = conditional as unknown as string[];
    const a = expression(left as string, variables, depth + 1);
    const b = expression(right as string, variables, depth + 1);
    if (a === undefined || b === undefined) return undefined;
    return expression(((a === b) === (op === "==") ? yes : no) as string, variables, depth + 1);
  }
  return undefined;
}

// ——— HCL, the part of it bake files use ———

/** A bake file's HCL as data (blocks by type and label) with each value's offset, or the first problem. */
export function readBakeHcl(text: string, file: string): { doc?: YamlDocument; problems: ParseProblem[] } {
  const offsets = new Map<string, number>();
  const reader = new HclReader(text);
  const position = positionsIn(text);
  let data: Json;
  try {
    data = reader.body(offsets, [], true);
  } catch (error) {
    if (!(error instanceof HclError)) throw error;
    const at = position(error.offset);
    return {
      problems: [{ file, line: at.line, column: at.col, message: `HCL cannot be read: ${error.message}` }],
    };
  }
  const key = (path: KeyPath) => JSON.stringify(path);
  const doc: YamlDocument = {
    data,
    line: 1,
    locate: (path) => position(offsets.get(key(path)) ?? 0),
    written: (path) => {
      let current: unknown = data;
      for (const part of path) current = isObject(current) ? current[part as string] : undefined;
      return typeof current === "string" ? current : undefined;
    },
  };
  return { doc, problems: [] };
}

class HclError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** How deep blocks, lists and maps may nest: past it the file is a parse-error, never a crash. */
const MAX_NESTING = 64;

class HclReader {
  private i = 0;
  private depth = 0;
  constructor(private readonly text: string) {}

  /** Enters a nested block, list or map; refuses one nested past MAX_NESTING. */
  private enter(): void {
    if (++this.depth > MAX_NESTING)
      throw new HclError(`blocks, lists or maps nested more than ${MAX_NESTING} deep`, this.i);
  }

  /** Attributes and blocks until `}` (or the end, at the top). Blocks nest as `type.label…`. */
  body(offsets: Map<string, number>, path: KeyPath, top: boolean): Json {
    const out: Json = {};
    for (;;) {
      this.blank(true);
      if (this.i >= this.text.length) {
        if (!top) throw new HclError("a block is not closed with }", this.i);
        return out;
      }
      if (this.text[this.i] === "}") {
        if (top) throw new HclError("} without a block to close", this.i);
        this.i++;
        return out;
      }
      const name = this.identifier();
      this.blank(false);
      if (this.text[this.i] === "=" && this.text[this.i + 1] !== "=") {
        this.i++;
        this.blank(false);
        const at = this.i;
        out[name] = this.value(offsets, [...path, name]);
        offsets.set(JSON.stringify([...path, name]), at);
        continue;
      }
      const labels: string[] = [];
      while (this.text[this.i] === '"') {
        labels.push(this.quoted());
        this.blank(false);
      }
      if (this.text[this.i] !== "{") throw new HclError(`expected = or { after ${name}`, this.i);
      this.i++;
      let into = out;
      const blockPath: KeyPath = [...path, name, ...labels];
      for (const part of [name, ...labels.slice(0, -1)]) {
        if (!isObject(into[part])) into[part] = {};
        into = into[part] as Json;
      }
      const last = labels.length > 0 ? (labels[labels.length - 1] as string) : undefined;
      this.enter();
      const inner = this.body(offsets, blockPath, false);
      this.depth--;
      if (last === undefined) {
        // A block without labels (such as `attest {}` or nested blocks): kept as a list entry's data.
        into[name] = inner;
      } else {
        const existing = into[last];
        into[last] = isObject(existing) ? { ...existing, ...inner } : inner;
      }
    }
  }

  private value(offsets: Map<string, number>, path: KeyPath): unknown {
    const char = this.text[this.i];
    if (char === '"') return this.finish(this.quoted());
    if (char === "<" && this.text[this.i + 1] === "<") return this.heredoc();
    if (char === "[") return this.list(offsets, path);
    if (char === "{") return this.object(offsets, path);
    const start = this.i;
    const text = this.expressionText();
    const trimmed = text.trim();
    if (trimmed === "") throw new HclError("expected a value", start);
    if (/^-?\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed);
    if (trimmed === "true" || trimmed === "false") return trimmed === "true";
    if (trimmed === "null") return null;
    return { expression: trimmed } satisfies Expression;
  }

  /** A quoted string that is the whole value (an operator after it makes it an expression). */
  private finish(string: string): unknown {
    const rest = this.expressionText();
    if (rest.trim() === "") return string;
    return { expression: `${JSON.stringify(string)} ${rest.trim()}` } satisfies Expression;
  }

  private list(offsets: Map<string, number>, path: KeyPath): unknown[] {
    this.i++;
    this.enter();
    const items: unknown[] = [];
    for (;;) {
      this.blank(true);
      if (this.text[this.i] === "]") {
        this.i++;
        this.depth--;
        return items;
      }
      if (this.i >= this.text.length) throw new HclError("a list is not closed with ]", this.i);
      const at = this.i;
      items.push(this.value(offsets, [...path, items.length]));
      offsets.set(JSON.stringify([...path, items.length - 1]), at);
      this.blank(true);
      if (this.text[this.i] === ",") this.i++;
    }
  }

  private object(offsets: Map<string, number>, path: KeyPath): Json {
    this.i++;
    this.enter();
    const out: Json = {};
    for (;;) {
      this.blank(true);
      if (this.text[this.i] === "}") {
        this.i++;
        this.depth--;
        return out;
      }
      if (this.i >= this.text.length) throw new HclError("a map is not closed with }", this.i);
      const key = this.text[this.i] === '"' ? this.quoted() : this.identifier();
      this.blank(false);
      const separator = this.text[this.i];
      if (separator !== "=" && separator !== ":") throw new HclError(`expected = after ${key}`, this.i);
      this.i++;
      this.blank(false);
      const at = this.i;
      out[key] = this.value(offsets, [...path, key]);
      offsets.set(JSON.stringify([...path, key]), at);
      this.blank(true);
      if (this.text[this.i] === ",") this.i++;
    }
  }

  /** Text of an expression up to the end of its line, a `,` or a closing bracket at depth 0. */
  private expressionText(): string {
    const start = this.i;
    let depth = 0;
    while (this.i < this.text.length) {
      const char = this.text[this.i] as string;
      if (char === '"') {
        this.quoted();
        continue;
      }
      if (char === "#" || (char === "/" && this.text[this.i + 1] === "/")) break;
      if (depth === 0 && (char === "\n" || char === "," || char === "]" || char === "}")) break;
      if (char === "(" || char === "[" || char === "{") depth++;
      if (char === ")" || char === "]" || char === "}") depth--;
      this.i++;
    }
    return this.text.slice(start, this.i);
  }

  /** A `"…"` string: escapes decoded, `${…}` kept as written (interpolation is evaluated later). */
  private quoted(): string {
    const start = this.i;
    this.i++;
    let out = "";
    while (this.i < this.text.length) {
      const char = this.text[this.i] as string;
      if (char === "\n") break;
      if (char === "\\") {
        const next = this.text[this.i + 1] ?? "";
        out += next === "n" ? "\n" : next === "t" ? "\t" : next;
        this.i += 2;
        continue;
      }
      if (char === "$" && this.text[this.i + 1] === "{") {
        const end = this.text.indexOf("}", this.i);
        if (end === -1) break;
        out += this.text.slice(this.i, end + 1);
        this.i = end + 1;
        continue;
      }
      if (char === '"') {
        this.i++;
        return out;
      }
      out += char;
      this.i++;
    }
    throw new HclError("a string is not closed", start);
  }

  private heredoc(): string {
    const match = /^<<(-?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(this.text.slice(this.i, this.i + 200));
    if (!match) throw new HclError("not a heredoc", this.i);
    const body = this.i + match[0].length;
    const end = new RegExp(`^[ \\t]*${match[2]}[ \\t]*$`, "m");
    const rest = this.text.slice(body);
    const found = end.exec(rest);
    if (!found) throw new HclError(`heredoc ${match[2]} is not closed`, this.i);
    this.i = body + found.index + found[0].length;
    return rest.slice(0, found.index);
  }

  private identifier(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.i, this.i + 256));
    if (!match) throw new HclError("expected a name", this.i);
    this.i += match[0].length;
    return match[0];
  }

  /** Skips blanks and comments; line breaks too when `lines`. */
  private blank(lines: boolean): void {
    while (this.i < this.text.length) {
      const char = this.text[this.i] as string;
      if (char === " " || char === "\t" || char === "\r" || (lines && char === "\n")) this.i++;
      else if (char === "#" || (char === "/" && this.text[this.i + 1] === "/")) {
        const end = this.text.indexOf("\n", this.i);
        this.i = end === -1 ? this.text.length : end;
      } else if (char === "/" && this.text[this.i + 1] === "*") {
        const end = this.text.indexOf("*/", this.i + 2);
        this.i = end === -1 ? this.text.length : end + 2;
      } else return;
    }
  }
}
