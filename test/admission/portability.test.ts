/**
 * SPEC §8: the exported CEL runs in Kubernetes (1.30+), Kyverno and the test's evaluator alike, and
 * survives Kyverno's autogen. So it may use only standard CEL and the strings extension, and never
 * the text autogen rewrites (`object.spec`, `object.metadata`).
 */
import { describe, expect, test } from "vitest";
import { celProgram } from "../../src/admission/cel.js";
import { TARGETS } from "../../src/admission/export.js";
import { evaluate } from "./evaluate.js";
import { exportedResources, programOf } from "./exported.js";
import { POLICIES } from "./policies.js";

/** Standard CEL macros and functions, and the strings extension Kubernetes enables. */
const ALLOWED_METHODS = new Set([
  "all",
  "exists",
  "filter",
  "map", // macros
  "matches",
  "startsWith",
  "endsWith",
  "contains", // standard
  "split",
  "indexOf",
  "lastIndexOf",
  "substring",
  "lowerAscii",
  "trim",
  "join",
  "replace", // strings extension
]);
const ALLOWED_FUNCTIONS = new Set(["size", "has", "int", "string"]);

function expressionsOf(policyName: string, target: (typeof TARGETS)[number]): string[] {
  const policy = POLICIES[policyName];
  if (!policy) throw new Error(policyName);
  const { program } = programOf(exportedResources(policy, target, "2026-11-27"));
  return [
    ...program.variables.map((v) => v.expression),
    ...program.validations.flatMap((v) => [v.expression, v.messageExpression]),
  ];
}

/** Calls in an expression, string literals left out. */
function calls(expression: string): { methods: string[]; functions: string[] } {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return {
    methods: [...code.matchAll(/\.(\w+)\(/g)].map((m) => m[1] as string),
    functions: [...code.matchAll(/(?<![.\w])(\w+)\(/g)].map((m) => m[1] as string),
  };
}

describe.each(TARGETS)("export --to %s", (target) => {
  test.each(Object.keys(POLICIES))("under %s uses only standard CEL and the strings extension", (name) => {
    for (const expression of expressionsOf(name, target)) {
      const { methods, functions } = calls(expression);
      expect(methods.filter((m) => !ALLOWED_METHODS.has(m))).toEqual([]);
      expect(functions.filter((f) => !ALLOWED_FUNCTIONS.has(f))).toEqual([]);
    }
  });

  test.each(Object.keys(POLICIES))("under %s holds nothing Kyverno's autogen would rewrite", (name) => {
    for (const expression of expressionsOf(name, target)) {
      expect(expression).not.toMatch(/(?<![A-Za-z])(object|oldObject)\.(spec|metadata)\b/);
    }
  });
});

test("the call scanner sees what it must refuse", () => {
  expect(calls('x.find("a") + cel.bind(y, 1, y) + size("f(")')).toEqual({
    methods: ["find", "bind"],
    functions: ["size"],
  });
});

test("no line break in a message or in what a message expression yields (the API server refuses them)", () => {
  const base = POLICIES["built-in default"];
  if (!base) throw new Error("policy");
  const minimal = {
    label: "security.enforce=high\nsecond line",
    images: ["registry.example.com/base/wolfi"],
  };
  const policy = { ...base, minimal };
  const program = celProgram(policy, { today: "2026-11-27", exceptions: { kind: "compiled" } });
  for (const v of program.validations) expect(v.message).not.toMatch(/[\r\n\u2028]/);
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: {
      containers: [
        { name: "a", image: "centos:7\n" },
        { name: "b", image: "bad\nimage" },
      ],
    },
  };
  const { messages } = evaluate(program, { object: pod });
  expect(messages.length).toBeGreaterThan(1);
  for (const message of messages) expect(message).not.toMatch(/[\r\n]/);
});
