/**
 * Helm charts as Helm renders them (SPEC §4 "Helm, rendered"): with `helm` on PATH, each chart is
 * rendered with `helm template` — its default values, then once per `values-*.yaml` and
 * `ci/*-values.yaml` — and the images of what it renders are judged at their template file (the
 * `# Source:` comment), at the template line that holds the image or its expression.
 *
 * Helm is given a copy of the chart in a scratch folder, never the repository: links out of the
 * checked tree are left out of the copy (SPEC §4: nothing from outside reaches any output), and
 * dependencies that are not in `charts/` are taken out of the copy's Chart.yaml, so the chart
 * renders without them (and a notice says so) instead of failing. No network, no cluster: helm's
 * homes and kubeconfig point into the scratch folder, the namespace is fixed, and `lookup` finds
 * nothing (`helm template` renders client-side).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { escapeRegex } from "../regex.js";
import { readSuppressions } from "../rules/waivers.js";
import type { SyncToolRunner } from "../tool-run.js";
import type { Candidate } from "./discover.js";
import {
  ChartTooLarge,
  chartMeta,
  copyChart,
  dropMissingDependencies,
  folderOf,
  joinDisplay,
  MAX_CHART_BYTES,
  MAX_CHART_FILES,
  mergeValues,
  readValues,
  templatesOf,
  under,
  type Values,
  valueSets,
  valuesFor,
} from "./helm-chart.js";
import { keyOfStreamLine, type Located, locateInTemplate } from "./helm-locate.js";
import { sourcesByLine } from "./manifests.js";
import { type Layout, readManifestText } from "./read.js";
import { emptyResult, type Occurrence, type SourceResult } from "./types.js";

export type RenderMode = "never" | "auto";

/** A chart to render: its folder, absolute and as reports print it (`""` for the checked folder itself). */
export interface ChartFolder {
  absolute: string;
  display: string;
}

/** A notice of what a rendering could not look at: counted as skipped (SPEC §3.5). */
export interface RenderNotice {
  file: string;
  reason: string;
}

/** What rendering the charts of a check found. */
export interface Renderings {
  renderings: ChartRendering[];
  /** For each `templates/` folder (display path): judged through rendering, or why not. */
  templates: Map<string, TemplatesState>;
  notices: RenderNotice[];
  /** Template folders of the charts rendered whose state no skip has said yet. */
  unsaid: Set<string>;
}

export type TemplatesState = { judged: true } | { judged: false; reason: string };

export interface ChartRendering {
  chart: ChartFolder;
  /** Rendered images (source `helm-template`) and problems, at their template files. */
  result: SourceResult;
  /**
   * For each `templates/` folder of the chart and its subcharts (display path): judged through
   * rendering, or why not. Folders not named here keep the plain templates notice.
   */
  templates: Map<string, TemplatesState>;
  notices: RenderNotice[];
}

const RELEASE = "release-name";
const NAMESPACE = "default";
const TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 64 << 20;
/** Value sets beyond the default values that one chart is rendered with. */
const MAX_VALUE_SETS = 20;

/** Every chart folder among the files found (a Chart.yaml beside it), subcharts among them. */
function chartFolders(candidates: readonly Candidate[]): ChartFolder[] {
  return candidates
    .filter((candidate) => posix.basename(candidate.path) === "Chart.yaml")
    .map((candidate) => ({
      absolute: candidate.absolute.slice(0, -"Chart.yaml".length - 1),
      display: folderOf(candidate.path),
    }));
}

/**
 * The charts to render among the chart folders found: each that is not a subchart of another (a
 * subchart renders with its parent). With `only` (changed-files mode), only the charts that hold a
 * changed file — a template helper or a values file brings its chart.
 */
function chartsToRender(charts: readonly ChartFolder[], only?: ReadonlySet<string>): ChartFolder[] {
  const tops = charts.filter(
    (chart) =>
      !charts.some((other) => other !== chart && under(chart.display, joinDisplay(other.display, "charts"))),
  );
  const changed = only ? [...only] : undefined;
  return tops
    .filter((chart) => !changed || changed.some((file) => under(file, chart.display)))
    .sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
}

/** helm's error, in a line: its `Error:` text, with the scratch folder and chart name put back as the repository has them. */
function helmError(stderr: string, copy: string, name: string | undefined, display: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("Use --debug"));
  const error = (lines.find((line) => line.startsWith("Error:")) ?? lines.at(-1) ?? "no message").replace(
    /^Error:\s*/,
    "",
  );
  // helm names templates `<chart name>/templates/x.yaml` ("at (…", "on …"); the copy by its scratch path.
  const inChart = name ? new RegExp(`(\\(|\\bon )${escapeRegex(name)}/`, "g") : undefined;
  const text = (
    inChart ? error.replace(inChart, (_, before: string) => `${before}${joinDisplay(display, "")}`) : error
  )
    .split(copy)
    .join(display === "" ? "." : display);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

export interface RenderOptions {
  runner: SyncToolRunner;
  /** The check's side-file reader, and its roots: links out of them are not given to helm. */
  layout: Layout;
  /** Display paths of the chart folders found (Chart.yaml beside them), subcharts among them. */
  chartFolders: readonly string[];
  /** Files the discovery has already reported as unreadable (a link out of the tree): not said twice. */
  reported?: ReadonlySet<string>;
}

/** Renders one chart with each of its value sets; never throws for what the chart holds. */
export function renderChart(chart: ChartFolder, options: RenderOptions): ChartRendering {
  const rendering: ChartRendering = { chart, result: emptyResult(), templates: new Map(), notices: [] };
  const meta = options.layout.read(join(chart.absolute, "Chart.yaml"));
  const { name, type } = chartMeta(typeof meta === "string" ? meta : undefined);
  // A library chart renders nothing of its own (helm refuses it): the charts that use it render its helpers.
  if (type === "library") return rendering;
  const subcharts = options.chartFolders.filter(
    (folder) => folder !== chart.display && under(folder, chart.display),
  );
  const fail = (reason: string) => {
    for (const folder of [chart.display, ...subcharts])
      rendering.templates.set(templatesOf(folder), { judged: false, reason });
    return rendering;
  };
  const scratch = mkdtempSync(join(tmpdir(), "base-image-guard-helm-"));
  try {
    const copy = join(scratch, "chart");
    const left: string[] = [];
    try {
      copyChart(chart.absolute, copy, options.layout.roots, chart.display, left);
    } catch (error) {
      if (error instanceof ChartTooLarge)
        return fail(
          `Helm chart template: the chart holds more than ${MAX_CHART_FILES} files or ${MAX_CHART_BYTES >> 20} MB, so it was not rendered`,
        );
      return fail(
        `Helm chart template: the chart could not be read to render it (${(error as Error).message})`,
      );
    }
    for (const link of left.filter((file) => !options.reported?.has(file)))
      rendering.result.problems.push({
        file: link,
        line: 0,
        column: 0,
        message: "a link out of the checked tree: not read, and not given to helm to render",
      });
    const missing = dropMissingDependencies(copy);
    if (missing.length > 0)
      rendering.notices.push({
        file: joinDisplay(chart.display, "Chart.yaml"),
        reason: `rendered without its dependencies ${missing.join(", ")}: they are not in charts/ (helm dependency build fetches them), so what they render was not judged`,
      });
    const home = join(scratch, "home");
    mkdirSync(home);
    writeFileSync(join(scratch, "kubeconfig"), "");
    const env = {
      HELM_CONFIG_HOME: join(home, "config"),
      HELM_CACHE_HOME: join(home, "cache"),
      HELM_DATA_HOME: join(home, "data"),
      HELM_PLUGINS: join(home, "plugins"),
      HELM_REPOSITORY_CONFIG: join(home, "repositories.yaml"),
      HELM_REGISTRY_CONFIG: join(home, "registry.json"),
      KUBECONFIG: join(scratch, "kubeconfig"),
    };
    const sets = valueSets(copy);
    if (sets.length > MAX_VALUE_SETS)
      rendering.notices.push({
        file: joinDisplay(chart.display, sets[MAX_VALUE_SETS] as string),
        reason: `the chart has ${sets.length} values files to render with; only the first ${MAX_VALUE_SETS} were rendered`,
      });
    const seen = new Set<string>();
    const texts = new Map<string, string | undefined>();
    const templateText = (path: string) => {
      if (!texts.has(path)) {
        let text: string | undefined;
        try {
          text = readFileSync(join(copy, ...path.split("/")), "utf8");
        } catch {}
        texts.set(path, text);
      }
      return texts.get(path);
    };
    const sourced = new Set<string>();
    // Each values file is read once per chart, however many templates and renders read it.
    const valuesFiles = new Map<string, Values>();
    const valuesAt = (path: string) => {
      let values = valuesFiles.get(path);
      if (!values) {
        values = readValues(path);
        valuesFiles.set(path, values);
      }
      return values;
    };
    const defaults = valuesAt(join(copy, "values.yaml"));
    for (const set of [undefined, ...sets.slice(0, MAX_VALUE_SETS)]) {
      const args = [
        "template",
        "--namespace",
        NAMESPACE,
        ...(set === undefined ? [] : [`--values=${join(copy, ...set.split("/"))}`]),
        "--",
        RELEASE,
        copy,
      ];
      const run = options.runner.run("helm", args, {
        cwd: scratch,
        env,
        timeoutMs: TIMEOUT_MS,
        maxOutputBytes: MAX_OUTPUT_BYTES,
      });
      const failure =
        run.stopped === "timeout"
          ? `helm template did not finish in ${TIMEOUT_MS / 1000} s`
          : run.stopped === "output"
            ? `helm template printed more than ${MAX_OUTPUT_BYTES >> 20} MB`
            : run.exitCode !== 0
              ? `helm template failed: ${helmError(run.stderr, copy, name, chart.display)}`
              : undefined;
      if (failure !== undefined) {
        if (set === undefined) return fail(`Helm chart template: ${failure}`);
        rendering.notices.push({
          file: joinDisplay(chart.display, set),
          reason: `with this values file, ${failure}; what it renders was not judged`,
        });
        continue;
      }
      const values =
        set === undefined ? defaults : mergeValues(defaults, valuesAt(join(copy, ...set.split("/"))));
      readRendered(
        run.stdout,
        chart,
        name,
        set,
        { seen, sourced, templateText, values: (rest) => valuesFor(rest, values, copy, valuesAt) },
        rendering.result,
      );
    }
    rendering.templates.set(templatesOf(chart.display), { judged: true });
    for (const folder of subcharts) {
      const rendered = [...sourced].some((file) => under(file, templatesOf(folder)));
      rendering.templates.set(
        templatesOf(folder),
        rendered
          ? { judged: true }
          : {
              judged: false,
              reason: `Helm chart template: ${chart.display === "" ? "the chart" : chart.display} renders nothing of this subchart with its values files (disabled?), so it was not judged`,
            },
      );
    }
    return rendering;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One `helm template` output, read like `--manifests`, its images put at their template lines. */
function readRendered(
  stdout: string,
  chart: ChartFolder,
  name: string | undefined,
  set: string | undefined,
  state: {
    seen: Set<string>;
    sourced: Set<string>;
    templateText: (path: string) => string | undefined;
    /** The values a template (its path in the chart) reads in this render. */
    values: (rest: string) => Values;
  },
  into: SourceResult,
): void {
  const origin = `helm template ${chart.display === "" ? "." : chart.display}${set ? ` --values ${set}` : ""}`;
  const read = readManifestText(stdout, origin);
  const sources = sourcesByLine(stdout);
  const streamLines = stdout.split("\n");
  // `# Source: <chart name>/templates/x.yaml` → the file as the repository has it.
  const inChart = (source: string | undefined) => {
    if (source === undefined) return undefined;
    const slash = source.indexOf("/");
    const rest = slash < 0 ? source : source.slice(slash + 1);
    return name !== undefined && !source.startsWith(`${name}/`) ? undefined : rest;
  };
  for (let i = 1; i < sources.length; i++) {
    const rest = inChart(sources[i]);
    if (rest !== undefined) state.sourced.add(joinDisplay(chart.display, rest));
  }
  const byTemplate = new Map<string, { occurrence: Occurrence; key: string }[]>();
  for (const occurrence of read.occurrences) {
    const rest = inChart(sources[occurrence.line]) ?? "";
    const key = keyOfStreamLine(streamLines[occurrence.line - 1]);
    const list = byTemplate.get(rest);
    if (list) list.push({ occurrence, key });
    else byTemplate.set(rest, [{ occurrence, key }]);
  }
  for (const [rest, list] of byTemplate) {
    const text = rest === "" ? undefined : state.templateText(rest);
    const file = rest === "" ? joinDisplay(chart.display, "Chart.yaml") : joinDisplay(chart.display, rest);
    const at = locateInTemplate(
      text,
      list.map(({ occurrence, key }) => ({ text: occurrence.text, key })),
      state.values(rest),
    );
    const suppressions = text === undefined ? undefined : readSuppressions(text).valid;
    list.forEach(({ occurrence }, i) => {
      const { line, column, literal } = at[i] as Located;
      const unique = `${file}\0${line}\0${column}\0${occurrence.text}`;
      if (state.seen.has(unique)) return;
      state.seen.add(unique);
      const suppression = line > 0 ? suppressions?.get(line - 1) : undefined;
      into.occurrences.push({
        ...occurrence,
        file,
        line,
        column,
        source: "helm-template",
        // An image the template writes as it is: fixed there (SPEC §9); one it computes is not.
        written: literal
          ? { kind: "value", at: { file, line, column, value: occurrence.text } }
          : {
              kind: "fixed",
              reason: `rendered by helm from ${file}: the template computes it, so change the values it reads or the template`,
            },
        ...(suppression ? { suppression } : {}),
      });
    });
  }
  for (const problem of read.problems) {
    const rest = inChart(sources[problem.line]);
    into.problems.push({
      ...problem,
      file: rest === undefined ? origin : joinDisplay(chart.display, rest),
      line: 0,
      column: 0,
      message: `${problem.message} (in what ${origin} rendered)`,
    });
  }
}

/** What rendering the charts found: their images, which templates it judged, and notices. */
export function renderCharts(input: {
  render: RenderMode;
  runner: SyncToolRunner;
  layout: Layout;
  discovery: { candidates: readonly Candidate[]; unreadable: readonly { file: string }[] };
  /** Changed-files mode: only the charts holding one of these files. */
  only?: ReadonlySet<string>;
}): Renderings {
  const { render, runner, layout, discovery, only } = input;
  const none = { renderings: [], templates: new Map(), notices: [], unsaid: new Set<string>() };
  if (render === "never") return none;
  const folders = chartFolders(discovery.candidates);
  const charts = chartsToRender(folders, only);
  if (charts.length === 0) return none;
  const templates = new Map<string, TemplatesState>();
  if (runner.find("helm") === undefined) {
    for (const chart of chartsToRender(folders))
      templates.set(templatesOf(chart.display), {
        judged: false,
        reason:
          "Helm chart template: helm is not on PATH, so it was not rendered (render it with helm template … | base-image-guard check --manifests -)",
      });
    return { ...none, templates };
  }
  const options = {
    runner,
    layout,
    chartFolders: folders.map((folder) => folder.display),
    reported: new Set(discovery.unreadable.map((u) => u.file)),
  };
  const renderings = charts.map((chart) => renderChart(chart, options));
  for (const rendering of renderings)
    for (const [group, state] of rendering.templates) templates.set(group, state);
  return {
    renderings,
    templates,
    notices: renderings.flatMap((r) => r.notices),
    unsaid: new Set(renderings.flatMap((r) => [...r.templates.keys()])),
  };
}

/** How two readings of a chart (values, rendering) name the same image. */
export function imageKey(occurrence: Occurrence): string {
  return occurrence.image.kind === "image" ? occurrence.image.ref.normalized : occurrence.text;
}

/** A rendered image that the chart's values reading found too is one occurrence, at its values line (SPEC §4). */
export function withoutValuesImages(
  rendering: ChartRendering,
  valuesImages: ReadonlyMap<string, string[]>,
): SourceResult {
  const chart = rendering.chart.display;
  return {
    ...rendering.result,
    occurrences: rendering.result.occurrences.filter(
      (occurrence) => !(valuesImages.get(imageKey(occurrence)) ?? []).some((folder) => under(folder, chart)),
    ),
  };
}
