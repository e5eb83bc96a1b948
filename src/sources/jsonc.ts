/**
 * JSON with comments and trailing commas (dev container definitions, bake's JSON files), read by
 * jsonc-parser — the parser VS Code reads dev containers with — with each value's position, as a
 * document the YAML sources' code takes (data, locate, written).
 */
import {
  findNodeAtLocation,
  getNodeValue,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser/lib/esm/main.js";
import { positionsIn } from "./offsets.js";
import type { ParseProblem } from "./types.js";
import type { KeyPath, YamlDocument } from "./yaml.js";

/** A JSONC file as the YAML sources see a document: its data, and each value's position. */
export function readJsonc(text: string, file: string): { doc?: YamlDocument; problems: ParseProblem[] } {
  const tooDeep = nestingPast(text, MAX_NESTING);
  if (tooDeep !== undefined) {
    const at = positionsIn(text)(tooDeep);
    return {
      problems: [
        {
          file,
          line: at.line,
          column: at.col,
          message: `arrays or objects nested more than ${MAX_NESTING} deep`,
        },
      ],
    };
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const position = positionsIn(text);
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

/** How deep arrays and objects may nest: the parser recurses, so a deeper file is a parse-error, never a crash. */
const MAX_NESTING = 256;

/** The offset where brackets first nest past `limit` (strings and comments left out), if they do. */
function nestingPast(text: string, limit: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (char === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
    } else if (char === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (char === "[" || char === "{") {
      if (++depth > limit) return i;
    } else if (char === "]" || char === "}") depth--;
  }
  return undefined;
}
