/**
 * Side files a source consults — `.gitignore`, a chart's `Chart.yaml`, compose's `.env` — read only
 * when they are regular files of sane size: a FIFO would block the run, a link to /dev/zero fill
 * the memory (issue 9). Without such a file the sources assume less, never judge less.
 */
import { readFileSync, realpathSync, statSync } from "node:fs";
import { isInside } from "../paths.js";

/** Side files larger than this are not read. */
const MAX_SIDE_FILE_BYTES = 1 << 20;

/** A side file that is a link out of the checked tree: never read (SPEC §4). */
export const OUT_OF_TREE = Symbol("out of the checked tree");

/**
 * A side file's text; undefined when there is none to read; OUT_OF_TREE when `roots` are given and
 * the file (through any link) lies outside all of them — a `.env` linked to /proc/self/environ
 * must not put the process environment into a finding.
 */
export function readSideFile(path: string): string | undefined;
export function readSideFile(path: string, roots: readonly string[]): string | undefined | typeof OUT_OF_TREE;
export function readSideFile(
  path: string,
  roots?: readonly string[],
): string | undefined | typeof OUT_OF_TREE {
  try {
    const stats = statSync(path);
    if (!stats.isFile() || stats.size > MAX_SIDE_FILE_BYTES) return undefined;
    if (roots && !isInsideAny(realpathSync(path), roots)) return OUT_OF_TREE;
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export function isInsideAny(path: string, folders: readonly string[]): boolean {
  return folders.some((folder) => isInside(path, folder));
}
