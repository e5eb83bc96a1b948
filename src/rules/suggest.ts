/**
 * "use registry.example.com/base/ubuntu:24.04": an approved repository with the image's
 * distribution name, at the newest release the policy allows (SPEC §3, issue 3 scope 5).
 */

import { hasGlob } from "../glob.js";
import type { ImageRef } from "../image/reference.js";
import type { CompiledPolicy } from "../policy/compile.js";

export function suggestion(image: ImageRef, policy: CompiledPolicy): string | undefined {
  const approved = policy.approved?.filter((a) => !hasGlob(a.entry)) ?? [];
  const sameName =
    approved.find((a) => a.matches(image)) ?? approved.find((a) => lastSegment(a.entry) === image.name);
  if (!sameName) return undefined;
  const release = policy.versions.find((v) => v.matches(image))?.newest;
  return release === undefined ? sameName.entry : `${sameName.entry}:${release}`;
}

export function withSuggestion(message: string, image: ImageRef, policy: CompiledPolicy): string {
  const use = suggestion(image, policy);
  return use === undefined || use === image.raw ? message : `${message}; use ${use}`;
}

function lastSegment(repository: string): string {
  return repository.slice(repository.lastIndexOf("/") + 1);
}
