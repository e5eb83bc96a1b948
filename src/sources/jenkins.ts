/**
 * Jenkins (SPEC §4): `Jenkinsfile`, `*.Jenkinsfile`. The literal forms that name an image — a
 * declarative `agent { docker { image '…' } }` (or `docker '…'`) and a scripted
 * `docker.image('…')` — read from the Groovy text with its comments blanked out (so a commented-out
 * agent names nothing). A double-quoted string that interpolates (`"${params.IMAGE}"`) or an
 * expression in place of the string (`image env.IMAGE`) is unresolved: only the run knows it.
 */
import type { ImageAt } from "./image-keys.js";
import { positionsIn } from "./offsets.js";
import type { KeyPath, YamlDocument } from "./yaml.js";

const JENKINSFILE_NAME = /^(?:Jenkinsfile|.+\.jenkinsfile)$/i;

export function isJenkinsfileName(name: string): boolean {
  return JENKINSFILE_NAME.test(name);
}

/** Words a Jenkinsfile must contain to name an image. */
export const JENKINS_WORDS = /docker/;

interface Found {
  offset: number;
  /** The string's content, or the expression as written. */
  value: string;
  expression?: true;
}

/** `image '…'` inside a `docker { … }` block, `docker '…'`, `docker.image('…')`. */
const FORMS = [
  /\bdocker\s*\{[^{}]*?\bimage\s*\(?\s*/g,
  /\bagent\s*\{\s*docker\s*\(?\s*/g,
  /\bdocker\s*\.\s*image\s*\(\s*/g,
];

export function readJenkinsfile(text: string): { doc: YamlDocument; images: ImageAt[] } {
  const code = withoutComments(text);
  const found: Found[] = [];
  for (const form of FORMS) {
    form.lastIndex = 0;
    for (let match = form.exec(code); match; match = form.exec(code)) {
      const offset = match.index + match[0].length;
      const string = stringAt(code, offset);
      if (string) found.push({ offset, value: string.value });
      else {
        const expression = /^[^\s{}()]+/.exec(code.slice(offset))?.[0];
        // `docker { … }` after `agent {`: the block form, read by the first pattern.
        if (expression && expression !== "{") found.push({ offset, value: expression, expression: true });
      }
    }
  }
  found.sort((a, b) => a.offset - b.offset);
  const unique = found.filter((f, i) => i === 0 || f.offset !== (found[i - 1] as Found).offset);
  const position = positionsIn(text);
  const doc: YamlDocument = {
    data: unique.map((f) => f.value),
    line: 1,
    locate: (path: KeyPath) => position(unique[path[0] as number]?.offset ?? 0),
    written: (path: KeyPath) => {
      const entry = unique[path[0] as number];
      return entry && !entry.expression ? entry.value : undefined;
    },
  };
  const images: ImageAt[] = unique.map((f, i) => ({
    path: [i],
    value: f.value,
    workload: { kind: "agent", name: "docker" },
    labels: {},
    ...(f.expression && {
      unresolved: `cannot tell which image ${f.value} is: it is a Groovy expression, known only when the pipeline runs; write the image as a string`,
    }),
  }));
  return { doc, images };
}

/** A Groovy string literal at `offset`: `'…'` as written, or `"…"` (interpolation left in the value). */
function stringAt(code: string, offset: number): { value: string } | undefined {
  const quote = code[offset];
  if (quote !== "'" && quote !== '"') return undefined;
  let value = "";
  for (let i = offset + 1; i < code.length; i++) {
    const char = code[i] as string;
    if (char === "\n") return undefined;
    if (char === "\\") {
      value += code[i + 1] ?? "";
      i++;
      continue;
    }
    if (char === quote) return { value };
    value += char;
  }
  return undefined;
}

/** The text with `//` and `/* … *\/` comments blanked (offsets and line breaks kept), strings untouched. */
function withoutComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === "'" || char === '"') {
      const end = closing(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (char === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      out += " ".repeat(stop - i);
      i = stop;
    } else if (char === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else {
      out += char;
      i++;
    }
  }
  return out;
}

/** The index after the string that opens at `start` (triple quotes included), or the line's end. */
function closing(text: string, start: number): number {
  const quote = text[start] as string;
  const triple = text.startsWith(quote.repeat(3), start);
  const close = triple ? quote.repeat(3) : quote;
  for (let i = start + close.length; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text.startsWith(close, i)) return i + close.length;
    else if (!triple && text[i] === "\n") return i;
  }
  return text.length;
}
