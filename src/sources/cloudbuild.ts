/**
 * Cloud Build (SPEC §4): `cloudbuild.yaml` / `.yml`, `steps[].name` — the builder image each step
 * runs. `$_VAR` / `${_VAR}` take the default that `substitutions:` gives; any other variable
 * (`$PROJECT_ID`, a substitution without a default) leaves the image unresolved.
 */
import { type FileVariables, type ImageAt, isObject } from "./image-keys.js";
import type { YamlDocument } from "./yaml.js";

const CLOUDBUILD_PATH = /(?:^|\/)cloudbuild\.ya?ml$/i;

export function isCloudbuildPath(path: string): boolean {
  return CLOUDBUILD_PATH.test(path);
}

export function cloudbuildImages(doc: YamlDocument, file: string): ImageAt[] {
  const data = doc.data;
  const images: ImageAt[] = [];
  if (!isObject(data) || !Array.isArray(data.steps)) return images;
  const variables: FileVariables = { variables: new Map(), positions: new Map(), file };
  if (isObject(data.substitutions)) {
    for (const name of Object.keys(data.substitutions)) {
      const text = doc.written(["substitutions", name]);
      if (text === undefined) continue;
      const at = doc.locate(["substitutions", name]);
      (variables.variables as Map<string, string>).set(name, text);
      (variables.positions as Map<string, { line: number; column: number }>).set(name, {
        line: at.line,
        column: at.col,
      });
    }
  }
  data.steps.forEach((step, i) => {
    if (!isObject(step) || step.name === undefined || step.name === null) return;
    const name = typeof step.id === "string" ? step.id : String(i);
    images.push({
      path: ["steps", i, "name"],
      value: step.name,
      workload: { kind: "step", name },
      labels: {},
      variables,
    });
  });
  return images;
}
