import { InvalidReferenceError, parseImageRef } from "../image/reference.js";
import type { ImageState } from "./types.js";
import { expandVariables, type Variables } from "./variables.js";

/**
 * A copy of a string that owns its characters. A substring of a file's text (what parsers and
 * regular expressions return) keeps the whole file alive as long as it lives; occurrences and
 * their labels live to the end of the run, so they keep copies (issue 10: flat memory).
 */
export function detach(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, "utf8").toString("utf8");
}

/**
 * A value without its leading and trailing ASCII blanks (space, tab) — never other Unicode
 * blanks: a no-break space in an image string is part of it, and leaves it invalid (SPEC §4).
 */
export function trimBlanks(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, "");
}

/** Parses image text into an ImageState; an invalid reference becomes a reason, not an exception. */
export function imageState(text: string): ImageState {
  try {
    return { kind: "image", ref: parseImageRef(text) };
  } catch (error) {
    if (error instanceof InvalidReferenceError) return { kind: "invalid", reason: error.message };
    throw error;
  }
}

/** Expands variables in image text first; any variable without a value leaves it unresolved. */
export function resolveImage(
  written: string,
  variables: Variables,
  escapeChar?: string,
): { text: string; image: ImageState } {
  const { value, missing } = expandVariables(written, variables, escapeChar);
  if (missing.length > 0) return { text: detach(written), image: { kind: "unresolved", missing } };
  const text = detach(value);
  return { text, image: imageState(text) };
}

/**
 * Placeholders that another tool fills in before the image exists (SPEC §4): a GitHub
 * expression, Helm/Argo `{{ … }}`, Tekton `$(params.x)`, envsubst's `$VAR` / `${VAR}`, `<image>`,
 * and ko's `ko://` build paths.
 */
const PLACEHOLDER =
  /\$\{\{[^}]*\}\}|\{\{[^}]*\}\}|\$\([^)]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|<[^<>]*>|^ko:\/\/.*/;

/** How image values in a manifest are read. */
export interface ValueOptions {
  /** Compose interpolation (`${VAR:-default}`, `$$` for `$`) from these variables (its `.env`). */
  variables?: Variables;
}

/**
 * The image an `image:` value in a manifest names. Another tool's placeholder is unresolved;
 * compose interpolates from its `.env`; Kubernetes takes the string as it is.
 */
export function imageOfValue(
  value: unknown,
  options: ValueOptions = {},
): { text: string; image: ImageState } {
  if (typeof value !== "string" || trimBlanks(value) === "") {
    return {
      text: String(value ?? ""),
      image: { kind: "invalid", reason: "image must be a non-empty string" },
    };
  }
  // Compose interpolates its own variables first; what is left is judged like any other value.
  const resolved = options.variables ? resolveImage(value, options.variables, "$") : undefined;
  if (resolved?.image.kind === "unresolved") return resolved;
  const text = resolved?.text ?? detach(value);
  const placeholder = PLACEHOLDER.exec(text)?.[0];
  if (placeholder !== undefined) {
    return { text, image: { kind: "unresolved", missing: [], placeholder } };
  }
  return resolved ?? { text, image: imageState(text) };
}
