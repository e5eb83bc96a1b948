/**
 * GitHub workflows (SPEC §4): `jobs.*.container` (a string or `.image`), `jobs.*.services.*.image`
 * and `steps[*].uses: docker://<image>`. `strategy.matrix` is not expanded: an image with a
 * `${{ … }}` expression cannot be judged and is reported as unresolved by the caller.
 */
import { type ImageAt, isObject, stringOrKey } from "./image-keys.js";

/** `.github/workflows/*.yml` or `.yaml`, at any depth of the scanned tree. */
const WORKFLOW_PATH = /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i;

export function isWorkflowPath(path: string): boolean {
  return WORKFLOW_PATH.test(path);
}

const DOCKER_STEP = "docker://";

export function workflowImages(data: unknown): ImageAt[] {
  const images: ImageAt[] = [];
  if (!isObject(data) || !isObject(data.jobs)) return images;
  for (const [job, definition] of Object.entries(data.jobs)) {
    if (!isObject(definition)) continue;
    const workload = { kind: "job", name: job };
    const push = (found: { path: (string | number)[]; value: unknown } | undefined) => {
      if (!found || found.value === "") return;
      images.push({ path: ["jobs", job, ...found.path], value: found.value, workload, labels: {} });
    };
    push(stringOrKey(definition.container, ["container"], "image"));
    if (isObject(definition.services)) {
      for (const [name, service] of Object.entries(definition.services))
        push(stringOrKey(service, ["services", name], "image"));
    }
    if (Array.isArray(definition.steps)) {
      definition.steps.forEach((step, i) => {
        if (isObject(step) && typeof step.uses === "string" && step.uses.startsWith(DOCKER_STEP)) {
          images.push({
            path: ["jobs", job, "steps", i, "uses"],
            value: step.uses.slice(DOCKER_STEP.length),
            workload,
            labels: {},
          });
        }
      });
    }
  }
  return images;
}
