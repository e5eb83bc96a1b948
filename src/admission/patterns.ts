/**
 * Regular expressions (RE2, as CEL's `matches` runs them) for what the checker decides with code:
 * the reference grammar of src/image/reference.ts and the policy globs of src/glob.ts (SPEC §3).
 * Kept beside each other so a change to either side is seen here.
 */

import { escapeRegex } from "../regex.js";

export { escapeRegex };

/**
 * A policy glob (SPEC §3: `*` any characters but `/`, `**` any characters, `?` one character but
 * `/`) as an anchored RE2 expression. `(?s)` so `**` also crosses a line break, as the glob does.
 */
export function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === "*") {
      let end = i + 1;
      while (glob[end] === "*") end++;
      out += end - i >= 2 ? ".*" : "[^/]*";
      i = end - 1;
    } else if (char === "?") {
      out += "[^/]";
    } else {
      out += escapeRegex(char);
    }
  }
  return `(?s)^${out}$`;
}

const ALNUM = "[a-zA-Z0-9]";
const DOMAIN_LABEL = `${ALNUM}(?:[a-zA-Z0-9-]*${ALNUM})?`;
const DOMAIN = `${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*(?::[0-9]+)?`;
const IPV6 = "\\[[a-fA-F0-9:]+\\](?::[0-9]+)?";
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
/** A first component that is not a registry host: no `.`, `:`, `[` or upper case (and never `localhost`, which is a host). */
const PLAIN_FIRST = "[a-z0-9]+(?:(?:_|__|-+)[a-z0-9]+)*";
const TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
const DIGEST = "(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})";

/**
 * A valid reference as parseImageRef accepts it, part by part, so that the cluster checks each
 * part with a short pattern (CEL charges `matches` by the string's length times the pattern's):
 * ASCII blanks around a core of printable ASCII without blanks (CORE); a digest after `@`
 * (DIGEST); a tag after the first `:` of the last segment (TAG); a name that is one path
 * component (COMPONENT) or a first component — a registry host when it has `.`, `:`, `[`, upper
 * case or is `localhost`, else a plain component — then path components (FIRST, PATH); never the
 * bare 64-hex image ID (IMAGE_ID). The 255-character limit is checked beside it. The property
 * tests judge the export built from them against check.
 */
export const REFERENCE_PARTS = {
  CORE: "^[ \\t\\r\\n]*[!-~]+[ \\t\\r\\n]*$",
  DIGEST: `^${DIGEST}$`,
  TAG: `^${TAG}$`,
  COMPONENT: `^${PATH_COMPONENT}$`,
  FIRST: `^(?:${DOMAIN}|${IPV6}|${PLAIN_FIRST})$`,
  PATH: `^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`,
  IMAGE_ID: "^[a-f0-9]{64}$",
} as const;
