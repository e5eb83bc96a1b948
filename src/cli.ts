#!/usr/bin/env node
/**
 * The CLI (SPEC §5): argument parsing → engine → report → exit code. Exit 0 clean or audit,
 * 1 violations in enforce mode, 2 usage, policy or I/O errors.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command, CommanderError, Option } from "commander";
import packageJson from "../package.json" with { type: "json" };
import { exitCodeOf, runCheck } from "./check.js";
import { GuardError, InputError, UsageError } from "./errors.js";
import { DEFAULT_POLICY_PATH, defaultPolicyText, loadPolicy } from "./policy/load.js";
import type { Mode } from "./policy/types.js";
import { FORMATS, type Format, render, sarifCategory } from "./report/index.js";

const { version } = packageJson;

interface CheckFlags {
  policy?: string;
  format: Format;
  output?: string;
  mode?: Mode;
  buildArg: Record<string, string>;
  fromJson?: string;
  changedSince?: string;
}

function collectBuildArg(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf("=");
  if (at <= 0) throw new UsageError(`--build-arg takes KEY=VALUE, got "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

function useColor(stream: NodeJS.WriteStream): boolean {
  if ("NO_COLOR" in process.env) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

function readPodList(from: string, cwd: string): { text: string; origin: string } {
  try {
    return from === "-"
      ? { text: readFileSync(0, "utf8"), origin: "stdin" }
      : { text: readFileSync(resolve(cwd, from), "utf8"), origin: from };
  } catch (error) {
    throw new InputError(`cannot read pod list ${from}: ${(error as Error).message}`);
  }
}

/** Files changed since REF (committed, staged, unstaged and untracked), relative to cwd. */
function changedFiles(ref: string, cwd: string): Set<string> {
  const git = (args: string[]) => {
    try {
      return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      throw new InputError(`--changed-since ${ref}: git ${args[0]} failed${stderr ? `: ${stderr}` : ""}`);
    }
  };
  const changed = git(["diff", "--name-only", "--relative", "--diff-filter=ACMR", ref, "--"]);
  const untracked = git(["ls-files", "--others", "--exclude-standard"]);
  return new Set(`${changed}\n${untracked}`.split("\n").filter(Boolean));
}

function check(paths: string[], flags: CheckFlags): number {
  const cwd = process.cwd();
  const loaded = loadPolicy(flags.policy, cwd);
  const result = runCheck({
    paths,
    cwd,
    loaded,
    ...(flags.mode && { mode: flags.mode }),
    buildArgs: flags.buildArg,
    ...(flags.fromJson && { podList: readPodList(flags.fromJson, cwd) }),
    ...(flags.changedSince && { onlyFiles: changedFiles(flags.changedSince, cwd) }),
  });
  const toFile = flags.output !== undefined;
  const report = render(flags.format, result, {
    color: !toFile && useColor(process.stdout),
    version,
    category: sarifCategory(paths),
  });
  if (flags.format !== "text") {
    for (const warning of result.policyWarnings) process.stderr.write(`policy warning: ${warning}\n`);
    for (const skip of result.skipped) process.stderr.write(`skipped ${skip.file}: ${skip.reason}\n`);
  }
  if (flags.output !== undefined) {
    try {
      mkdirSync(dirname(resolve(cwd, flags.output)), { recursive: true });
      writeFileSync(resolve(cwd, flags.output), report);
    } catch (error) {
      throw new InputError(`cannot write ${flags.output}: ${(error as Error).message}`);
    }
  } else {
    process.stdout.write(report);
  }
  return exitCodeOf(result);
}

function validatePolicy(file: string | undefined): number {
  const loaded = loadPolicy(file);
  process.stdout.write(`policy ${loaded.source} is valid\n`);
  for (const warning of loaded.warnings) process.stdout.write(`warning: ${warning}\n`);
  return 0;
}

function init(options: { path: string; force?: boolean }): number {
  const target = resolve(options.path);
  if (existsSync(target) && !options.force) {
    throw new UsageError(`${options.path} already exists; use --force to overwrite it`);
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, defaultPolicyText);
  process.stdout.write(
    `wrote ${options.path}: the built-in default policy, commented; edit approved and deprecated first\n`,
  );
  return 0;
}

function program(setExitCode: (code: number) => void): Command {
  const cli = new Command("base-image-guard")
    .description("Keep every container on an approved, patched base image.")
    .version(version, "-V, --version")
    .showHelpAfterError()
    .exitOverride();

  cli
    .command("check")
    .description("find every image the given paths use and judge it against the base-image policy")
    .argument("[paths...]", "files and folders to scan (default: the current folder)")
    .option("--policy <file>", `policy file (default: ${DEFAULT_POLICY_PATH}, else the built-in default)`)
    .addOption(new Option("--format <format>", "report format").choices(FORMATS).default("text"))
    .option("--output <file>", "write the report to a file instead of stdout")
    .addOption(new Option("--mode <mode>", "override the policy's mode").choices(["enforce", "audit"]))
    .option(
      "--build-arg <key=value>",
      "value for a Dockerfile ARG, like docker build (repeatable)",
      collectBuildArg,
      {},
    )
    .option(
      "--from-json <file>",
      'judge a cluster: the output of "kubectl get pods -A -o json", or - for stdin',
    )
    .option("--changed-since <ref>", "check only files changed since a git ref (each changed file whole)")
    .addHelpText(
      "after",
      "\nExit codes: 0 no violation (or audit mode), 1 violations in enforce mode, 2 usage, policy or I/O error.",
    )
    .action((paths: string[], flags: CheckFlags) => setExitCode(check(paths, flags)));

  const policy = cli.command("policy").description("work with policy files");
  policy
    .command("validate")
    .description("validate a policy file and print lint warnings")
    .argument("[file]", `policy file (default: ${DEFAULT_POLICY_PATH})`)
    .action((file: string | undefined) => setExitCode(validatePolicy(file)));

  cli
    .command("init")
    .description("write a commented starter policy file")
    .option("--path <file>", "where to write it", DEFAULT_POLICY_PATH)
    .option("--force", "overwrite an existing file")
    .action((options: { path: string; force?: boolean }) => setExitCode(init(options)));

  for (const command of [cli, ...cli.commands, ...policy.commands]) command.exitOverride();
  return cli;
}

export function main(argv: string[]): number {
  let exitCode = 0;
  try {
    program((code) => {
      exitCode = code;
    }).parse(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every usage mistake exits 2 (SPEC §5). Commander printed the message.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof GuardError) {
      process.stderr.write(`base-image-guard: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `base-image-guard: internal error: ${(error as Error).message}\n` +
        "This is a bug; please report it with the command you ran.\n",
    );
    if (process.env.BASE_IMAGE_GUARD_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
