/**
 * Kubernetes objects (SPEC §4): workload kinds read their pod spec's three container lists; any
 * other object is walked whole (outside its own `metadata` and `status`) for `image` keys, a
 * string or a Helm-style map. CRDs and admission policies are not read: their `image` keys are
 * patterns. Works on plain parsed objects; the caller maps paths back to positions.
 */
import { at, type ImageAt, imageOfMap, isObject, type Json, type Written } from "./image-keys.js";
import { detach } from "./resolve.js";
import type { WorkloadContext } from "./types.js";
import type { KeyPath } from "./yaml.js";

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

/** API groups whose objects hold image patterns, not images (SPEC §4). */
const NOT_READ_GROUPS = new Set([
  "apiextensions.k8s.io",
  "kyverno.io",
  "policies.kyverno.io",
  "admissionregistration.k8s.io",
  "templates.gatekeeper.sh",
  "constraints.gatekeeper.sh",
]);

const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;
type ContainerList = (typeof CONTAINER_LISTS)[number];

function isContainerList(key: unknown): key is ContainerList {
  return (CONTAINER_LISTS as readonly unknown[]).includes(key);
}

function stringLabels(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const labels: Record<string, string> = {};
  for (const [key, label] of Object.entries(value)) {
    if (label !== null && label !== undefined) labels[detach(key)] = detach(String(label));
  }
  return labels;
}

export function isKubernetesObject(value: unknown): value is Json {
  return isObject(value) && typeof value.kind === "string" && typeof value.apiVersion === "string";
}

/** CRDs and admission policies: their `image` keys are patterns or schemas, never images. */
function isNotRead(object: Json): boolean {
  const group = String(object.apiVersion).split("/")[0] ?? "";
  return (
    object.kind === "CustomResourceDefinition" ||
    (String(object.apiVersion).includes("/") && NOT_READ_GROUPS.has(group))
  );
}

export interface KubernetesImages {
  images: ImageAt[];
  /** Labels of Namespace objects, by name. */
  namespaces: Record<string, Record<string, string>>;
}

/** Every image in a Kubernetes object, including the items of `List` kinds. */
export function kubernetesImages(object: Json, written: Written, prefix: KeyPath = []): KubernetesImages {
  const result: KubernetesImages = { images: [], namespaces: {} };
  const kind = String(object.kind);
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === "string" ? metadata.name : "";

  if (kind === "Namespace") {
    if (name) result.namespaces[name] = stringLabels(metadata.labels);
    return result;
  }
  if (isNotRead(object)) return result;
  if ((kind === "List" || kind.endsWith("List")) && Array.isArray(object.items)) {
    object.items.forEach((item, i) => {
      if (!isKubernetesObject(item)) return;
      const inner = kubernetesImages(item, written, [...prefix, "items", i]);
      result.images.push(...inner.images);
      Object.assign(result.namespaces, inner.namespaces);
    });
    return result;
  }
  const workload: WorkloadContext = {
    kind: detach(kind),
    name: detach(name),
    ...(typeof metadata.namespace === "string" && { namespace: detach(metadata.namespace) }),
  };
  const ownLabels = stringLabels(metadata.labels);
  const packages = crossplanePackages(object, prefix, workload, ownLabels);
  if (packages) {
    result.images.push(...packages);
    if (!isObject(object.spec) || !String(object.apiVersion).startsWith("meta.")) return result;
  }
  const templatePaths = POD_TEMPLATE_PATHS[kind];
  if (!templatePaths) {
    // Any other object: every `image` key outside its own metadata and status.
    for (const [key, value] of Object.entries(object)) {
      if (key === "metadata" || key === "status") continue;
      walkObject(value, [...prefix, key], { workload, labels: ownLabels, written }, result.images);
    }
    return result;
  }
  const labels = { ...ownLabels };
  for (const templatePath of templatePaths)
    Object.assign(labels, stringLabels(at(object, [...templatePath, "metadata", "labels"])));
  const podPath = [...(templatePaths[templatePaths.length - 1] as KeyPath), "spec"];
  const podSpec = at(object, podPath);
  if (!isObject(podSpec)) return result;
  for (const list of Object.keys(podSpec)) {
    if (!isContainerList(list)) continue;
    const containers = podSpec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, i) => {
      if (
        !isObject(container) ||
        container.image === undefined ||
        container.image === null ||
        container.image === ""
      )
        return;
      result.images.push({
        path: [...prefix, ...podPath, list, i, "image"],
        value: container.image,
        workload,
        container: {
          name: typeof container.name === "string" ? detach(container.name) : String(i),
          list,
          index: i,
        },
        labels,
      });
    });
  }
  return result;
}

/** Crossplane's package kinds: what `spec.package` names is an OCI image the cluster pulls and runs. */
const CROSSPLANE_PACKAGES = new Set(["Provider", "Function", "Configuration"]);
/** The keys of a package's `spec.dependsOn[]` entry that name a package. */
const CROSSPLANE_DEPENDENCY_KEYS = ["provider", "function", "configuration", "package"] as const;

/**
 * Crossplane packages (SPEC §4): `spec.package` of `pkg.crossplane.io` Provider, Function and
 * Configuration objects, and `spec.dependsOn[].provider|function|configuration` (or `package`) of
 * a package's own metadata (`meta.pkg.crossplane.io`, its `crossplane.yaml`). Undefined for any
 * other object. A dependency's `version` is a constraint (`>=v1.2.0`), not a tag: the package is
 * judged by its name as written.
 */
function crossplanePackages(
  object: Json,
  prefix: KeyPath,
  workload: WorkloadContext,
  labels: Record<string, string>,
): ImageAt[] | undefined {
  const group = String(object.apiVersion).split("/")[0];
  if (!CROSSPLANE_PACKAGES.has(String(object.kind))) return undefined;
  if (group !== "pkg.crossplane.io" && group !== "meta.pkg.crossplane.io") return undefined;
  const spec = isObject(object.spec) ? object.spec : {};
  const images: ImageAt[] = [];
  const push = (path: KeyPath, value: unknown) => {
    if (value !== undefined && value !== null && value !== "")
      images.push({ path: [...prefix, ...path], value, workload, labels, source: "crossplane" });
  };
  if (group === "pkg.crossplane.io") push(["spec", "package"], spec.package);
  else if (Array.isArray(spec.dependsOn)) {
    spec.dependsOn.forEach((dependency, i) => {
      if (!isObject(dependency)) return;
      for (const key of CROSSPLANE_DEPENDENCY_KEYS)
        if (dependency[key] !== undefined) push(["spec", "dependsOn", i, key], dependency[key]);
    });
  }
  return images;
}

interface WalkContext {
  workload: WorkloadContext;
  labels: Record<string, string>;
  written: Written;
}

/**
 * Every `image` key below `value`: a non-empty string, or a map with a non-empty `repository`.
 * Labels are the object's, joined by those of the nearest enclosing `template.metadata.labels`.
 */
function walkObject(value: unknown, path: KeyPath, context: WalkContext, out: ImageAt[]): void {
  if (Array.isArray(value)) {
    const list = path[path.length - 1];
    value.forEach((item, i) => {
      if (isContainerList(list) && isObject(item) && typeof item.image === "string" && item.image !== "") {
        out.push({
          path: [...path, i, "image"],
          value: item.image,
          workload: context.workload,
          container: { name: typeof item.name === "string" ? detach(item.name) : String(i), list, index: i },
          labels: context.labels,
        });
        for (const [key, child] of Object.entries(item))
          if (key !== "image") walkObject(child, [...path, i, key], context, out);
        return;
      }
      walkObject(item, [...path, i], context, out);
    });
    return;
  }
  if (!isObject(value)) return;
  // `rbd.image` names a Ceph block device (an RBD volume source), not a container image.
  const notImages = path[path.length - 1] === "rbd";
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    if (key === "image" && notImages) continue;
    if (key === "image") {
      const found = imageAtKey(child, childPath, context);
      if (found) out.push(found);
      continue;
    }
    let inner = context;
    if (
      key === "template" &&
      isObject(child) &&
      isObject(child.metadata) &&
      isObject(child.metadata.labels)
    ) {
      inner = { ...context, labels: { ...context.labels, ...stringLabels(child.metadata.labels) } };
    }
    walkObject(child, childPath, inner, out);
  }
}

function imageAtKey(value: unknown, path: KeyPath, context: WalkContext): ImageAt | undefined {
  if (typeof value === "string") {
    if (value === "") return undefined;
    return { path, value, workload: context.workload, labels: context.labels };
  }
  const map = imageOfMap(value, path, context.written);
  return map && { ...map, workload: context.workload, labels: context.labels };
}
