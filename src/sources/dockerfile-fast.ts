/**
 * The Dockerfile fast path (issue 10): splits a Dockerfile into instructions by hand — lines,
 * continuations, comments — which is all most files need, instead of dockerfile-ast's full parse
 * (it builds every instruction twice and re-tokenises arguments many times). Where an instruction
 * needs more than its keyword and position (flags, LABELs, ONBUILD, an ARG with quotes), only that
 * instruction's own lines are handed to dockerfile-ast, so values and positions are its own.
 * Heredocs are read as dockerfile-ast reads them (their bodies skipped, their lines recorded).
 * Anything it cannot be sure of — an escape directive, an escaped escape character followed by
 * blanks, heredoc markers among quoted or escaped words — returns undefined and the whole file takes the exact path. A differential test holds
 * both paths to the same occurrences, lines and columns over every fixture and real file.
 * Only ASCII space and tab separate words, as BuildKit splits them (SPEC §4): a no-break space is
 * part of the word it sits in, never a separator.
 */
import {
  DIRECTIVE,
  type DockerfileModel,
  type DockerInstruction,
  exactModel,
  type Flag,
  KNOWN_DIRECTIVES,
  type Position,
  type Word,
} from "./dockerfile-model.js";

const ESCAPE = "\\";

export function fastModel(text: string): DockerfileModel | undefined {
  // An escape directive changes what a line is; leave it to the exact parser.
  if (hasEscapeDirective(text)) return undefined;
  const lines = text.split("\n");
  const instructions: DockerInstruction[] = [];
  const initialArgs: DockerfileModel["initialArgs"] = [];
  const heredocLines = new Set<number>();
  let seenFrom = false;
  for (let i = 0; i < lines.length; i++) {
    const line = stripCR(lines[i] as string);
    const startChar = firstNonBlank(line);
    if (startChar < 0 || line[startChar] === "#") continue;
    // The instruction's segments: its first line from the keyword on, then continuation lines.
    const segments: { line: number; offset: number; text: string }[] = [];
    let current = { line: i, offset: startChar, text: line.slice(startChar) };
    for (;;) {
      // An escape character at the end of the line, blanks after it allowed (as BuildKit and
      // dockerfile-ast read it), continues the instruction; a doubled one followed by blanks is left
      // to dockerfile-ast.
      const escapeAt = continuationAt(current.text);
      if (escapeAt === null) return undefined;
      if (escapeAt < 0) {
        segments.push(current);
        break;
      }
      segments.push({ ...current, text: current.text.slice(0, escapeAt) });
      // Comment and blank lines inside a continuation are skipped, as Docker does.
      let next = i + 1;
      while (next < lines.length) {
        const candidate = stripCR(lines[next] as string);
        const at = firstNonBlank(candidate);
        if (at >= 0 && candidate[at] !== "#") break;
        if (at < 0) return undefined;
        next++;
      }
      if (next >= lines.length) break;
      i = next;
      current = { line: i, offset: 0, text: stripCR(lines[i] as string) };
    }
    const instruction = scanned(lines, segments);
    if (!instruction) return undefined;
    const heredocs = heredocsOf(instruction.keyword, segments);
    if (heredocs === null) return undefined;
    if (heredocs.names.length > 0) {
      // The bodies follow the instruction's last line, one after the other (dockerfile-ast's
      // parseHeredoc): never instructions, never comments.
      let at = i;
      for (const name of heredocs.names) {
        let end = at + 1;
        while (end < lines.length && !endsHeredoc(stripCR(lines[end] as string), name, heredocs.tabbed))
          end++;
        // dockerfile-ast only ends a heredoc at a line break: on the last line, unterminated.
        if (end >= lines.length - 1) return undefined;
        for (let body = at + 1; body < end; body++) heredocLines.add(body + 1);
        at = end;
      }
      instruction.lines.last = at;
      i = at;
    }
    if (instruction.keyword === "FROM") seenFrom = true;
    if (!seenFrom && instruction.keyword === "ARG") {
      const arg = argOf(lines, instruction);
      if (arg === null) return undefined;
      if (arg) initialArgs.push(arg);
    }
    instructions.push(instruction);
  }
  return { escapeChar: ESCAPE, initialArgs, instructions, heredocLines };
}

/**
 * The heredocs an instruction opens, as dockerfile-ast finds them: RUN, COPY and ADD words that
 * start with `<<` (`<<-` strips leading tabs from the terminator), the name unquoted. Null where
 * the fast path is not sure of the words (quotes elsewhere, escapes, `<<` inside a word, ONBUILD).
 */
function heredocsOf(
  keyword: string,
  segments: { text: string }[],
): { names: string[]; tabbed: boolean } | null {
  const none = { names: [], tabbed: false };
  const text =
    segments.length === 1 ? (segments[0] as { text: string }).text : segments.map((s) => s.text).join(" ");
  if (!text.includes("<<")) return none;
  if (keyword === "ONBUILD") return null;
  if (keyword !== "RUN" && keyword !== "COPY" && keyword !== "ADD") return none;
  if (/[\\`]/.test(text)) return null;
  const names: string[] = [];
  let tabbed = false;
  for (const word of text.split(/[ \t]+/)) {
    if (!word.startsWith("<<")) {
      if (word.includes("<<") || /["']/.test(word)) return null;
      continue;
    }
    if (word.length <= 2) continue;
    const marker = /^<<(-?)(?:"([^"]+)"|'([^']+)'|([^"'<-][^"']*))$/.exec(word);
    if (!marker) return null;
    if (marker[1]) tabbed = true;
    names.push((marker[2] ?? marker[3] ?? marker[4]) as string);
  }
  return { names, tabbed };
}

/** Whether a line ends a heredoc: its name alone on the line, after tabs when they are stripped. */
function endsHeredoc(line: string, name: string, tabbed: boolean): boolean {
  const rest = tabbed ? line.replace(/^\t+/, "") : line;
  return rest === name;
}

/**
 * Whether the file sets its escape character: only a directive among the leading lines of known
 * directives does (BuildKit stops at the first other line), so `# escape` in a later comment is
 * just a comment and keeps the fast path.
 */
function hasEscapeDirective(text: string): boolean {
  if (!text.includes("escape")) return false;
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  for (const raw of lines) {
    const match = DIRECTIVE.exec(stripCR(raw));
    if (!match || !KNOWN_DIRECTIVES.has((match[1] as string).toLowerCase())) return false;
    if ((match[1] as string).toLowerCase() === "escape") return true;
  }
  return false;
}

/**
 * Where the line's continuation escape is: its index, -1 when the line does not continue, null
 * when the fast path is not sure (an escaped escape character followed by blanks).
 */
function continuationAt(text: string): number | null {
  let end = text.length;
  while (end > 0 && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  if (text[end - 1] !== ESCAPE) return -1;
  if (text[end - 2] === ESCAPE) return end === text.length ? -1 : null;
  return end - 1;
}

function stripCR(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

function firstNonBlank(line: string): number {
  for (let i = 0; i < line.length; i++) if (line[i] !== " " && line[i] !== "\t") return i;
  return -1;
}

/** One instruction from its segments; undefined when the fast path is not sure. */
function scanned(
  lines: string[],
  segments: { line: number; offset: number; text: string }[],
): DockerInstruction | undefined {
  const head = segments[0] as (typeof segments)[number];
  const written = /^[^ \t]+/.exec(head.text)?.[0] ?? "";
  // A line that is only an escape character: dockerfile-ast makes it an instruction of its own.
  if (written === "") return undefined;
  const keyword = written.toUpperCase();
  const first = head.line;
  const last = (segments[segments.length - 1] as (typeof segments)[number]).line;
  const start: Position = { line: first, character: head.offset };
  // The instruction's own text, for dockerfile-ast where details are needed (once, lazily):
  // positions shift by `first` lines, columns stay as in the file.
  let cachedAlone: DockerInstruction | undefined | null = null;
  const parsedAlone = () => {
    if (cachedAlone === null)
      cachedAlone = exactModel(lines.slice(first, last + 1).join("\n")).instructions[0];
    return cachedAlone;
  };
  const shifted = (position: Position | undefined): Position | undefined =>
    position && { line: position.line + first, character: position.character };
  const shiftedFlag = (flag: Flag): Flag => ({
    name: flag.name,
    value: flag.value,
    valueStart: shifted(flag.valueStart),
    option: (name: string) => {
      const option = flag.option(name);
      return option && { value: option.value, valueStart: shifted(option.valueStart) };
    },
  });
  return {
    keyword,
    written,
    start,
    lines: { first, last },
    args: () => {
      const words = fromArgs(segments, written.length);
      if (words) return words;
      return (parsedAlone()?.args() ?? []).map((word) => ({
        value: word.value,
        start: shifted(word.start) as Position,
      }));
    },
    labels: () => parsedAlone()?.labels() ?? [],
    flags: () => leadingFlags(segments, written.length) ?? (parsedAlone()?.flags() ?? []).map(shiftedFlag),
    trigger: () => {
      const trigger = parsedAlone()?.trigger();
      if (!trigger) return undefined;
      return {
        ...trigger,
        start: shifted(trigger.start) as Position,
        lines: { first: trigger.lines.first + first, last: trigger.lines.last + first },
        flags: () => trigger.flags().map(shiftedFlag),
      };
    },
  };
}

/**
 * FROM's words (flags left out) with their positions, when the line is plain: one line, no
 * quotes, no escapes. Otherwise undefined, and dockerfile-ast reads the instruction.
 */
function fromArgs(
  segments: { line: number; offset: number; text: string }[],
  keywordLength: number,
): Word[] | undefined {
  if (segments.length !== 1) return undefined;
  const { line, offset, text } = segments[0] as (typeof segments)[number];
  if (/["'\\`]/.test(text)) return undefined;
  const words: Word[] = [];
  const pattern = /[^ \t]+/g;
  pattern.lastIndex = keywordLength;
  let flagsDone = false;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[0].startsWith("--")) {
      if (flagsDone) return undefined;
      continue;
    }
    flagsDone = true;
    words.push({ value: match[0], start: { line, character: offset + match.index } });
  }
  return words;
}

/** A flag word: `--name` or `--name=value`, its value's position. */
interface FlagWord {
  text: string;
  start: Position;
}

/**
 * COPY / RUN flags — the leading words that start with `--` — when they are plain: no quotes, no
 * escapes, no word split across lines. [] at once for the many RUN lines that start with a command.
 * Otherwise undefined, and dockerfile-ast reads the instruction.
 */
function leadingFlags(
  segments: { line: number; offset: number; text: string }[],
  keywordLength: number,
): Flag[] | undefined {
  const words: FlagWord[] = [];
  let first = true;
  for (const segment of segments) {
    const pattern = /[^ \t]+/g;
    pattern.lastIndex = first ? keywordLength : 0;
    first = false;
    for (let match = pattern.exec(segment.text); match; match = pattern.exec(segment.text)) {
      if (!match[0].startsWith("--")) return finishFlags(words);
      // A word that ends where the segment ends may go on on the next line: not sure.
      if (
        match.index + match[0].length === segment.text.length &&
        segment !== segments[segments.length - 1]
      ) {
        if (/["'\\`]/.test(match[0])) return undefined;
        const next = segments[segments.indexOf(segment) + 1];
        if (next && !/^[ \t]/.test(next.text)) return undefined;
      }
      if (/["'\\`]/.test(match[0])) return undefined;
      words.push({ text: match[0], start: { line: segment.line, character: segment.offset + match.index } });
    }
  }
  return finishFlags(words);
}

function finishFlags(words: FlagWord[]): Flag[] {
  return words.map(({ text, start }) => {
    const equals = text.indexOf("=");
    const name = text.slice(2, equals < 0 ? undefined : equals);
    const value = equals < 0 ? null : text.slice(equals + 1);
    const valueStart = equals < 0 ? undefined : { line: start.line, character: start.character + equals + 1 };
    return {
      name,
      value,
      valueStart,
      option: (wanted: string) => {
        if (value === null || valueStart === undefined) return undefined;
        let at = 0;
        for (const part of value.split(",")) {
          const sign = part.indexOf("=");
          if ((sign < 0 ? part : part.slice(0, sign)) === wanted) {
            return {
              value: sign < 0 ? null : part.slice(sign + 1),
              valueStart:
                sign < 0
                  ? undefined
                  : { line: valueStart.line, character: valueStart.character + at + sign + 1 },
            };
          }
          at += part.length + 1;
        }
        return undefined;
      },
    };
  });
}

/** A global ARG's name and default; null when the fast path is not sure, undefined for none. */
function argOf(
  lines: string[],
  instruction: DockerInstruction,
): DockerfileModel["initialArgs"][number] | null | undefined {
  const { first, last } = instruction.lines;
  const text = lines.slice(first, last + 1).join("\n");
  if (first !== last || /["'\\`$]/.test(text)) {
    // Quotes, escapes or variables: dockerfile-ast reads this ARG alone.
    const arg = exactModel(text).initialArgs[0];
    if (!arg?.valueStart) return arg;
    return { ...arg, valueStart: { line: arg.valueStart.line + first, character: arg.valueStart.character } };
  }
  const words = stripCR(text)
    .replace(/^[ \t]+|[ \t]+$/g, "")
    .split(/[ \t]+/)
    .slice(1);
  if (words.length !== 1) return words.length === 0 ? undefined : null;
  const word = words[0] as string;
  const equals = word.indexOf("=");
  if (equals === 0) return null;
  if (equals < 0) return { name: word, value: null };
  const valueStart = { line: first, character: (lines[first] as string).indexOf(word) + equals + 1 };
  return { name: word.slice(0, equals), value: word.slice(equals + 1), valueStart };
}
