// Generates the README's table of Action inputs and outputs from action.yml, so the two cannot
// drift (test/action/docs.test.ts compares them). `node scripts/action-docs.mjs` rewrites README.md.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";

export const START = "<!-- action-docs:start (generated from action.yml by scripts/action-docs.mjs) -->";
export const END = "<!-- action-docs:end -->";

const cell = (text) =>
  String(text)
    .replace(/\|/g, "\\|")
    .replace(/\s*\n\s*/g, " ")
    .trim();

/** @param {string} actionYml @returns {string} */
export function renderActionDocs(actionYml) {
  const action = parse(actionYml);
  const lines = ["| input | default | description |", "| --- | --- | --- |"];
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    const fallback = input.default === undefined || input.default === "" ? "" : `\`${input.default}\``;
    lines.push(`| \`${name}\` | ${fallback} | ${cell(input.description)} |`);
  }
  lines.push("", "| output | description |", "| --- | --- |");
  for (const [name, output] of Object.entries(action.outputs ?? {})) {
    lines.push(`| \`${name}\` | ${cell(output.description)} |`);
  }
  return lines.join("\n");
}

/** @param {string} readme @param {string} actionYml @returns {string} */
export function withActionDocs(readme, actionYml) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}`);
  return `${readme.slice(0, start + START.length)}\n${renderActionDocs(actionYml)}\n${readme.slice(end)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const readme = readFileSync("README.md", "utf8");
  writeFileSync("README.md", withActionDocs(readme, readFileSync("action.yml", "utf8")));
}
