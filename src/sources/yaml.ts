/**
 * YAML files (SPEC §4): each document is a Kubernetes object, a compose file, or ignored. Images
 * are reported at the line of their `image:` value.
 *
 * Two parsers, one result. The fast path (js-yaml, ~8x faster than a position-keeping parse, see
 * shared/notes/performance.md) reads each document's structure and finds the positions of the few
 * `image:` values by scanning their lines. Anything it is not sure of — anchors, aliases, tags,
 * directives, flow-style containers, a syntax error — sends the whole file to the exact path
 * (`yaml` with positions and alias limits). Tests check that both paths agree.
 */
import jsYaml from "js-yaml";
import { LineCounter, type Node, parseAllDocuments } from "yaml";
import { composeImages, isComposeFile } from "./compose.js";
import { type ImageAt, isKubernetesObject, type KeyPath, kubernetesImages } from "./kubernetes.js";
import { imageOfValue } from "./resolve.js";
import { emptyResult, type SourceResult } from "./types.js";

/** YAML aliases beyond this many in one document are treated as an alias bomb. */
const MAX_ALIAS_COUNT = 1000;

interface Position {
  line: number;
  col: number;
}

/** One parsed document and a way to find where a value found in it sits in the file. */
interface ParsedDocument {
  data: unknown;
  locate(path: KeyPath): Position;
}

export function readYaml(text: string, file: string): SourceResult {
  // A file that never says "image" or "Namespace" holds nothing this checker reads: SPEC §4
  // ignores YAML that is not a workload or compose file, so it is not parsed at all. Every
  // document of any other file is parsed, and its syntax errors reported.
  if (!text.includes("image") && !text.includes("Namespace")) return emptyResult();
  const fast = readFast(text, file);
  return fast ?? readExact(text, file);
}

/** The exact path: `yaml` documents with positions; syntax errors and alias bombs become problems. */
export function readExact(text: string, file: string): SourceResult {
  const result = emptyResult();
  const lineCounter = new LineCounter();
  const position = (offset: number) => lineCounter.linePos(offset);
  for (const doc of parseAllDocuments(text, { lineCounter, prettyErrors: false })) {
    const error = doc.errors[0];
    if (error) {
      const { line, col } = position(error.pos[0]);
      result.problems.push({ file, line, column: col, message: `YAML syntax: ${firstLine(error.message)}` });
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (cause) {
      const { line, col } = position(doc.range[0]);
      const message = /alias/i.test(String(cause))
        ? `YAML uses aliases too often (more than ${MAX_ALIAS_COUNT}); refusing to expand a possible alias bomb`
        : `YAML cannot be read: ${(cause as Error).message}`;
      result.problems.push({ file, line, column: col, message });
      continue;
    }
    const locate = (path: KeyPath) => {
      const node = doc.getIn(path, true) as Node | undefined;
      return position(node?.range?.[0] ?? doc.range[0]);
    };
    collect({ data, locate }, file, result);
  }
  return result;
}

/** Signals that the fast path is not sure and the exact path must read the file. */
class NotSure extends Error {}

/**
 * Constructs the fast path leaves to the exact one: anchors and aliases (`&a`, `*a`, but not the
 * stars of a cron schedule), tags (`!Ref`, `!!str`) and directives (`%YAML`).
 */
const UNSURE = /(?:^|[\s[{,])(?:[&*][\w.-]|![\w!<])|^%/m;
/** `---` or `...` at the start of a line, with the rest of that line. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t]|\r?$)(.*)$/gm;
const IMAGE_LINE = /^([ \t]*(?:-[ \t]+)*)image[ \t]*:[ \t]*(\S.*?)?[ \t]*\r?$/gm;

export function readFast(text: string, file: string): SourceResult | undefined {
  if (UNSURE.test(text)) return undefined;
  const result = emptyResult();
  try {
    let start = 0;
    for (const marker of text.matchAll(DOCUMENT_MARKER)) {
      const rest = (marker[1] ?? "").trim();
      if (rest !== "" && !rest.startsWith("#")) throw new NotSure();
      readFastDocument(text, start, marker.index, file, result);
      start = marker.index + marker[0].length;
    }
    readFastDocument(text, start, text.length, file, result);
  } catch (error) {
    if (error instanceof NotSure || error instanceof jsYaml.YAMLException) return undefined;
    throw error;
  }
  return result;
}

function readFastDocument(text: string, from: number, to: number, file: string, result: SourceResult): void {
  const chunk = from === 0 && to === text.length ? text : text.slice(from, to);
  if (chunk.trim() === "") return;
  // The YAML 1.2 core schema, as the exact path reads it: no timestamps, no `<<` merges.
  const data = jsYaml.load(chunk, { schema: jsYaml.CORE_SCHEMA });
  // `image:` lines of this document in text order; images found are matched to them in order.
  const candidates: { line: number; col: number; value: string | undefined }[] = [];
  let line = countNewlines(text, 0, from) + 1;
  let counted = 0;
  for (const match of chunk.matchAll(IMAGE_LINE)) {
    line += countNewlines(chunk, counted, match.index);
    counted = match.index;
    const prefix = match[1] as string;
    const written = match[2];
    const valueAt =
      written === undefined ? match[0].indexOf(":") : match[0].indexOf(written, prefix.length + 5);
    candidates.push({
      line,
      col: valueAt + 1,
      value: written === undefined ? undefined : scalarText(written),
    });
  }
  // Other keys may be called image too (an annotation, a CRD field): skip lines whose value differs.
  let next = 0;
  const locate = (path: KeyPath): Position => {
    const wanted = path.reduce<unknown>(
      (value, key) => (value as Record<string | number, unknown>)?.[key],
      data,
    );
    if (typeof wanted !== "string") throw new NotSure();
    while (next < candidates.length && candidates[next]?.value !== wanted) next++;
    const candidate = candidates[next++];
    if (!candidate) throw new NotSure();
    return { line: candidate.line, col: candidate.col };
  };
  collect({ data, locate }, file, result);
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) count++;
  return count;
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
  if (first === "{" || first === "[" || first === "|" || first === ">") return undefined;
  const comment = written.search(/[ \t]#/);
  return (comment >= 0 ? written.slice(0, comment) : written).trimEnd();
}

/** Occurrences of one document, whichever parser read it. */
function collect(doc: ParsedDocument, file: string, result: SourceResult): void {
  let images: ImageAt[];
  let fromCompose = false;
  if (isKubernetesObject(doc.data)) {
    const found = kubernetesImages(doc.data);
    images = found.images;
    Object.assign(result.namespaces, found.namespaces);
  } else if (isComposeFile(doc.data)) {
    images = composeImages(doc.data);
    fromCompose = true;
  } else {
    return;
  }
  for (const found of images) {
    const at = doc.locate(found.path);
    const { text: imageText, image } = imageOfValue(found.value, fromCompose);
    result.occurrences.push({
      file,
      line: at.line,
      column: at.col,
      source: fromCompose ? "compose" : "kubernetes",
      text: imageText,
      image,
      workload: found.workload,
      ...(found.container && { container: found.container }),
      labels: found.labels,
    });
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
