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
  /**
   * What policies match (never displayed): `repository` and `normalized` with the registry host
   * lower-cased and a `:443` port dropped, so `K8S.GCR.IO/pause` and `k8s.gcr.io:443/pause` are
   * `k8s.gcr.io/pause` (SPEC §3).
   */
  match: { repository: string; normalized: string };
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
/** Digests Docker accepts (opencontainers/go-digest): a registered algorithm and lower-case hex of its length. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const LOWER_HEX = /^[a-f0-9]+$/;
/** A bare 64-hex string is an image ID, not a name (distribution's ParseNormalizedNamed). */
const IMAGE_ID = /^[a-f0-9]{64}$/;
const MAX_NAME_LENGTH = 255;

/** The registry is the first component only if it looks like a host: `.`, `:`, `localhost` or an upper-case letter (SPEC §3). */
function isRegistryComponent(component: string): boolean {
  return (
    component.includes(".") ||
    component.includes(":") ||
    component === "localhost" ||
    component.startsWith("[") ||
    component !== component.toLowerCase()
  );
}

/** The registry as policies match it: host lower-cased, `:443` dropped, Docker Hub aliases folded. */
function matchRegistry(registry: string): string {
  const host = registry.toLowerCase().replace(/:443$/, "");
  return DOCKER_HUB_ALIASES.has(host) ? DEFAULT_REGISTRY : host;
}

function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(":");
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (colon < 0 || length === undefined) {
    return `"${digest}" is not a digest (sha256:, sha384: or sha512: followed by hex)`;
  }
  if (!LOWER_HEX.test(hex) || hex.length !== length) {
    return `"${digest}" is not a digest: ${algorithm} takes ${length} lower-case hex digits`;
  }
  return undefined;
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
  // Only ASCII blanks around a reference are layout; anything else (a no-break space) is part of it.
  const text = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
  if (text === "") throw new InvalidReferenceError(raw, "it is empty");
  if (IMAGE_ID.test(text)) throw new InvalidReferenceError(raw, "a 64-hex string is an image ID, not a name");

  const { name: rest, tag: writtenTag, digest } = splitReference(text);
  const badDigest = digest === undefined ? undefined : digestProblem(digest);
  if (badDigest) throw new InvalidReferenceError(raw, badDigest);
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

  let suffix = "";
  if (tag !== undefined) suffix += `:${tag}`;
  if (digest !== undefined) suffix += `@${digest}`;
  const normalized = repository + suffix;
  const matchRepository = `${matchRegistry(registry)}/${path}`;
  return {
    raw,
    registry,
    path,
    repository,
    name: components[components.length - 1] as string,
    ...(tag !== undefined && { tag }),
    ...(digest !== undefined && { digest }),
    normalized,
    match: { repository: matchRepository, normalized: matchRepository + suffix },
  };
}

/** Normalises a repository name for matching (policy entries): `ubuntu` → `docker.io/library/ubuntu`. */
export function normalizeRepository(name: string): string {
  return parseImageRef(name).match.repository;
}

/**
 * A policy glob normalised like a reference (SPEC §3): the part before the first glob character
 * decides the registry. `nginx*` → `docker.io/library/nginx*`, `myorg/**` → `docker.io/myorg/**`,
 * `index.docker.io/library/*` → `docker.io/library/*`; an entry that starts with a glob, or whose
 * first component holds one, is matched as written.
 */
export function normalizeGlob(entry: string): string {
  const slash = entry.indexOf("/");
  const first = slash < 0 ? entry : entry.slice(0, slash);
  if (/^[*?]/.test(entry)) return entry;
  if (slash < 0) return `${DEFAULT_REGISTRY}/${OFFICIAL_NAMESPACE}/${entry}`;
  if (/[*?]/.test(first)) return entry;
  if (isRegistryComponent(first)) {
    const registry = matchRegistry(first);
    const rest = entry.slice(slash + 1);
    if (registry === DEFAULT_REGISTRY && !rest.includes("/") && !/^[*?]/.test(rest))
      return `${DEFAULT_REGISTRY}/${OFFICIAL_NAMESPACE}/${rest}`;
    return `${registry}/${rest}`;
  }
  return `${DEFAULT_REGISTRY}/${entry}`;
}
