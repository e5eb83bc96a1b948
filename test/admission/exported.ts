/** Reads an export back (YAML text → resources → the CEL program in it), so tests judge the artifact itself. */
import { loadAll } from "js-yaml";
import type { CelProgram, CelValidation } from "../../src/admission/cel.js";
import { exportPolicy, type Target } from "../../src/admission/export.js";
import type { Policy } from "../../src/policy/types.js";
import { isRuleId } from "../../src/rules/catalog.js";

export type Resource = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  // biome-ignore lint/suspicious/noExplicitAny: parsed YAML, checked by the schema tests
  spec: any;
};

export function exportedResources(policy: Policy, target: Target, today: string): Resource[] {
  const text = exportPolicy(policy, { target, source: "policy.yml", version: "0.0.0-test", today });
  return loadAll(text) as Resource[];
}

function validationOf(v: { expression: string; messageExpression: string; message: string }): CelValidation {
  const variable = /^size\(variables\.(\w+)\) == 0$/.exec(v.expression)?.[1];
  const rule = /^"([a-z-]+): "/.exec(v.messageExpression)?.[1];
  if (variable === undefined || rule === undefined || !isRuleId(rule))
    throw new Error(`unexpected validation ${v.expression}`);
  return {
    rule,
    variable,
    expression: v.expression,
    message: v.message,
    messageExpression: v.messageExpression,
  };
}

/** The CEL program an export carries, and the exception values its PolicyExceptions grant. */
export function programOf(resources: Resource[]): { program: CelProgram; allowedValues: string[] } {
  const policy = resources[0];
  if (!policy) throw new Error("empty export");
  const cel = policy.kind === "ClusterPolicy" ? policy.spec.rules[0].validate.cel : policy.spec;
  const validations = policy.kind === "ClusterPolicy" ? cel.expressions : cel.validations;
  const allowedValues = resources
    .filter((r) => r.kind === "PolicyException")
    .flatMap((r) => r.spec.allowedValues as string[]);
  return { program: { variables: cel.variables, validations: validations.map(validationOf) }, allowedValues };
}
