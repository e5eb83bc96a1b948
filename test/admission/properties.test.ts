/**
 * SPEC §8 equivalence, property-based: generated image references — registries in odd case and
 * with ports, Docker Hub aliases, codenames, releases at and across component boundaries,
 * variants, digests and strings that are no reference — in one Pod per sample, judged by check and
 * by the exported CEL under every test policy. Fixed seed; FC_SEED=<n> explores others.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { celProgram, liveExceptions } from "../../src/admission/cel.js";
import { CEL_GO_BUILDS, celGoMissing, rejectedOf, runCelGo } from "./cel-go.js";
import { evaluate } from "./evaluate.js";
import { POLICIES } from "./policies.js";
import { checkVerdict } from "./verdicts.js";

const SEED = Number(process.env.FC_SEED ?? 20261127);
const TODAY = "2026-11-27";
const celTest = celGoMissing ? it.skip : it;

const registry = fc.constantFrom(
  "",
  "docker.io/",
  "index.docker.io/",
  "registry-1.docker.io/",
  "DOCKER.IO/",
  "docker.io:443/",
  "registry.example.com/",
  "Registry.Example.COM/",
  "registry.example.com:443/",
  "localhost:5000/",
  "quay.io/",
  "ghcr.io/",
  "[::1]:5000/",
  "a.b_c/",
  "Acme/",
);
const namespace = fc.constantFrom("", "library/", "base/", "acme/", "centos/", "acme/team/", "Base/");
const name = fc.constantFrom(
  "alpine",
  "alpine-evil",
  "alpinex",
  "ubuntu",
  "debian",
  "centos",
  "nginx",
  "node",
  "python",
  "redis",
  "distroless",
  "wolfi",
  "tool",
  "centoss",
);
const version = fc
  .array(
    fc.constantFrom("0", "1", "3", "04", "12", "18", "19", "20", "21", "22", "24", "120", "1234567890123456"),
    {
      minLength: 1,
      maxLength: 4,
    },
  )
  .map((parts) => parts.join("."));
const tag = fc.oneof(
  version,
  fc
    .tuple(version, fc.constantFrom("-slim", "-alpine3.19", "rc1", ".", "..5", "-20240115", "_x", ".x"))
    .map(([v, s]) => v + s),
  fc.constantFrom(
    "latest",
    "rolling",
    "jammy",
    "bionic-20230530",
    "noble",
    "stretch-slim",
    "bookworm",
    "Jammy",
    "stream9",
    "x",
    ".5",
    "1.2.3-beta",
  ),
);
const digest = fc.constantFrom(
  `sha256:${"a".repeat(64)}`,
  `sha256:${"b".repeat(64)}`,
  "sha256:abc",
  `sha512:${"c".repeat(128)}`,
);
const reference = fc
  .tuple(registry, namespace, name, fc.option(tag, { nil: undefined }), fc.option(digest, { nil: undefined }))
  .map(
    ([r, n, base, t, d]) =>
      `${r}${n}${base}${t === undefined ? "" : `:${t}`}${d === undefined ? "" : `@${d}`}`,
  );
const noise = fc.string({ unit: fc.constantFrom(..."aZ09.:/@-_ $".split("")), minLength: 1, maxLength: 12 });
const image = fc.oneof({ weight: 6, arbitrary: reference }, { weight: 1, arbitrary: noise });

describe.each(Object.keys(POLICIES))("property: CEL and check agree under %s", (policyName) => {
  const policy = POLICIES[policyName];
  if (!policy) throw new Error(policyName);
  const ids = liveExceptions(policy, TODAY).map((_, i) => `exception-${i}`);
  const program = celProgram(policy, { today: TODAY, exceptions: { kind: "kyverno", ids } });

  it("on every generated reference", () => {
    fc.assert(
      fc.property(fc.array(image, { minLength: 1, maxLength: 12 }), fc.boolean(), (images, high) => {
        const pod = {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "p", namespace: "tools", labels: high ? { "security.enforce": "high" } : {} },
          spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
        };
        const expected = checkVerdict(policy, [pod], TODAY);
        const { rejected } = evaluate(program, {
          object: pod,
          request: { namespace: "tools" },
          exceptions: { allowedValues: ids, allowedImages: [] },
        });
        expect(rejected).toEqual(expected);
      }),
      { numRuns: 150, seed: SEED },
    );
  });

  // The same samples in cel-go, the CEL the cluster runs, in one batch per environment.
  celTest("in cel-go too", () => {
    const samples = fc.sample(fc.tuple(fc.array(image, { minLength: 1, maxLength: 12 }), fc.boolean()), {
      numRuns: 300,
      seed: SEED,
    });
    const pods = samples.map(([images, high]) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "tools", labels: high ? { "security.enforce": "high" } : {} },
      spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
    }));
    const expected = pods.map((pod) => checkVerdict(policy, [pod], TODAY));
    const objects = pods.map((pod) => ({ object: pod, request: { namespace: "tools" }, exceptions: ids }));
    for (const build of CEL_GO_BUILDS) {
      const answer = runCelGo(build, "kyverno-1.17", [{ name: policyName, program }], objects, [
        ...program.validations.map((v) => v.variable),
      ]);
      const got = (answer.policies[0]?.results ?? []).map((r, i) => {
        expect({ sample: samples[i], errors: r.errors }).toEqual({ sample: samples[i], errors: [] });
        return rejectedOf(program, r);
      });
      expect(got).toEqual(expected);
    }
  });
});
