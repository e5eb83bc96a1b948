/** CircleCI (SPEC §4): `.circleci/config.yml`, `docker[].image` under `jobs.*` and `executors.*`. */
import { type ImageAt, isObject } from "./image-keys.js";

const CIRCLECI_PATH = /(?:^|\/)\.circleci\/config\.ya?ml$/i;

export function isCircleciPath(path: string): boolean {
  return CIRCLECI_PATH.test(path);
}

export function circleciImages(data: unknown): ImageAt[] {
  const images: ImageAt[] = [];
  if (!isObject(data)) return images;
  for (const section of ["executors", "jobs"] as const) {
    const entries = data[section];
    if (!isObject(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      if (!isObject(entry) || !Array.isArray(entry.docker)) continue;
      entry.docker.forEach((container, i) => {
        if (!isObject(container) || container.image === undefined || container.image === null) return;
        images.push({
          path: [section, name, "docker", i, "image"],
          value: container.image,
          workload: { kind: section === "jobs" ? "job" : "executor", name },
          labels: {},
        });
      });
    }
  }
  return images;
}
