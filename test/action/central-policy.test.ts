/** Which `policy` inputs name a central policy (owner/repo/path@ref) and which a workspace file. */
import { expect, test } from "vitest";
import { centralPolicyOf } from "../../src/action/central-policy.js";
import { UsageError } from "../../src/errors.js";

test.each([
  [
    "acme/policies/base-images.yml@v3",
    { owner: "acme", repo: "policies", path: "base-images.yml", ref: "v3" },
  ],
  [
    "acme/platform.config/policies/base.yml@refs/heads/main",
    { owner: "acme", repo: "platform.config", path: "policies/base.yml", ref: "refs/heads/main" },
  ],
  [".github/base-image-policy.yml", undefined],
  ["policies/base.yml", undefined],
  ["acme/policies/base.yml", undefined],
  ["acme/policies/base.yml@", undefined],
  [undefined, undefined],
])("%s", (input, expected) => {
  expect(centralPolicyOf(input)).toEqual(expected);
});

test("a path that climbs out of the repository is refused", () => {
  expect(() => centralPolicyOf("acme/policies/../secrets.yml@main")).toThrow(UsageError);
});
