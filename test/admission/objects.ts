/** Every Kubernetes object of the fixtures and examples, with the Namespaces beside them. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { loadAll } from "js-yaml";
import { POD_KINDS } from "../../src/admission/cel.js";

export interface KubernetesObject {
  file: string;
  index: number;
  object: Record<string, unknown> & { kind: string; metadata?: { name?: string; namespace?: string } };
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

/** Pod-bearing objects (the kinds the exports match) and every Namespace, from parseable YAML files. */
export function kubernetesObjects(
  roots: string[],
  cwd: string,
): { workloads: KubernetesObject[]; namespaces: KubernetesObject[] } {
  const workloads: KubernetesObject[] = [];
  const namespaces: KubernetesObject[] = [];
  for (const root of roots) {
    for (const path of yamlFiles(join(cwd, root))) {
      let documents: unknown[];
      try {
        documents = loadAll(readFileSync(path, "utf8"));
      } catch {
        continue; // templates: check skips them too
      }
      documents.forEach((document, index) => {
        if (document === null || typeof document !== "object" || Array.isArray(document)) return;
        const object = document as KubernetesObject["object"];
        const entry = { file: relative(cwd, path), index, object };
        if (object.kind === "Namespace") namespaces.push(entry);
        else if (typeof object.apiVersion === "string" && Object.hasOwn(POD_KINDS, object.kind))
          workloads.push(entry);
      });
    }
  }
  return { workloads, namespaces };
}
