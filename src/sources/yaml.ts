/**
 * YAML documents with a way back from a value to its position in the file (SPEC §4).
 *
 * Three readings, one result, tried in turn (issue 24):
 * - the line scanner (yaml-scan.ts): block-style YAML into plain data with every value's position,
 *   for every role; it gives up on anything it is not sure of;
 * - for manifests the scanner left, js-yaml (several times faster than a position-keeping parse)
 *   with the positions of its `image:` values found by scanning their lines — only when every
 *   `image` key pairs up, in order and by value, with exactly one `image:` line;
 * - the exact path: `yaml` with positions, YAML 1.1 merge keys as Kubernetes reads them, and an
 *   alias limit; syntax errors and alias bombs become problems.
 * Differential tests hold the first two to the exact path.
 */
import jsYaml from "js-yaml";
import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
} from "yaml";
import { pathStats } from "./path-stats.js";
import type { ParseProblem } from "./types.js";
import { repairForStrict } from "./yaml-lenient.js";
import {
  countNewlines,
  DOCUMENT_MARKER,
  NOT_SURE,
  NotSure,
  type ScannedDocument,
  scanYaml,
  unpackPosition,
} from "./yaml-scan.js";

export type KeyPath = (string | number)[];

/**
 * go-yaml's bound on alias expansion (yaml.v3 decode.go, `allowedAliasRatio`), which Docker Compose,
 * Kubernetes and Helm read YAML with: a document fails when more than 100 of its decoded nodes
 * came through aliases, more than 1,000 were decoded, and the share that came through aliases is
 * above 99% up to 400,000 nodes, falling to 10% at 4,000,000. It bounds what expansion produces
 * relative to the document, so hundreds of merge-key aliases read and a billion laughs does not.
 */
export function excessiveAliasing(decoded: number, throughAliases: number): boolean {
  if (throughAliases <= 100 || decoded <= 1000) return false;
  const low = 400_000;
  const high = 4_000_000;
  const allowed =
    decoded <= low ? 0.99 : decoded >= high ? 0.1 : 0.99 - (0.89 * (decoded - low)) / (high - low);
  return throughAliases / decoded > allowed;
}

/**
 * Whether decoding `doc` as go-yaml does would stop at excessive aliasing: nodes are counted in
 * document order, an alias as the size of what it expands to (memoised; exponential sizes stay
 * numbers). The share only rises inside an expansion, so checking at the end of each outermost
 * alias is the same as go-yaml checking at every node.
 */
function aliasBomb(doc: Document.Parsed): boolean {
  const sizes = new Map<unknown, number>();
  const expanding = new Set<unknown>();
  /** Nodes a value decodes to, aliases expanded. */
  const size = (node: unknown): number => {
    if (node === null || node === undefined) return 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let total = 1;
    if (isAlias(node)) {
      const target = resolveAlias(doc, node);
      if (expanding.has(target)) return Number.POSITIVE_INFINITY;
      expanding.add(target);
      total += size(target);
      expanding.delete(target);
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) total += isPair(item) ? size(item.key) + size(item.value) : size(item);
    }
    sizes.set(node, total);
    return total;
  };
  let decoded = 0;
  let throughAliases = 0;
  let bomb = false;
  const walk = (node: unknown): void => {
    if (bomb || node === null || node === undefined) return;
    decoded++;
    if (isAlias(node)) {
      const expanded = size(node) - 1;
      decoded += expanded;
      throughAliases += expanded;
      if (excessiveAliasing(decoded, throughAliases)) bomb = true;
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) {
          walk(item.key);
          walk(item.value);
        } else walk(item);
      }
    }
  };
  walk(doc.contents);
  return bomb;
}

export interface Position {
  line: number;
  col: number;
}

/** One parsed document and a way to find where a value found in it sits in the file. */
export interface YamlDocument {
  data: unknown;
  /** 1-based line of the document's first line (after a `---` marker). */
  line: number;
  /** Position of the value at `path` (the document's start when there is none). */
  locate(path: KeyPath): Position;
  /** The scalar at `path` as written (`1.10`, not the number 1.1); undefined when not a scalar. */
  written(path: KeyPath): string | undefined;
}

export interface YamlFile {
  documents: YamlDocument[];
  problems: ParseProblem[];
}

export interface YamlOptions {
  /** The exact parser only (JSON, and the differential test's reference reading). */
  exact?: boolean;
  /**
   * The reader needs the position of values other than `image:` ones (Helm map keys, kustomize
   * entries, workflow containers): the scanner or the exact parser, never js-yaml's pairing.
   */
  allPositions?: boolean;
}

export function readYamlFile(text: string, file: string, options: YamlOptions = {}): YamlFile {
  // A byte-order mark may open any document of a stream (YAML 1.2 §9.1.1), not only the file:
  // left in place after a `---`, it would become part of the first key and hide the document.
  const source = withoutBoms(text);
  if (options.exact) {
    pathStats.yaml.exactOnly++;
    return readExact(source, file);
  }
  const scanned = readScanned(source, file);
  if (scanned) {
    pathStats.yaml.scanned++;
    return scanned;
  }
  const fast = options.allPositions ? undefined : readFast(source);
  if (fast) {
    pathStats.yaml.jsYaml++;
    return fast;
  }
  pathStats.yaml.exact++;
  return readExact(source, file);
}

/** The exact parser alone, as `readYamlFile` falls back to it (for the differential test). */
export function readExactOnly(text: string, file: string): YamlFile {
  return readExact(withoutBoms(text), file);
}

/** The line scanner's reading (yaml-scan.ts), or undefined when it is not sure of the file. */
export function readScanned(text: string, file = ""): YamlFile | undefined {
  const scanned = scanYaml(text);
  if (!scanned) return undefined;
  const result: YamlFile = { documents: [], problems: [] };
  for (const doc of scanned) {
    if (doc.duplicateKey === undefined) result.documents.push(scannedDocument(doc));
    else {
      // As the exact parser reports it (the differential test holds the wording), and as js-yaml,
      // which also refuses it, leaves it.
      const { line, col } = unpackPosition(doc.duplicateKey);
      result.problems.push({ file, line, column: col, message: "YAML syntax: Map keys must be unique" });
    }
  }
  return result;
}

function scannedDocument(doc: ScannedDocument): YamlDocument {
  const start = unpackPosition(doc.start);
  /** The packed position of the value at `path`, and the value. */
  const find = (path: KeyPath): { at: number; value: unknown } | undefined => {
    let node: unknown = doc.data;
    let at = doc.start;
    for (const key of path) {
      if (typeof node !== "object" || node === null) return undefined;
      const positions = doc.positions.get(node);
      const found = Array.isArray(positions)
        ? typeof key === "number"
          ? positions[key]
          : undefined
        : positions?.get(String(key));
      if (found === undefined) return undefined;
      at = found;
      node = (node as Record<string | number, unknown>)[key];
    }
    return { at, value: node };
  };
  return {
    data: doc.data,
    line: start.line,
    locate: (path) => {
      const found = find(path);
      return found ? unpackPosition(found.at) : start;
    },
    written: (path) => {
      const found = find(path);
      if (!found || doc.aliases.has(found.at)) return undefined;
      if (typeof found.value === "object" && found.value !== null) return undefined;
      if (typeof found.value === "string") return found.value;
      return doc.raw.get(found.at) ?? "";
    },
  };
}

const BOM = "\uFEFF";
const LINE_START_BOM = /(^|\n)\uFEFF+/g;

function withoutBoms(text: string): string {
  return text.includes(BOM) ? text.replace(LINE_START_BOM, "$1") : text;
}

/**
 * The exact path: `yaml` documents with positions; syntax errors and alias bombs become problems.
 * A file that only a strict YAML 1.2 reading rejects, and that go-yaml and js-yaml read, is read
 * as they read it (SPEC §4): see yaml-lenient.ts.
 */
function readExact(text: string, file: string): YamlFile {
  const strict = parseExact(text, file);
  if (!strict.syntaxError) return strict;
  return readLenient(text, file) ?? strict;
}

/** js-yaml as Kubernetes reads YAML: the core schema with YAML 1.1 merge keys, no timestamps. */
const LENIENT_SCHEMA = jsYaml.CORE_SCHEMA.extend({
  // js-yaml exports its types at run time; its type definitions leave them out.
  implicit: [(jsYaml as unknown as { types: { merge: jsYaml.Type } }).types.merge],
});

/**
 * A file the strict parser rejects but js-yaml reads: repaired where the repair provably changes
 * no value (the strict parser then reads js-yaml's very data), with positions from the strict
 * parser mapped back to the original columns. When no such repair exists, the data is still
 * judged — at line 0, no position, rather than not at all. Undefined when js-yaml rejects it too.
 */
function readLenient(text: string, file: string): YamlFile | undefined {
  const expected: unknown[] = [];
  try {
    jsYaml.loadAll(text, (doc) => expected.push(doc), { schema: LENIENT_SCHEMA });
  } catch {
    return undefined;
  }
  const repair = repairForStrict(text);
  const repaired = repair && parseExact(repair.text, file);
  if (repair && repaired && !repaired.syntaxError && repaired.problems.length === 0) {
    const same = sameValue(
      repaired.documents.map((d) => d.data).filter((d) => d != null),
      expected.filter((d) => d != null),
      { nodes: MAX_FAST_NODES },
    );
    if (same) {
      const back = (at: Position): Position => {
        const shift = repair.shifts.get(at.line) ?? 0;
        return shift > 0 && at.col > shift ? { line: at.line, col: at.col - shift } : at;
      };
      return {
        documents: repaired.documents.map((d) => ({ ...d, locate: (path) => back(d.locate(path)) })),
        problems: [],
      };
    }
  }
  const nowhere = { line: 0, col: 0 };
  return {
    documents: expected
      .filter((d) => d != null)
      .map((data) => ({
        data,
        line: 0,
        locate: () => nowhere,
        written: (path) => {
          const value = valueAtPath(data, path);
          return typeof value === "object" || value === undefined ? undefined : String(value);
        },
      })),
    problems: [],
  };
}

/** Deep equality of parsed data, key order aside; false past the node budget (an alias bomb). */
function sameValue(a: unknown, b: unknown, budget: { nodes: number }): boolean {
  if (--budget.nodes < 0) return false;
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordB = b as Record<string, unknown>;
  return keysA.every(
    (key) =>
      Object.hasOwn(recordB, key) && sameValue((a as Record<string, unknown>)[key], recordB[key], budget),
  );
}

class AliasBomb extends Error {}

function parseExact(text: string, file: string): YamlFile & { syntaxError: boolean } {
  const documents: YamlDocument[] = [];
  const problems: ParseProblem[] = [];
  let syntaxError = false;
  const lineCounter = new LineCounter();
  const position = (offset: number) => lineCounter.linePos(offset);
  for (const doc of parseAllDocuments(text, { lineCounter, prettyErrors: false, merge: true })) {
    const error = doc.errors[0];
    if (error) {
      syntaxError = true;
      const { line, col } = position(error.pos[0]);
      problems.push({ file, line, column: col, message: `YAML syntax: ${firstLine(error.message)}` });
      continue;
    }
    let data: unknown;
    try {
      if (aliasBomb(doc)) throw new AliasBomb();
      // Bounded above as go-yaml bounds it; yaml's own limit multiplies counts and refuses real files.
      data = doc.toJS({ maxAliasCount: -1 });
    } catch (cause) {
      const { line, col } = position(doc.range[0]);
      const message =
        cause instanceof AliasBomb
          ? "YAML expands its aliases to far more than the document holds (excessive aliasing, as go-yaml says); refusing a possible alias bomb"
          : `YAML cannot be read: ${firstLine((cause as Error).message)}`;
      problems.push({ file, line, column: col, message });
      continue;
    }
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    documents.push({
      data,
      line: position(start).line,
      locate: (path) => position(nodeAt(doc, path)?.range?.[0] ?? start),
      written: (path) => {
        const node = nodeAt(doc, path);
        if (!isScalar(node)) return undefined;
        return typeof node.source === "string" ? node.source : String(node.value);
      },
    });
  }
  return { documents, problems, syntaxError };
}

/** The node at `path`, following aliases and `<<` merge keys as the data was built. */
function nodeAt(doc: Document, path: KeyPath): Node | undefined {
  let node: unknown = doc.contents;
  for (const key of path) {
    node = valueAt(doc, node, key, 0);
    if (node === undefined) return undefined;
  }
  return node as Node;
}

function deref(doc: Document, node: unknown): unknown {
  return isAlias(node) ? resolveAlias(doc, node) : node;
}

/** What each alias node stands for, once: the yaml package walks the whole document on every `resolve`. */
const resolved = new WeakMap<Alias, unknown>();

function resolveAlias(doc: Document, alias: Alias): unknown {
  if (resolved.has(alias)) return resolved.get(alias);
  const target = alias.resolve(doc);
  resolved.set(alias, target);
  return target;
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const value = key.value;
  return value === "<<" || (typeof value === "symbol" && value.description === "<<");
}

function valueAt(doc: Document, container: unknown, key: string | number, depth: number): unknown {
  const node = deref(doc, container);
  if (isSeq(node)) return typeof key === "number" ? node.items[key] : undefined;
  if (!isMap(node) || depth > 50) return undefined;
  for (const pair of node.items) {
    if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(key) && !isMergeKey(pair.key))
      return pair.value ?? pair.key;
  }
  for (const pair of node.items) {
    if (!isPair(pair) || !isMergeKey(pair.key)) continue;
    const source = deref(doc, pair.value);
    const sources = isSeq(source) ? source.items : [source];
    for (const each of sources) {
      const found = valueAt(doc, each, key, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Constructs the fast path leaves to the exact one: merge keys (`<<:`), which js-yaml's core
 * schema does not merge, directives (`%YAML`), and line breaks written as a lone CR (the lines
 * it counts are LF-terminated). Anchors, aliases and tags need no such care: an
 * image value that is not its line's text fails the pairing below, a tag js-yaml does not know is
 * an error that hands the file over, and an alias bomb runs out of the node budget.
 */
const UNSURE = /(?:^|[\s[{,])<<[ \t]*:|^%|\r(?!\n)/m;
/** Nodes the fast path visits in one document before it leaves the file to the exact path. */
const MAX_FAST_NODES = 1_000_000;
const IMAGE_LINE = /^([ \t]*(?:-[ \t]+)*)image[ \t]*:(?:[ \t]+(\S.*?))?[ \t]*\r?$/gm;

export function readFast(text: string): YamlFile | undefined {
  if (UNSURE.test(text)) return undefined;
  const documents: YamlDocument[] = [];
  try {
    // Lines are counted as the documents go by, never from the start again: linear in the file.
    let start = 0;
    let line = 1;
    for (const marker of text.matchAll(DOCUMENT_MARKER)) {
      const rest = (marker[1] ?? "").trim();
      if (rest !== "" && !rest.startsWith("#")) throw NOT_SURE;
      readFastDocument(text, start, marker.index, line, documents);
      line += countNewlines(text, start, marker.index + marker[0].length);
      start = marker.index + marker[0].length;
    }
    readFastDocument(text, start, text.length, line, documents);
  } catch (error) {
    if (error instanceof NotSure || error instanceof jsYaml.YAMLException) return undefined;
    throw error;
  }
  return { documents, problems: [] };
}

function readFastDocument(
  text: string,
  from: number,
  to: number,
  firstLine: number,
  documents: YamlDocument[],
): void {
  const chunk = from === 0 && to === text.length ? text : text.slice(from, to);
  if (chunk.trim() === "") return;
  // The YAML 1.2 core schema, as the exact path reads it: no timestamps.
  const data = jsYaml.load(chunk, { schema: jsYaml.CORE_SCHEMA });
  // `image:` lines of this document in text order.
  const lines: { line: number; col: number; value: string | undefined }[] = [];
  let line = firstLine;
  let counted = 0;
  for (const match of chunk.matchAll(IMAGE_LINE)) {
    line += countNewlines(chunk, counted, match.index);
    counted = match.index;
    const prefix = match[1] as string;
    const written = match[2];
    const valueAt =
      written === undefined ? match[0].indexOf(":") : match[0].indexOf(written, prefix.length + 5);
    lines.push({ line, col: valueAt + 1, value: written === undefined ? undefined : scalarText(written) });
  }
  // Every `image` key of the data, in the order of the text, must pair with one of those lines.
  const keys: KeyPath[] = [];
  imageKeys(data, [], keys);
  if (keys.length !== lines.length) throw NOT_SURE;
  const positions = new Map<string, Position>();
  keys.forEach((path, i) => {
    const value = valueAtPath(data, path);
    const at = lines[i] as (typeof lines)[number];
    // A map under `image` (a custom resource's own layout) pairs with its line when it has no
    // `repository`; with one, its position is the `repository:` line, which only the exact path knows.
    const isMap = typeof value === "object" && value !== null && !Array.isArray(value);
    if (isMap && "repository" in value) throw NOT_SURE;
    const same =
      typeof value === "string" ? at.value === value : (value === null || isMap) && at.value === undefined;
    if (!same) throw NOT_SURE;
    positions.set(pathKey(path), { line: at.line, col: at.col });
  });
  documents.push({
    data,
    line: firstLine,
    locate: (path) => {
      const found = positions.get(pathKey(path));
      if (!found) throw NOT_SURE;
      return found;
    },
    written: (path) => {
      const value = valueAtPath(data, path);
      return typeof value === "string" ? value : undefined;
    },
  });
}

/**
 * Paths of every key named `image`, in text order. A mapping with a key that looks like an array
 * index would be iterated out of text order by JavaScript, so the fast path gives up on it.
 */
function imageKeys(value: unknown, path: KeyPath, out: KeyPath[], budget = { nodes: MAX_FAST_NODES }): void {
  // Aliases share objects: a document of a few lines can stand for billions of nodes. Past the
  // budget the exact path, with its alias limit, reads the file.
  if (--budget.nodes < 0) throw NOT_SURE;
  // One path stack for the whole walk: only the paths of `image` keys are copied.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item !== "object" || item === null) continue;
      path.push(i);
      imageKeys(item, path, out, budget);
      path.pop();
    }
    return;
  }
  if (typeof value !== "object" || value === null) return;
  for (const key in value) {
    if (key.charCodeAt(0) <= 57 && /^\d+$/.test(key)) throw NOT_SURE;
    const child = (value as Record<string, unknown>)[key];
    if (key === "image") out.push([...path, key]);
    if (typeof child !== "object" || child === null) continue;
    path.push(key);
    imageKeys(child, path, out, budget);
    path.pop();
  }
}

function valueAtPath(data: unknown, path: KeyPath): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)?.[key], data);
}

function pathKey(path: KeyPath): string {
  return path.join("\u0000");
}

/** The string a one-line YAML scalar stands for, or undefined when it is not one the fast path reads. */
function scalarText(written: string): string | undefined {
  const first = written[0];
  if (first === '"') {
    const end = written.indexOf('"', 1);
    if (end < 0 || written.slice(1, end).includes("\\")) return undefined;
    return written.slice(1, end);
  }
  if (first === "'") {
    const match = /^'((?:[^']|'')*)'/.exec(written);
    return match ? (match[1] as string).replace(/''/g, "'") : undefined;
  }
  if (first === "{" || first === "[" || first === "|" || first === ">" || first === "#") return undefined;
  const comment = written.search(/[ \t]#/);
  return (comment >= 0 ? written.slice(0, comment) : written).trimEnd();
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
