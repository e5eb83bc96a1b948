#!/usr/bin/env node
/**
 * The platform's floor for `check` (issue 24): what Node alone takes, single-threaded, to walk a
 * tree, read every file and run one regular expression over it — no parsing, no judging. `npm run
 * bench` times it beside grep and check on the same trees.
 *
 *   node scripts/floor.mjs DIR      prints the number of matching lines
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const PATTERN = /^\s*FROM|image:/gm;
let matches = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.isFile()) matches += readFileSync(path, "utf8").match(PATTERN)?.length ?? 0;
  }
};
walk(process.argv[2] ?? ".");
console.log(matches);
