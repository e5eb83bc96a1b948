/** The README's inputs/outputs table is generated from action.yml; this keeps them from drifting. */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { withActionDocs } from "../../scripts/action-docs.mjs";

it("README.md lists every input and output exactly as action.yml declares them", () => {
  const readme = readFileSync("README.md", "utf8");
  expect(readme, "run `node scripts/action-docs.mjs`").toBe(
    withActionDocs(readme, readFileSync("action.yml", "utf8")),
  );
});
