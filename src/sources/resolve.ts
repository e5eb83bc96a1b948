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

const NO_VARIABLES: Variables = new Map();

/**
 * The image an `image:` value in a manifest names. Compose interpolates `${VAR:-default}` (with
 * `$$` for a literal `$`); Kubernetes takes the string as it is.
 */
export function imageOfValue(value: unknown, interpolate = false): { text: string; image: ImageState } {
  if (typeof value !== "string" || value.trim() === "") {
    return {
      text: String(value ?? ""),
      image: { kind: "invalid", reason: "image must be a non-empty string" },
    };
  }
  return interpolate ? resolveImage(value, NO_VARIABLES, "$") : { text: value, image: imageState(value) };
}
