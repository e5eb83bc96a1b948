/**
 * Whether the machine has helm must not change a test's answer: a chart is rendered only where a
 * test puts the recording fake (or, in test/sources/helm-real.test.ts, a real helm) on PATH itself.
 * Each PATH folder that holds a helm (GitHub's runners have /usr/local/bin/helm) is replaced, for
 * every test process and every CLI it starts, by a folder of links to everything else in it.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

const names = process.platform === "win32" ? ["helm.exe", "helm"] : ["helm"];

function withoutHelm(dir: string): string {
  const copy = join(tmpdir(), `big-no-helm-${createHash("sha256").update(dir).digest("hex").slice(0, 12)}`);
  mkdirSync(copy, { recursive: true });
  for (const name of readdirSync(dir)) {
    if (names.includes(name)) continue;
    try {
      symlinkSync(join(dir, name), join(copy, name));
    } catch (error) {
      // Another test process made it first.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return copy;
}

process.env.PATH = (process.env.PATH ?? "")
  .split(delimiter)
  .map((dir) => (dir !== "" && names.some((name) => existsSync(join(dir, name))) ? withoutHelm(dir) : dir))
  .join(delimiter);
