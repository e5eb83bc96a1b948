/**
 * Azure Pipelines (SPEC §4): `azure-pipelines.yml`, `.azure-pipelines/**`. A `container:` (a
 * string or `{image: …}`) of the pipeline, a stage's job or a top-level job, and
 * `resources.containers[].image`. A `container:` string that names a container resource (and a
 * job's `services:`, which only name resources) is a reference to that resource, reported there.
 */
import { type ImageAt, isObject, type Json, stringOrKey } from "./image-keys.js";
import type { KeyPath } from "./yaml.js";

const AZURE_PATH = /(?:^|\/)(?:azure-pipelines[^/]*\.ya?ml|\.azure-pipelines\/(?:.*\/)?[^/]+\.ya?ml)$/i;

export function isAzurePipelinesPath(path: string): boolean {
  return AZURE_PATH.test(path);
}

export function azurePipelinesImages(data: unknown): ImageAt[] {
  const images: ImageAt[] = [];
  if (!isObject(data)) return images;
  const aliases = new Set<string>();
  const resources = isObject(data.resources) ? data.resources.containers : undefined;
  if (Array.isArray(resources)) {
    resources.forEach((resource, i) => {
      if (!isObject(resource)) return;
      const name = typeof resource.container === "string" ? resource.container : String(i);
      aliases.add(name);
      if (resource.image !== undefined && resource.image !== null)
        images.push({
          path: ["resources", "containers", i, "image"],
          value: resource.image,
          workload: { kind: "container resource", name },
          labels: {},
        });
    });
  }
  const container = (owner: Json, path: KeyPath, workload: string) => {
    const value = owner.container;
    if (typeof value === "string" && aliases.has(value)) return;
    const found = stringOrKey(value, [...path, "container"], "image");
    if (found) images.push({ ...found, workload: { kind: "job", name: workload }, labels: {} });
  };
  const jobs = (list: unknown, path: KeyPath) => {
    if (!Array.isArray(list)) return;
    list.forEach((job, i) => {
      if (!isObject(job)) return;
      const name =
        typeof job.job === "string"
          ? job.job
          : typeof job.deployment === "string"
            ? job.deployment
            : String(i);
      container(job, [...path, i], name);
    });
  };
  container(data, [], "(pipeline)");
  jobs(data.jobs, ["jobs"]);
  if (Array.isArray(data.stages)) {
    data.stages.forEach((stage, i) => {
      if (isObject(stage)) jobs(stage.jobs, ["stages", i, "jobs"]);
    });
  }
  return images;
}
