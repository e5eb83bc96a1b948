/**
 * Image references, parsed and normalised the way Docker and containerd do it (SPEC §3):
 * `ubuntu` → `docker.io/library/ubuntu:latest`, `index.docker.io/…` → `docker.io/…`.
 * Grammar follows github.com/distribution/reference.
 */

export interface ImageRef {
  /** As written in the file. */
  raw: string;
  /** Registry host, with port when given: `docker.io`, `localhost:5000`. */
  registry: string;
  /** Path below the registry: `library/ubuntu`. */
  path: string;
  /** Normalised repository, the unit the allowlist matches: `docker.io/library/ubuntu`. */
  repository: string;
  /** Last path segment, the unit deprecated names and distributions match: `ubuntu`. */
  name: string;
  tag?: string;
  digest?: string;
  /** `repository[:tag][@digest]`, with `:latest` added when neither tag nor digest is given. */
  normalized: string;
}

/** Thrown (and turned into a `parse-error` finding by callers) for a string that is not a reference. */
export class InvalidReferenceError extends Error {
  constructor(
    readonly reference: string,
    readonly reason: string,
  ) {
    super(`"${reference}" is not a valid image reference: ${reason}`);
    this.name = "InvalidReferenceError";
  }
}

const DEFAULT_REGISTRY = "docker.io";
const DOCKER_HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);
const OFFICIAL_NAMESPACE = "library";

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$/;
const IPV6_DOMAIN = /^\[[a-fA-F0-9:]+\](?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const MAX_NAME_LENGTH = 255;

/** The registry is the first component only if it looks like a host (SPEC §3). */
function isRegistryComponent(component: string): boolean {
  return (
    component.includes(".") ||
    component.includes(":") ||
    component === "localhost" ||
    component.startsWith("[")
  );
}

/**
 * Splits `name[:tag][@digest]` without judging the parts: the tag starts at the first `:` after
 * the last `/` (a `:` before it is a registry port).
 */
export function splitReference(text: string): { name: string; tag?: string; digest?: string } {
  let name = text;
  let digest: string | undefined;
  const at = name.indexOf("@");
  if (at >= 0) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
  }
  const colon = name.indexOf(":", name.lastIndexOf("/") + 1);
  const tag = colon >= 0 ? name.slice(colon + 1) : undefined;
  if (colon >= 0) name = name.slice(0, colon);
  return { name, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

export function parseImageRef(raw: string): ImageRef {
  const text = raw.trim();
  if (text === "") throw new InvalidReferenceError(raw, "it is empty");

  const { name: rest, tag: writtenTag, digest } = splitReference(text);
  if (digest !== undefined && !DIGEST.test(digest)) {
    throw new InvalidReferenceError(raw, `"${digest}" is not a digest (algorithm:hex)`);
  }
  let tag = writtenTag;
  if (tag !== undefined && !TAG.test(tag)) {
    throw new InvalidReferenceError(
      raw,
      tag.includes(":") ? "it has more than one tag" : `"${tag}" is not a valid tag`,
    );
  }

  const components = rest.split("/");
  let registry = DEFAULT_REGISTRY;
  const first = components[0] ?? "";
  if (components.length > 1 && isRegistryComponent(first)) {
    if (!DOMAIN.test(first) && !IPV6_DOMAIN.test(first)) {
      throw new InvalidReferenceError(raw, `"${first}" is not a valid registry host`);
    }
    registry = components.shift() as string;
    if (DOCKER_HUB_ALIASES.has(registry)) registry = DEFAULT_REGISTRY;
  }
  for (const component of components) {
    if (!PATH_COMPONENT.test(component)) {
      const why = /[A-Z]/.test(component)
        ? "repository names must be lowercase"
        : `"${component}" is not a valid repository name component`;
      throw new InvalidReferenceError(raw, why);
    }
  }
  if (registry === DEFAULT_REGISTRY && components.length === 1) components.unshift(OFFICIAL_NAMESPACE);

  const path = components.join("/");
  const repository = `${registry}/${path}`;
  if (repository.length > MAX_NAME_LENGTH) throw new InvalidReferenceError(raw, "the name is too long");
  if (tag === undefined && digest === undefined) tag = "latest";

  let normalized = repository;
  if (tag !== undefined) normalized += `:${tag}`;
  if (digest !== undefined) normalized += `@${digest}`;
  return {
    raw,
    registry,
    path,
    repository,
    name: components[components.length - 1] as string,
    ...(tag !== undefined && { tag }),
    ...(digest !== undefined && { digest }),
    normalized,
  };
}

/** Normalises a repository name without tag or digest (policy entries): `ubuntu` → `docker.io/library/ubuntu`. */
export function normalizeRepository(name: string): string {
  return parseImageRef(name).repository;
}
