/**
 * The scanner against the exact parser, document by document (issue 24): the same documents, the
 * same data, and for every value in them — every scalar, mapping and sequence, at every depth — the
 * same position and the same written text. Used by the differential test over the fixtures and by
 * `npm run differential` over the real corpus.
 */
import { readExactOnly, readScanned, type YamlDocument } from "../../src/sources/yaml.js";

export type Comparison = { scanned: false } | { scanned: true; differences: string[] };

export function compareYaml(text: string, file = "file.yaml"): Comparison {
  const scanned = readScanned(text, file);
  if (!scanned) return { scanned: false };
  const exact = readExactOnly(text, file);
  const differences: string[] = [];
  const problems = (r: typeof exact) => JSON.stringify(r.problems);
  if (problems(scanned) !== problems(exact)) {
    differences.push(`problems ${problems(scanned)}, exact ${problems(exact)}`);
    return { scanned: true, differences };
  }
  const a = scanned.documents.filter((d) => d.data != null);
  const b = exact.documents.filter((d) => d.data != null);
  if (a.length !== b.length) differences.push(`documents: scanner ${a.length}, exact ${b.length}`);
  a.forEach((doc, i) => {
    const other = b[i];
    if (other) compareValue(doc, other, doc.data, other.data, [], differences);
  });
  return { scanned: true, differences };
}

function compareValue(
  a: YamlDocument,
  b: YamlDocument,
  x: unknown,
  y: unknown,
  path: (string | number)[],
  out: string[],
): void {
  if (out.length > 20) return;
  const where = path.join(".") || "(root)";
  if (path.length > 0) {
    const pa = a.locate(path);
    const pb = b.locate(path);
    if (pa.line !== pb.line || pa.col !== pb.col)
      out.push(`${where}: position ${pa.line}:${pa.col}, exact ${pb.line}:${pb.col}`);
    const wa = a.written(path);
    const wb = b.written(path);
    if (wa !== wb) out.push(`${where}: written ${JSON.stringify(wa)}, exact ${JSON.stringify(wb)}`);
  }
  const kind = (v: unknown) => (Array.isArray(v) ? "seq" : v === null ? "null" : typeof v);
  if (kind(x) !== kind(y)) {
    out.push(
      `${where}: ${kind(x)} ${JSON.stringify(x)?.slice(0, 80)}, exact ${kind(y)} ${JSON.stringify(y)?.slice(0, 80)}`,
    );
    return;
  }
  if (Array.isArray(x) && Array.isArray(y)) {
    if (x.length !== y.length) out.push(`${where}: ${x.length} items, exact ${y.length}`);
    for (let i = 0; i < Math.min(x.length, y.length); i++) compareValue(a, b, x[i], y[i], [...path, i], out);
    return;
  }
  if (typeof x === "object" && x !== null) {
    const xr = x as Record<string, unknown>;
    const yr = y as Record<string, unknown>;
    const keys = Object.keys(xr);
    if (keys.join("\u0000") !== Object.keys(yr).join("\u0000"))
      out.push(
        `${where}: keys ${keys.join(",").slice(0, 80)}, exact ${Object.keys(yr).join(",").slice(0, 80)}`,
      );
    for (const key of keys)
      if (Object.hasOwn(yr, key)) compareValue(a, b, xr[key], yr[key], [...path, key], out);
    return;
  }
  if (!Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y)))
    out.push(`${where}: ${JSON.stringify(x)?.slice(0, 80)}, exact ${JSON.stringify(y)?.slice(0, 80)}`);
}
