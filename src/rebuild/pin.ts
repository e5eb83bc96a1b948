/**
 * `rebuild --pin` (issue 13): each base image's upstream pinned by digest. The upstream tag's
 * current manifest is read from its registry (skopeo, raw: the digest is the SHA-256 of those
 * exact bytes, as registries compute it), and the Dockerfile's FROM is rewritten to
 * `name:tag@sha256:…` — the tag stays written beside the digest, which is what builds. Reports old
 * → new digests; a weekly run commits the change as a pull request, so an upstream change is a
 * reviewed diff, never a silent one.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { splitReference } from "../image/reference.js";
import type { BaseImage } from "./library.js";
import { manifestDigest, skopeoArgs, type ToolRunner } from "./tools.js";

export interface PinOutcome {
  name: string;
  dockerfile: string;
  /** `name:tag` as written, without a digest. */
  upstream: string;
  old?: string;
  new?: string;
  status: "pinned" | "unchanged" | "failed";
  error?: string;
}

/** The digest of the manifest `ref` names now, from its registry (also `fix --resolve`). */
export async function currentDigest(
  ref: string,
  tools: ToolRunner,
): Promise<{ digest: string } | { error: string }> {
  const result = await tools.run("skopeo", skopeoArgs(["inspect", "--raw", `docker://${ref}`]));
  if (result.exitCode !== 0) {
    const said = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-5).join("\n");
    return { error: `skopeo exited with ${result.exitCode}: ${said}` };
  }
  if (tools.dryRun) return { digest: "sha256:<digest-of-the-upstream-manifest>" };
  return { digest: manifestDigest(result.stdout) };
}

export async function pinUpstreams(
  images: BaseImage[],
  cwd: string,
  tools: ToolRunner,
): Promise<PinOutcome[]> {
  const outcomes: PinOutcome[] = [];
  for (const image of images) {
    const written = image.from.written;
    const { name, tag, digest: old } = splitReference(written);
    const upstream = tag === undefined ? name : `${name}:${tag}`;
    const base = { name: image.name, dockerfile: image.dockerfile, upstream, ...(old && { old }) };
    if (written.includes("$")) {
      outcomes.push({
        ...base,
        status: "failed",
        error: `${written} is written with a variable; write the upstream out to pin it`,
      });
      continue;
    }
    if (tag === undefined) {
      outcomes.push({
        ...base,
        status: "failed",
        error: `${written} has no tag to follow; write the tag beside the digest`,
      });
      continue;
    }
    const current = await currentDigest(upstream, tools);
    if ("error" in current) {
      outcomes.push({ ...base, status: "failed", error: current.error });
      continue;
    }
    if (current.digest === old) {
      outcomes.push({ ...base, new: current.digest, status: "unchanged" });
      continue;
    }
    if (!tools.dryRun) {
      const path = join(cwd, image.dockerfile);
      const lines = readFileSync(path, "utf8").split("\n");
      const at = image.from.line - 1;
      const line = lines[at] ?? "";
      const column = image.from.column - 1;
      if (line.slice(column, column + written.length) !== written) {
        outcomes.push({
          ...base,
          status: "failed",
          error: `${image.dockerfile}:${image.from.line} no longer says ${written}`,
        });
        continue;
      }
      lines[at] =
        `${line.slice(0, column)}${upstream}@${current.digest}${line.slice(column + written.length)}`;
      writeFileSync(path, lines.join("\n"));
    }
    outcomes.push({ ...base, new: current.digest, status: "pinned" });
  }
  return outcomes;
}

export function renderPins(outcomes: PinOutcome[]): string {
  const lines = outcomes.map((o) => {
    if (o.status === "failed") return `✖ ${o.name}: ${o.upstream}: ${o.error}`;
    if (o.status === "unchanged") return `= ${o.name}: ${o.upstream} still ${o.new}`;
    return `↑ ${o.name}: ${o.upstream} ${o.old ?? "(unpinned)"} → ${o.new} (${o.dockerfile})`;
  });
  return `${lines.join("\n")}\n`;
}
