/**
 * A live cluster's pods (SPEC §4): the output of `kubectl get pods -A -o json`. Each pod is its own
 * "file", `cluster/<namespace>/<pod>`, with no line (0).
 */
import { isKubernetesObject, kubernetesImages } from "./kubernetes.js";
import { imageOfValue } from "./resolve.js";
import { emptyResult, type SourceResult } from "./types.js";

export function readPodList(text: string, origin: string): SourceResult {
  const result = emptyResult();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    result.problems.push({
      file: origin,
      line: 0,
      column: 0,
      message: `pod list is not JSON (expected the output of "kubectl get pods -A -o json"): ${(error as Error).message}`,
    });
    return result;
  }
  // A pod list (`kubectl get pods -o json`: kind List or PodList), or one Pod. Anything else — a
  // ConfigMap, a Deployment — is not what --from-json reads, and says so instead of passing.
  const kind = isKubernetesObject(data) ? String(data.kind) : undefined;
  const isList =
    (kind === "List" || kind === "PodList") && Array.isArray((data as { items?: unknown }).items);
  if (!isList && kind !== "Pod") {
    result.problems.push({
      file: origin,
      line: 0,
      column: 0,
      message: `not a Kubernetes pod list${kind ? ` (kind ${kind})` : ""}: give the output of "kubectl get pods -A -o json"`,
    });
    return result;
  }
  const pods = isList ? (data as { items: unknown[] }).items : [data];
  for (const pod of pods) {
    if (!isKubernetesObject(pod)) continue;
    for (const found of kubernetesImages(pod, () => undefined).images) {
      const namespace = found.workload?.namespace ?? "default";
      const name = found.workload?.name ?? "";
      result.occurrences.push({
        file: `cluster/${namespace}/${name}`,
        line: 0,
        column: 0,
        source: "cluster",
        written: { kind: "fixed", reason: "a running pod (--from-json): fix the files it was deployed from" },
        ...imageOfValue(found.value),
        workload: { kind: found.workload?.kind ?? "Pod", name, namespace },
        ...(found.container && { container: found.container }),
        labels: found.labels,
      });
    }
  }
  return result;
}
