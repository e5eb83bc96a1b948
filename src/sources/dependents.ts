/**
 * The files a change reaches (`--changed-since`, the Action's changed-files mode): a file is read
 * with side files that other files decide, so judging only the changed files would let a pull
 * request loosen the gate by changing the side file alone — a bake file's args, a dev container's
 * `build.args`, a `.env`, a kustomization's `images:`, a file a GitLab pipeline includes. Each
 * changed file brings the files whose reading it changes; the rule is coarse on purpose (more
 * files judged, never fewer).
 */
import type { Candidate } from "./discover.js";
import { isGitlabCiPath } from "./gitlab-ci.js";
import { isKustomizationName } from "./kustomize.js";
import { isBuilderFile } from "./read.js";

const folderOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");
const under = (path: string, folder: string) => folder === "" || path.startsWith(`${folder}/`);
const nameOf = (path: string) => path.slice(path.lastIndexOf("/") + 1);

export function withDependents(changed: ReadonlySet<string>, candidates: readonly Candidate[]): Set<string> {
  const out = new Set(changed);
  const add = (test: (candidate: Candidate) => boolean) => {
    for (const candidate of candidates) if (test(candidate)) out.add(candidate.path);
  };
  for (const path of changed) {
    const folder = folderOf(path);
    const name = nameOf(path);
    // A bake file or dev container definition: the Dockerfiles below it, read with its args.
    // (A definition in `.devcontainer/` reaches the folder above it: `"dockerfile": "../Dockerfile"`.)
    if (isBuilderFile(path)) {
      const devcontainer = path.lastIndexOf(".devcontainer/");
      const reach = devcontainer === -1 ? folder : path.slice(0, devcontainer).replace(/\/$/, "");
      add((c) => c.kind === "dockerfile" && under(c.path, reach));
    }
    // A compose file's `.env`: the YAML beside it.
    if (name === ".env") add((c) => c.kind === "yaml" && folderOf(c.path) === folder);
    // A kustomization rewrites resources anywhere it reaches (overlays reach up to their bases).
    if (isKustomizationName(name)) add((c) => c.kind === "yaml" || c.kind === "json");
    if (/\.(?:ya?ml|json)$/i.test(name)) {
      // A resource: the kustomizations that may rewrite it; a YAML file: the pipelines that may include it.
      add((c) => isKustomizationName(nameOf(c.path)) || isGitlabCiPath(c.path));
    }
  }
  return out;
}
