/**
 * The one place that makes untrusted text (file names, image strings, messages, reasons) inert in
 * each kind of output (non-negotiable 7). Workflow-command escaping is in workflow-commands.ts,
 * JSON and SARIF are escaped by JSON itself.
 */

/**
 * Control characters (C0, DEL, C1 — ESC starts terminal sequences, CR/LF start new lines) and
 * bidirectional overrides (which reorder what a reader sees) shown as visible escapes.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNSAFE_FOR_TERMINAL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** True when text holds a character `terminal` would escape (for tests and checks). */
export function hasUnsafeCharacter(text: string): boolean {
  UNSAFE_FOR_TERMINAL.lastIndex = 0;
  return UNSAFE_FOR_TERMINAL.test(text);
}

/** The NUL that marks where markdown text is split (see `markdown`). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the mark is a NUL on purpose.
const MARK = /\u{0}/gu;

/**
 * The same, but leaving line breaks to an encoder that keeps them inert (workflow commands turn
 * them into %0A, so a file name with a newline still names its file).
 */
export function controls(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (char) =>
    char === "\n" || char === "\r" ? char : terminal(char),
  );
}

export function terminal(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (char) => {
    if (char === "\n") return "\\n";
    if (char === "\r") return "\\r";
    const code = char.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, "0")}`
      : `\\x${code.toString(16).padStart(2, "0")}`;
  });
}

/**
 * A line of terminal output that begins with untrusted text must not begin with `::`, which the
 * Actions runner reads as a workflow command. A path keeps its meaning with `./` in front.
 */
export function terminalLineStart(path: string): string {
  const safe = terminal(path);
  return safe.startsWith("::") ? `./${safe}` : safe;
}

/** An empty element: splits a text node so GitHub's autolinks, mentions and references cannot span it. */
const BREAK = "<span></span>";

/**
 * Text for GitHub-flavoured markdown (job summary, PR comment, table cells): no HTML, no table
 * breaks, no links or images (`[t](u)`, `![x](u)`), no bare-URL autolinks, no @-mentions and no
 * `#2`, `owner/repo#2` or `GH-2` references. GitHub links mentions and references after rendering, on the
 * text as read, so entities alone do not stop them: an empty element splits the text instead.
 */
export function markdown(text: string): string {
  // Where text must be split, a NUL marks the place (control characters are gone by then); the
  // marks become empty elements after the escaping, which would otherwise escape them too.
  return text
    .replace(/[\r\n\u2028\u2029]+/g, " ")
    .replace(UNSAFE_FOR_TERMINAL, "")
    .replace(/@/g, "@\u0000")
    .replace(/#/g, "#\u0000")
    .replace(/GH-/gi, (m) => `${m}\u0000`)
    .replace(/:\/\//g, ":\u0000//")
    .replace(/www\./gi, (m) => `${m.slice(0, 3)}\u0000.`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "&#124;")
    .replace(/`/g, "&#96;")
    .replace(/\[/g, "&#91;")
    .replace(/\]/g, "&#93;")
    .replace(/\\/g, "&#92;")
    .replace(MARK, BREAK);
}

/** Text for HTML element content and quoted attribute values: the five special characters, and control characters dropped. */
export function html(text: string): string {
  return text
    .replace(UNSAFE_FOR_TERMINAL, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Characters XML 1.0 cannot carry at all (after `terminal` has made control characters visible). */
const NOT_XML = /[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text for XML character data and quoted attribute values (JUnit): control characters shown as
 * escapes, as a terminal shows them, characters XML cannot hold replaced, the five special ones escaped.
 */
export function xml(text: string): string {
  return terminal(text)
    .replace(NOT_XML, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/**
 * A CSV field (RFC 4180): quoted when it holds a comma, quote or line break; and a field that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first) is prefixed with `'`.
 */
export function csvField(text: string): string {
  const inert = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

/** A label inside a Mermaid chart: only letters, digits and `._:/ -` survive (Mermaid has no escaping to rely on). */
export function mermaidLabel(text: string): string {
  return text.replace(/[^A-Za-z0-9._:/ -]/g, "_").slice(0, 80);
}
