/** SPEC §4: the ARG forms a FROM may use — $X, ${X}, ${X:-default}, ${X:+alt} — and what stays unresolved. */
import { describe, expect, it } from "vitest";
import { expandVariables } from "../../src/sources/variables.js";

const vars = new Map<string, string | undefined>([
  ["REG", "registry.example.com"],
  ["EMPTY", ""],
  ["DECLARED", undefined],
]);

describe("SPEC §4 variable expansion", () => {
  it.each([
    ["$REG/base/alpine", "registry.example.com/base/alpine"],
    ["${REG}/base/alpine", "registry.example.com/base/alpine"],
    ["${MISSING:-alpine}:3.19", "alpine:3.19"],
    ["${EMPTY:-alpine}", "alpine"],
    ["${EMPTY-alpine}", ""],
    ["${DECLARED-alpine}", "alpine"],
    ["alpine${REG:+-slim}", "alpine-slim"],
    ["alpine${EMPTY:+-slim}", "alpine"],
    ["alpine${EMPTY+-slim}", "alpine-slim"],
    ["${MISSING:-${REG}}/x", "registry.example.com/x"],
    ["\\$REG", "$REG"],
    ["price$", "price$"],
  ])("%s → %s", (text, value) => {
    expect(expandVariables(text, vars)).toEqual({ value, missing: [] });
  });

  it("reports variables used without a value, once each, in order", () => {
    expect(expandVariables("${A}/${DECLARED}:$A", vars).missing).toEqual(["A", "DECLARED"]);
    expect(expandVariables("${MISSING:-$ALSO}", vars).missing).toEqual(["ALSO"]);
  });

  it("honours another escape character", () => {
    expect(expandVariables("`$REG", vars, "`").value).toBe("$REG");
  });
});
