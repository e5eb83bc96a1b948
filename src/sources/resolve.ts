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
