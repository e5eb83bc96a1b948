import type { ImageRef } from "../image/reference.js";

export type SourceKind = "dockerfile" | "kubernetes" | "compose" | "cluster";

/** What a source found where an image belongs: a reference, or why it is not one. */
export type ImageState =
  | { kind: "image"; ref: ImageRef }
  /** `FROM ${BASE}` with BASE never given a value (SPEC §3.5 `unresolved-image`). */
  | { kind: "unresolved"; missing: string[] }
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
  /** 1-based; 0 where there is no position (cluster pods). */
  line: number;
  column: number;
  source: SourceKind;
  /** The image text after variable expansion, or as written when it could not be expanded. */
  text: string;
  image: ImageState;
  /** Dockerfiles: which stage uses it, how, and whether it ends up in the final image. */
  stage?: { index: number; name?: string; final: boolean };
  via?: "from" | "copy-from" | "mount-from";
  workload?: WorkloadContext;
  container?: { name: string; list: "containers" | "initContainers" | "ephemeralContainers" };
  /**
   * Labels that can make this image high-security (SPEC §3.3): the workload's and its pod
   * template's, or for a Dockerfile the final image's LABELs on its base image. Namespace labels
   * are joined in by the rules, since the Namespace may sit in another file.
   */
  labels: Record<string, string>;
}

/** A file the checker could not read as what it claims to be: a `parse-error` finding. */
export interface ParseProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface SourceResult {
  occurrences: Occurrence[];
  problems: ParseProblem[];
  /** Labels of Namespace manifests, by namespace name. */
  namespaces: Record<string, Record<string, string>>;
}

export function emptyResult(): SourceResult {
  return { occurrences: [], problems: [], namespaces: {} };
}
