/**
 * Shell-style variable expansion as Dockerfiles (global ARGs) and compose files use it:
 * `$X`, `${X}`, `${X:-default}`, `${X-default}`, `${X:+alt}`, `${X+alt}`, and compose's
 * `${X:?error}`, `${X?error}` (a variable that must be set).
 * A variable that is referenced but has no value is reported as missing so the caller can fail
 * closed (SPEC §3.5) rather than guess.
 */

/** Name → value; `undefined` for a variable that is declared without a value. */
export type Variables = ReadonlyMap<string, string | undefined>;

export interface Expansion {
  value: string;
  /** Variables used without a value, in order of first use. */
  missing: string[];
}

/** `$NAME`, or the start of `${NAME`, `${NAME:-`, `${NAME-`, `${NAME:+`, `${NAME+`, `${NAME:?`, `${NAME?`. */
const REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(:?[-+?])?|([A-Za-z_][A-Za-z0-9_]*))/y;

/** Index of the `}` that closes a `${…}` whose word starts at `from`; words may nest `${…}`. */
function closingBrace(text: string, from: number, escapeChar: string): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === escapeChar) i++;
    else if (char === "$" && text[i + 1] === "{") {
      depth++;
      i++;
    } else if (char === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** Longer than any image reference could be: expansion past it is refused, never run to exhaustion. */
export const MAX_EXPANSION = 65_536;
/** `${A:-${B:-…}}` nested deeper than this is refused. */
const MAX_NESTING = 64;

/** Expansion an input drove past its bound (SPEC §4): the file is a parse-error, the rest still judged. */
export class ExpansionError extends Error {}

export function expandVariables(text: string, variables: Variables, escapeChar = "\\", depth = 0): Expansion {
  if (!text.includes("$")) return { value: text, missing: [] };
  if (depth > MAX_NESTING) {
    throw new ExpansionError(
      `variable references nested more than ${MAX_NESTING} deep; refusing to expand them`,
    );
  }
  let value = "";
  const missing: string[] = [];
  const note = (name: string) => {
    if (!missing.includes(name)) missing.push(name);
  };
  const expandWord = (word: string) => {
    // The word of `${X:-"word"}` is a shell word: its quotes are removed, as BuildKit's lexer does.
    const inner = expandVariables(unquote(word, escapeChar), variables, escapeChar, depth + 1);
    inner.missing.forEach(note);
    return inner.value;
  };
  for (let i = 0; i < text.length; ) {
    const char = text[i] as string;
    if (char === escapeChar && text[i + 1] === "$") {
      value += "$";
      i += 2;
      continue;
    }
    if (char !== "$") {
      value += char;
      i++;
      continue;
    }
    REFERENCE.lastIndex = i;
    const match = REFERENCE.exec(text);
    const braced = match?.[1] !== undefined;
    const close = match && braced ? closingBrace(text, REFERENCE.lastIndex, escapeChar) : -1;
    if (!match || (braced && close < 0) || (braced && !match[2] && close !== REFERENCE.lastIndex)) {
      // Not a reference Docker would expand (`$` alone, an unclosed or malformed `${`): literal text.
      value += char;
      i++;
      continue;
    }
    const name = (match[1] ?? match[3]) as string;
    const operator = match[2];
    const word = braced ? text.slice(REFERENCE.lastIndex, close) : "";
    i = braced ? close + 1 : REFERENCE.lastIndex;
    const current = variables.get(name);
    const isSet = current !== undefined;
    const isNonEmpty = isSet && current !== "";
    switch (operator) {
      case ":-":
        value += isNonEmpty ? current : expandWord(word);
        break;
      case "-":
        value += isSet ? current : expandWord(word);
        break;
      case ":+":
        value += isNonEmpty ? expandWord(word) : "";
        break;
      case "+":
        value += isSet ? expandWord(word) : "";
        break;
      case ":?":
        if (isNonEmpty) value += current;
        else note(name);
        break;
      case "?":
        if (isSet) value += current;
        else note(name);
        break;
      default:
        if (isSet) value += current;
        else note(name);
    }
    if (value.length > MAX_EXPANSION) {
      throw new ExpansionError(
        `variables expand to more than ${MAX_EXPANSION.toLocaleString("en-US")} characters (each doubling the one before?); refusing to expand them further`,
      );
    }
  }
  return { value, missing };
}

/** A shell word without its unescaped quote characters: `"a b"` → `a b`, `'x'` → `x`. */
function unquote(word: string, escapeChar: string): string {
  if (!word.includes('"') && !word.includes("'")) return word;
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < word.length; i++) {
    const char = word[i] as string;
    if (char === escapeChar && quote !== "'" && i + 1 < word.length) {
      out += char + (word[i + 1] as string);
      i++;
    } else if (quote === undefined && (char === '"' || char === "'")) {
      quote = char;
    } else if (char === quote) {
      quote = undefined;
    } else {
      out += char;
    }
  }
  return out;
}

/** `$NAME`, `${NAME}`, `${NAME:-default}` or `${NAME-default}` alone: a value that is one variable. */
const ONE_VARIABLE = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^${}]*))?\})$/;

/**
 * Where a value that is one variable takes its text from (for `fix`, SPEC §9): the variable's own
 * value, or the default written inside the braces (`part`, the default's characters in the value),
 * which expansion uses when the variable is unset — or, for `:-`, empty. Undefined when the value is
 * more than one variable (`alpine:${TAG}`).
 */
export function oneVariable(
  text: string,
  /** The variable's value, undefined when it is unset. */
  lookup: (name: string) => string | undefined,
): { name: string; part?: { start: number; end: number } } | undefined {
  const one = ONE_VARIABLE.exec(text);
  if (!one) return undefined;
  const name = (one[1] ?? one[2]) as string;
  const operator = one[3];
  const value = lookup(name);
  const usesDefault = operator !== undefined && (value === undefined || (operator === ":-" && value === ""));
  return usesDefault ? { name, part: { start: text.indexOf("-") + 1, end: text.length - 1 } } : { name };
}
