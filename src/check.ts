/**
 * The check engine (DESIGN "The flow"): discover → sources → rules → findings. Reads files, never
 * writes; the entry points decide what to print and how to exit.
 */
import type { DigestEntry } from "./digests.js";
import { releaseOf } from "./image/release.js";
import { compilePolicy } from "./policy/compile.js";
import { type ReleaseInUse, ReleaseTally } from "./policy/eol/index.js";
import { lintAgainstImages } from "./policy/lint.js";
import type { LoadedPolicy, Mode } from "./policy/types.js";
import type { RuleId } from "./rules/catalog.js";
import { judge } from "./rules/index.js";
import type { Finding, RuleContext, SuppressedFinding } from "./rules/types.js";
import { waiverFor } from "./rules/waivers.js";
import { readPodList } from "./sources/cluster.js";
import { withDependents } from "./sources/dependents.js";
import { type Candidate, discoverFiles } from "./sources/discover.js";
import { folderOf } from "./sources/helm-chart.js";
import { imageKey, type RenderMode, renderCharts, withoutValuesImages } from "./sources/helm-render.js";
import { applyKustomizations, type Kustomization } from "./sources/kustomize.js";
import { readManifestStream } from "./sources/manifests.js";
import { defaultJobs, readInOrder } from "./sources/parallel.js";
import { isBuilderFile, Layout } from "./sources/read.js";
import type { Occurrence, ParseProblem, SourceResult } from "./sources/types.js";
import { pathRunner, type SyncToolRunner } from "./tool-run.js";

export interface CheckOptions {
  /** Files and folders to scan, relative to `cwd`. None (and no pod list or manifests) means `cwd`. */
  paths: string[];
  cwd: string;
  loaded: LoadedPolicy;
  /** Overrides the policy's mode (`--mode`). */
  mode?: Mode;
  buildArgs?: Record<string, string>;
  /** A cluster pod list (`--from-json`): its text and where it came from. */
  podList?: { text: string; origin: string };
  /** Rendered manifests (`--manifests`): `helm template` or `kustomize build` output. */
  manifests?: { text: string; origin: string };
  /** Only these display paths are checked (`--changed-since`); each is still judged whole. */
  onlyFiles?: ReadonlySet<string>;
  /** Decides whether exceptions have expired; today by default. */
  today?: Date;
  /** What a rebuild pushed (`--digests`): pinning findings name the digest. */
  digests?: ReadonlyMap<string, DigestEntry>;
  /**
   * Called for every occurrence judged, with the rules it was reported under (suppressed and
   * excepted ones left out): what `fix` repairs (SPEC §9).
   */
  onJudged?: (occurrence: Occurrence, rules: RuleId[], context: RuleContext) => void;
  /** Threads that read and parse files (`--jobs`); the report is the same for any number. Default: `defaultJobs()`. */
  jobs?: number;
  /** Called after each discovered file is read (or skipped): `done` of `total`, for a progress line. */
  onProgress?: (done: number, total: number) => void;
  /** `--render` (SPEC §4 "Helm, rendered"): `auto` renders each chart when helm is on PATH. Default: auto. */
  render?: RenderMode;
  /** Runs helm; the real one on PATH by default. */
  runner?: SyncToolRunner;
}

export interface Skip {
  file: string;
  reason: string;
  /** Skips with the same reason and group are one notice (a chart's templates, a folder). */
  group?: string;
}

export interface CheckResult {
  mode: Mode;
  policySource: string;
  policyWarnings: string[];
  files: number;
  /** The files judged (`files` of them), in the order read: what a JUnit report lists as passing. */
  judged: string[];
  images: number;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  skipped: Skip[];
  /** The baseline report the findings were compared with (`--baseline`), when there was one. */
  baselineFile?: string;
  /** With the policy's `eol` on: the calendar releases in use, soonest end first. */
  releases?: ReleaseInUse[];
}

export function runCheck(options: CheckOptions): CheckResult {
  const { policy, calendar } = options.loaded;
  const mode = options.mode ?? policy.mode;
  const compiled = compilePolicy(policy, calendar);
  const today = (options.today ?? new Date()).toISOString().slice(0, 10);

  const streams = options.podList || options.manifests;
  const paths = options.paths.length > 0 || streams ? options.paths : ["."];
  const discovery = discoverFiles(paths, {
    cwd: options.cwd,
    include: policy.include,
    exclude: policy.exclude,
  });
  // A changed side file brings the files it decides (a bake file its Dockerfiles, a `.env` its compose file).
  const only = options.onlyFiles && withDependents(options.onlyFiles, discovery.candidates);
  // Each entry is let go once its file is read (issue 10: memory flat in the number of files).
  const candidates: (Candidate | undefined)[] = only
    ? discovery.candidates.filter((c) => only.has(c.path))
    : discovery.candidates;
  const skipped: Skip[] = only ? discovery.skipped.filter((s) => only.has(s.file)) : [...discovery.skipped];
  const unreadable = only ? discovery.unreadable.filter((s) => only.has(s.file)) : discovery.unreadable;
  const invalidSuppressions: ParseProblem[] = [];
  const readOptions = {
    maxFileSize: policy.maxFileSize,
    buildArgs: options.buildArgs ?? {},
    copyFrom: policy.dockerfile.copyFrom === "check",
    workflows: policy.workflows === "check",
    ci: policy.ci === "check",
    devcontainers: policy.devcontainers === "check",
    layout: new Layout(
      discovery.roots,
      discovery.candidates.filter((c) => isBuilderFile(c.path)).map((c) => c.absolute),
    ),
  };
  const severity = mode === "enforce" ? "error" : "warning";
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  /** Repositories of every image judged, for the policy linter. */
  const repositories = new Set<string>();
  const judged: string[] = [];
  let images = 0;

  /** Records a finding, or its suppression; true when it stays a finding. */
  const report = (
    rule: RuleId,
    at: Occurrence | ParseProblem,
    message: string,
    warning?: boolean,
  ): boolean => {
    const occurrence = "source" in at ? at : undefined;
    const ref = occurrence?.image.kind === "image" ? occurrence.image.ref : undefined;
    const image = occurrence?.text ?? "";
    const waiver = waiverFor(rule, at.suppression, ref, compiled, today);
    if (waiver?.kind === "suppressed") {
      suppressed.push({
        rule,
        file: at.file,
        line: at.line,
        image,
        ...(occurrence && { source: occurrence.source }),
        reason: waiver.reason,
        expires: waiver.expires,
      });
      return false;
    }
    const rewritten = occurrence?.rewrittenBy;
    const notes = [
      rewritten && `as rewritten by ${rewritten.file}:${rewritten.line} from ${rewritten.written}`,
      waiver?.kind === "expired" && waiver.note,
    ].filter(Boolean);
    findings.push({
      rule,
      severity: warning ? "warning" : severity,
      file: at.file,
      line: at.line,
      column: at.column,
      image,
      ...(ref && { normalized: ref.normalized }),
      message: notes.length > 0 ? `${message} (${notes.join("; ")})` : message,
      ...(occurrence && { source: occurrence.source }),
    });
    return true;
  };
  const tally = policy.eol
    ? new ReleaseTally(today, policy.eol.support ?? "standard", compiled.calendar)
    : undefined;
  const judgeAll = (
    problems: readonly ParseProblem[],
    occurrences: readonly Occurrence[],
    namespaceLabels: Record<string, Record<string, string>>,
  ) => {
    const context: RuleContext = {
      policy: compiled,
      namespaceLabels,
      today,
      ...(options.digests && { digests: options.digests }),
    };
    for (const problem of problems) report("parse-error", problem, problem.message);
    for (const occurrence of occurrences) {
      images++;
      if (occurrence.image.kind === "image") {
        repositories.add(occurrence.image.ref.match.repository);
        tally?.add(occurrence.image.ref.name, releaseOf(occurrence.image.ref));
      }
      const reported: RuleId[] = [];
      for (const verdict of judge(occurrence, context)) {
        if (report(verdict.rule, occurrence, verdict.message, verdict.warning)) reported.push(verdict.rule);
      }
      options.onJudged?.(occurrence, reported, context);
    }
  };

  // A file is judged as soon as it is read, and let go (issue 10: memory flat in the number of
  // files), unless it needs the whole repository: Kubernetes images wait for every Namespace's
  // labels and every kustomization's rewrites.
  const deferred: SourceResult[] = [];
  const needsWholeRepository = (result: SourceResult) =>
    result.kustomization !== undefined ||
    Object.keys(result.namespaces).length > 0 ||
    result.occurrences.some((o) => o.source === "kubernetes" || o.source === "cluster");
  // What should be judged but cannot be read fails closed: a parse-error at line 0 (SPEC §3.5).
  judgeAll(
    unreadable.map(({ file, reason }) => ({ file, line: 0, column: 0, message: reason })),
    [],
    {},
  );
  for (const { file } of unreadable) judged.push(file);
  const charts = renderCharts({
    render: options.render ?? "auto",
    runner: options.runner ?? pathRunner,
    layout: readOptions.layout,
    discovery,
    // A changed template helper or values file is not itself read: it brings its chart.
    ...((options.onlyFiles ?? only) && { only: options.onlyFiles ?? only }),
  });
  for (const notice of charts.notices) skipped.push(notice);
  /** Values images of each chart folder, for one occurrence where both readings find an image. */
  const valuesImages = new Map<string, string[]>();
  const total = candidates.length;
  let done = 0;
  for (const outcome of readInOrder(candidates, readOptions, options.jobs ?? defaultJobs())) {
    options.onProgress?.(++done, total);
    if ("skip" in outcome) {
      // A chart's templates that rendering looked at are judged; the others say why they were not.
      const templates = outcome.group === undefined ? undefined : charts.templates.get(outcome.group);
      if (outcome.group !== undefined) charts.unsaid.delete(outcome.group);
      if (templates?.judged) {
        judged.push(outcome.file);
        continue;
      }
      skipped.push({
        file: outcome.file,
        reason: templates ? templates.reason : outcome.skip,
        ...(outcome.group && { group: outcome.group }),
      });
      continue;
    }
    judged.push(outcome.file);
    if (charts.renderings.length > 0)
      for (const occurrence of outcome.result.occurrences) {
        if (occurrence.source !== "helm") continue;
        const list = valuesImages.get(imageKey(occurrence));
        if (list) list.push(folderOf(occurrence.file));
        else valuesImages.set(imageKey(occurrence), [folderOf(occurrence.file)]);
      }
    for (const problem of outcome.suppressionProblems)
      invalidSuppressions.push({ file: outcome.file, ...problem });
    if (needsWholeRepository(outcome.result)) deferred.push(outcome.result);
    else judgeAll(outcome.result.problems, outcome.result.occurrences, {});
  }
  for (const [input, read] of [
    [options.manifests, readManifestStream],
    [options.podList, readPodList],
  ] as const) {
    if (!input) continue;
    judged.push(input.origin);
    deferred.push(read(input.text, input.origin));
  }

  for (const rendering of charts.renderings) deferred.push(withoutValuesImages(rendering, valuesImages));
  // A chart rendered for a changed helper or values file whose templates were not read: its failure is still said.
  for (const group of charts.unsaid) {
    const state = charts.templates.get(group);
    if (state && !state.judged) skipped.push({ file: group, reason: state.reason, group });
  }

  const built = kustomized(deferred);
  judgeAll(
    [...deferred.flatMap((r) => r.problems), ...built.problems],
    built.occurrences,
    Object.assign({}, ...deferred.map((r) => r.namespaces)),
  );
  for (const problem of invalidSuppressions) {
    findings.push({ rule: "invalid-suppression", severity, ...problem, image: "" });
  }

  return {
    mode,
    policySource: options.loaded.source,
    policyWarnings: [...options.loaded.warnings, ...lintAgainstImages(compiled, repositories)],
    files: judged.length,
    judged,
    images,
    findings: findings.sort(byPosition),
    suppressed: suppressed.sort(byPosition),
    skipped,
    ...(tally && { releases: tally.list() }),
  };
}

/** Every occurrence, with resource images that a kustomization rewrites judged as rewritten. */
function kustomized(results: SourceResult[]): { occurrences: Occurrence[]; problems: ParseProblem[] } {
  const all = results.flatMap((r) => r.occurrences);
  const kustomizations = results
    .map((r) => r.kustomization)
    .filter((k): k is Kustomization => k !== undefined);
  if (kustomizations.length === 0) return { occurrences: all, problems: [] };
  const byFile = new Map<string, Occurrence[]>();
  for (const occurrence of all) {
    const list = byFile.get(occurrence.file);
    if (list) list.push(occurrence);
    else byFile.set(occurrence.file, [occurrence]);
  }
  const { rewritten, replaced, problems } = applyKustomizations(kustomizations, byFile);
  return { occurrences: [...all.filter((o) => !replaced.has(o)), ...rewritten], problems };
}

function byPosition<T extends { file: string; line: number; rule: string }>(a: T, b: T): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0;
}

/** Exit code of SPEC §5: 1 when enforce mode has findings, else 0. Errors that stop a run exit 2 elsewhere. */
/** 1 when an enforce-mode run has an error; warnings (an end of support that is near) never fail. */
export function exitCodeOf(result: CheckResult): 0 | 1 {
  return result.mode === "enforce" && result.findings.some((f) => f.severity === "error") ? 1 : 0;
}
