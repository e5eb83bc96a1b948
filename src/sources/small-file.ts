/**
 * Side files a source consults — `.gitignore`, a chart's `Chart.yaml`, compose's `.env` — read only
 * when they are regular files of sane size: a FIFO would block the run, a link to /dev/zero fill
 * the memory (issue 9). Without such a file the sources assume less, never judge less.
 */
import { readFileSync, statSync } from "node:fs";

/** Side files larger than this are not read. */
const MAX_SIDE_FILE_BYTES = 1 << 20;

export function readSideFile(path: string): string | undefined {
  try {
    const stats = statSync(path);
    if (!stats.isFile() || stats.size > MAX_SIDE_FILE_BYTES) return undefined;
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
