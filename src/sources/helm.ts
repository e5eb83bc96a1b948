/**
 * Helm chart values files (SPEC §4): every `image:` string and every `image:` map with a
 * `repository` in `values.yaml`, `values-*.yaml` and `values.*.yaml` beside a `Chart.yaml`. A map
 * without a tag takes the chart's `appVersion` as written; a non-empty `global.imageRegistry`
 * overrides each map's registry. Templates are skipped (SPEC §3.5); rendered output is exact
 * through `helm template … | base-image-guard check --manifests -`.
 */
import { type ImageAt, imageOfMap, isObject, type MapDefaults, type Written } from "./image-keys.js";
import { trimBlanks } from "./resolve.js";
import type { KeyPath } from "./yaml.js";

/** Values files directly beside Chart.yaml. */
const VALUES_FILE = /^values(?:[-.][^/]*)?\.ya?ml$/i;

export function isValuesFileName(name: string): boolean {
  return VALUES_FILE.test(name);
}

export function helmValuesImages(data: unknown, written: Written, appVersion: string | undefined): ImageAt[] {
  const images: ImageAt[] = [];
  if (!isObject(data)) return images;
  const global = isObject(data.global) ? data.global : {};
  const registry =
    typeof global.imageRegistry === "string" && trimBlanks(global.imageRegistry) !== ""
      ? trimBlanks(global.imageRegistry)
      : undefined;
  const defaults: MapDefaults = {
    ...(registry !== undefined && { registry }),
    ...(appVersion !== undefined && { tag: appVersion }),
  };
  const walk = (value: unknown, path: KeyPath) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, [...path, i]);
      });
      return;
    }
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      if (key !== "image") {
        walk(child, childPath);
        continue;
      }
      const workload = { kind: "values", name: path.join(".") || "(top level)" };
      if (typeof child === "string" && trimBlanks(child) !== "") {
        images.push({ path: childPath, value: child, workload, labels: {} });
      } else {
        const map = imageOfMap(child, childPath, written, defaults);
        if (map) images.push({ ...map, workload, labels: {} });
      }
    }
  };
  walk(data, []);
  return images;
}
