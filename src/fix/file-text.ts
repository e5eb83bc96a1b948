/**
 * A file's text with `fix`'s changes to it (SPEC §9): values replaced where the sources located
 * them, key lines inserted after a line, everything else byte for byte — line endings (LF, CRLF,
 * a missing final newline), a byte-order mark, tabs, trailing blanks. The changes are line-local,
 * so the unified diff is written straight from them: no diff algorithm has to rediscover what
 * changed (and `git apply` takes it; a test holds it to that).
 */
import jsYaml from "js-yaml";
import type { ValueAt } from "../sources/types.js";

export type Quote = "" | '"' | "'";

/** Where a located value's characters are on its line, and how it is quoted there. */
export interface Span {
  /** 0-based line. */
  line: number;
  start: number;
  end: number;
  quote: Quote;
}

/** Raised when a change cannot be made exactly; `fix` lists the occurrence as not fixable with it. */
export class NotExact extends Error {}

const BOM = "\uFEFF";
const CONTEXT = 3;

export class FileText {
  readonly lines: string[];
  private readonly replaced = new Map<number, { start: number; end: number; text: string }[]>();
  private readonly inserted = new Map<number, string[]>();

  constructor(readonly text: string) {
    this.lines = text.split("\n");
  }

  /**
   * The characters of `at.value` at its position, when the bytes there stand for it: written plain,
   * or in one pair of quotes without escapes. Undefined for anything else (an escape, a value folded
   * over lines, a file that changed since it was read).
   */
  span(at: ValueAt): Span | undefined {
    const line = at.line - 1;
    const text = this.lines[line];
    if (text === undefined || at.line < 1) return undefined;
    // Readers strip byte-order marks at line starts before they count columns.
    let boms = 0;
    while (text[boms] === BOM) boms++;
    for (const column of boms > 0 ? [at.column - 1 + boms, at.column - 1] : [at.column - 1]) {
      if (at.value !== "" && text.startsWith(at.value, column)) {
        return { line, start: column, end: column + at.value.length, quote: "" };
      }
      if (!/["\\]/.test(at.value) && text.startsWith(`"${at.value}"`, column)) {
        return { line, start: column + 1, end: column + 1 + at.value.length, quote: '"' };
      }
      const single = at.value.replace(/'/g, "''");
      if (text.startsWith(`'${single}'`, column)) {
        return { line, start: column + 1, end: column + 1 + single.length, quote: "'" };
      }
    }
    return undefined;
  }

  /** Replaces a span's characters; overlapping replacements are refused when the text is built. */
  replace(span: Span, text: string): void {
    const list = this.replaced.get(span.line) ?? [];
    list.push({ start: span.start, end: span.end, text });
    this.replaced.set(span.line, list);
  }

  /** Adds a line after 0-based `line`, with that line's ending. */
  insertAfter(line: number, content: string): void {
    const list = this.inserted.get(line) ?? [];
    list.push(content);
    this.inserted.set(line, list);
  }

  get changed(): boolean {
    return this.replaced.size > 0 || this.inserted.size > 0;
  }

  /** The new text of each old line: the line itself changed, then the lines inserted after it. */
  private blocks(): (string[] | undefined)[] {
    const blocks: (string[] | undefined)[] = new Array(this.lines.length);
    for (const [line, list] of this.replaced) {
      let text = this.lines[line] as string;
      const ordered = [...list].sort((a, b) => b.start - a.start);
      ordered.forEach((r, i) => {
        const next = ordered[i - 1];
        if (next && r.end > next.start) throw new NotExact("two changes overlap on one line");
        text = text.slice(0, r.start) + r.text + text.slice(r.end);
      });
      blocks[line] = [text];
    }
    for (const [line, list] of this.inserted) {
      const own = this.lines[line] as string;
      const ending = own.endsWith("\r") ? "\r" : "";
      blocks[line] = [...(blocks[line] ?? [own]), ...list.map((content) => content + ending)];
    }
    return blocks;
  }

  /** Each old line that changes (1-based), with the lines that take its place (line endings removed). */
  changedLines(): { line: number; old: string; new: string[] }[] {
    const blocks = this.blocks();
    const strip = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);
    return blocks.flatMap((block, i) =>
      block === undefined
        ? []
        : [{ line: i + 1, old: strip(this.lines[i] as string), new: block.map(strip) }],
    );
  }

  result(): string {
    const blocks = this.blocks();
    return this.lines.flatMap((line, i) => blocks[i] ?? [line]).join("\n");
  }

  /** A unified diff of the change, as `git diff` writes it, for the path (relative, `/` separators). */
  diff(path: string): string {
    const blocks = this.blocks();
    const oldLines = this.lines;
    const oldCount = oldLines.at(-1) === "" ? oldLines.length - 1 : oldLines.length;
    const oldEndsWithNewline = oldLines.at(-1) === "";
    const newLines = oldLines.flatMap((line, i) => blocks[i] ?? [line]);
    const newCount = newLines.at(-1) === "" ? newLines.length - 1 : newLines.length;
    const newEndsWithNewline = newLines.at(-1) === "";
    // Where each old line's block starts among the new lines.
    const starts: number[] = [];
    let at = 0;
    for (let i = 0; i < oldLines.length; i++) {
      starts.push(at);
      at += blocks[i]?.length ?? 1;
    }
    const changed = blocks.flatMap((block, i) => (block !== undefined && i < oldCount ? [i] : []));
    // A change to the phantom line after the last newline is an insertion at the end.
    if (blocks[oldCount] !== undefined && oldCount === oldLines.length - 1) changed.push(oldCount);
    const hunks: [number, number][] = [];
    for (const i of changed) {
      const from = Math.max(0, i - CONTEXT);
      const to = Math.min(oldCount - 1, i + CONTEXT);
      const last = hunks.at(-1);
      if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
      else hunks.push([from, Math.max(to, i)]);
    }
    const out = [`diff --git ${quotePath(`a/${path}`)} ${quotePath(`b/${path}`)}`];
    out.push(`--- ${quotePath(`a/${path}`)}`, `+++ ${quotePath(`b/${path}`)}`);
    const noNewline = "\\ No newline at end of file";
    for (const [from, to] of hunks) {
      const body: string[] = [];
      let oldLength = 0;
      let newLength = 0;
      // A run of changed lines is written as git writes it: the old lines, then the new ones.
      let removed: string[] = [];
      let added: string[] = [];
      const flush = () => {
        body.push(...removed, ...added);
        removed = [];
        added = [];
      };
      for (let i = from; i <= to; i++) {
        const block = blocks[i];
        const oldIsLast = i === oldCount - 1 && !oldEndsWithNewline;
        if (block === undefined) {
          flush();
          body.push(` ${oldLines[i]}`);
          if (oldIsLast) body.push(noNewline);
          oldLength++;
          newLength++;
          continue;
        }
        if (i < oldCount) {
          removed.push(`-${oldLines[i]}`);
          if (oldIsLast) removed.push(noNewline);
          oldLength++;
        }
        block.forEach((line, k) => {
          const index = (starts[i] as number) + k;
          if (index >= newCount) return;
          added.push(`+${line}`);
          if (index === newCount - 1 && !newEndsWithNewline) added.push(noNewline);
          newLength++;
        });
      }
      flush();
      const newFrom = starts[from] as number;
      out.push(`@@ -${range(from, oldLength)} +${range(newFrom, newLength)} @@`, ...body);
    }
    return `${out.join("\n")}\n`;
  }
}

function range(from: number, length: number): string {
  const start = length === 0 ? from : from + 1;
  return length === 1 ? `${start}` : `${start},${length}`;
}

/**
 * A path as git writes it in a diff header: as is, or in double quotes with C escapes (octal for
 * bytes outside ASCII) when it holds a quote, a backslash, a control character or non-ASCII text.
 */
export function quotePath(path: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what git quotes.
  if (!/["\\\x00-\x1f\x7f-\uffff]/.test(path)) return path;
  let out = '"';
  for (const byte of Buffer.from(path, "utf8")) {
    const char = String.fromCharCode(byte);
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (char === "\t") out += "\\t";
    else if (char === "\n") out += "\\n";
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, "0")}`;
    else out += char;
  }
  return `${out}"`;
}

/** YAML 1.1 words go-yaml reads as booleans, and anything YAML reads as a number, date or null. */
const YAML11_SCALAR =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?[0-9][0-9_.:]*|~|null|Null|NULL)$/;

/**
 * The text that writes `value` in the style of the value it replaces: inside the same quotes, or
 * plain — quoted after all when YAML would read the plain text as something other than that string
 * (`tag: 7` replaced by `24.04` becomes `tag: "24.04"`, not the number 24.04).
 */
export function writeInStyle(value: string, quote: Quote, yaml: boolean): string {
  if (quote === "'") return value.replace(/'/g, "''");
  if (quote === '"' || !yaml) return value;
  return needsQuotes(value) ? `"${value}"` : value;
}

export function needsQuotes(value: string): boolean {
  if (YAML11_SCALAR.test(value) || /^[\s!&*%@`'"#|>{[,-]|[:#]\s|\s$|:$/.test(value)) return true;
  try {
    return jsYaml.load(value) !== value;
  } catch {
    return true;
  }
}
