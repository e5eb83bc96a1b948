/**
 * The YAML line scanner (issue 24): block-style YAML — the shape of nearly every manifest, values
 * file, kustomization and workflow — read line by line into plain data, with the position of every
 * value kept beside it, and no parser's document, node or token objects in between. It reads what
 * it can be sure of: block mappings and sequences (compact ones too); plain scalars, on one line
 * or folded over several, with the YAML 1.2 core schema; quoted scalars on one line; literal and
 * folded block scalars; flow collections; anchors and aliases. Anything else — tags, merge keys,
 * directives, aliases to values that hold aliases, complex keys, keys that are not strings,
 * numbers it is not sure how both parsers read, tabs used as
 * indentation — makes it give up on the whole file, and the
 * parsers read it (yaml.ts). A differential test holds it to the exact parser: the same data and
 * the same position and written text for every value, over every fixture and real file.
 */

/** Signals that a fast reading is not sure of the file: the parsers read it instead. */
export class NotSure {}
/** Thrown wherever a fast reading gives up: one object, no stack trace to capture. */
export const NOT_SURE = new NotSure();

/** A position packed into one number, so none is an object: line × 2^22 + column (both 1-based). */
const LINE = 4_194_304;
export const packPosition = (line: number, col: number): number => line * LINE + col;
export const unpackPosition = (packed: number): { line: number; col: number } => ({
  line: Math.floor(packed / LINE),
  col: packed % LINE,
});

/** Positions of a container's values: by key for a mapping, by index for a sequence. */
export type Positions = Map<string, number> | number[];

export interface ScannedDocument {
  data: unknown;
  /** Packed position of the document's root value (its first line when it has none). */
  start: number;
  /** Positions of each container's values. */
  positions: Map<object, Positions>;
  /** The written text of plain scalars that are not strings (`1.10`, `true`), by packed position. */
  raw: Map<number, string>;
  /** Packed positions of aliases (`*name`): they have no written text. */
  aliases: Set<number>;
  /**
   * Where a key is written twice: the document is not read (as the exact parser refuses it) and
   * this is the problem it reports.
   */
  duplicateKey?: number;
}

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/**
 * Characters the scanner leaves to the parsers: control characters no YAML stream may hold, the
 * line breaks only some readers count (NEL, LS, PS), lone CRs, and (for a closer look) surrogates.
 * One character class, so the test runs at memory speed.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
const UNUSUAL = /[\x00-\x08\x0B-\x1F\x7F-\x9F\uD800-\uDFFF\u2028\u2029\uFFFE\uFFFF]/;
/** What of those the parsers accept: CR before LF, and surrogates that pair up (emoji). */
const ACCEPTED = /\r\n|[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
/** Merge keys and directives. Anchors, aliases and tags need no test: values starting with one stop the scanner. */
const UNSURE = /(?:^|[\s[{,])<<[ \t]*:|^%/m;

function unsure(text: string): boolean {
  if (UNUSUAL.test(text) && UNUSUAL.test(text.replace(ACCEPTED, ""))) return true;
  return (text.includes("<<") || text.includes("%")) && UNSURE.test(text);
}
/** `---` or `...` at the start of a line, with the rest of that line (global: use with matchAll). */
export const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t]|\r?$)(.*)$/gm;

/** The documents of a file, or undefined when the scanner is not sure of it. */
export function scanYaml(text: string): ScannedDocument[] | undefined {
  if (unsure(text)) return undefined;
  const documents: ScannedDocument[] = [];
  try {
    let start = 0;
    let line = 1;
    let counted = 0;
    for (const marker of text.matchAll(DOCUMENT_MARKER)) {
      const rest = (marker[1] ?? "").trim();
      if (rest !== "" && !rest.startsWith("#")) return undefined;
      line += countNewlines(text, counted, start);
      counted = start;
      scanDocument(text, start, marker.index, line, documents);
      start = marker.index + marker[0].length;
      // The marker's own line break belongs to it: the next document starts on the next line.
      if (text.charCodeAt(start) === 13) start++;
      if (text.charCodeAt(start) === 10) start++;
    }
    line += countNewlines(text, counted, start);
    scanDocument(text, start, text.length, line, documents);
  } catch (error) {
    if (error instanceof NotSure) return undefined;
    throw error;
  }
  return documents;
}

/** Line feeds in `text` between `from` and `to`. */
export function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

function scanDocument(text: string, from: number, to: number, line: number, out: ScannedDocument[]): void {
  const scan = new Scan(text, from, to, line);
  if (!scan.skipToContent()) {
    // Comments and blank lines only: a document with no content, as the parsers read it, unless
    // there is nothing at all (no document).
    if (text.slice(from, to).trim() !== "") {
      out.push({
        data: null,
        start: packPosition(line, 1),
        positions: scan.positions,
        raw: scan.raw,
        aliases: scan.aliasPositions,
      });
    }
    return;
  }
  const start = packPosition(scan.line, scan.indent + 1);
  const data = scan.node(scan.lineStart + scan.indent, -1);
  if (!scan.atEnd) throw NOT_SURE;
  out.push({
    data,
    start,
    positions: scan.positions,
    raw: scan.raw,
    aliases: scan.aliasPositions,
    ...(scan.duplicate !== undefined && { duplicateKey: scan.duplicate }),
  });
}

class Scan {
  readonly positions = new Map<object, Positions>();
  readonly raw = new Map<number, string>();
  /** Packed positions of aliases: values with no written text of their own. */
  readonly aliasPositions = new Set<number>();
  private readonly anchors = new Map<string, { value: unknown }>();
  /** Anchors whose value holds an alias. */
  private readonly holdsAliases = new Set<string>();
  private aliasCount = 0;
  /** Whether the last value read was empty (the exact parser places a duplicate key's error after it). */
  lastEmpty = false;
  /** Packed position of the first key written twice in the document, if one is. */
  duplicate: number | undefined;
  /** Start and end (before any CR) of the current line; the start of the next one. */
  lineStart: number;
  lineEnd = 0;
  nextLine = 0;
  /** Leading spaces of the current line. */
  indent = 0;
  atEnd = false;
  /** The key read by the last `keyAt` and the offset after its colon. */
  private key = "";
  private afterColon = 0;

  constructor(
    private readonly text: string,
    from: number,
    readonly documentEnd: number,
    public line: number,
  ) {
    this.lineStart = from;
    this.load();
  }

  private load(): void {
    if (this.lineStart >= this.documentEnd) {
      this.atEnd = true;
      this.lineEnd = this.nextLine = this.documentEnd;
      return;
    }
    const newline = this.text.indexOf("\n", this.lineStart);
    const stop = newline < 0 || newline >= this.documentEnd ? this.documentEnd : newline;
    this.nextLine = stop === this.documentEnd ? this.documentEnd : stop + 1;
    this.lineEnd = stop > this.lineStart && this.text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
    let i = this.lineStart;
    while (i < this.lineEnd && this.text.charCodeAt(i) === SPACE) i++;
    this.indent = i - this.lineStart;
  }

  private advance(): void {
    if (this.atEnd) return;
    this.lineStart = this.nextLine;
    this.line++;
    this.load();
  }

  /** First character after the indentation, or -1 when the line is blank (spaces and tabs only). */
  private firstChar(): number {
    for (let i = this.lineStart + this.indent; i < this.lineEnd; i++) {
      const c = this.text.charCodeAt(i);
      if (c !== SPACE && c !== TAB) return c;
    }
    return -1;
  }

  /** Moves to the next line with content (not blank, not a comment); false at the document's end. */
  skipToContent(): boolean {
    for (; !this.atEnd; this.advance()) {
      const first = this.firstChar();
      if (first === -1 || first === HASH) continue;
      // A tab where indentation would be: the parsers decide what it means.
      if (this.text.charCodeAt(this.lineStart + this.indent) === TAB) throw NOT_SURE;
      return true;
    }
    return false;
  }

  private column(offset: number): number {
    return offset - this.lineStart + 1;
  }

  private here(offset: number): number {
    return packPosition(this.line, this.column(offset));
  }

  private isBlank(offset: number): boolean {
    const c = this.text.charCodeAt(offset);
    return c === SPACE || c === TAB;
  }

  /** Whether `offset` is a sequence entry's dash. */
  private isDash(offset: number): boolean {
    return this.text.charCodeAt(offset) === DASH && (offset + 1 === this.lineEnd || this.isBlank(offset + 1));
  }

  private skipBlanks(offset: number): number {
    while (offset < this.lineEnd && this.isBlank(offset)) offset++;
    return offset;
  }

  /** Whether the rest of the line from `offset` is blank or a comment. */
  private restIsEmpty(offset: number): boolean {
    const at = this.skipBlanks(offset);
    return at === this.lineEnd || (this.text.charCodeAt(at) === HASH && at !== offset);
  }

  /** A block node starting at `offset` of the current line; `parent` is its parent's indentation. */
  node(offset: number, parent: number): unknown {
    if (this.isDash(offset)) return this.sequence(offset);
    if (this.keyAt(offset)) return this.mapping(offset);
    return this.inline(offset, parent);
  }

  /**
   * Whether a mapping key starts at `offset`: a plain or quoted scalar followed by `:` and a blank
   * or the line's end. Sets `key` and `afterColon`.
   */
  private keyAt(offset: number): boolean {
    const { text } = this;
    const first = text.charCodeAt(offset);
    if (first === 34 || first === 39) {
      const close = text.indexOf(first === 34 ? '"' : "'", offset + 1);
      if (close < 0 || close >= this.lineEnd) return false;
      const after = this.skipBlanks(close + 1);
      if (text.charCodeAt(after) !== COLON || !(after + 1 === this.lineEnd || this.isBlank(after + 1)))
        return false;
      const inner = text.slice(offset + 1, close);
      // Escapes and doubled quotes in keys are left to the parsers.
      if (inner.includes("\\") || (first === 39 && text.charCodeAt(close + 1) === 39)) throw NOT_SURE;
      this.key = inner;
      this.afterColon = after + 1;
      return true;
    }
    if (isIndicator(first, text.charCodeAt(offset + 1))) return false;
    // The line's first colon followed by a blank or the line's end, unless a comment comes first
    // (the line is then a scalar and its comment). Bounded by the line: indexOf would look on
    // through every following line.
    for (let i = offset; i < this.lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === HASH && i > offset && this.isBlank(i - 1)) return false;
      if (c !== COLON || !(i + 1 === this.lineEnd || this.isBlank(i + 1))) continue;
      let keyEnd = i;
      while (this.isBlank(keyEnd - 1)) keyEnd--;
      const key = text.slice(offset, keyEnd);
      // Flow indicators and long implicit keys are left to the parsers.
      if (/[[\]{},]/.test(key) || key.length > 1000) throw NOT_SURE;
      this.key = keyName(key);
      this.afterColon = i + 1;
      return true;
    }
    return false;
  }

  private mapping(offset: number): Record<string, unknown> {
    const column = offset - this.lineStart;
    const map: Record<string, unknown> = {};
    const positions = new Map<string, number>();
    this.positions.set(map, positions);
    for (let keyAt = offset; ; keyAt = this.lineStart + this.indent) {
      const key = this.key;
      if (key === "__proto__") throw NOT_SURE;
      // A key written twice: the exact parser refuses the document, and says where — at the key,
      // unless the entry before it is empty (then elsewhere: left to it).
      if (positions.has(key)) {
        if (this.lastEmpty) throw NOT_SURE;
        this.duplicate ??= this.here(keyAt);
      }
      const valueAt = this.skipBlanks(this.afterColon);
      let value: unknown;
      let position: number;
      let empty = false;
      this.lastEmpty = false;
      if (valueAt === this.lineEnd || this.text.charCodeAt(valueAt) === HASH) {
        if (valueAt !== this.lineEnd && valueAt === this.afterColon) throw NOT_SURE;
        empty = true;
        // An empty value sits where the parsers put it: after the blanks, at a comment or the line's end.
        position = this.here(valueAt);
        value = null;
        this.advance();
        if (this.skipToContent()) {
          const at = this.lineStart + this.indent;
          if (this.indent > column) {
            position = this.here(at);
            value = this.node(at, column);
            empty = false;
          } else if (this.indent === column && this.isDash(at)) {
            position = this.here(at);
            value = this.sequence(at);
            empty = false;
          }
        }
      } else if (isAnchorOrAlias(this.text.charCodeAt(valueAt))) {
        ({ value, position } = this.anchored(valueAt, column, false));
      } else {
        position = this.here(valueAt);
        value = this.inline(valueAt, column);
      }
      if (empty) this.lastEmpty = true;
      map[key] = value;
      positions.set(key, position);
      if (this.atEnd || this.indent < column) return map;
      if (this.indent === column && this.keyAt(this.lineStart + this.indent)) continue;
      throw NOT_SURE;
    }
  }

  private sequence(offset: number): unknown[] {
    const column = offset - this.lineStart;
    const items: unknown[] = [];
    const positions: number[] = [];
    this.positions.set(items, positions);
    for (;;) {
      if (this.text.charCodeAt(offset + 1) === TAB) throw NOT_SURE;
      const at = this.skipBlanks(offset + 1);
      let value: unknown;
      let position: number;
      this.lastEmpty = false;
      if (at === this.lineEnd || this.text.charCodeAt(at) === HASH) {
        position = this.here(at);
        value = null;
        this.advance();
        if (this.skipToContent() && this.indent > column) {
          const start = this.lineStart + this.indent;
          position = this.here(start);
          value = this.node(start, column);
        } else this.lastEmpty = true;
      } else if (isAnchorOrAlias(this.text.charCodeAt(at))) {
        ({ value, position } = this.anchored(at, column, true));
      } else {
        position = this.here(at);
        value = this.node(at, column);
      }
      items.push(value);
      positions.push(position);
      if (this.atEnd || this.indent < column) return items;
      const next = this.lineStart + this.indent;
      if (this.indent === column && this.isDash(next)) {
        offset = next;
        continue;
      }
      if (this.indent === column) return items;
      throw NOT_SURE;
    }
  }

  /**
   * A value written with an anchor (`&name value`, or `&name` and the value on the lines below)
   * or an alias (`*name`): the alias is the anchored value itself, as the parsers build it, and
   * sits where the alias is written (its written text is none: it is not a scalar). Aliases to
   * values that hold aliases, and more than a few aliases in all, are left to the parsers and
   * their limits (alias bombs).
   */
  private anchored(at: number, column: number, inSequence: boolean): { value: unknown; position: number } {
    const { text } = this;
    let end = at + 1;
    while (end < this.lineEnd && !this.isBlank(end)) end++;
    const name = text.slice(at + 1, end);
    if (name === "" || /[[\]{},]/.test(name)) throw NOT_SURE;
    const after = this.skipBlanks(end);
    const rest = after === this.lineEnd || (text.charCodeAt(after) === HASH && after > end);
    if (text.charCodeAt(at) === 42) {
      const value = this.anchors.get(name);
      if (!rest || value === undefined || this.holdsAliases.has(name) || ++this.aliasCount > MAX_ALIASES)
        throw NOT_SURE;
      const position = this.here(at);
      this.aliasPositions.add(position);
      this.advance();
      if (this.skipToContent() && this.indent > column) throw NOT_SURE;
      return { value: value.value, position };
    }
    const aliasesBefore = this.aliasCount;
    let value: unknown;
    let position: number;
    if (rest) {
      // The anchored value is the block below.
      this.advance();
      if (!this.skipToContent()) throw NOT_SURE;
      const start = this.lineStart + this.indent;
      if (!(this.indent > column || (!inSequence && this.indent === column && this.isDash(start))))
        throw NOT_SURE;
      position = this.here(start);
      value = this.indent > column ? this.node(start, column) : this.sequence(start);
    } else {
      const next = text.charCodeAt(after);
      // An anchor before a compact mapping's key, or a second property: the parsers decide.
      if (isAnchorOrAlias(next) || next === 33 || (inSequence && this.keyAt(after))) throw NOT_SURE;
      position = this.here(after);
      value = inSequence ? this.node(after, column) : this.inline(after, column);
    }
    this.anchors.set(name, { value });
    if (this.aliasCount > aliasesBefore) this.holdsAliases.add(name);
    else this.holdsAliases.delete(name);
    return { value, position };
  }

  /** A value that starts on this line (a scalar, a block scalar, a flow collection), then the next line. */
  private inline(offset: number, parent: number): unknown {
    const { text } = this;
    const first = text.charCodeAt(offset);
    let value: unknown;
    let end: number;
    switch (first) {
      case 34: // "
      case 39: // '
        ({ value, end } = this.closesOnLine(offset)
          ? this.quoted(offset)
          : this.foldedQuoted(offset, parent));
        break;
      case 124: // |
      case 62: // >
        return this.blockScalar(offset, parent);
      case 91: // [
      case 123: {
        // {
        const flow = new Flow(this, text, offset, parent);
        value = flow.value();
        // The collection may end on a later line: carry on from there.
        this.moveTo(flow.lineStart, flow.line);
        end = flow.at;
        break;
      }
      default:
        return this.plain(offset, parent);
    }
    if (!this.restIsEmpty(end) && end !== this.lineEnd) throw NOT_SURE;
    this.advance();
    // A more indented line after a scalar continues it (a multi-line scalar): the parsers read it.
    if (this.skipToContent() && this.indent > parent) throw NOT_SURE;
    return value;
  }

  /** Moves to the line that starts at `lineStart` (a flow collection's last line). */
  private moveTo(lineStart: number, line: number): void {
    if (lineStart === this.lineStart) return;
    this.lineStart = lineStart;
    this.line = line;
    this.load();
  }

  /** Where a plain scalar's text on this line ends (before a comment and trailing blanks). */
  private plainEnd(offset: number): { end: number; comment: boolean } {
    const { text } = this;
    for (let i = offset; i < this.lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === HASH && this.isBlank(i - 1)) {
        let end = i;
        while (this.isBlank(end - 1)) end--;
        return { end, comment: true };
      }
      // `a: b: c` is not YAML; the parsers say why.
      if (c === COLON && (i + 1 === this.lineEnd || this.isBlank(i + 1))) throw NOT_SURE;
    }
    let end = this.lineEnd;
    while (this.isBlank(end - 1)) end--;
    return { end, comment: false };
  }

  /**
   * A plain scalar, on one line or folded over more indented lines (each break a space, each blank
   * line a line feed), then the next line.
   */
  private plain(offset: number, parent: number): unknown {
    if (isIndicator(this.text.charCodeAt(offset), this.text.charCodeAt(offset + 1))) throw NOT_SURE;
    const position = this.here(offset);
    let { end, comment } = this.plainEnd(offset);
    let written = this.text.slice(offset, end);
    let breaks = 0;
    this.advance();
    while (!comment && !this.atEnd) {
      const first = this.firstChar();
      if (first === -1) {
        breaks++;
        this.advance();
        continue;
      }
      if (this.indent <= parent || first === HASH) break;
      const at = this.lineStart + this.indent;
      if (
        this.text.charCodeAt(at) === TAB ||
        isIndicator(first, this.text.charCodeAt(at + 1)) ||
        this.isDash(at)
      )
        throw NOT_SURE;
      ({ end, comment } = this.plainEnd(at));
      written += (breaks > 0 ? "\n".repeat(breaks) : " ") + this.text.slice(at, end);
      breaks = 0;
      this.advance();
    }
    const value = plainValue(written);
    if (typeof value !== "string") this.raw.set(position, written);
    // After a comment, a more indented line is not part of the scalar: the parsers say what it is.
    if (this.skipToContent() && this.indent > parent) throw NOT_SURE;
    return value;
  }

  /** Whether the quoted scalar opening at `offset` closes on its line. */
  private closesOnLine(offset: number): boolean {
    return this.quoteClose(offset, offset + 1) >= 0;
  }

  /** The offset of the quote that closes the scalar opened at `open`, searched from `from` on this line; -1 if none. */
  private quoteClose(open: number, from: number): number {
    const { text } = this;
    const quote = text.charCodeAt(open);
    for (let i = from; i < this.lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (quote === 34 && c === 92) i++;
      else if (c === quote) {
        if (quote === 39 && text.charCodeAt(i + 1) === 39) i++;
        else return i;
      }
    }
    return -1;
  }

  /**
   * A quoted scalar over several lines, folded as YAML folds them: each line break a space, each
   * blank line a line feed, blanks around a break dropped, an escaped break (`\` at the end of a
   * double-quoted line) joining the lines. Every line after the first is indented more than the
   * parent, as the exact parser requires. The scanner ends on the closing line.
   */
  private foldedQuoted(offset: number, parent: number): { value: string; end: number } {
    const { text } = this;
    const double = text.charCodeAt(offset) === 34;
    let folded = "";
    let from = offset + 1;
    let breaks = -1;
    let joined = false;
    for (;;) {
      const close = this.quoteClose(offset, from);
      let segment = text.slice(from, close >= 0 ? close : this.lineEnd);
      if (breaks >= 0) segment = segment.replace(/^[ \t]+/, "");
      let escapedBreak = false;
      if (close < 0) {
        if (double && /\\[ \t]+$/.test(segment)) throw NOT_SURE;
        const backslashes = segment.length - segment.replace(/\\+$/, "").length;
        escapedBreak = double && backslashes % 2 === 1;
        segment = escapedBreak ? segment.slice(0, -1) : segment.replace(/[ \t]+$/, "");
      }
      if (breaks >= 0) folded += joined ? "" : breaks > 0 ? "\n".repeat(breaks) : " ";
      folded += segment;
      if (close >= 0) {
        const inner = double ? folded : folded.replace(/''/g, "'");
        if (!double) return { value: inner, end: close + 1 };
        return { value: decodeDoubleQuoted(`"${inner.replace(/\n/g, "\\n")}"`), end: close + 1 };
      }
      joined = escapedBreak;
      breaks = 0;
      for (this.advance(); !this.atEnd && this.firstChar() === -1; this.advance()) breaks++;
      if (this.atEnd || (joined && breaks > 0) || this.indent <= parent) throw NOT_SURE;
      if (text.charCodeAt(this.lineStart + this.indent) === TAB) throw NOT_SURE;
      from = this.lineStart + this.indent;
    }
  }

  /** A quoted scalar that ends on its line. */
  quoted(offset: number, lineEnd = this.lineEnd): { value: string; end: number } {
    const { text } = this;
    if (text.charCodeAt(offset) === 39) {
      let value = "";
      let from = offset + 1;
      for (;;) {
        const close = text.indexOf("'", from);
        if (close < 0 || close >= lineEnd) throw NOT_SURE;
        value += text.slice(from, close);
        if (text.charCodeAt(close + 1) !== 39) return { value, end: close + 1 };
        value += "'";
        from = close + 2;
      }
    }
    let close = offset + 1;
    let escaped = false;
    for (; close < lineEnd; close++) {
      const c = text.charCodeAt(close);
      if (c === 92) {
        escaped = true;
        close++;
      } else if (c === 34) break;
    }
    if (close >= lineEnd) throw NOT_SURE;
    const inner = text.slice(offset, close + 1);
    if (!escaped) return { value: inner.slice(1, -1), end: close + 1 };
    return { value: decodeDoubleQuoted(inner), end: close + 1 };
  }

  /** A literal (`|`) or folded (`>`) block scalar: its header on this line, its lines below. */
  private blockScalar(offset: number, parent: number): string {
    const { text } = this;
    const folded = text.charCodeAt(offset) === 62;
    let chomp = "clip";
    let at = offset + 1;
    const indicator = text.charCodeAt(at);
    if (indicator === DASH) {
      chomp = "strip";
      at++;
    } else if (indicator === 43) throw NOT_SURE; // `+`: keep, and its trailing lines
    if (!this.restIsEmpty(at) && at !== this.lineEnd) throw NOT_SURE;
    const lines: string[] = [];
    let indent = -1;
    /** The most spaces of a blank line before the first content line: no more than its indentation. */
    let leading = 0;
    this.advance();
    for (; !this.atEnd; this.advance()) {
      const blank = this.firstChar() === -1;
      if (blank) {
        if (this.lineEnd - this.lineStart !== this.indent) throw NOT_SURE; // a tab in it
        if (indent < 0) leading = Math.max(leading, this.indent);
        else if (this.indent > indent) {
          // Spaces beyond the indentation are the line's content.
          if (folded) throw NOT_SURE;
          lines.push(text.slice(this.lineStart + indent, this.lineEnd));
          continue;
        }
        lines.push("");
        continue;
      }
      if (indent < 0) {
        if (this.indent <= parent) break;
        indent = this.indent;
        if (leading > indent) throw NOT_SURE;
      }
      if (this.indent < indent) break;
      if (text.charCodeAt(this.lineStart + indent) === TAB) throw NOT_SURE;
      if (folded && this.isBlank(this.lineStart + indent)) throw NOT_SURE;
      lines.push(text.slice(this.lineStart + indent, this.lineEnd));
    }
    // Trailing empty lines are chomped; the last content line keeps its break unless stripped.
    let last = lines.length - 1;
    while (last >= 0 && lines[last] === "") last--;
    let value = "";
    if (folded) {
      let previous = -1;
      for (let i = 0; i <= last; i++) {
        const line = lines[i] as string;
        if (line === "") continue;
        if (previous >= 0) value += i - previous > 1 ? "\n".repeat(i - previous - 1) : " ";
        else value += "\n".repeat(i);
        value += line;
        previous = i;
      }
    } else {
      for (let i = 0; i <= last; i++) value += i === 0 ? lines[i] : `\n${lines[i]}`;
    }
    if (last >= 0 && chomp === "clip") value += "\n";
    this.skipToContent();
    return value;
  }
}

/**
 * Flow collections (`[a, "b"]`, `{k: v}`, nested, over several lines when every line after the
 * first is indented more than the collection's parent, as the exact parser requires).
 */
class Flow {
  /** The line the reading is on: its number and where it starts. */
  line: number;
  lineStart: number;
  at: number;

  constructor(
    private readonly scan: Scan,
    private readonly text: string,
    at: number,
    private readonly parent: number,
  ) {
    this.at = at;
    this.line = scan.line;
    this.lineStart = scan.lineStart;
  }

  /** Skips blanks, line breaks and comments, counting lines. */
  private blanks(): void {
    const { text } = this;
    const end = this.scan.documentEnd;
    while (this.at < end) {
      const c = text.charCodeAt(this.at);
      if (c === SPACE || c === TAB || c === 13) this.at++;
      else if (c === 10) {
        this.at++;
        this.line++;
        this.lineStart = this.at;
        let i = this.at;
        while (text.charCodeAt(i) === SPACE) i++;
        const next = text.charCodeAt(i);
        if (next === TAB) throw NOT_SURE;
        // A line of the collection must be indented more than its parent.
        if (i - this.at <= this.parent && next !== 10 && next !== 13 && next !== HASH && i < end)
          throw NOT_SURE;
      } else if (c === HASH && this.at > 0 && isSpace(text.charCodeAt(this.at - 1))) {
        const newline = text.indexOf("\n", this.at);
        this.at = newline < 0 || newline > end ? end : newline;
      } else return;
    }
  }

  private lineEnd(): number {
    const newline = this.text.indexOf("\n", this.at);
    const end = newline < 0 || newline > this.scan.documentEnd ? this.scan.documentEnd : newline;
    return this.text.charCodeAt(end - 1) === 13 ? end - 1 : end;
  }

  private position(offset: number): number {
    return packPosition(this.line, offset - this.lineStart + 1);
  }

  value(key = false): unknown {
    this.blanks();
    const c = this.text.charCodeAt(this.at);
    if (c === 91) return this.collection(93);
    if (c === 123) return this.collection(125);
    if (c === 34 || c === 39) {
      const { value, end } = this.scan.quoted(this.at, this.lineEnd());
      this.at = end;
      return value;
    }
    const start = this.at;
    const end = this.lineEnd();
    while (this.at < end) {
      const ch = this.text.charCodeAt(this.at);
      if (ch === 44 || ch === 93 || ch === 125 || ch === 91 || ch === 123) break;
      if (ch === COLON) {
        const next = this.text.charCodeAt(this.at + 1);
        if (key && (isSpace(next) || Number.isNaN(next))) break;
        throw NOT_SURE;
      }
      if (ch === HASH && isSpace(this.text.charCodeAt(this.at - 1))) break;
      this.at++;
    }
    let stop = this.at;
    while (stop > start && isSpace(this.text.charCodeAt(stop - 1))) stop--;
    const written = this.text.slice(start, stop);
    if (written === "" || isIndicator(written.charCodeAt(0), written.charCodeAt(1))) throw NOT_SURE;
    const value = key ? keyName(written) : plainValue(written);
    if (typeof value !== "string") this.scan.raw.set(this.position(start), written);
    return value;
  }

  private collection(close: number): unknown {
    const isMap = close === 125;
    this.at++;
    const items: unknown[] = [];
    const map: Record<string, unknown> = {};
    const positions: Positions = isMap ? new Map<string, number>() : [];
    const container = isMap ? map : items;
    this.scan.positions.set(container, positions);
    for (;;) {
      this.blanks();
      if (this.text.charCodeAt(this.at) === close) {
        this.at++;
        return container;
      }
      const startLine = this.line;
      if (isMap) {
        const quotedKey = this.text.charCodeAt(this.at) === 34 || this.text.charCodeAt(this.at) === 39;
        const key = this.value(true);
        if (typeof key !== "string" || startLine !== this.line) throw NOT_SURE;
        this.blanks();
        if (this.text.charCodeAt(this.at) !== COLON) throw NOT_SURE;
        this.at++;
        // After a plain key a blank must follow the colon; after a quoted one (JSON) it may not.
        if (!quotedKey && !isSpace(this.text.charCodeAt(this.at))) throw NOT_SURE;
        this.blanks();
        const valueAt = this.position(this.at);
        if ((positions as Map<string, number>).has(key) || key === "__proto__") throw NOT_SURE;
        map[key] = this.value();
        (positions as Map<string, number>).set(key, valueAt);
      } else {
        const at = this.position(this.at);
        items.push(this.value());
        (positions as number[]).push(at);
      }
      this.blanks();
      const c = this.text.charCodeAt(this.at);
      this.at++;
      if (c === close) return container;
      if (c !== 44) throw NOT_SURE;
    }
  }
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === 10 || c === 13;
}

/**
 * A double-quoted scalar's value, quotes included in `written`. Escapes JSON shares with YAML mean
 * the same in both; any other is left to the parsers.
 */
function decodeDoubleQuoted(written: string): string {
  if (/\\[^"\\/bfnrtu]|\\u(?![0-9a-fA-F]{4})|[\t]/.test(written)) throw NOT_SURE;
  try {
    return JSON.parse(written) as string;
  } catch {
    throw NOT_SURE;
  }
}

/** Aliases one document may use before the scanner leaves it to the parsers and their alias limit. */
const MAX_ALIASES = 100;

function isAnchorOrAlias(c: number): boolean {
  return c === 38 || c === 42;
}

/** Characters that cannot start a plain scalar (`-`, `?`, `:` only when a blank follows). */
function isIndicator(c: number, next: number): boolean {
  switch (c) {
    case DASH:
    case 63: // ?
    case COLON:
      return Number.isNaN(next) || next === SPACE || next === TAB || next === 10 || next === 13;
    case 44: // ,
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case HASH:
    case 38: // &
    case 42: // *
    case 33: // !
    case 124: // |
    case 62: // >
    case 39: // '
    case 34: // "
    case 37: // %
    case 64: // @
    case 96: // `
      return true;
    default:
      return false;
  }
}

/** The YAML 1.2 core schema's plain scalars, as the exact parser (`yaml`) resolves them. */
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** Octal, hexadecimal, infinity and not-a-number: rare, and left to the parsers. */
const SPECIAL_NUMBER = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** A plain scalar as the YAML 1.2 core schema reads it; NotSure for the forms left to the parsers. */
export function plainValue(written: string): unknown {
  const c = written.charCodeAt(0);
  // Only scalars that start like a number, null or boolean need a second look.
  if (
    !(
      (c >= 48 && c <= 57) ||
      c === 43 ||
      c === DASH ||
      c === 46 ||
      c === 126 ||
      c === 110 ||
      c === 78 ||
      c === 116 ||
      c === 84 ||
      c === 102 ||
      c === 70 ||
      written === ""
    )
  )
    return written;
  if (NULL.test(written)) return null;
  switch (written) {
    case "true":
    case "True":
    case "TRUE":
      return true;
    case "false":
    case "False":
    case "FALSE":
      return false;
  }
  if (INT.test(written) || FLOAT.test(written)) return Number(written);
  if (SPECIAL_NUMBER.test(written)) throw NOT_SURE;
  return written;
}

/** A plain key as the exact parser makes it a property name; NotSure where it would not be the text. */
function keyName(written: string): string {
  const value = plainValue(written);
  if (typeof value === "string") return value;
  if (typeof value === "number" && String(value) === written) return written;
  throw NOT_SURE;
}
