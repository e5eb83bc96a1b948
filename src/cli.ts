/**
 * The CLI (SPEC §5): argument parsing → engine → report → exit code. Exit 0 clean or audit,
 * 1 violations in enforce mode, 2 usage, policy or I/O errors. Importing it does nothing:
 * src/cli-entry.ts (dist/cli.js) calls main().
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Command, CommanderError, Option } from "commander";
import packageJson from "../package.json" with { type: "json" };
import { EXPORT_FILES, exportPolicy, TARGETS, targetsOf } from "./admission/export.js";
import { importPolicy } from "./admission/import.js";
import { applyBaseline, readBaseline } from "./baseline.js";
import { type CheckResult, exitCodeOf, runCheck } from "./check.js";
import { collectBuildArg, dayOf, jobsOf, readInput, writeChunks } from "./command-inputs.js";
import { digestsOf, readDigests } from "./digests.js";
import { GuardError, InputError, UsageError } from "./errors.js";
import { FIX_FORMATS, type FixFlags, fix } from "./fix/command.js";
import { GitError, git, nulSeparated } from "./git.js";
import { inventoryMerge, inventoryPlan, inventoryScan } from "./inventory/command.js";
import { updateProduct } from "./policy/eol/update.js";
import { DEFAULT_POLICY_PATH, loadPolicy, starterPolicyText } from "./policy/load.js";
import type { Mode } from "./policy/types.js";
import { policyText } from "./policy/write.js";
import { Progress, withProgress } from "./progress.js";
import type { BuilderChoice } from "./rebuild/builders.js";
import { libraryOf, provenance, runRebuild } from "./rebuild/index.js";
import { pinUpstreams, renderPins } from "./rebuild/pin.js";
import { matrixOf } from "./rebuild/plan.js";
import { imagesOutput, renderRebuildText } from "./rebuild/report.js";
import { dryRunner, execRunner, MissingToolError } from "./rebuild/tools.js";
import { FORMATS, type Format, renderReport } from "./report/index.js";
import { jsonChunks, jsonLines } from "./report/json.js";
import { terminal } from "./report/neutralise.js";
import { skipLine, skipNotices } from "./report/skips.js";
import { displayPath } from "./sources/discover.js";
import type { RenderMode } from "./sources/helm-render.js";
import { defaultJobs } from "./sources/parallel.js";
import { pathStats } from "./sources/path-stats.js";

const { version } = packageJson;

interface CheckFlags {
  policy?: string;
  format: Format;
  output?: string;
  mode?: Mode;
  buildArg: Record<string, string>;
  fromJson?: string;
  manifests?: string;
  render: RenderMode;
  changedSince?: string;
  sarifCategory?: string;
  baseline?: string;
  digests?: string;
  today?: string;
  jobs: number;
  ignoreUnknown?: boolean;
}

function useColor(stream: NodeJS.WriteStream): boolean {
  if ("NO_COLOR" in process.env) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

/**
 * `--ignore-unknown` (pre-commit, lint-staged): the named files, as the paths a scan of the working
 * directory gives them. The scan decides what each file is, as it does for the whole repository, so
 * a README or a script is not read as a Dockerfile and a chart's templates stay a chart's.
 */
function listedFiles(paths: string[], cwd: string): Set<string> {
  const listed = new Set<string>();
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const stats = statSync(absolute, { throwIfNoEntry: false });
    if (!stats) throw new InputError(`path ${path} does not exist`);
    if (!stats.isFile()) throw new UsageError(`--ignore-unknown takes files, and ${path} is not one`);
    const display = displayPath(cwd, absolute);
    if (display.startsWith("../"))
      throw new UsageError(`--ignore-unknown takes files inside the working directory, and ${path} is not`);
    listed.add(display);
  }
  return listed;
}

/** Files changed since REF (committed, staged, unstaged and untracked), relative to cwd; only `among` them when given. */
function changedFiles(ref: string, cwd: string, among?: ReadonlySet<string>): Set<string> {
  // A ref is never an option: `--changed-since=--output=F` must not reach git as one.
  if (ref.startsWith("-")) throw new UsageError(`--changed-since takes a git ref, got "${ref}"`);
  try {
    // -z: names as they are, not C-quoted (a name may hold a newline or a quote).
    const changed = git(cwd, ["diff", "--name-only", "-z", "--relative", "--diff-filter=ACMR", ref, "--"]);
    const untracked = git(cwd, ["ls-files", "-z", "--others", "--exclude-standard"]);
    const all = [...nulSeparated(changed), ...nulSeparated(untracked)];
    return new Set(among ? all.filter((file) => among.has(file)) : all);
  } catch (error) {
    if (error instanceof GitError) throw new InputError(`--changed-since ${ref}: ${error.message}`);
    throw error;
  }
}

function check(paths: string[], flags: CheckFlags): number {
  const cwd = process.cwd();
  if (flags.fromJson === "-" && flags.manifests === "-") {
    throw new UsageError("--from-json - and --manifests - cannot both read stdin; give one of them a file");
  }
  const listed = flags.ignoreUnknown ? listedFiles(paths, cwd) : undefined;
  const loaded = loadPolicy(flags.policy, cwd);
  // Read before the scan: a baseline that cannot be used stops the run before any work.
  const baseline =
    flags.baseline === undefined
      ? undefined
      : readBaseline(readInput(flags.baseline, cwd, "baseline", "stdin").text, flags.baseline);
  const progress = new Progress({ label: "checking", unit: "files" });
  const checked = withProgress(progress, () =>
    runCheck({
      paths,
      cwd,
      loaded,
      ...(flags.mode && { mode: flags.mode }),
      buildArgs: flags.buildArg,
      ...(flags.fromJson && { podList: readInput(flags.fromJson, cwd, "pod list", "stdin") }),
      ...(flags.manifests && { manifests: readInput(flags.manifests, cwd, "manifests", "<stdin>") }),
      render: flags.render,
      ...(listed && { paths: ["."], onlyFiles: listed }),
      ...(flags.changedSince && { onlyFiles: changedFiles(flags.changedSince, cwd, listed) }),
      ...(flags.digests && {
        digests: readDigests(readInput(flags.digests, cwd, "digests", "stdin").text, flags.digests),
      }),
      ...(flags.today && { today: new Date(`${dayOf(flags.today, "--today")}T12:00:00Z`) }),
      jobs: flags.jobs,
      onProgress: (done, total) => progress.update(done, total),
    }),
  );
  const result =
    baseline === undefined ? checked : applyBaseline(checked, baseline, flags.baseline as string);
  const toFile = flags.output !== undefined;
  if (flags.format !== "text") {
    for (const warning of result.policyWarnings)
      process.stderr.write(`policy warning: ${terminal(warning)}\n`);
    for (const notice of skipNotices(result.skipped))
      process.stderr.write(`skipped ${terminal(skipLine(notice))}\n`);
  }
  // JSON and JSON Lines are written as they are produced; the other formats are small enough to build.
  const chunks =
    flags.format === "json"
      ? jsonChunks(result)
      : flags.format === "jsonl"
        ? jsonLines(result)
        : [renderBuilt(flags, result, !toFile && useColor(process.stdout))];
  writeChunks(chunks, flags.output === undefined ? undefined : resolve(cwd, flags.output), flags.output);
  // Which parser each file took, for npm run bench (issue 24).
  const stats = process.env.BASE_IMAGE_GUARD_PATH_STATS;
  if (stats) writeFileSync(stats, `${JSON.stringify(pathStats)}\n`);
  return exitCodeOf(result);
}

/** A format built whole (text, SARIF, github); what it cuts is said on stderr. */
function renderBuilt(flags: CheckFlags, result: CheckResult, color: boolean): string {
  const { text, cut } = renderReport(flags.format, result, {
    color,
    version,
    ...(flags.sarifCategory !== undefined && { category: flags.sarifCategory }),
  });
  if (cut) process.stderr.write(`warning: ${cut}\n`);
  return text;
}

interface RebuildFlags {
  baseDir: string;
  registry?: string;
  image: string[];
  push?: boolean;
  scan?: boolean;
  severity: string;
  ignoreUnfixed?: boolean;
  sign?: boolean;
  key?: string;
  attest?: boolean;
  builder: BuilderChoice;
  plan?: boolean;
  dryRun?: boolean;
  output?: string;
  digests?: string;
  pin?: boolean;
  maxAge?: string;
  gate: "severity" | "no-new";
}

/** `--max-age 7`: a whole number of days. */
function days(text: string): number {
  if (!/^\d{1,4}$/.test(text)) throw new UsageError(`--max-age takes a number of days, got "${text}"`);
  return Number(text);
}

async function rebuild(flags: RebuildFlags): Promise<number> {
  const cwd = process.cwd();
  const settings = {
    cwd,
    baseDir: flags.baseDir,
    images: flags.image,
    registry: flags.registry ?? "",
    push: flags.push === true,
    scan: flags.scan === true,
    severity: flags.severity,
    ignoreUnfixed: flags.ignoreUnfixed === true,
    sign: flags.sign === true,
    attest: flags.attest === true,
    ...(flags.key && { key: flags.key }),
    builder: flags.builder,
    ...(flags.maxAge !== undefined && { maxAgeDays: days(flags.maxAge) }),
    gate: flags.gate,
  };
  if (flags.plan) {
    process.stdout.write(`${JSON.stringify(matrixOf(libraryOf(settings)))}\n`);
    return 0;
  }
  if (flags.pin) {
    const print = (line: string) => process.stdout.write(`${terminal(line)}\n`);
    const tools = flags.dryRun ? dryRunner(print) : execRunner();
    if (!(await tools.has("skopeo"))) throw new MissingToolError("skopeo");
    const pins = await pinUpstreams(libraryOf(settings), cwd, tools);
    process.stdout.write(renderPins(pins).split("\n").map(terminal).join("\n"));
    return pins.some((p) => p.status === "failed") ? 1 : 0;
  }
  if (settings.push && !settings.scan) {
    process.stderr.write("warning: --push without --scan pushes images nobody scanned\n");
  }
  if ((settings.sign || settings.attest) && !settings.push) {
    process.stderr.write("warning: --sign and --attest need --push: only pushed digests are signed\n");
  }
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const tools = flags.dryRun ? dryRunner(print) : execRunner();
  // A dry run prints its commands at once: nothing to wait for.
  const progress = new Progress({
    label: "rebuild",
    unit: "images",
    timer: true,
    off: flags.dryRun === true,
  });
  let current = { index: 0, count: 0 };
  const outcomes = await runRebuild(
    settings,
    tools,
    (image, index, count) => {
      current = { index, count };
      progress.update(index, count, image.name);
      print(`${flags.dryRun ? "#" : "=="} ${image.name}: ${image.dockerfile}, from ${image.upstream.raw}`);
    },
    (image, step) => progress.update(current.index, current.count, `${image}: ${step}`),
  ).finally(() => progress.stop());
  if (!flags.dryRun) process.stdout.write(`\n${renderRebuildText(outcomes)}`);
  if (flags.output !== undefined)
    writeChunks([`${imagesOutput(outcomes)}\n`], resolve(cwd, flags.output), flags.output);
  if (flags.digests !== undefined) {
    const digests = digestsOf(outcomes, provenance(cwd).date);
    writeChunks([`${JSON.stringify(digests, null, 2)}\n`], resolve(cwd, flags.digests), flags.digests);
  }
  return outcomes.some((o) => o.status === "failed") ? 1 : 0;
}

function validatePolicy(file: string | undefined): number {
  const loaded = loadPolicy(file);
  process.stdout.write(`policy ${loaded.source} is valid\n`);
  for (const warning of loaded.warnings) process.stdout.write(`warning: ${terminal(warning)}\n`);
  return 0;
}

interface ExportFlags {
  to: string;
  policy?: string;
  output?: string;
  outputDir?: string;
  today?: string;
}

/** YYYY-MM-DD, a real day; today (UTC) when not given. */
function exportAdmission(flags: ExportFlags): number {
  const targets = targetsOf(flags.to, "--to");
  if (flags.output !== undefined && flags.outputDir !== undefined) {
    throw new UsageError("--output and --output-dir cannot be used together");
  }
  if (flags.output !== undefined && targets.length > 1) {
    throw new UsageError("--output writes one target; use --output-dir for several");
  }
  const loaded = loadPolicy(flags.policy);
  for (const warning of loaded.warnings) process.stderr.write(`warning: ${terminal(warning)}\n`);
  const today = dayOf(flags.today, "--today");
  targets.forEach((target, i) => {
    const text = exportPolicy(loaded.policy, {
      target,
      source: loaded.source,
      version,
      today,
      ...(loaded.calendar && { calendar: loaded.calendar }),
    });
    const file = flags.outputDir !== undefined ? join(flags.outputDir, EXPORT_FILES[target]) : flags.output;
    // Several targets on stdout are one YAML stream.
    writeChunks([file === undefined && i > 0 ? `---\n${text}` : text], file, file);
    if (file !== undefined) process.stderr.write(`wrote ${terminal(file)} (${target})\n`);
  });
  return 0;
}

function importAdmission(file: string, flags: { output?: string }): number {
  let text: string;
  try {
    text = file === "-" ? readFileSync(0, "utf8") : readFileSync(resolve(file), "utf8");
  } catch (error) {
    throw new InputError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const shown = file === "-" ? "standard input" : file;
  const { policy, warnings } = importPolicy(text, shown);
  for (const warning of warnings) process.stderr.write(`warning: ${terminal(warning)}\n`);
  if (!policy) {
    throw new UsageError(
      `${shown} holds nothing importable: no Kyverno rule in it tests container images (see SPEC §8 for the forms read)`,
    );
  }
  const header = [
    `Imported by base-image-guard ${version} from ${terminal(shown)}.`,
    ...(warnings.length > 0
      ? [`Review: the import printed ${warnings.length} warning(s) about what it assumed.`]
      : []),
  ];
  writeChunks([policyText(policy, header)], flags.output, flags.output);
  return 0;
}

interface BaselineFlags {
  policy?: string;
  output: string;
  buildArg: Record<string, string>;
}

/** `baseline`: every current finding into a JSON report that `check --baseline` reads. Exit 0. */
function writeBaseline(paths: string[], flags: BaselineFlags): number {
  const cwd = process.cwd();
  const result = runCheck({
    paths,
    cwd,
    loaded: loadPolicy(flags.policy, cwd),
    mode: "audit",
    buildArgs: flags.buildArg,
  });
  writeChunks(jsonChunks(result), resolve(cwd, flags.output), flags.output);
  process.stdout.write(
    `wrote ${terminal(flags.output)}: ${result.findings.length} known ${result.findings.length === 1 ? "finding" : "findings"}; ` +
      `run check --baseline ${terminal(flags.output)} and only new ones fail\n`,
  );
  return 0;
}

/** Where this project keeps the bundled calendar; `eol update` writes there by default. */
const BUNDLED_CALENDAR_DIR = "src/policy/eol";

interface EolUpdateFlags {
  from: string;
  product: string;
  dir?: string;
  today?: string;
}

function eolUpdate(flags: EolUpdateFlags): number {
  const text = readInput(flags.from, process.cwd(), "end-of-life data", "stdin").text;
  const today = dayOf(flags.today, "--today");
  const dir = flags.dir ?? BUNDLED_CALENDAR_DIR;
  if (flags.dir === undefined && !existsSync(resolve(dir))) {
    throw new UsageError(
      `give --dir DIR: the folder your policy names with eol.calendar (${BUNDLED_CALENDAR_DIR} is only in base-image-guard's own repository)`,
    );
  }
  const result = updateProduct(resolve(dir), flags.product, text, flags.from, today);
  const list = (items: string[]) => (items.length === 0 ? "none" : items.join(", "));
  process.stdout.write(
    `${terminal(
      `${flags.product}: added ${list(result.added)}; changed ${list(result.changed)}; removed ${list(result.removed)} (${dir}/${flags.product}.json, taken ${today})`,
    )}\n`,
  );
  return 0;
}

function init(options: { path: string; force?: boolean }): number {
  const target = resolve(options.path);
  if (existsSync(target) && !options.force) {
    throw new UsageError(`${options.path} already exists; use --force to overwrite it`);
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, starterPolicyText);
  process.stdout.write(
    `wrote ${options.path}: the built-in default policy with the end-of-life calendar on, commented; edit approved and deprecated first\n`,
  );
  return 0;
}

/** `--jobs N` of check and fix. */
function jobsOption(): Option {
  return new Option(
    "--jobs <n>",
    "threads that read and parse files (the cores available, at most 4; one on 2 cores or fewer); the report is the same for any number",
  )
    .argParser(jobsOf)
    .default(defaultJobs());
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
    .option(
      "--ignore-unknown",
      "the paths are files (as pre-commit passes them): judge those a scan of the current folder reads, ignore the rest",
    )
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
    .option(
      "--manifests <file>",
      "judge rendered manifests: helm template or kustomize build output, or - for stdin (# Source: comments name the files)",
    )
    .addOption(
      new Option(
        "--render <when>",
        "Helm charts: auto renders each with helm template when helm is on PATH and judges what it renders; never reads only their values",
      )
        .choices(["auto", "never"])
        .default("auto"),
    )
    .option("--changed-since <ref>", "check only files changed since a git ref (each changed file whole)")
    .option("--digests <file>", "a rebuild's digests.json: pinning findings name the exact digest to pin to")
    .option("--today <date>", "judge end-of-life dates and exception expiry as of this day (YYYY-MM-DD)")
    .addOption(jobsOption())
    .option(
      "--baseline <file>",
      "a JSON report of known findings (base-image-guard baseline): only findings not in it fail",
    )
    .option(
      "--sarif-category <id>",
      "SARIF automationDetails.id, one per upload in a workflow (default: none, so upload-sarif's category applies)",
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 no violation (or audit mode), 1 violations in enforce mode, 2 usage, policy or I/O error.",
    )
    .action((paths: string[], flags: CheckFlags) => setExitCode(check(paths, flags)));

  cli
    .command("fix")
    .description("rewrite images the policy rejects to the approved, digest-pinned replacement (SPEC §9)")
    .argument("[paths...]", "files and folders to fix (default: the current folder)")
    .option("--policy <file>", `policy file (default: ${DEFAULT_POLICY_PATH}, else the built-in default)`)
    .option(
      "--digests <file>",
      "a rebuild's digests.json: the releases the library publishes and their digests",
    )
    .option("--resolve", "ask the registry (skopeo inspect --raw) for digests --digests does not know")
    .option("--rules <list>", "repair only findings of these rules (comma-separated)")
    .option("--write", "rewrite the files in place (atomic; a file changed since it was read is refused)")
    .addOption(new Option("--format <format>", "output").choices(FIX_FORMATS).default("diff"))
    .option(
      "--build-arg <key=value>",
      "value for a Dockerfile ARG, like docker build (repeatable)",
      collectBuildArg,
      {},
    )
    .option("--today <date>", "judge end-of-life dates as of this day (YYYY-MM-DD)")
    .addOption(jobsOption())
    .addHelpText(
      "after",
      "\nPrints a diff git apply takes. Exit codes: 0 nothing to fix (or --write done), 1 the diff changes something, 2 usage, policy or I/O error.",
    )
    .action(async (paths: string[], flags: FixFlags) => setExitCode(await fix(paths, flags)));

  const inventory = cli
    .command("inventory")
    .description("every repository of an organisation in one report (SPEC §10)");
  inventory
    .command("plan")
    .description(
      "list the organisation's repositories (GITHUB_API_URL, GITHUB_TOKEN) as a matrix of scan jobs",
    )
    .requiredOption("--org <org>", "the organisation")
    .option("--topic <topic>", "only repositories with this topic")
    .option("--include-archived", "scan archived repositories too")
    .option("--max-jobs <n>", "jobs in the matrix, at most 256 (GitHub's limit)")
    .action(async (flags: Parameters<typeof inventoryPlan>[0]) => setExitCode(await inventoryPlan(flags)));
  inventory
    .command("scan")
    .description("judge each checkout in audit mode under one policy; one JSON line per repository")
    .argument("<dirs...>", "the repositories' checkouts")
    .option(
      "--policy <policy>",
      "a policy file or owner/repo/path@ref (default: the built-in default, never a repository's own)",
    )
    .requiredOption("--out <file>", "the JSON lines file to write")
    .action(async (dirs: string[], flags: { policy?: string; out: string }) =>
      setExitCode(await inventoryScan(dirs, flags)),
    );
  inventory
    .command("merge")
    .description("merge scan files into inventory.json, .csv, .md and .html")
    .argument("<files...>", "JSON lines files of inventory scan")
    .requiredOption("--out <dir>", "the folder to write the reports to")
    .option("--previous <file>", "an earlier inventory.json: say what changed since")
    .action(async (files: string[], flags: { out: string; previous?: string }) =>
      setExitCode(await inventoryMerge(files, flags)),
    );

  cli
    .command("rebuild")
    .description("build, scan, push and sign the base-image library (base/*.Dockerfile)")
    .option("--base-dir <dir>", "folder of <name>.Dockerfile files and an optional images.yml", "base")
    .option("--registry <registry>", "registry and namespace to push to, such as ghcr.io/acme/base")
    .option(
      "--image <name>",
      "rebuild only this image (repeatable)",
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option("--push", "push images that pass the scan")
    .option("--scan", "scan each local image with Trivy before it is pushed")
    .option("--severity <list>", "Trivy severities that fail the scan", "CRITICAL,HIGH")
    .option(
      "--ignore-unfixed",
      "let vulnerabilities with no fixed version pass the scan (a .trivyignore or .vex.json beside each Dockerfile is always read)",
    )
    .option("--sign", "sign pushed images with cosign, by digest")
    .option("--key <key>", "cosign key (path, env://VAR or KMS URI); keyless without it")
    .option("--attest", "attach the scan result as a cosign vuln attestation")
    .addOption(
      new Option("--builder <builder>", "image builder")
        .choices(["auto", "docker", "buildah"])
        .default("auto"),
    )
    .option("--plan", "print the GitHub Actions matrix (one entry per image) and exit")
    .addOption(
      new Option(
        "--gate <gate>",
        "severity: any vulnerability at --severity fails; no-new: only one the published image does not have",
      )
        .choices(["severity", "no-new"])
        .default("severity"),
    )
    .option(
      "--max-age <days>",
      "rebuild an image only when its pinned upstream moved or the published image is older than this",
    )
    .option(
      "--pin",
      "pin each Dockerfile's upstream to the digest its tag names now (FROM name:tag@sha256:…), print old → new, and build nothing",
    )
    .option("--dry-run", "print every command that would run, in order, and run none")
    .option("--output <file>", "write the images JSON (name, tags, digest, vulnerabilities, signed, status)")
    .option(
      "--digests <file>",
      "write digests.json (image, tag, digest, date of every pushed tag) for check --digests",
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 every image rebuilt, 1 an image failed, 2 usage error or missing tool.",
    )
    .action(async (flags: RebuildFlags) => setExitCode(await rebuild(flags)));

  cli
    .command("baseline")
    .description("write the current findings as a baseline: with check --baseline only new findings fail")
    .argument("[paths...]", "files and folders to scan (default: the current folder)")
    .option("--policy <file>", `policy file (default: ${DEFAULT_POLICY_PATH}, else the built-in default)`)
    .option("--output <file>", "where to write it", "base-image-guard-baseline.json")
    .option(
      "--build-arg <key=value>",
      "value for a Dockerfile ARG, like docker build (repeatable)",
      collectBuildArg,
      {},
    )
    .action((paths: string[], flags: BaselineFlags) => setExitCode(writeBaseline(paths, flags)));

  const eol = cli.command("eol").description("the end-of-life calendar (src/policy/eol/)");
  eol
    .command("update")
    .description("refresh one product's end-of-life data from a file in the endoflife.date API format")
    .requiredOption("--from <file>", "https://endoflife.date/api/<product>.json, saved (or - for stdin)")
    .requiredOption("--product <name>", "the product's data file, such as alpine or node")
    .option(
      "--dir <dir>",
      "the calendar folder to write: one a policy names with eol.calendar (created when missing), or src/policy/eol in this project",
    )
    .option("--today <date>", "the day the data was taken (YYYY-MM-DD; default today)")
    .action((flags: EolUpdateFlags) => setExitCode(eolUpdate(flags)));

  const policy = cli.command("policy").description("work with policy files");
  policy
    .command("validate")
    .description("validate a policy file and print lint warnings")
    .argument("[file]", `policy file (default: ${DEFAULT_POLICY_PATH})`)
    .action((file: string | undefined) => setExitCode(validatePolicy(file)));
  policy
    .command("export")
    .description("write the policy as admission policies that reject in the cluster what check rejects")
    .option(
      "--to <targets>",
      `kyverno (ValidatingPolicy), vap (ValidatingAdmissionPolicy), kyverno-clusterpolicy, or several: ${TARGETS.join(",")}`,
      "kyverno",
    )
    .option("--policy <file>", `policy file (default: ${DEFAULT_POLICY_PATH}, else the built-in default)`)
    .option("--output <file>", "write to a file instead of stdout")
    .option("--output-dir <dir>", `write each target to <dir>/${EXPORT_FILES.kyverno} and its like`)
    .option("--today <date>", "the day exceptions are judged live on (YYYY-MM-DD; default today)")
    .action((flags: ExportFlags) => setExitCode(exportAdmission(flags)));
  policy
    .command("import")
    .description(
      "read a Kyverno policy (ClusterPolicy, ValidatingPolicy, ValidatingAdmissionPolicy) into a policy file",
    )
    .argument("<file>", "the Kyverno policy YAML, or - for stdin")
    .option("--output <file>", "write the policy file here instead of stdout")
    .addHelpText(
      "after",
      "\nWarnings on stderr name every assumption. Exit 0 imported, 2 nothing importable or unreadable.",
    )
    .action((file: string, flags: { output?: string }) => setExitCode(importAdmission(file, flags)));

  cli
    .command("init")
    .description("write a commented starter policy file")
    .option("--path <file>", "where to write it", DEFAULT_POLICY_PATH)
    .option("--force", "overwrite an existing file")
    .action((options: { path: string; force?: boolean }) => setExitCode(init(options)));

  for (const command of [cli, ...cli.commands, ...policy.commands, ...eol.commands, ...inventory.commands])
    command.exitOverride();
  return cli;
}

/**
 * stdout closed early (`| head`) ends the run quietly with its exit code; a stdout that cannot be
 * written (`>/dev/full`) is an I/O error, exit 2 (SPEC §5). Never a stack trace.
 */
function guardStdout(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    process.stderr.write(
      `base-image-guard: cannot write to standard output: ${error.code ?? error.message}\n`,
    );
    process.exit(2);
  });
}

export async function main(argv: string[]): Promise<number> {
  guardStdout();
  let exitCode = 0;
  try {
    await program((code) => {
      exitCode = code;
    }).parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every usage mistake exits 2 (SPEC §5). Commander printed the message.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof GuardError) {
      // Messages keep their own line breaks (a policy's problems, one per line); nothing else passes.
      const lines = error.message.split("\n").map(terminal);
      process.stderr.write(`base-image-guard: ${lines.join("\n")}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `base-image-guard: internal error: ${terminal((error as Error).message)}\n` +
        "This is a bug; please report it with the command you ran.\n",
    );
    if (process.env.BASE_IMAGE_GUARD_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return 2;
  }
}
