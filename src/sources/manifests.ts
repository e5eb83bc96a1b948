/**
 * Rendered manifests (SPEC §4 `--manifests FILE|-`): the multi-document YAML that `helm template`
 * and `kustomize build` print, read like Kubernetes files. A `# Source: <path>` comment before a
 * document sets `file` to that path (line 0: the rendered text has no line in the source);
 * otherwise `file` is the stream's name with the line in the stream.
 */
import { readManifest } from "./read.js";
import { emptyResult, type SourceResult } from "./types.js";
import { readYamlFile } from "./yaml.js";

const RENDERED = {
  kind: "fixed",
  reason: "a rendered stream (--manifests): fix the chart or kustomization it was rendered from",
} as const;
const SOURCE_COMMENT = /^#[ \t]*Source:[ \t]*(\S.*?)[ \t]*\r?$/;
const DOCUMENT_START = /^---(?:[ \t]|\r?$)/;

export function readManifestStream(text: string, origin: string): SourceResult {
  const result = emptyResult();
  const parsed = readYamlFile(text, origin);
  for (const doc of parsed.documents) readManifest(doc, origin, result);
  result.problems.push(...parsed.problems);

  const sources = sourcesByLine(text);
  // What a stream says is rendered: fixed where it is written, never here (SPEC §9).
  for (const found of result.occurrences) found.written = RENDERED;
  for (const found of [...result.occurrences, ...result.problems]) {
    const source = sources[found.line];
    if (source === undefined) continue;
    found.file = source;
    found.line = 0;
    found.column = 0;
  }
  return result;
}

/** For each line of a rendered stream (1-based), the `# Source:` path in force: set by the comment, cleared by the next `---`. */
export function sourcesByLine(text: string): (string | undefined)[] {
  const sources: (string | undefined)[] = [undefined];
  let current: string | undefined;
  for (const line of text.split("\n")) {
    if (DOCUMENT_START.test(line)) current = undefined;
    const source = SOURCE_COMMENT.exec(line)?.[1];
    if (source !== undefined) current = source;
    sources.push(current);
  }
  return sources;
}
