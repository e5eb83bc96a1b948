/**
 * Kubernetes objects (SPEC §4): where each workload kind keeps its pod spec, and which labels can
 * mark it high-security. Works on plain parsed objects; the caller maps paths back to positions.
 */
import type { Occurrence, WorkloadContext } from "./types.js";

export type KeyPath = (string | number)[];

/** An image value found in a parsed document, with the path that leads to it. */
export interface ImageAt {
  path: KeyPath;
  value: unknown;
  workload: WorkloadContext;
  container?: Occurrence["container"];
  labels: Record<string, string>;
}

type Json = Record<string, unknown>;

/** Path from the object to its pod template (metadata + spec), by kind. `[]` means the object is the pod. */
const POD_TEMPLATE_PATHS: Record<string, KeyPath[]> = {
  Pod: [[]],
  Deployment: [["spec", "template"]],
  StatefulSet: [["spec", "template"]],
  DaemonSet: [["spec", "template"]],
  ReplicaSet: [["spec", "template"]],
  ReplicationController: [["spec", "template"]],
  Job: [["spec", "template"]],
  CronJob: [
    ["spec", "jobTemplate"],
    ["spec", "jobTemplate", "spec", "template"],
  ],
  PodTemplate: [["template"]],
};

const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;
type ContainerList = (typeof CONTAINER_LISTS)[number];

function isContainerList(key: string): key is ContainerList {
  return (CONTAINER_LISTS as readonly string[]).includes(key);
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function at(value: unknown, path: KeyPath): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function stringLabels(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const labels: Record<string, string> = {};
  for (const [key, label] of Object.entries(value)) {
    if (label !== null && label !== undefined) labels[key] = String(label);
  }
  return labels;
}

export function isKubernetesObject(value: unknown): value is Json {
  return isObject(value) && typeof value.kind === "string" && typeof value.apiVersion === "string";
}

export interface KubernetesImages {
  images: ImageAt[];
  /** Labels of Namespace objects, by name. */
  namespaces: Record<string, Record<string, string>>;
}

/** Every container image in a Kubernetes object, including the items of `List` kinds. */
export function kubernetesImages(object: Json, prefix: KeyPath = []): KubernetesImages {
  const result: KubernetesImages = { images: [], namespaces: {} };
  const kind = String(object.kind);
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === "string" ? metadata.name : "";

  if (kind === "Namespace") {
    if (name) result.namespaces[name] = stringLabels(metadata.labels);
    return result;
  }
  if (kind === "List" || kind.endsWith("List")) {
    const items = Array.isArray(object.items) ? object.items : [];
    items.forEach((item, i) => {
      if (!isObject(item) || typeof item.kind !== "string") return;
      const inner = kubernetesImages(item, [...prefix, "items", i]);
      result.images.push(...inner.images);
      Object.assign(result.namespaces, inner.namespaces);
    });
    return result;
  }
  const templatePaths = POD_TEMPLATE_PATHS[kind];
  if (!templatePaths) return result;

  const labels = stringLabels(metadata.labels);
  for (const templatePath of templatePaths)
    Object.assign(labels, stringLabels(at(object, [...templatePath, "metadata", "labels"])));
  const workload: WorkloadContext = {
    kind,
    name,
    ...(typeof metadata.namespace === "string" && { namespace: metadata.namespace }),
  };
  const podPath = [...(templatePaths[templatePaths.length - 1] as KeyPath), "spec"];
  const podSpec = at(object, podPath);
  if (!isObject(podSpec)) return result;
  // In the pod spec's own key order, which is the order of the text: the fast YAML path relies on it.
  for (const list of Object.keys(podSpec)) {
    if (!isContainerList(list)) continue;
    const containers = podSpec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, i) => {
      if (!isObject(container) || !("image" in container)) return;
      result.images.push({
        path: [...prefix, ...podPath, list, i, "image"],
        value: container.image,
        workload,
        container: { name: typeof container.name === "string" ? container.name : String(i), list },
        labels,
      });
    });
  }
  return result;
}
