/** policies/ holds the admission exports of the built-in default (issue 11); `npm run policies` rewrites them. */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { EXPORT_FILES, exportPolicy, TARGETS } from "../../src/admission/export.js";
import { BUILT_IN, defaultPolicyText, parsePolicy } from "../../src/policy/load.js";

test.each(TARGETS)("policies/ holds the current %s export (npm run policies)", (target) => {
  const { policy, source } = parsePolicy(defaultPolicyText, BUILT_IN);
  const expected = exportPolicy(policy, {
    target,
    source,
    version: packageJson.version,
    today: new Date().toISOString().slice(0, 10),
  });
  expect(readFileSync(`policies/${EXPORT_FILES[target]}`, "utf8")).toBe(expected);
});
