/**
 * SPEC §8, the equivalence contract: for every Kubernetes object that check reads, the exported CEL
 * gives the same verdict, rule by rule and image by image, as check — under several policies.
 * Evaluated with @bufbuild/cel (conformance-tested, strings extension); any difference fails.
 */
import { describe, expect, test } from "vitest";
import { type CelProgram, celProgram, liveExceptions } from "../../src/admission/cel.js";
import { type Bindings, evaluate } from "./evaluate.js";
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
  const ids = liveExceptions(policy, TODAY).map((_, i) => `exception-${i}`);
  const programs: Record<string, CelProgram> = {
    compiled: celProgram(policy, { today: TODAY, exceptions: { kind: "compiled" } }),
    kyverno: celProgram(policy, { today: TODAY, exceptions: { kind: "kyverno", ids } }),
  };
  test.each(
    workloads.map((w) => [`${w.file}#${w.index} ${w.object.kind} ${w.object.metadata?.name}`, w] as const),
  )("%s", (_label, target) => {
    const expected = checkVerdict(policy, [...namespaces.map((n) => n.object), target.object], TODAY);
    for (const [how, program] of Object.entries(programs)) {
      const { rejected } = evaluate(program, bindings(target, ids));
      expect({ how, rejected }).toEqual({ how, rejected: expected });
    }
  });
});
