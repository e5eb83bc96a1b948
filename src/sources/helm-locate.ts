/**
 * Where a rendered image is written in its template (SPEC §4 "Helm, rendered": the template line
 * whose text holds the image or its expression, line 0 where none does).
 */
import { escapeRegex } from "../regex.js";

export interface Located {
  line: number;
  column: number;
  /** The line writes the image itself (no expression): `fix` can rewrite it there. */
  literal?: boolean;
}

/** Where a template writes a key's value: the column after `key:` and its blanks. */
const keyLine = (key: string) =>
  new RegExp(`^(\\s*(?:-\\s+)?["']?${escapeRegex(key)}["']?\\s*:\\s*)(\\S.*)$`);

/** The strings a template line reads from the values (`.Values.a.b`), as the values in force give them. */
function valuesRead(line: string, values: unknown): string[] {
  const read: string[] = [];
  for (const match of line.matchAll(/\.Values((?:\.[A-Za-z_][\w-]*)+)/g)) {
    let value: unknown = values;
    for (const key of (match[1] ?? "").slice(1).split(".")) {
      value =
        value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    }
    if ((typeof value === "string" && value.trim() !== "") || typeof value === "number")
      read.push(String(value));
  }
  return read;
}

interface KeyLine extends Located {
  /** The value as written, quotes and a trailing comment taken off. */
  value: string;
  expression: boolean;
  /** What the line reads from the values, for an expression. */
  reads: string[];
}

/**
 * The template line of each rendered image of one template (SPEC §4): the line that writes the
 * image as rendered under its key; else the expression line under that key whose values make the
 * image (`.Values.image.repository` is in it), the only expression line, or the n-th for the n-th
 * image when their counts agree; else line 0.
 */
export function locateInTemplate(
  text: string | undefined,
  images: { text: string; key: string }[],
  values: unknown,
): Located[] {
  if (text === undefined) return images.map(() => ({ line: 0, column: 0 }));
  const lines = text.split(/\r?\n/);
  const linesOf = new Map<string, KeyLine[]>();
  const keyLines = (key: string) => {
    let list = linesOf.get(key);
    if (!list) {
      const pattern = keyLine(key);
      list = [];
      for (let i = 0; i < lines.length; i++) {
        const match = pattern.exec(lines[i] ?? "");
        if (!match?.[1] || !match[2]) continue;
        const value = match[2].replace(/\s+#.*$/, "").trim();
        const expression = value.includes("{{");
        list.push({
          line: i + 1,
          column: match[1].length + 1,
          value: /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value,
          expression,
          reads: expression ? valuesRead(value, values) : [],
        });
      }
      linesOf.set(key, list);
    }
    return list;
  };
  const found: (KeyLine | undefined)[] = images.map(({ text: image, key }) => {
    const candidates = keyLines(key);
    return (
      candidates.find((line) => !line.expression && line.value === image) ??
      candidates.find((line) => line.expression && line.reads.some((read) => image.includes(read)))
    );
  });
  // What the values do not tell: the only expression under the key, or the n-th of as many.
  const left = new Map<string, number[]>();
  images.forEach(({ key }, i) => {
    if (found[i] !== undefined) return;
    const list = left.get(key);
    if (list) list.push(i);
    else left.set(key, [i]);
  });
  for (const [key, indexes] of left) {
    const taken = new Set(found.filter((at): at is KeyLine => at !== undefined).map((at) => at.line));
    const expressions = keyLines(key).filter((line) => line.expression && !taken.has(line.line));
    const all = keyLines(key).filter((line) => line.expression);
    indexes.forEach((index, n) => {
      found[index] =
        all.length === 1 ? all[0] : expressions.length === indexes.length ? expressions[n] : undefined;
    });
  }
  return found.map((at) =>
    at ? { line: at.line, column: at.column, literal: !at.expression } : { line: 0, column: 0 },
  );
}

/** The key an image is written under in the rendered stream: `image` mostly, `repository` for a map. */
export function keyOfStreamLine(line: string | undefined): string {
  return /^\s*(?:-\s+)?["']?([\w.-]+)["']?\s*:/.exec(line ?? "")?.[1] ?? "image";
}
