/**
 * SPEC §8 in the CEL the cluster runs: every export compiles with cel-go configured as the API
 * server (1.30, 1.31) and Kyverno's ValidatingPolicy compiler configure it, gives check's verdicts
 * there, and stays inside the API server's cost limits on the largest Pods (tools/celgo).
 */
import { readdirSync, readFileSync } from "node:fs";
import { loadAll } from "js-yaml";
import { describe, expect, test } from "vitest";
import type { CelProgram } from "../../src/admission/cel.js";
import { TARGETS, type Target } from "../../src/admission/export.js";
import { parsePolicy } from "../../src/policy/load.js";
import {
  CEL_GO_BUILDS,
  type CelGoObject,
  type CelGoPolicy,
  celGoMissing,
  ENVS_OF,
  rejectedOf,
  runCelGo,
} from "./cel-go.js";
import { exportedResources, programOf, type Resource } from "./exported.js";
import { kubernetesObjects } from "./objects.js";
import { POLICIES } from "./policies.js";
import { checkVerdict } from "./verdicts.js";

const TODAY = "2026-11-27";
const suite = celGoMissing ? describe.skip : describe;
if (celGoMissing) console.warn(`cel-go tests skipped: ${celGoMissing}`);

function targetOf(resources: Resource[]): Target {
  const kind = resources[0]?.kind;
  return kind === "ClusterPolicy" ? "kyverno-clusterpolicy" : kind === "ValidatingPolicy" ? "kyverno" : "vap";
}

/** Every (build, environment) an export of this target must compile in. */
function environments(target: Target) {
  return CEL_GO_BUILDS.flatMap((build) => ENVS_OF[target].map((env) => ({ build, env })));
}

const committed = readdirSync("policies")
  .filter((f) => f.endsWith(".yaml"))
  .map((file) => ({
    name: `policies/${file}`,
    resources: loadAll(readFileSync(`policies/${file}`, "utf8")) as Resource[],
  }));
const generated = Object.entries(POLICIES).flatMap(([name, policy]) =>
  TARGETS.map((target) => ({
    name: `${name} → ${target}`,
    resources: exportedResources(policy, target, TODAY),
  })),
);

suite("cel-go compiles every export where it runs", () => {
  test.each([...committed, ...generated].map((e) => [e.name, e] as const))("%s", (_name, { resources }) => {
    const target = targetOf(resources);
    const { program } = programOf(resources);
    for (const { build, env } of environments(target)) {
      const answer = runCelGo(build, env, [{ name: "export", program }], []);
      expect({ celGo: answer.celGo, env, errors: answer.policies[0]?.errors }).toEqual({
        celGo: answer.celGo,
        env,
        errors: [],
      });
    }
  });

  test("the checker refuses what the API server refuses: a map literal mixing dyn and string", () => {
    const program: CelProgram = {
      variables: [{ name: "m", expression: `object.spec.containers.map(c, {"raw": c.image, "k": "v"})` }],
      validations: [],
    };
    for (const build of CEL_GO_BUILDS) {
      const errors = runCelGo(build, "k8s-1.30", [{ name: "bad", program }], [])?.policies[0]?.errors;
      expect(errors?.[0]?.message).toContain("expected type 'dyn' but found 'string'");
    }
  });
});

const { workloads, namespaces } = kubernetesObjects(["examples", "test/fixtures/admission"], process.cwd());

suite("cel-go gives check's verdicts (SPEC §8 equivalence)", () => {
  describe.each(Object.entries(POLICIES))("policy: %s", (_name, policy) => {
    test.each([...TARGETS])("export --to %s", (target) => {
      const { program, allowedValues } = programOf(exportedResources(policy, target, TODAY));
      const objects: CelGoObject[] = workloads.map((w) => {
        const name = w.object.metadata?.namespace;
        const namespace = namespaces.find((n) => n.object.metadata?.name === name);
        return {
          object: w.object,
          namespaceObject: namespace?.object ?? null,
          request: { namespace: name ?? "" },
          exceptions: allowedValues,
        };
      });
      const expected = workloads.map((w) =>
        checkVerdict(policy, [...namespaces.map((n) => n.object), w.object], TODAY),
      );
      const variables = program.validations.map((v) => v.variable);
      for (const { build, env } of environments(target)) {
        const answer = runCelGo(build, env, [{ name: "export", program }], objects, variables);
        const results = answer.policies[0]?.results ?? [];
        const got = results.map((r) => {
          expect(r.errors).toEqual([]);
          program.validations.forEach((v, i) => {
            expect(r.denied.includes(i)).toBe((r.values[v.variable] ?? []).length > 0);
          });
          return rejectedOf(program, r);
        });
        expect({ celGo: answer.celGo, env, got }).toEqual({ celGo: answer.celGo, env, got: expected });
      }
    });
  });
});

/** A policy of `n` entries per list: exact names and every glob shape, releases, ranges, exceptions. */
function widePolicy(n: number) {
  const entries = (make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));
  const glob = (i: number) =>
    [
      `registry${i}.example.com/base/*`,
      `ghcr.io/team${i}/**`,
      `quay.io/org${i}/*-base`,
      `docker.io/library/img${i}?`,
    ][i % 4] as string;
  const list = (items: string[]) => items.map((item) => `  - "${item}"`).join("\n");
  const text = `
mode: enforce
approved:
${list(entries((i) => (i % 2 ? `registry.example.com/base/image${i}` : glob(i))))}
deprecated:
${list(entries((i) => [`centos${i}`, `ubuntu:1${i}.04`, `*legacy${i}*`, `registry.example.com/old/img${i}:3.${i}`][i % 4] as string))}
minimal:
  label: security.enforce=high
  images:
${list(entries((i) => (i % 2 ? `registry.example.com/base/distroless${i}` : `registry.example.com/min${i}/**`))).replace(/^/gm, "  ")}
  namespaces: [secure]
versions:
${entries((i) => `  "${i % 3 ? `name${i}` : `registry.example.com/v${i}/*`}": ["${i}.1", ">=${i}.2 <${i + 1}", "^${i}.5.0"]`).join("\n")}
pinning: digest
eol: { block: true }
exceptions:
${entries((i) => `  - image: "${i % 2 ? `registry.example.com/base/image${i}` : `*legacy${i}*`}"\n    reason: r${i}\n    expires: 2099-01-01`).join("\n")}
`;
  return parsePolicy(text, "wide.yml").policy;
}

/** A valid 255-character reference whose repository passes the 255 limit and whose release is long. */
function longImage(i: number): string {
  const head = `registry.example.com/base/image${i % 10}x`;
  const tag = `1.2.3-${"r".repeat(100)}`;
  const digest = `@sha256:${"a".repeat(64)}`;
  const fill = 255 - head.length - 1 - tag.length - digest.length;
  return `${head}${"p".repeat(fill)}:${tag}${digest}`;
}

function pod(lists: Record<string, number>) {
  let k = 0;
  const spec: Record<string, unknown> = {};
  for (const [list, count] of Object.entries(lists)) {
    spec[list] = Array.from({ length: count }, () => ({ name: `c${k}`, image: longImage(k++) }));
  }
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "big", labels: { "security.enforce": "high" } },
    spec,
  };
}

test("a policy whose CEL the cluster's parser would refuse is not exported: the rule and what to do are named", () => {
  expect(() => exportedResources(widePolicy(200), "vap", TODAY)).toThrow(
    /CEL of rule validate-base-image-version is [\d,]+ characters, over the 100,000 the cluster's CEL parser accepts/,
  );
});

suite("cost inside the API server's limits (strict cost, both passes, every message)", () => {
  const policy = widePolicy(50);
  const cases = [
    { name: "100 containers", pod: pod({ containers: 100 }), perExpression: 500_000, total: 5_000_000 },
    {
      name: "300 images, 100 per list",
      pod: pod({ initContainers: 100, containers: 100, ephemeralContainers: 100 }),
      perExpression: 1_000_000,
      total: 10_000_000,
    },
  ];
  test.each(TARGETS.map((t) => [t] as const))("export --to %s", (target) => {
    const { program, allowedValues } = programOf(exportedResources(policy, target, TODAY));
    for (const c of cases) {
      expect(c.pod.spec.containers ?? c.pod.spec.initContainers).toBeDefined();
      for (const { build, env } of environments(target)) {
        const celPolicy: CelGoPolicy = { name: "wide", program };
        const answer = runCelGo(
          build,
          env,
          [celPolicy],
          [{ object: c.pod, request: { namespace: "default" }, exceptions: allowedValues }],
        );
        const result = answer.policies[0]?.results[0];
        expect(answer.policies[0]?.errors).toEqual([]);
        if (!result) throw new Error("no result");
        expect(result.errors).toEqual([]);
        const top = Object.entries(result.cost.perExpression)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4)
          .map(([name, cost]) => `${name} ${cost.toLocaleString("en")}`)
          .join(", ");
        console.log(
          `cost ${target} ${env} cel-go ${answer.celGo}, ${c.name}: total ${result.cost.total.toLocaleString("en")}; dearest ${top}`,
        );
        expect(result.cost.dearestCost).toBeLessThanOrEqual(c.perExpression);
        expect(result.cost.total).toBeLessThanOrEqual(c.total);
        expect(result.denied.length).toBeGreaterThan(0);
      }
    }
  });
});
