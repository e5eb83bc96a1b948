/**
 * Glob matching in time linear in the text (issue 9): patterns are compiled to a small
 * nondeterministic automaton that is run over the text once, so no pattern — `*a*a*a*a*b` against
 * a 320-character image, or against a long path — can make it backtrack. Regular-expression globs
 * (picomatch, minimatch, our old policy globs) backtrack on exactly such inputs.
 *
 * Two dialects:
 * - `policy` (SPEC §3): `*` any characters but `/`, `**` any characters, `?` one character but `/`;
 *   everything else is literal.
 * - `path` (policy `include`/`exclude`, as picomatch with `dot: true` reads them): `*`, `?`,
 *   `**` as a whole segment for any number of folders (also none: "**" + "/x" matches `x`, and
 *   `a/` + "**" matches `a`), `[abc]`, `[a-z]`, `[!a]`, `{a,b}` alternatives, and `\` escapes.
 */

type Token =
  /** Reads nothing: an entry point from which skips leave (`**` + "/" may stand for no folder). */
  | { kind: "empty" }
  | { kind: "char"; char: string }
  | { kind: "one" }
  | { kind: "star" }
  | { kind: "any" }
  | { kind: "class"; ranges: [string, string][]; negated: boolean };

export type Dialect = "policy" | "path";

export type Matcher = (text: string) => boolean;

export class GlobError extends Error {}

/** Alternatives of `{a,b}` beyond this many are refused: a pattern must not explode. */
const MAX_ALTERNATIVES = 256;

export function hasGlob(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}

export function compileGlob(pattern: string, dialect: Dialect): Matcher {
  const alternatives = dialect === "path" ? expandBraces(pattern) : [pattern];
  const automata = alternatives.map((alternative) => automaton(tokenize(alternative, dialect)));
  return (text) => automata.some((run) => run(text));
}

/** One matcher for a list of patterns: true when any matches. */
export function compileGlobs(patterns: readonly string[], dialect: Dialect): Matcher {
  const matchers = patterns.map((pattern) => compileGlob(pattern, dialect));
  return (text) => matchers.some((matches) => matches(text));
}

/** Tokens, and for each position the positions reachable without reading a character. */
function tokenize(pattern: string, dialect: Dialect): { tokens: Token[]; skips: number[][] } {
  const tokens: Token[] = [];
  const skips: number[][] = [];
  const skip = (from: number, to: number) => {
    const targets = skips[from];
    if (targets) targets.push(to);
    else skips[from] = [to];
  };
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === "*") {
      const double = pattern[i + 1] === "*";
      if (!double) {
        tokens.push({ kind: "star" });
        continue;
      }
      let end = i + 2;
      while (pattern[end] === "*") end++;
      const segmentStart = i === 0 || pattern[i - 1] === "/";
      const segmentEnd = end === pattern.length || pattern[end] === "/";
      if (dialect === "policy" || (segmentStart && segmentEnd)) {
        if (dialect === "path" && pattern[end] === "/") {
          // "**" + "/" is any folders or none: an empty entry that either enters the loop (which
          // must then read the "/") or skips the loop and the "/" together.
          const at = tokens.length;
          tokens.push({ kind: "empty" }, { kind: "any" }, { kind: "char", char: "/" });
          skip(at, at + 1);
          skip(at, at + 3);
          i = end;
          continue;
        }
        const at = tokens.length;
        tokens.push({ kind: "any" });
        // "/" + "**" at the end may stand for nothing: skip from before the "/" to the end.
        if (dialect === "path" && end === pattern.length && at > 0 && tokens[at - 1]?.kind === "char")
          skip(at - 1, at + 1);
      } else {
        tokens.push({ kind: "star" });
      }
      i = end - 1;
    } else if (char === "?") {
      tokens.push({ kind: "one" });
    } else if (dialect === "path" && char === "\\" && i + 1 < pattern.length) {
      tokens.push({ kind: "char", char: pattern[++i] as string });
    } else if (dialect === "path" && char === "[") {
      const parsed = characterClass(pattern, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else {
        tokens.push({ kind: "char", char });
      }
    } else {
      tokens.push({ kind: "char", char });
    }
  }
  for (let i = 0; i < tokens.length; i++) {
    const kind = tokens[i]?.kind;
    if (kind === "star" || kind === "any") skip(i, i + 1);
  }
  return { tokens, skips };
}

function characterClass(pattern: string, start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  const negated = pattern[i] === "!" || pattern[i] === "^";
  if (negated) i++;
  const ranges: [string, string][] = [];
  let first = true;
  for (; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === "]" && !first) return { token: { kind: "class", ranges, negated }, end: i };
    first = false;
    const literal = char === "\\" && i + 1 < pattern.length ? (pattern[++i] as string) : char;
    if (pattern[i + 1] === "-" && i + 2 < pattern.length && pattern[i + 2] !== "]") {
      ranges.push([literal, pattern[i + 2] as string]);
      i += 2;
    } else {
      ranges.push([literal, literal]);
    }
  }
  return undefined;
}

/** Runs the automaton over the text: one pass, a set of positions at a time. */
function automaton({ tokens, skips }: { tokens: Token[]; skips: number[][] }): Matcher {
  if (tokens.length === 1 && tokens[0]?.kind === "any") return () => true;
  const size = tokens.length + 1;
  const required = requiredTexts(tokens, skips);
  // Two state sets, reused by every call (JavaScript runs one call at a time).
  let current = new Uint8Array(size);
  let next = new Uint8Array(size);
  const close = (states: Uint8Array) => {
    // Skips only go forward, so one pass in order reaches every position.
    for (let i = 0; i < size; i++) {
      if (!states[i]) continue;
      const targets = skips[i];
      if (targets) for (const to of targets) states[to] = 1;
    }
  };
  return (text) => {
    for (const part of required) if (!text.includes(part)) return false;
    current.fill(0);
    current[0] = 1;
    close(current);
    for (let at = 0; at < text.length; at++) {
      const char = text[at] as string;
      next.fill(0);
      let alive = false;
      for (let i = 0; i < tokens.length; i++) {
        if (!current[i]) continue;
        const token = tokens[i] as Token;
        switch (token.kind) {
          case "empty":
            break;
          case "char":
            if (char === token.char) next[i + 1] = 1;
            break;
          case "one":
            if (char !== "/") next[i + 1] = 1;
            break;
          case "star":
            if (char !== "/") next[i] = 1;
            break;
          case "any":
            next[i] = 1;
            break;
          case "class": {
            const inside = token.ranges.some(([low, high]) => char >= low && char <= high);
            if (char !== "/" && inside !== token.negated) next[i + 1] = 1;
            break;
          }
        }
      }
      close(next);
      for (let i = 0; i < size; i++) if (next[i]) alive = true;
      if (!alive) return false;
      [current, next] = [next, current];
    }
    return current[tokens.length] === 1;
  };
}

/**
 * The runs of literal characters every match must contain: a cheap first test. Characters a skip
 * can jump over (the "/" of "**" + "/") do not count.
 */
function requiredTexts(tokens: Token[], skips: number[][]): string[] {
  const optional = new Set<number>();
  skips.forEach((targets, from) => {
    for (const to of targets ?? []) for (let i = from; i < to; i++) if (to > from + 1) optional.add(i);
  });
  const runs = new Set<string>();
  let run = "";
  tokens.forEach((token, i) => {
    if (token.kind === "char" && !optional.has(i)) {
      run += token.char;
    } else {
      if (run !== "") runs.add(run);
      run = "";
    }
  });
  if (run !== "") runs.add(run);
  // Longest first: the most selective test runs first.
  return [...runs].sort((a, b) => b.length - a.length);
}

/** `{a,b}c` → `ac`, `bc` (nested too); a brace without a comma at its level is literal. */
function expandBraces(pattern: string): string[] {
  const open = findBrace(pattern);
  if (!open) return [pattern];
  const { start, end, parts } = open;
  const results: string[] = [];
  for (const part of parts) {
    for (const expanded of expandBraces(pattern.slice(0, start) + part + pattern.slice(end + 1))) {
      results.push(expanded);
      if (results.length > MAX_ALTERNATIVES) {
        throw new GlobError(`pattern "${pattern}" expands to more than ${MAX_ALTERNATIVES} alternatives`);
      }
    }
  }
  return results;
}

function findBrace(pattern: string): { start: number; end: number; parts: string[] } | undefined {
  for (let start = 0; start < pattern.length; start++) {
    if (pattern[start] === "\\") {
      start++;
      continue;
    }
    if (pattern[start] !== "{") continue;
    let depth = 0;
    const commas: number[] = [];
    for (let i = start; i < pattern.length; i++) {
      const char = pattern[i];
      if (char === "\\") i++;
      else if (char === "{") depth++;
      else if (char === "}" && --depth === 0) {
        if (commas.length === 0) break;
        const bounds = [start, ...commas, i];
        const parts = bounds.slice(1).map((to, k) => pattern.slice((bounds[k] as number) + 1, to));
        return { start, end: i, parts };
      } else if (char === "," && depth === 1) commas.push(i);
    }
  }
  return undefined;
}
