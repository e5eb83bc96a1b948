/**
 * SPEC §8: every export validates against its schema — the Kyverno resources against Kyverno's own
 * CRD schemas (test/fixtures/kyverno), the ValidatingAdmissionPolicy and its binding against the
 * Kubernetes OpenAPI definitions that kubernetes-models carries.
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import {
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from "kubernetes-models/admissionregistration.k8s.io/v1";
import { describe, expect, test } from "vitest";
import { TARGETS } from "../../src/admission/export.js";
import { exportedResources, type Resource } from "./exported.js";
import { POLICIES } from "./policies.js";

const TODAY = "2026-11-27";
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

type Schema = {
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
};

/**
 * Fields the schema does not know: the API server prunes them without a word, so a misspelt
 * field would silently drop a setting. Kubernetes structural schemas list every field.
 */
function unknownFields(schema: Schema, value: unknown, path: string): string[] {
  if (Array.isArray(value))
    return schema.items
      ? value.flatMap((v, i) => unknownFields(schema.items as Schema, v, `${path}[${i}]`))
      : [];
  if (value === null || typeof value !== "object" || schema["x-kubernetes-preserve-unknown-fields"])
    return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const known =
      schema.properties?.[key] ??
      (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
    if (known) out.push(...unknownFields(known, child, `${path}.${key}`));
    else if (schema.properties && key !== "metadata") out.push(`${path}.${key} is not a field`);
  }
  return out;
}

const ajv = new Ajv({
  strict: false,
  allErrors: true,
  formats: { "date-time": RFC3339, "int-or-string": true },
});
const schema = (file: string) => {
  const json = JSON.parse(
    readFileSync(new URL(`../fixtures/kyverno/${file}`, import.meta.url), "utf8"),
  ) as Schema;
  const validate = ajv.compile(json);
  return (resource: unknown): string[] =>
    validate(resource)
      ? unknownFields(json, resource, "")
      : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};
const KYVERNO: Record<string, ReturnType<typeof schema>> = {
  "policies.kyverno.io/v1 ValidatingPolicy": schema("ValidatingPolicy-policies.kyverno.io-v1.schema.json"),
  "policies.kyverno.io/v1 PolicyException": schema("PolicyException-policies.kyverno.io-v1.schema.json"),
  "kyverno.io/v1 ClusterPolicy": schema("ClusterPolicy-kyverno.io-v1.schema.json"),
};

/** Schema problems of one resource, [] when it validates. */
function problems(resource: Resource): string[] {
  const key = `${resource.apiVersion} ${resource.kind}`;
  if (resource.kind === "ValidatingAdmissionPolicy" || resource.kind === "ValidatingAdmissionPolicyBinding") {
    const Model =
      resource.kind === "ValidatingAdmissionPolicy"
        ? ValidatingAdmissionPolicy
        : ValidatingAdmissionPolicyBinding;
    try {
      new Model(resource as never).validate();
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  }
  const validate = KYVERNO[key];
  if (!validate) return [`no schema for ${key}`];
  return validate(resource);
}

describe.each(TARGETS)("export --to %s", (target) => {
  test.each(Object.keys(POLICIES))("validates against its schema under %s", (name) => {
    const policy = POLICIES[name];
    if (!policy) throw new Error(name);
    const resources = exportedResources(policy, target, TODAY);
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources)
      expect({ kind: resource.kind, problems: problems(resource) }).toEqual({
        kind: resource.kind,
        problems: [],
      });
  });
});

test("the schema check rejects what the API server would", () => {
  const [policy] = exportedResources(POLICIES["built-in default"] as never, "kyverno", TODAY);
  if (!policy) throw new Error("export");
  expect(problems({ ...policy, spec: { ...policy.spec, validationActions: ["Block"] } })).not.toEqual([]);
  const [vap] = exportedResources(POLICIES["built-in default"] as never, "vap", TODAY);
  if (!vap) throw new Error("export");
  expect(problems({ ...policy, spec: { ...policy.spec, autogen: { podControler: {} } } })).toEqual([
    ".spec.autogen.podControler is not a field",
  ]);
  expect(problems({ ...vap, spec: { ...vap.spec, failurePolicy: "Sometimes" } })).not.toEqual([]);
});
