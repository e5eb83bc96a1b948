/**
 * Drone and Woodpecker (SPEC §4): `.drone.yml`; `.woodpecker.yml`, `.woodpecker/*.yml`. The
 * `image` of each step (`steps:` as a list or, in Woodpecker, a map; the older `pipeline:` map),
 * service (`services:`, list or map) and `clone:` step. A Woodpecker pipeline is never a compose
 * file, whatever its `services:` look like.
 */
import { type ImageAt, isObject } from "./image-keys.js";
import type { KeyPath } from "./yaml.js";

const DRONE_PATH = /(?:^|\/)\.drone\.ya?ml$/i;
const WOODPECKER_PATH = /(?:^|\/)(?:\.woodpecker\.ya?ml|\.woodpecker\/[^/]+\.ya?ml)$/i;

export function isDronePath(path: string): boolean {
  return DRONE_PATH.test(path);
}

export function isWoodpeckerPath(path: string): boolean {
  return WOODPECKER_PATH.test(path);
}

const SECTIONS = ["clone", "steps", "pipeline", "services"] as const;

export function droneImages(data: unknown): ImageAt[] {
  const images: ImageAt[] = [];
  if (!isObject(data)) return images;
  for (const section of SECTIONS) {
    const value = data[section];
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((step, i) => [i, step])
      : isObject(value)
        ? Object.entries(value)
        : [];
    for (const [key, step] of entries) {
      if (!isObject(step) || step.image === undefined || step.image === null) continue;
      const name = typeof step.name === "string" ? step.name : String(key);
      const path: KeyPath = [section, key, "image"];
      images.push({
        path,
        value: step.image,
        workload: { kind: section === "services" ? "service" : "step", name },
        labels: {},
      });
    }
  }
  return images;
}
