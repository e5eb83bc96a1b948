/**
 * Dev containers (SPEC §4): `.devcontainer/devcontainer.json`, `.devcontainer.json`,
 * `.devcontainer/<name>/devcontainer.json` — JSON with comments and trailing commas, read with
 * positions by jsonc-parser (the parser VS Code reads them with). `image` is judged here; the
 * Dockerfile that `build.dockerfile` names is judged where it is, read with `build.args` as its
 * `--build-arg`s (`buildArgsFor`). `features` are OCI artifacts that add tools, not images.
 */
import { dirname, resolve } from "node:path";
import {
  findNodeAtLocation,
  getNodeValue,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser/lib/esm/main.js";
import { type ImageAt, isObject } from "./image-keys.js";
import type { ParseProblem } from "./types.js";
import type { KeyPath, YamlDocument } from "./yaml.js";

const DEVCONTAINER_PATH = /(?:^|\/)(?:\.devcontainer\/(?:[^/]+\/)?devcontainer\.json|\.devcontainer\.json)$/;

export function isDevcontainerPath(path: string): boolean {
  return DEVCONTAINER_PATH.test(path);
}

/** A JSONC file as the YAML sources see a document: its data, and each value's position. */
export function readJsonc(text: string, file: string): { doc?: YamlDocument; problems: ParseProblem[] } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const starts = lineStarts(text);
  const position = (offset: number) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, col: offset - (starts[low] as number) + 1 };
  };
  if (errors.length > 0 || !tree) {
    const first = errors[0];
    const at = position(first?.offset ?? 0);
    return {
      problems: [
        {
          file,
          line: at.line,
          column: at.col,
          message: `not valid JSON with comments: ${first ? printParseErrorCode(first.error) : "empty file"}`,
        },
      ],
    };
  }
  const node = (path: KeyPath): Node | undefined => findNodeAtLocation(tree, path as (string | number)[]);
  const doc: YamlDocument = {
    data: getNodeValue(tree),
    line: 1,
    locate(path) {
      const found = node(path);
      return found ? position(found.offset) : { line: 1, col: 1 };
    },
    written(path) {
      const found = node(path);
      if (!found || (found.type !== "string" && found.type !== "number" && found.type !== "boolean"))
        return undefined;
      return found.type === "string"
        ? String(found.value)
        : text.slice(found.offset, found.offset + found.length);
    },
  };
  return { doc, problems: [] };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

export function devcontainerImages(data: unknown): ImageAt[] {
  if (!isObject(data) || data.image === undefined || data.image === null) return [];
  const name = typeof data.name === "string" ? data.name : "devcontainer";
  return [{ path: ["image"], value: data.image, workload: { kind: "dev container", name }, labels: {} }];
}

/**
 * The Dockerfile a dev container definition builds, and its `build.args`: `build.dockerfile`
 * relative to the definition's folder (the older top-level `dockerFile` too). Undefined when it
 * builds none.
 */
export function devcontainerBuild(
  data: unknown,
  definition: string,
): { dockerfile: string; args: Record<string, string> } | undefined {
  if (!isObject(data)) return undefined;
  const build = isObject(data.build) ? data.build : {};
  const dockerfile = typeof build.dockerfile === "string" ? build.dockerfile : data.dockerFile;
  if (typeof dockerfile !== "string" || dockerfile === "") return undefined;
  const args: Record<string, string> = {};
  if (isObject(build.args)) {
    for (const [key, value] of Object.entries(build.args))
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
        args[key] = String(value);
  }
  return { dockerfile: resolve(dirname(definition), dockerfile), args };
}

/** Where a dev container definition that builds a Dockerfile in `dir` may be. */
export function definitionsNear(dir: string): string[] {
  const parent = dirname(dir);
  return [
    resolve(dir, "devcontainer.json"),
    resolve(dir, ".devcontainer.json"),
    resolve(dir, ".devcontainer", "devcontainer.json"),
    resolve(parent, "devcontainer.json"),
    resolve(parent, ".devcontainer.json"),
  ];
}
