/**
 * Policy globs (SPEC §3): `*` matches any characters except `/`, `**` any characters including `/`,
 * `?` one character except `/`. Written here rather than taken from a glob library because the spec
 * lets `**` stand anywhere (`registry/**centos`), which path-glob libraries treat as `*`.
 */
export function hasGlob(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}

export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === "*") {
      if (pattern[i + 1] === "*") {
        source += ".*";
        i++;
      } else {
        source += "[^/]*";
      }
    } else if (char === "?") {
      source += "[^/]";
    } else {
      source += char.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}
