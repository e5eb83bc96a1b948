import { InvalidReferenceError, parseImageRef } from "../image/reference.js";
import type { ImageState } from "./types.js";
import { expandVariables, type Variables } from "./variables.js";

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
  if (missing.length > 0) return { text: written, image: { kind: "unresolved", missing } };
  return { text: value, image: imageState(value) };
}

/**
 * Placeholders that another tool fills in before the image exists (SPEC §4): a GitHub
 * expression, Helm/Argo `{{ … }}`, Tekton `$(params.x)`, `<image>`, and ko's `ko://` build paths.
 */
const PLACEHOLDER = /\$\{\{[^}]*\}\}|\{\{[^}]*\}\}|\$\([^)]*\)|<[^<>]*>|^ko:\/\/.*/;

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
  if (typeof value !== "string" || value.trim() === "") {
    return {
      text: String(value ?? ""),
      image: { kind: "invalid", reason: "image must be a non-empty string" },
    };
  }
  const placeholder = PLACEHOLDER.exec(value)?.[0];
  if (placeholder !== undefined) {
    return { text: value, image: { kind: "unresolved", missing: [], placeholder } };
  }
  return options.variables
    ? resolveImage(value, options.variables, "$")
    : { text: value, image: imageState(value) };
}
