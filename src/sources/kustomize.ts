/**
 * Kustomize (SPEC §4): a kustomization's `images:` entries rewrite the images of the resources it
 * lists (files, and folders through their own kustomization), as `kubectl kustomize` (kustomize
 * v5.5) does. A resource image that some kustomization rewrites is judged as rewritten — once per
 * kustomization whose own entries matched — instead of as written. Images that an inline patch
 * sets (`patches:` with `patch:`, strategic merge or JSON 6902; the legacy `patchesStrategicMerge`
 * and `patchesJson6902` lists) are judged at the patch's line, and the kustomization's `images:`
 * then rewrite them as kustomize applies images after patches. A patch given by `path:` is a file
 * of the tree and is read as one. Overlay chains are followed without recursion, and only so deep.
 */
import { posix } from "node:path";
import { splitReference } from "../image/reference.js";
import { isObject } from "./image-keys.js";
import { isKubernetesObject, kubernetesImages } from "./kubernetes.js";
import { detach, imageOfValue, imageState } from "./resolve.js";
import type { Kustomization, KustomizeImage, Occurrence, ParseProblem, PatchTarget } from "./types.js";
import { type KeyPath, readYamlFile, type YamlDocument } from "./yaml.js";

export type { Kustomization, KustomizeImage } from "./types.js";

const NAMES = new Set(["kustomization.yaml", "kustomization.yml", "Kustomization"]);

/** Overlays stacked deeper than this are a parse-error at the kustomization where the bound is met. */
export const MAX_OVERLAY_DEPTH = 1000;
/** Images carried up all overlay chains together: an overlay over a huge resource is bounded too. */
const MAX_PRODUCED = 5_000_000;

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
      const keys: NonNullable<KustomizeImage["keys"]> = {};
      for (const key of ["name", "newName", "newTag", "digest"] as const) {
        const value = entry[key];
        if (value === undefined || value === null || typeof value === "object") continue;
        const at = doc.locate(["images", i, key]);
        keys[key] = {
          file,
          line: at.line,
          column: at.col,
          value: doc.written(["images", i, key]) ?? String(value),
        };
      }
      images.push({
        name: entry.name,
        ...(newName !== undefined && { newName }),
        ...(newTag !== undefined && { newTag }),
        ...(digest !== undefined && { digest }),
        line: doc.locate(["images", i]).line,
        keys,
      });
    });
  }
  return { file, resources, images };
}

/** An inline patch: where its text sits in the kustomization, and the `target` it names. */
interface InlinePatch {
  path: KeyPath;
  target: { kind?: string; name?: string };
}

function inlinePatches(data: Record<string, unknown>): InlinePatch[] {
  const patches: InlinePatch[] = [];
  for (const key of ["patches", "patchesJson6902"]) {
    const list = data[key];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      if (!isObject(entry) || typeof entry.patch !== "string") return;
      const target = isObject(entry.target) ? entry.target : {};
      patches.push({
        path: [key, i, "patch"],
        target: {
          ...(typeof target.kind === "string" && { kind: target.kind }),
          ...(typeof target.name === "string" && { name: target.name }),
        },
      });
    });
  }
  const strategic = data.patchesStrategicMerge;
  if (Array.isArray(strategic)) {
    strategic.forEach((entry, i) => {
      // An entry is a file path or, holding a line break, the patch itself.
      if (typeof entry === "string" && entry.includes("\n"))
        patches.push({ path: ["patchesStrategicMerge", i], target: {} });
    });
  }
  return patches;
}

/** `/spec/template/spec/containers/0/image` → the container list and index a JSON 6902 op sets. */
const CONTAINER_IMAGE = /\/(containers|initContainers|ephemeralContainers)\/(\d+)\/image$/;

const PATCH_OPS = new Set(["add", "replace"]);

/**
 * The images an inline patch sets, at their line and column in the kustomization: a block scalar
 * (`patch: |`) maps line for line; a patch written as a quoted or plain scalar is reported at the
 * scalar's own position.
 */
export function patchImages(
  doc: YamlDocument,
  text: string,
  file: string,
): { occurrences: Occurrence[]; problems: ParseProblem[] } {
  const occurrences: Occurrence[] = [];
  const problems: ParseProblem[] = [];
  if (!isObject(doc.data)) return { occurrences, problems };
  const fileLines = text.split("\n");
  for (const { path, target } of inlinePatches(doc.data)) {
    const patch = path.reduce<unknown>(
      (value, key) => (value as Record<string | number, unknown>)[key],
      doc.data,
    ) as string;
    const at = doc.locate(path);
    const written = fileLines[at.line - 1] ?? "";
    const block = written[at.col - 1] === "|" || written[at.col - 1] === ">";
    // A block scalar's content starts on the line after its indicator, its indentation taken off.
    const firstContent = fileLines.findIndex((line, i) => i >= at.line && line.trim() !== "");
    const indent = firstContent < 0 ? 0 : (fileLines[firstContent] as string).search(/\S/);
    const own = Math.max(
      0,
      patch
        .split("\n")
        .find((line) => line.trim() !== "")
        ?.search(/\S/) ?? 0,
    );
    const place = (line: number, col: number) =>
      block && firstContent >= 0
        ? { line: at.line + line, col: col + indent - own }
        : { line: at.line, col: at.col };
    const parsed = readYamlFile(patch, file, { allPositions: true });
    for (const problem of parsed.problems) {
      const where = place(problem.line, problem.column);
      problems.push({
        file,
        line: where.line,
        column: where.col,
        message: `inline patch: ${problem.message}`,
      });
    }
    for (const patchDoc of parsed.documents) {
      const found: {
        path: KeyPath;
        value: unknown;
        labels: Record<string, string>;
        replaces?: PatchTarget;
      }[] = [];
      if (Array.isArray(patchDoc.data)) {
        // JSON 6902: an `add` or `replace` whose path ends in /image sets an image.
        patchDoc.data.forEach((op, i) => {
          if (!isObject(op) || !PATCH_OPS.has(String(op.op)) || typeof op.path !== "string") return;
          if (!/\/image$/.test(op.path)) return;
          const slot = CONTAINER_IMAGE.exec(op.path);
          found.push({
            path: [i, "value"],
            value: op.value,
            labels: {},
            ...(slot && { replaces: { ...target, list: slot[1] as string, index: Number(slot[2]) } }),
          });
        });
      } else if (isKubernetesObject(patchDoc.data)) {
        // Strategic merge: containers merge by name into the object the patch names.
        const object = patchDoc.data;
        const metadata = isObject(object.metadata) ? object.metadata : {};
        const own = {
          kind: target.kind ?? String(object.kind),
          ...((target.name ?? (typeof metadata.name === "string" ? metadata.name : undefined)) !==
            undefined && {
            name: target.name ?? String(metadata.name),
          }),
        };
        for (const image of kubernetesImages(object, patchDoc.written).images) {
          const container = image.container;
          found.push({
            ...image,
            ...(container && { replaces: { ...own, list: container.list, container: container.name } }),
          });
        }
      }
      for (const image of found) {
        const inner = patchDoc.locate(image.path);
        const where = place(inner.line, inner.col);
        const { text: imageText, image: state } = imageOfValue(image.value);
        occurrences.push({
          file,
          line: where.line,
          column: where.col,
          source: "kubernetes",
          text: imageText,
          image: state,
          via: "patch",
          written:
            typeof image.value === "string"
              ? {
                  kind: "value",
                  at: { file, line: where.line, column: where.col, value: detach(image.value) },
                }
              : { kind: "fixed", reason: "the patch's image is not a string" },
          labels: image.labels,
          ...(image.replaces && { patchTarget: image.replaces }),
        });
      }
    }
  }
  return { occurrences, problems };
}

/** An entry matches an image by name (without tag or digest), or by the whole reference when it names one. */
function entryMatches(entry: KustomizeImage, image: string): boolean {
  const { name } = splitReference(image);
  const written = splitReference(entry.name);
  if (written.tag !== undefined || written.digest !== undefined) return image === entry.name;
  return name === entry.name;
}

/**
 * The image after an entry, as kustomize v5.5 writes it: a new tag drops the digest, a new digest
 * the tag, and an entry with both gives `name:newTag@digest`.
 */
function rewrite(entry: KustomizeImage, image: string): string {
  const { name, tag, digest } = splitReference(image);
  let suffix = digest !== undefined ? `@${digest}` : tag !== undefined ? `:${tag}` : "";
  if (entry.newTag !== undefined && entry.digest !== undefined) suffix = `:${entry.newTag}@${entry.digest}`;
  else if (entry.newTag !== undefined) suffix = `:${entry.newTag}`;
  else if (entry.digest !== undefined) suffix = `@${entry.digest}`;
  return `${entry.newName ?? name}${suffix}`;
}

/** Whether a patch replaces the image of this container. */
function patches(target: PatchTarget, origin: Occurrence): boolean {
  const { workload, container } = origin;
  if (!workload || !container || container.list !== target.list) return false;
  if (target.kind !== undefined && target.kind !== workload.kind) return false;
  if (target.name !== undefined && target.name !== workload.name) return false;
  return target.index !== undefined ? target.index === container.index : target.container === container.name;
}

interface Produced {
  origin: Occurrence;
  text: string;
}

/**
 * Replaces each resource image that a kustomization rewrites by its rewritten occurrences.
 * `byFile` holds the occurrences of every scanned file by display path. Kustomizations are
 * visited bases first, with an explicit stack: an overlay chain of any length ends in a result,
 * never in a stack overflow, and one deeper than MAX_OVERLAY_DEPTH is a parse-error.
 */
export function applyKustomizations(
  kustomizations: Kustomization[],
  byFile: ReadonlyMap<string, readonly Occurrence[]>,
): {
  rewritten: Occurrence[];
  replaced: Set<Occurrence>;
  problems: ParseProblem[];
  /** What `kustomize build` of each kustomization yields, as this model reads it: its images. */
  built: Map<string, string[]>;
} {
  const byDir = new Map(kustomizations.map((k) => [posix.dirname(k.file), k]));
  const inner = (k: Kustomization) =>
    k.resources.map((r) => byDir.get(r)).filter((i): i is Kustomization => i !== undefined);
  const rewritten: Occurrence[] = [];
  const replaced = new Set<Occurrence>();
  const problems: ParseProblem[] = [];

  // Bases before the overlays that list them; a cycle is cut where it closes.
  const order: Kustomization[] = [];
  const state = new Map<Kustomization, "open" | "done">();
  for (const root of kustomizations) {
    if (state.has(root)) continue;
    const stack: { k: Kustomization; next: number; bases: Kustomization[] }[] = [];
    state.set(root, "open");
    stack.push({ k: root, next: 0, bases: inner(root) });
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      const base = top.bases[top.next++];
      if (base === undefined) {
        stack.pop();
        state.set(top.k, "done");
        order.push(top.k);
      } else if (!state.has(base)) {
        state.set(base, "open");
        stack.push({ k: base, next: 0, bases: inner(base) });
      }
    }
  }

  const produced = new Map<Kustomization, Produced[]>();
  const depth = new Map<Kustomization, number>();
  let work = 0;
  /** Set once the images carried exceed MAX_PRODUCED (and that was reported). */
  let exhausted = false;
  for (const k of order) {
    const items: Produced[] = [];
    const level = 1 + inner(k).reduce((deepest, base) => Math.max(deepest, depth.get(base) ?? 0), 0);
    depth.set(k, level);
    const tooDeep = level > MAX_OVERLAY_DEPTH;
    if (tooDeep || work > MAX_PRODUCED) {
      // Reported once, where the bound is met; above it, images are judged as written.
      if (tooDeep ? level === MAX_OVERLAY_DEPTH + 1 : !exhausted) {
        problems.push({
          file: k.file,
          line: 0,
          column: 0,
          message: tooDeep
            ? `kustomization overlays are stacked more than ${MAX_OVERLAY_DEPTH.toLocaleString("en-US")} deep here; this one and those above it are not built, so their images are judged as written`
            : `kustomization overlays here carry more than ${MAX_PRODUCED.toLocaleString("en-US")} images up their chain; this one and those after it are not built, so their images are judged as written`,
        });
      }
      exhausted ||= !tooDeep;
      produced.set(k, []);
      continue;
    }
    const add = (list: readonly Produced[]) => {
      for (const item of list) items.push(item);
    };
    for (const resource of k.resources) {
      const base = byDir.get(resource);
      if (base) {
        add(produced.get(base) ?? []);
        continue;
      }
      for (const origin of byFile.get(resource) ?? []) {
        if (origin.source === "kubernetes" && origin.image.kind === "image")
          items.push({ origin, text: origin.text });
      }
    }
    // Images its own inline patches set replace the containers they patch, and its `images:`
    // entries rewrite them too (kustomize applies images after patches).
    const patched = (byFile.get(k.file) ?? []).filter((o) => o.via === "patch");
    const targets = patched.map((o) => o.patchTarget).filter((t): t is PatchTarget => t !== undefined);
    const kept =
      targets.length === 0 ? items : items.filter((item) => !targets.some((t) => patches(t, item.origin)));
    for (const origin of patched) {
      if (origin.image.kind === "image") kept.push({ origin, text: origin.text });
    }
    const out: Produced[] = [];
    for (const item of kept) {
      let text = item.text;
      let matched: KustomizeImage | undefined;
      let entries = 0;
      for (const entry of k.images) {
        if (!entryMatches(entry, text)) continue;
        text = rewrite(entry, text);
        matched ??= entry;
        entries++;
      }
      if (matched) {
        replaced.add(item.origin);
        // `fix` changes the one entry that decided the image; a chain of entries or overlays is left to a person.
        const written: Occurrence["written"] =
          entries === 1 && item.text === item.origin.text
            ? { kind: "kustomize", file: k.file, entry: matched }
            : { kind: "fixed", reason: "more than one kustomization entry rewrites this image" };
        rewritten.push({
          ...item.origin,
          text,
          image: imageState(text),
          rewrittenBy: { file: k.file, line: matched.line, written: item.origin.text },
          written,
        });
      }
      out.push({ origin: item.origin, text });
    }
    work += out.length;
    produced.set(k, out);
  }
  const built = new Map([...produced].map(([k, items]) => [k.file, items.map((item) => item.text)]));
  return { rewritten, replaced, problems, built };
}
