/**
 * Kustomize (SPEC §4): a kustomization's `images:` entries rewrite the images of the resources it
 * lists (files, and folders through their own kustomization). A resource image that some
 * kustomization rewrites is judged as rewritten — once per kustomization whose own entries matched
 * — instead of as written. Patches are not applied: `kustomize build … | check --manifests -` is
 * exact.
 */
import { posix } from "node:path";
import { splitReference } from "../image/reference.js";
import { isObject } from "./image-keys.js";
import { imageState } from "./resolve.js";
import type { Occurrence } from "./types.js";
import type { YamlDocument } from "./yaml.js";

export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  /** 1-based line of the entry in the kustomization. */
  line: number;
}

export interface Kustomization {
  /** Display path of the kustomization file. */
  file: string;
  /** Display paths of the files and folders it lists (remote resources left out). */
  resources: string[];
  images: KustomizeImage[];
}

const NAMES = new Set(["kustomization.yaml", "kustomization.yml", "Kustomization"]);

export function isKustomizationName(name: string): boolean {
  return NAMES.has(name);
}

/** Reads the parts of a kustomization that decide images. */
export function readKustomization(doc: YamlDocument, file: string): Kustomization | undefined {
  const data = doc.data;
  if (!isObject(data)) return undefined;
  const dir = posix.dirname(file);
  const resources: string[] = [];
  for (const key of ["resources", "bases"]) {
    const list = data[key];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (
        typeof entry !== "string" ||
        /^[a-z][a-z0-9+.-]*:\/\/|^(?:github\.com|gitlab\.com|bitbucket\.org)\//i.test(entry)
      )
        continue;
      resources.push(posix.normalize(posix.join(dir, entry)).replace(/\/$/, ""));
    }
  }
  const images: KustomizeImage[] = [];
  if (Array.isArray(data.images)) {
    data.images.forEach((entry, i) => {
      if (!isObject(entry) || typeof entry.name !== "string" || entry.name === "") return;
      const text = (key: string) => {
        const value = entry[key];
        if (value === undefined || value === null || value === "") return undefined;
        return doc.written(["images", i, key]) ?? String(value);
      };
      const newName = text("newName");
      const newTag = text("newTag");
      const digest = text("digest");
      images.push({
        name: entry.name,
        ...(newName !== undefined && { newName }),
        ...(newTag !== undefined && { newTag }),
        ...(digest !== undefined && { digest }),
        line: doc.locate(["images", i]).line,
      });
    });
  }
  return { file, resources, images };
}

/** An entry matches an image by name (without tag or digest), or by the whole reference when it names one. */
function entryMatches(entry: KustomizeImage, image: string): boolean {
  const { name } = splitReference(image);
  const written = splitReference(entry.name);
  if (written.tag !== undefined || written.digest !== undefined) return image === entry.name;
  return name === entry.name;
}

function rewrite(entry: KustomizeImage, image: string): string {
  const { name, tag, digest } = splitReference(image);
  let suffix = digest !== undefined ? `@${digest}` : tag !== undefined ? `:${tag}` : "";
  if (entry.newTag !== undefined) suffix = `:${entry.newTag}`;
  if (entry.digest !== undefined) suffix = `@${entry.digest}`;
  return `${entry.newName ?? name}${suffix}`;
}

interface Produced {
  origin: Occurrence;
  text: string;
}

/**
 * Replaces each resource image that a kustomization rewrites by its rewritten occurrences.
 * `byFile` holds the occurrences of every scanned file by display path.
 */
export function applyKustomizations(
  kustomizations: Kustomization[],
  byFile: ReadonlyMap<string, readonly Occurrence[]>,
): { rewritten: Occurrence[]; replaced: Set<Occurrence> } {
  const byDir = new Map(kustomizations.map((k) => [posix.dirname(k.file), k]));
  const memo = new Map<Kustomization, Produced[]>();
  const rewritten: Occurrence[] = [];
  const replaced = new Set<Occurrence>();

  const produce = (k: Kustomization, seen: Set<Kustomization>): Produced[] => {
    const done = memo.get(k);
    if (done) return done;
    if (seen.has(k)) return [];
    seen.add(k);
    const items: Produced[] = [];
    for (const resource of k.resources) {
      const inner = byDir.get(resource);
      if (inner) {
        items.push(...produce(inner, seen));
        continue;
      }
      for (const origin of byFile.get(resource) ?? []) {
        if (origin.source === "kubernetes" && origin.image.kind === "image")
          items.push({ origin, text: origin.text });
      }
    }
    const out = items.map((item) => {
      let text = item.text;
      let matched: KustomizeImage | undefined;
      for (const entry of k.images) {
        if (!entryMatches(entry, text)) continue;
        text = rewrite(entry, text);
        matched ??= entry;
      }
      if (matched) {
        replaced.add(item.origin);
        rewritten.push({
          ...item.origin,
          text,
          image: imageState(text),
          rewrittenBy: { file: k.file, line: matched.line, written: item.origin.text },
        });
      }
      return { origin: item.origin, text };
    });
    memo.set(k, out);
    return out;
  };
  for (const k of kustomizations) produce(k, new Set());
  return { rewritten, replaced };
}
