/** policies/ holds the admission exports of the built-in default (issue 11); `npm run policies` rewrites them. */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { exportPolicy, type Target } from "../../src/admission/export.js";
import { BUILT_IN, defaultPolicyText, parsePolicy } from "../../src/policy/load.js";

const FILES: Record<Target, string> = {
  kyverno: "policies/enforce-base-images.kyverno.yaml",
  vap: "policies/enforce-base-images.vap.yaml",
  "kyverno-clusterpolicy": "policies/enforce-base-images.clusterpolicy.yaml",
};

test.each(Object.entries(FILES))(
  "policies/ holds the current %s export (npm run policies)",
  (target, file) => {
    const { policy, source } = parsePolicy(defaultPolicyText, BUILT_IN);
    const expected = exportPolicy(policy, {
      target: target as Target,
      source,
      version: packageJson.version,
      today: new Date().toISOString().slice(0, 10),
    });
    expect(readFileSync(file, "utf8")).toBe(expected);
  },
);
