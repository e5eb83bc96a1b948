/**
 * YAML files (SPEC §4): each document is a Kubernetes object, a compose file, or ignored. Images
 * are reported at the line of their `image:` value.
 */
import { LineCounter, type Node, parseAllDocuments } from "yaml";
import { composeImages, isComposeFile } from "./compose.js";
import { type ImageAt, isKubernetesObject, kubernetesImages } from "./kubernetes.js";
import { imageState, resolveImage } from "./resolve.js";
import { emptyResult, type ImageState, type SourceResult } from "./types.js";

/** YAML aliases beyond this many in one document are treated as an alias bomb. */
const MAX_ALIAS_COUNT = 1000;
const NO_VARIABLES = new Map<string, string>();

export function readYaml(text: string, file: string): SourceResult {
  const result = emptyResult();
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const position = (offset: number) => lineCounter.linePos(offset);

  for (const doc of documents) {
    const error = doc.errors[0];
    if (error) {
      const { line, col } = position(error.pos[0]);
      result.problems.push({ file, line, column: col, message: `YAML syntax: ${firstLine(error.message)}` });
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (cause) {
      const { line, col } = position(doc.range[0]);
      const message = /alias/i.test(String(cause))
        ? `YAML uses aliases too often (more than ${MAX_ALIAS_COUNT}); refusing to expand a possible alias bomb`
        : `YAML cannot be read: ${(cause as Error).message}`;
      result.problems.push({ file, line, column: col, message });
      continue;
    }

    let images: ImageAt[];
    let fromCompose = false;
    if (isKubernetesObject(data)) {
      const found = kubernetesImages(data);
      images = found.images;
      Object.assign(result.namespaces, found.namespaces);
    } else if (isComposeFile(data)) {
      images = composeImages(data);
      fromCompose = true;
    } else {
      continue;
    }
    for (const found of images) {
      const node = doc.getIn(found.path, true) as Node | undefined;
      const { line, col } = position(node?.range?.[0] ?? doc.range[0]);
      const { text: imageText, image } = judgeable(found.value, fromCompose);
      result.occurrences.push({
        file,
        line,
        column: col,
        source: fromCompose ? "compose" : "kubernetes",
        text: imageText,
        image,
        workload: found.workload,
        ...(found.container && { container: found.container }),
        labels: found.labels,
      });
    }
  }
  return result;
}

/** Compose interpolates `${VAR:-default}` ($$ escapes); Kubernetes takes the string as it is. */
function judgeable(value: unknown, interpolate: boolean): { text: string; image: ImageState } {
  if (typeof value !== "string" || value.trim() === "") {
    return {
      text: String(value ?? ""),
      image: { kind: "invalid", reason: "image must be a non-empty string" },
    };
  }
  return interpolate ? resolveImage(value, NO_VARIABLES, "$") : { text: value, image: imageState(value) };
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
