/**
 * How each builder builds, exposes a local image to Trivy, and pushes: `docker buildx build`,
 * plain `docker build` where buildx is missing, or `buildah bud` (SPEC §7). Chosen by `builder`,
 * auto-detected by default.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import type { BaseImage } from "./library.js";
import { MissingToolError, manifestDigest, skopeoArgs, type ToolResult, type ToolRunner } from "./tools.js";

export type BuilderChoice = "auto" | "docker" | "buildah";

export interface Builder {
  readonly name: "docker buildx" | "docker" | "buildah";
  readonly tool: "docker" | "buildah";
  /** The tool `exists` runs. */
  readonly inspector: "docker" | "skopeo";
  build(image: BaseImage, refs: string[], labels: Record<string, string>): Promise<ToolResult>;
  /** Arguments that point `trivy image` at the local image (exporting it first where Trivy cannot read it). */
  scanTarget(ref: string, workDir: string): Promise<{ args: string[] } | { failed: ToolResult }>;
  /** Pushes one reference and returns the digest the registry reports for it. */
  push(ref: string, workDir: string): Promise<{ digest: string } | { failed: ToolResult }>;
  /**
   * Pushes one multi-platform index over `manifests` (`repository@digest`, already pushed) under
   * every ref, and returns the index's digest.
   */
  index(
    refs: string[],
    manifests: string[],
    workDir: string,
  ): Promise<{ digest: string } | { failed: ToolResult }>;
  /** Whether the registry already has `ref`; a failure that says neither is not "no". */
  exists(ref: string): Promise<boolean | { failed: ToolResult }>;
}

/** Registries and tools say "not there" in these words; anything else is not an answer. */
/**
 * A registry on the loopback interface is reached without TLS verification, as Docker treats
 * 127.0.0.0/8 as an insecure registry by default: buildah 1.28 (Debian's, Ubuntu's) pushes manifest
 * lists without the registries.conf `insecure` setting its plain push honours, so a local registry
 * refused them. Any other registry keeps TLS verification.
 */
function loopbackTls(ref: string): string[] {
  const host = ref.split("/")[0] ?? "";
  return /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/.test(host) ? ["--tls-verify=false"] : [];
}

const ABSENT = /no such manifest|manifest unknown|not found|name unknown|404/i;

function existence(result: ToolResult, dryRun: boolean): boolean | { failed: ToolResult } {
  if (dryRun) return false;
  if (result.exitCode === 0) return true;
  return ABSENT.test(`${result.stderr}\n${result.stdout}`) ? false : { failed: result };
}

/** Stands for the digest in a dry run, where nothing is pushed. */
export const DRY_RUN_DIGEST = "sha256:<digest-reported-by-push>";
const DIGEST = /sha256:[0-9a-f]{64}/;

function buildFlags(image: BaseImage, refs: string[], labels: Record<string, string>): string[] {
  return [
    "--file",
    image.dockerfile,
    ...refs.flatMap((ref) => ["--tag", ref]),
    ...Object.entries(labels).flatMap(([key, value]) => ["--label", `${key}=${value}`]),
    ...(image.platforms.length > 0 ? ["--platform", image.platforms.join(",")] : []),
  ];
}

function safeName(ref: string): string {
  return ref.replace(/[^\w.-]+/g, "_");
}

function dockerBuilder(tools: ToolRunner, buildx: boolean): Builder {
  return {
    name: buildx ? "docker buildx" : "docker",
    tool: "docker",
    inspector: "docker",
    build: (image, refs, labels) =>
      tools.run(
        "docker",
        buildx
          ? ["buildx", "build", ...buildFlags(image, refs, labels), "--pull", "--load", image.context]
          : ["build", ...buildFlags(image, refs, labels), "--pull", image.context],
      ),
    // Trivy reads the image from the local Docker engine: nothing leaves the machine before the scan.
    scanTarget: async (ref) => ({ args: ["--image-src", "docker", ref] }),
    async push(ref) {
      const result = await tools.run("docker", ["push", ref]);
      if (result.exitCode !== 0) return { failed: result };
      if (tools.dryRun) return { digest: DRY_RUN_DIGEST };
      const digest = DIGEST.exec(result.stdout)?.[0];
      return digest
        ? { digest }
        : { failed: { ...result, stderr: `docker push reported no digest for ${ref}` } };
    },
    async index(refs, manifests) {
      const refuse = (stderr: string) => ({ failed: { exitCode: 1, stdout: "", stderr } });
      if (!buildx) return refuse("a multi-platform index needs docker buildx (docker/setup-buildx-action)");
      const create = await tools.run("docker", [
        "buildx",
        "imagetools",
        "create",
        ...refs.flatMap((ref) => ["--tag", ref]),
        ...manifests,
      ]);
      if (create.exitCode !== 0) return { failed: create };
      // The digest of the index is the SHA-256 of its bytes as the registry serves them.
      const raw = await tools.run("docker", ["buildx", "imagetools", "inspect", "--raw", refs[0] as string]);
      if (raw.exitCode !== 0) return { failed: raw };
      if (tools.dryRun) return { digest: DRY_RUN_DIGEST };
      return { digest: manifestDigest(raw.stdout) };
    },
    exists: async (ref) => existence(await tools.run("docker", ["manifest", "inspect", ref]), tools.dryRun),
  };
}

function buildahBuilder(tools: ToolRunner): Builder {
  return {
    name: "buildah",
    tool: "buildah",
    inspector: "skopeo",
    build: (image, refs, labels) =>
      tools.run("buildah", ["bud", ...buildFlags(image, refs, labels), "--pull-always", image.context]),
    // Trivy cannot read buildah's storage: export the image to an OCI archive and scan that.
    async scanTarget(ref, workDir) {
      const archive = join(workDir, `${safeName(ref)}.oci.tar`);
      const result = await tools.run("buildah", ["push", ref, `oci-archive:${archive}`]);
      return result.exitCode === 0 ? { args: ["--input", archive] } : { failed: result };
    },
    async push(ref, workDir) {
      const digestFile = join(workDir, `${safeName(ref)}.digest`);
      const result = await tools.run("buildah", ["push", "--digestfile", digestFile, ref, `docker://${ref}`]);
      if (result.exitCode !== 0) return { failed: result };
      if (tools.dryRun) return { digest: DRY_RUN_DIGEST };
      const digest = DIGEST.exec(readFileSync(digestFile, "utf8"))?.[0];
      return digest
        ? { digest }
        : { failed: { ...result, stderr: `buildah push wrote no digest for ${ref}` } };
    },
    async index(refs, manifests, workDir) {
      const list = `localhost/base-image-guard-index/${safeName(refs[0] as string).toLowerCase()}`;
      const create = await tools.run("buildah", ["manifest", "create", list]);
      if (create.exitCode !== 0) return { failed: create };
      try {
        for (const manifest of manifests) {
          const added = await tools.run("buildah", [
            "manifest",
            "add",
            ...loopbackTls(manifest),
            list,
            `docker://${manifest}`,
          ]);
          if (added.exitCode !== 0) return { failed: added };
        }
        let digest: string | undefined;
        for (const ref of refs) {
          const digestFile = join(workDir, `${safeName(ref)}.index.digest`);
          const pushed = await tools.run("buildah", [
            "manifest",
            "push",
            "--all",
            ...loopbackTls(ref),
            "--digestfile",
            digestFile,
            list,
            `docker://${ref}`,
          ]);
          if (pushed.exitCode !== 0) return { failed: pushed };
          if (tools.dryRun) digest ??= DRY_RUN_DIGEST;
          else digest ??= DIGEST.exec(readFileSync(digestFile, "utf8"))?.[0];
        }
        return digest
          ? { digest }
          : {
              failed: {
                exitCode: 1,
                stdout: "",
                stderr: `buildah manifest push wrote no digest for ${refs[0]}`,
              },
            };
      } finally {
        await tools.run("buildah", ["manifest", "rm", list]);
      }
    },
    // buildah inspects only local images; skopeo asks the registry.
    exists: async (ref) =>
      existence(await tools.run("skopeo", skopeoArgs(["inspect", "--raw", `docker://${ref}`])), tools.dryRun),
  };
}

export async function chooseBuilder(choice: BuilderChoice, tools: ToolRunner): Promise<Builder> {
  if (choice === "buildah") {
    if (!(await tools.has("buildah"))) throw new MissingToolError("buildah");
    return buildahBuilder(tools);
  }
  if (await tools.has("docker")) {
    // A dry run assumes buildx rather than printing the probe as if it were part of the rebuild.
    const buildx = tools.dryRun || (await tools.run("docker", ["buildx", "version"])).exitCode === 0;
    return dockerBuilder(tools, buildx);
  }
  if (choice === "docker") throw new MissingToolError("docker");
  if (await tools.has("buildah")) return buildahBuilder(tools);
  throw new UsageError(
    "no image builder found: install Docker (with docker/setup-buildx-action in a workflow) or buildah",
  );
}
