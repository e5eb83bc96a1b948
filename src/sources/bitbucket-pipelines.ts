/**
 * Bitbucket Pipelines (SPEC §4): `bitbucket-pipelines.yml`. `image` (a string or `{name: …}`) at
 * the top and in every `step` (under `pipelines:` at any depth: branches, parallel, stages, and
 * step definitions), and `definitions.services.*.image`.
 */
import { type ImageAt, isObject, stringOrKey } from "./image-keys.js";
import type { KeyPath } from "./yaml.js";

const BITBUCKET_PATH = /(?:^|\/)bitbucket-pipelines\.ya?ml$/i;

export function isBitbucketPipelinesPath(path: string): boolean {
  return BITBUCKET_PATH.test(path);
}

export function bitbucketPipelinesImages(data: unknown): ImageAt[] {
  const images: ImageAt[] = [];
  if (!isObject(data)) return images;
  const image = (value: unknown, path: KeyPath, name: string) => {
    const found = stringOrKey(value, path, "name");
    if (found) images.push({ ...found, workload: { kind: "step", name }, labels: {} });
  };
  image(data.image, ["image"], "(pipeline)");
  const definitions = isObject(data.definitions) ? data.definitions : {};
  if (isObject(definitions.services)) {
    for (const [name, service] of Object.entries(definitions.services)) {
      if (isObject(service)) image(service.image, ["definitions", "services", name, "image"], name);
    }
  }
  const steps = (value: unknown, path: KeyPath) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        steps(item, [...path, i]);
      });
    } else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (key === "step" && isObject(child)) {
          image(child.image, [...path, key, "image"], typeof child.name === "string" ? child.name : "step");
        }
        if (key !== "image") steps(child, [...path, key]);
      }
    }
  };
  steps(data.pipelines, ["pipelines"]);
  if (isObject(definitions.steps) || Array.isArray(definitions.steps))
    steps(definitions.steps, ["definitions", "steps"]);
  return images;
}
