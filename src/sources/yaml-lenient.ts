/**
 * YAML as Kubernetes and Argo read it (SPEC §4): go-yaml — and js-yaml, which agrees with it here —
 * accept files that a strict YAML 1.2 parser such as `yaml` rejects. The cases seen in real files:
 *
 * - a multi-line quoted scalar or flow collection whose continuation lines (or closing `"]`) sit
 *   at or below its parent's indentation, as Argo Workflows examples write `args: ["…"]`;
 * - a comment right after a closing quote (`"x"# note`);
 * - line breaks written as a lone carriage return.
 *
 * None of these changes a value: inside a flow context the indentation of a continuation line is
 * folded away, and a comment is not data. So the text is repaired — continuation lines indented
 * just enough, a blank put before such a comment, lone CRs made LF — and handed to the exact
 * parser for its positions; columns on re-indented lines are shifted back. The repair is trusted
 * only when the exact parser then reads exactly the data js-yaml reads from the original text.
 */

/** Text that the strict parser can read, and how many blanks each 1-based line gained at its start. */
export interface Repair {
  text: string;
  shifts: Map<number, number>;
}

const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t]|\r?$)/;

/** The column where a line's node starts, after its indentation and any `- ` sequence indicators. */
function keyColumn(line: string): number {
  let at = 0;
  for (;;) {
    while (line[at] === " ") at++;
    if (line[at] === "-" && (line[at + 1] === " " || line[at + 1] === "\t")) at += 2;
    else return at;
  }
}

/**
 * The repaired text, or undefined when there is nothing this repair knows how to change. The scan
 * follows what the strict parser needs: quoted scalars (where a node can start), flow collections,
 * comments and block scalars (whose content is skipped, never touched).
 */
export function repairForStrict(original: string): Repair | undefined {
  let changed = false;
  let text = original;
  if (/\r(?!\n)/.test(text)) {
    text = text.replace(/\r(?!\n)/g, "\n");
    changed = true;
  }
  const lines = text.split("\n");
  const shifts = new Map<number, number>();
  let depth = 0;
  let quote: '"' | "'" | undefined;
  /** Least indentation of a continuation line of the open flow region. */
  let regionIndent = 0;
  /** While a block scalar's content is skipped: the indentation its lines must exceed. */
  let blockParent: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    const indent = line.length - line.trimStart().length;
    const blank = line.trim() === "" || line.trim() === "\r";
    if (blockParent !== undefined) {
      if (blank || indent > blockParent) continue;
      blockParent = undefined;
    }
    if (DOCUMENT_MARKER.test(line)) {
      depth = 0;
      quote = undefined;
      continue;
    }
    const inRegion = depth > 0 || quote !== undefined;
    if (inRegion && !blank && indent < regionIndent) {
      line = " ".repeat(regionIndent - indent) + line;
      shifts.set(i + 1, regionIndent - indent);
      changed = true;
    }
    let canStart = true;
    for (let at = line.length - line.trimStart().length; at < line.length; at++) {
      const ch = line[at] as string;
      if (quote === '"') {
        if (ch === "\\") at++;
        else if (ch === '"') quote = undefined;
        if (quote === undefined && line[at + 1] === "#") {
          line = `${line.slice(0, at + 1)} ${line.slice(at + 1)}`;
          changed = true;
        }
        continue;
      }
      if (quote === "'") {
        if (ch === "'" && line[at + 1] === "'") at++;
        else if (ch === "'") quote = undefined;
        if (quote === undefined && line[at + 1] === "#") {
          line = `${line.slice(0, at + 1)} ${line.slice(at + 1)}`;
          changed = true;
        }
        continue;
      }
      if (ch === " " || ch === "\t" || ch === "\r") continue;
      if (ch === "#" && (at === 0 || line[at - 1] === " " || line[at - 1] === "\t")) break;
      const opensRegion = depth === 0;
      if ((ch === '"' || ch === "'") && canStart) {
        if (opensRegion) regionIndent = keyColumn(line) + 1;
        quote = ch;
        canStart = false;
      } else if (ch === "[" || ch === "{") {
        if (opensRegion) regionIndent = keyColumn(line) + 1;
        depth++;
        canStart = true;
      } else if ((ch === "]" || ch === "}") && depth > 0) {
        depth--;
        canStart = false;
      } else if (ch === "," && depth > 0) {
        canStart = true;
      } else if ((ch === ":" || ch === "-" || ch === "?") && /^[ \t\r]?$/.test(line[at + 1] ?? "")) {
        canStart = true;
      } else if ((ch === "|" || ch === ">") && canStart && depth === 0) {
        blockParent = indent;
        break;
      } else if (ch === "&" || ch === "!") {
        // An anchor or tag before the node: the node can still start after it.
        while (at + 1 < line.length && !/[ \t]/.test(line[at + 1] as string)) at++;
      } else {
        canStart = false;
        // A plain scalar runs to `: `, ` #`, or (in flow) an indicator; its quotes are data.
        while (at + 1 < line.length) {
          const next = line[at + 1] as string;
          if (/[ \t]/.test(next) || (depth > 0 && /[,[\]{}]/.test(next))) break;
          if (next === ":" && /^[ \t\r]?$/.test(line[at + 2] ?? "")) break;
          at++;
        }
      }
    }
    lines[i] = line;
  }
  return changed ? { text: lines.join("\n"), shifts } : undefined;
}
