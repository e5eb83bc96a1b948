/** ko (SPEC §4): `.ko.yaml`, `defaultBaseImage` and `baseImageOverrides.*` — the bases ko builds on. */
import { type ImageAt, isObject } from "./image-keys.js";

const KO_PATH = /(?:^|\/)\.ko\.ya?ml$/i;

export function isKoPath(path: string): boolean {
  return KO_PATH.test(path);
}

export function koImages(data: unknown): ImageAt[] {
  const images: ImageAt[] = [];
  if (!isObject(data)) return images;
  if (data.defaultBaseImage !== undefined && data.defaultBaseImage !== null)
    images.push({
      path: ["defaultBaseImage"],
      value: data.defaultBaseImage,
      workload: { kind: "ko", name: "defaultBaseImage" },
      labels: {},
    });
  if (isObject(data.baseImageOverrides)) {
    for (const [importPath, image] of Object.entries(data.baseImageOverrides)) {
      if (image === undefined || image === null) continue;
      images.push({
        path: ["baseImageOverrides", importPath],
        value: image,
        workload: { kind: "ko", name: importPath },
        labels: {},
      });
    }
  }
  return images;
}
