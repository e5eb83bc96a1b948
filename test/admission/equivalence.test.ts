/**
 * SPEC §8, the equivalence contract: for every Kubernetes object that check reads, the exported CEL
 * gives the same verdict, rule by rule and image by image, as check — under several policies.
 * Evaluated with @bufbuild/cel (conformance-tested, strings extension); any difference fails.
 */
import { describe, expect, test } from "vitest";
import { TARGETS } from "../../src/admission/export.js";
import { type Bindings, evaluate } from "./evaluate.js";
import { exportedResources, programOf } from "./exported.js";
import { type KubernetesObject, kubernetesObjects } from "./objects.js";
import { POLICIES } from "./policies.js";
import { checkVerdict } from "./verdicts.js";

const TODAY = "2026-11-27";
const { workloads, namespaces } = kubernetesObjects(["examples", "test/fixtures/admission"], process.cwd());

function bindings(target: KubernetesObject, exceptionIds: string[]): Bindings {
  const name = target.object.metadata?.namespace;
  const namespace = namespaces.find((n) => n.object.metadata?.name === name);
  return {
    object: target.object,
    ...(namespace && { namespaceObject: namespace.object }),
    request: { namespace: name ?? "" },
    exceptions: { allowedValues: exceptionIds, allowedImages: [] },
  };
}

test("the fixtures hold every pod-bearing kind", () => {
  const kinds = new Set(workloads.map((w) => w.object.kind));
  expect([...kinds].sort()).toEqual(
    [
      "CronJob",
      "DaemonSet",
      "Deployment",
      "Job",
      "Pod",
      "ReplicaSet",
      "ReplicationController",
      "StatefulSet",
    ].sort(),
  );
});

describe.each(Object.entries(POLICIES))("policy: %s", (_name, policy) => {
  // The exports as written to disk and read back: what a cluster would be given.
  const exports = TARGETS.map((target) => ({
    target,
    ...programOf(exportedResources(policy, target, TODAY)),
  }));
  test.each(
    workloads.map(
      (w) => [`${w.file}#${w.index} ${w.object.kind} ${String(w.object.metadata?.name)}`, w] as const,
    ),
  )("%s", (_label, target) => {
    const expected = checkVerdict(policy, [...namespaces.map((n) => n.object), target.object], TODAY);
    for (const { target: to, program, allowedValues } of exports) {
      const { rejected } = evaluate(program, bindings(target, allowedValues));
      expect({ to, rejected }).toEqual({ to, rejected: expected });
    }
  });
});

test("a Kyverno export without its PolicyExceptions applies no exception", () => {
  const policy = POLICIES["globs and version ranges"];
  if (!policy) throw new Error("policy");
  const { program } = programOf(exportedResources(policy, "kyverno", TODAY));
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: { containers: [{ name: "a", image: "centos:7" }] },
  };
  expect(evaluate(program, { object: pod }).rejected["block-deprecated-base-images"]).toEqual(["centos:7"]);
  expect(checkVerdict(policy, [pod], TODAY)["block-deprecated-base-images"]).toBeUndefined();
});
