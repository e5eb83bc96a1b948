/**
 * Dev containers (SPEC §4): `.devcontainer/devcontainer.json`, `.devcontainer.json`,
 * `.devcontainer/<name>/devcontainer.json` — JSON with comments and trailing commas, read with
 * positions (jsonc.ts). `image` is judged here; the Dockerfile that `build.dockerfile` names is
 * judged where it is, read with `build.args` as its `--build-arg`s (`Layout.buildArgSets`). `features` are OCI artifacts that add tools, not images.
 */
import { dirname, resolve } from "node:path";
import { type ImageAt, isObject } from "./image-keys.js";

const DEVCONTAINER_PATH = /(?:^|\/)(?:\.devcontainer\/(?:[^/]+\/)?devcontainer\.json|\.devcontainer\.json)$/;

export function isDevcontainerPath(path: string): boolean {
  return DEVCONTAINER_PATH.test(path);
}

export function devcontainerImages(data: unknown): ImageAt[] {
  if (!isObject(data) || data.image === undefined || data.image === null) return [];
  const name = typeof data.name === "string" ? data.name : "devcontainer";
  return [{ path: ["image"], value: data.image, workload: { kind: "dev container", name }, labels: {} }];
}

/**
 * The Dockerfile a dev container definition builds, and its `build.args`: `build.dockerfile`
 * relative to the definition's folder (the older top-level `dockerFile` too). Undefined when it
 * builds none.
 */
export function devcontainerBuild(
  data: unknown,
  definition: string,
): { dockerfile: string; args: Record<string, string> } | undefined {
  if (!isObject(data)) return undefined;
  const build = isObject(data.build) ? data.build : {};
  const dockerfile = typeof build.dockerfile === "string" ? build.dockerfile : data.dockerFile;
  if (typeof dockerfile !== "string" || dockerfile === "") return undefined;
  const args: Record<string, string> = {};
  if (isObject(build.args)) {
    for (const [key, value] of Object.entries(build.args))
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
        args[key] = String(value);
  }
  return { dockerfile: resolve(dirname(definition), dockerfile), args };
}

/** Where a dev container definition that builds a Dockerfile in `dir` may be. */
export function definitionsNear(dir: string): string[] {
  const parent = dirname(dir);
  return [
    resolve(dir, "devcontainer.json"),
    resolve(dir, ".devcontainer.json"),
    resolve(dir, ".devcontainer", "devcontainer.json"),
    resolve(parent, "devcontainer.json"),
    resolve(parent, ".devcontainer.json"),
  ];
}
