/**
 * Whether the machine has helm must not change a test's answer: a chart is rendered only where a
 * test puts the recording fake (or, in test/sources/helm-real.test.ts, a real helm) on PATH itself.
 * Every test process, and every CLI it starts, gets PATH without the folders that hold a helm.
 */
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

const names = process.platform === "win32" ? ["helm.exe", "helm"] : ["helm"];
process.env.PATH = (process.env.PATH ?? "")
  .split(delimiter)
  .filter((dir) => dir === "" || !names.some((name) => existsSync(join(dir, name))))
  .join(delimiter);
