/**
 * SPEC §8: every export validates against its schema — the Kyverno resources against Kyverno's own
 * CRD schemas (test/fixtures/kyverno), the ValidatingAdmissionPolicy and its binding against the
 * Kubernetes OpenAPI definitions that kubernetes-models carries.
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { loadAll } from "js-yaml";
import {
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from "kubernetes-models/admissionregistration.k8s.io/v1";
import semver from "semver";
import { describe, expect, test } from "vitest";
import { exportPolicy, TARGETS } from "../../src/admission/export.js";
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
const schema = (file: string, release = "") => {
  const json = JSON.parse(
    readFileSync(new URL(`../fixtures/kyverno/${release}${file}`, import.meta.url), "utf8"),
  ) as Schema;
  const validate = ajv.compile(json);
  return (resource: unknown): string[] =>
    validate(resource)
      ? unknownFields(json, resource, "")
      : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};
const schemasOf = (release = "") => ({
  "policies.kyverno.io/v1 ValidatingPolicy": schema(
    "ValidatingPolicy-policies.kyverno.io-v1.schema.json",
    release,
  ),
  "policies.kyverno.io/v1 PolicyException": schema(
    "PolicyException-policies.kyverno.io-v1.schema.json",
    release,
  ),
  "kyverno.io/v1 ClusterPolicy": schema("ClusterPolicy-kyverno.io-v1.schema.json", release),
});
/** The Kyverno releases whose CRD schemas the tests hold, oldest first (main is as 1.19). */
const RELEASES: { release: string; schemas: Record<string, ReturnType<typeof schema>> }[] = [
  { release: "1.17", schemas: schemasOf("v1.17.2/") },
  { release: "1.19", schemas: schemasOf() },
];
const KYVERNO = RELEASES[RELEASES.length - 1]?.schemas as Record<string, ReturnType<typeof schema>>;

/** The oldest Kyverno release an export's header says it runs on. */
function claimedRelease(text: string): string | undefined {
  return /^# Kyverno (1\.\d+)/m.exec(text)?.[1];
}

/** Schema problems of one resource, [] when it validates. */
function problems(resource: Resource, kyverno = KYVERNO): string[] {
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
  const validate = kyverno[key];
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

describe.each(["kyverno", "kyverno-clusterpolicy"] as const)("export --to %s", (target) => {
  test.each(Object.keys(POLICIES))(
    "validates against every Kyverno release its header claims under %s",
    (name) => {
      const policy = POLICIES[name];
      if (!policy) throw new Error(name);
      const text = exportPolicy(policy, {
        target,
        source: "policy.yml",
        version: "0.0.0-test",
        today: TODAY,
      });
      const claimed = claimedRelease(text);
      expect(claimed).toBeDefined();
      const releases = RELEASES.filter(
        ({ release }) => semver.gte(`${release}.0`, `${claimed}.0`) || claimed === "1.11",
      );
      expect(releases.length).toBeGreaterThan(0);
      for (const { release, schemas } of releases)
        for (const resource of loadAll(text) as Resource[])
          expect({ release, kind: resource.kind, problems: problems(resource, schemas) }).toEqual({
            release,
            kind: resource.kind,
            problems: [],
          });
    },
  );
});

test("an export with PolicyExceptions claims Kyverno 1.19, whose expiresAt 1.17 refuses", () => {
  const policy = POLICIES["globs and version ranges"];
  if (!policy) throw new Error("policy");
  const text = exportPolicy(policy, { target: "kyverno", source: "p.yml", version: "0", today: TODAY });
  expect(claimedRelease(text)).toBe("1.19");
  const exception = (loadAll(text) as Resource[]).find((r) => r.kind === "PolicyException");
  if (!exception) throw new Error("no PolicyException");
  expect(problems(exception, RELEASES[0]?.schemas)).toContain(".spec.expiresAt is not a field");
  const plain = exportPolicy(POLICIES["built-in default"] as never, {
    target: "kyverno",
    source: "p.yml",
    version: "0",
    today: TODAY,
  });
  expect(claimedRelease(plain)).toBe("1.17");
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
