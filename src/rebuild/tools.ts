/**
 * The one runner of external tools (docker, buildah, skopeo, trivy, cosign), on `@actions/exec`. Everything
 * the rebuild runs goes through a ToolRunner, so a dry run prints the exact command lines a real
 * run executes, and tests replace the tools, never the command lines.
 */
import { createHash } from "node:crypto";
import { getExecOutput } from "@actions/exec";
import { which } from "@actions/io";
import { GuardError } from "../errors.js";

export type Tool = "docker" | "buildah" | "skopeo" | "trivy" | "cosign";

/** How to get each tool, for the error a missing one produces. */
export const INSTALL_HINTS: Record<Tool, string> = {
  docker:
    "use a runner with Docker (ubuntu-latest has it) and docker/setup-buildx-action, or install docker.io",
  buildah: "install it with apt-get install buildah (Debian/Ubuntu)",
  skopeo:
    "it tells buildah builds whether a date tag exists already; install it with apt-get install skopeo (GitHub's Ubuntu runners have it)",
  trivy: "add aquasecurity/setup-trivy to the workflow, or install trivy from Aqua Security's packages",
  cosign: "add sigstore/cosign-installer to the workflow, or install cosign from Sigstore's releases",
};

export class MissingToolError extends GuardError {
  constructor(readonly tool: Tool) {
    super(`${tool} is not installed or not on PATH: ${INSTALL_HINTS[tool]}`);
  }
}

export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ToolRunner {
  /** Runs the tool and returns its result whatever the exit code; the caller decides what failed. */
  run(tool: Tool, args: string[], options?: { env?: Record<string, string> }): Promise<ToolResult>;
  /** Whether the tool can be run at all. */
  has(tool: Tool): Promise<boolean>;
  /** A dry run answers every command with success and placeholder output. */
  readonly dryRun: boolean;
}

/**
 * Runs the real tools. Each command line is echoed by @actions/exec before it runs, unless `quiet`
 * (a command whose stdout is its output, such as `fix`'s diff, keeps the tools' chatter off it).
 */
export function execRunner(settings: { quiet?: boolean } = {}): ToolRunner {
  return {
    dryRun: false,
    async has(tool) {
      return (await which(tool, false)) !== "";
    },
    async run(tool, args, options = {}) {
      if ((await which(tool, false)) === "") throw new MissingToolError(tool);
      const env = options.env ? { ...(process.env as Record<string, string>), ...options.env } : undefined;
      const result = await getExecOutput(tool, args, {
        ignoreReturnCode: true,
        ...(env && { env }),
        ...(settings.quiet && { silent: true }),
      });
      return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    },
  };
}

/** Prints each command line, in order, and runs none (`--dry-run`). */
export function dryRunner(print: (line: string) => void): ToolRunner {
  return {
    dryRun: true,
    async has() {
      return true;
    },
    async run(tool, args) {
      print(commandLine(tool, args));
      return { exitCode: 0, stdout: "", stderr: "" };
    },
  };
}

/**
 * skopeo's arguments, handed the registries.conf buildah reads: skopeo ignores
 * CONTAINERS_REGISTRIES_CONF, so without this it would talk to registries differently (insecure
 * ones, mirrors) than the build that pushes to them.
 */
export function skopeoArgs(args: string[], env = process.env): string[] {
  const conf = env.CONTAINERS_REGISTRIES_CONF;
  return [...(conf ? [`--registries-conf=${conf}`] : []), ...args];
}

/** The digest a registry gives a manifest: the SHA-256 of its bytes, as `--raw` prints them. */
export function manifestDigest(raw: string): string {
  return `sha256:${createHash("sha256").update(raw, "utf8").digest("hex")}`;
}

/** A command line as a shell would take it: arguments with spaces or quotes are quoted. */
export function commandLine(tool: string, args: string[]): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`);
  return [tool, ...args].map(quote).join(" ");
}
