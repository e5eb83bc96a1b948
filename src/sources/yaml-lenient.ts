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

/** What a line of YAML is at its start, as far as this scan knows. */
export interface ScannedLine {
  /**
   * `block`: content of a block scalar; `quoted`: a continuation of a multi-line quoted scalar;
   * `flow`: a continuation line of a flow collection; `marker`: a document marker; else `node`.
   */
  kind: "block" | "quoted" | "flow" | "marker" | "node";
  /** Indentation a continuation line needs for the strict parser (flow and quoted lines). */
  needs: number;
  /** Offsets in the line of a `#` right after a closing quote (a comment without its blank). */
  tightComments: number[];
}

/**
 * One pass over the lines of a YAML text: quoted scalars (where a node can start), flow
 * collections, comments and block scalars. What each line is at its start — so that text inside a
 * block or quoted scalar is known to be data, never a comment (SPEC §3.6) — and where the strict
 * parser needs a repair.
 */
export function scanYamlLines(lines: readonly string[]): ScannedLine[] {
  const scanned: ScannedLine[] = [];
  let depth = 0;
  let quote: '"' | "'" | undefined;
  /** Least indentation of a continuation line of the open flow region. */
  let regionIndent = 0;
  /** While a block scalar's content is skipped: the indentation its lines must exceed. */
  let blockParent: number | undefined;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const blank = line.trim() === "";
    const tightComments: number[] = [];
    if (blockParent !== undefined) {
      if (blank || indent > blockParent) {
        scanned.push({ kind: "block", needs: 0, tightComments });
        continue;
      }
      blockParent = undefined;
    }
    if (DOCUMENT_MARKER.test(line)) {
      depth = 0;
      quote = undefined;
      scanned.push({ kind: "marker", needs: 0, tightComments });
      continue;
    }
    scanned.push({
      kind: quote !== undefined ? "quoted" : depth > 0 ? "flow" : "node",
      needs: regionIndent,
      tightComments,
    });
    let canStart = true;
    for (let at = indent; at < line.length; at++) {
      const ch = line[at] as string;
      if (quote !== undefined) {
        if (quote === '"' && ch === "\\") at++;
        else if (quote === "'" && ch === "'" && line[at + 1] === "'") at++;
        else if (ch === quote) {
          quote = undefined;
          if (line[at + 1] === "#") tightComments.push(at + 1);
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
  }
  return scanned;
}

/** 1-based lines whose text is scalar data (block scalar content, quoted continuations): never comments. */
export function yamlDataLines(text: string): Set<number> {
  const data = new Set<number>();
  scanYamlLines(text.split("\n")).forEach((line, i) => {
    if (line.kind === "block" || line.kind === "quoted") data.add(i + 1);
  });
  return data;
}

/**
 * The repaired text, or undefined when there is nothing this repair knows how to change:
 * continuation lines of flow regions indented as the strict parser needs, a blank before a
 * comment that follows a quote, lone CRs made LF.
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
  scanYamlLines(lines).forEach((scan, i) => {
    let line = lines[i] as string;
    for (const at of [...scan.tightComments].reverse()) line = `${line.slice(0, at)} ${line.slice(at)}`;
    const indent = line.length - line.trimStart().length;
    if ((scan.kind === "flow" || scan.kind === "quoted") && line.trim() !== "" && indent < scan.needs) {
      line = " ".repeat(scan.needs - indent) + line;
      shifts.set(i + 1, scan.needs - indent);
    }
    if (line !== lines[i]) {
      lines[i] = line;
      changed = true;
    }
  });
  return changed ? { text: lines.join("\n"), shifts } : undefined;
}
