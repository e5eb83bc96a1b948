import type { ImageRef } from "../image/reference.js";
import type { Suppression } from "../rules/waivers.js";

/** What kind of file an occurrence was found in (SPEC §4, one row each); the JSON report names it. */
export type SourceKind =
  | "dockerfile"
  | "kubernetes"
  | "helm"
  /** An image of what `helm template` renders, at its template (SPEC §4 "Helm, rendered"). */
  | "helm-template"
  | "compose"
  | "workflow"
  | "cluster"
  | "gitlab-ci"
  | "circleci"
  | "azure-pipelines"
  | "bitbucket-pipelines"
  | "drone"
  | "woodpecker"
  | "jenkins"
  | "devcontainer"
  | "bake"
  | "ko"
  | "crossplane"
  | "cloudbuild";

/** What a source found where an image belongs: a reference, or why it is not one. */
export type ImageState =
  | { kind: "image"; ref: ImageRef }
  /**
   * `FROM ${BASE}` with BASE never given a value, a `${{ … }}` expression, or another tool's
   * placeholder (SPEC §3.5 `unresolved-image`).
   */
  | {
      kind: "unresolved";
      missing: string[];
      placeholder?: string;
      /** The whole message, when the source knows better why (a job whose template is elsewhere). */
      reason?: string;
    }
  /** Not a valid reference (`CENTOS:7`): a `parse-error` finding. */
  | { kind: "invalid"; reason: string };

export interface WorkloadContext {
  kind: string;
  name: string;
  namespace?: string;
}

/** One place where a file (or the cluster) uses an image (DESIGN: Occurrence). */
export interface Occurrence {
  file: string;
  /** 1-based; 0 where there is no position (cluster pods, rendered manifests with `# Source:`). */
  line: number;
  column: number;
  source: SourceKind;
  /** The image text after variable expansion, or as written when it could not be expanded. */
  text: string;
  image: ImageState;
  /** Dockerfiles: which stage uses it, how, and whether it ends up in the final image. */
  stage?: { index: number; name?: string; final: boolean };
  /** Dockerfiles: how the image is used; `patch` for an image a kustomization's inline patch sets. */
  via?: "from" | "copy-from" | "mount-from" | "patch";
  workload?: WorkloadContext;
  container?: { name: string; list: "containers" | "initContainers" | "ephemeralContainers"; index?: number };
  /** An image a kustomization's patch sets: the container it replaces in the objects built. */
  patchTarget?: PatchTarget;
  /**
   * Labels that can make this image high-security (SPEC §3.3): the workload's and its pod
   * template's, or for a Dockerfile the final image's LABELs on its base image. Namespace labels
   * are joined in by the rules, since the Namespace may sit in another file.
   */
  labels: Record<string, string>;
  /** The valid suppression comment directly above, attached by the source that read the file. */
  suppression?: Suppression;
  /** Set when a kustomization rewrote the image written at this line (SPEC §4 Kustomize). */
  rewrittenBy?: { file: string; line: number; written: string };
  /** Where the text that decides the image is written: what `fix` rewrites (SPEC §9). */
  written?: ImageWritten;
}

/**
 * A value as a file writes it: the position of its first character as written (an opening quote
 * included) and the string it stands for. The sources that find an image say where it is written
 * with these; `fix` checks the bytes there before it changes them (one reading, no second parser).
 */
export interface ValueAt {
  /** Display path of the file that holds it (a side file such as `.env` or an ARG's line may differ from the occurrence's). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units of the line. */
  column: number;
  /** What the text there stands for: quotes removed, as the parser read it. */
  value: string;
}

/** Where an image's text is written, and how it makes the image (SPEC §9 "where the text changes"). */
export type ImageWritten =
  /** The whole reference is one value, or `part` of it (a `${VAR:-default}` default). */
  | { kind: "value"; at: ValueAt; part?: { start: number; end: number } }
  /** A Helm-style map: each key that is written; `global` when `global.imageRegistry` decides the registry. */
  | { kind: "map"; keys: Partial<Record<MapKey, ValueAt>>; repository: ValueAt; global?: string }
  /** An image a kustomization rewrites: fixed in the entry that decided it, not in the resource. */
  | { kind: "kustomize"; file: string; entry: KustomizeImage }
  /** Nothing `fix` can rewrite, and why. */
  | { kind: "fixed"; reason: string };

export type MapKey = "registry" | "repository" | "tag" | "digest";

/** A file the checker could not read as what it claims to be: a `parse-error` finding. */
export interface ParseProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  suppression?: Suppression;
}

/** The container whose image a kustomization patch replaces: by kind and name, then list and index or name. */
export interface PatchTarget {
  kind?: string;
  name?: string;
  list: string;
  index?: number;
  container?: string;
}

export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  /** 1-based line of the entry in the kustomization. */
  line: number;
  /** Where each key of the entry is written, for `fix` (SPEC §9: fixed in the entry, not the resource). */
  keys?: Partial<Record<"name" | "newName" | "newTag" | "digest", ValueAt>>;
}

/** The parts of a kustomization that decide images (SPEC §4 Kustomize). */
export interface Kustomization {
  /** Display path of the kustomization file. */
  file: string;
  /** Display paths of the files and folders it lists (remote resources left out). */
  resources: string[];
  images: KustomizeImage[];
}

export interface SourceResult {
  occurrences: Occurrence[];
  problems: ParseProblem[];
  /** Labels of Namespace manifests, by namespace name. */
  namespaces: Record<string, Record<string, string>>;
  /** A kustomization's image rewrites, applied across files by the engine. */
  kustomization?: Kustomization;
}

export function emptyResult(): SourceResult {
  return { occurrences: [], problems: [], namespaces: {} };
}
