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
import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, posix, relative, sep } from "node:path";
import { isMap, isSeq, parseDocument } from "yaml";
import { escapeRegex } from "../regex.js";
import { readSuppressions } from "../rules/waivers.js";
import type { SyncToolRunner } from "../tool-run.js";
import type { Candidate } from "./discover.js";
import { sourcesByLine } from "./manifests.js";
import { readManifestText } from "./read.js";
import { isInsideAny } from "./small-file.js";
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

export interface ChartRendering {
  chart: ChartFolder;
  /** Rendered images (source `helm-template`) and problems, at their template files. */
  result: SourceResult;
  /**
   * For each `templates/` folder of the chart and its subcharts (display path): judged through
   * rendering, or why not. Folders not named here keep the plain templates notice.
   */
  templates: Map<string, { judged: true } | { judged: false; reason: string }>;
  notices: RenderNotice[];
}

const RELEASE = "release-name";
const NAMESPACE = "default";
const TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 64 << 20;
/** A chart copied for helm holds at most this many files and bytes. */
const MAX_CHART_FILES = 5_000;
const MAX_CHART_BYTES = 64 << 20;
/** Value sets beyond the default values that one chart is rendered with. */
const MAX_VALUE_SETS = 20;
const VALUES_SET = /^values-.+\.ya?ml$/;
const CI_VALUES_SET = /-values\.ya?ml$/;

/** Whether `display` is `folder` or lies below it (display paths; `""` is the checked folder). */
function under(display: string, folder: string): boolean {
  return folder === "" || display === folder || display.startsWith(`${folder}/`);
}

function joinDisplay(folder: string, rest: string): string {
  return folder === "" ? rest : `${folder}/${rest}`;
}

/**
 * The charts to render among the files found: each folder with a `Chart.yaml` that is not a
 * subchart of another (a subchart renders with its parent). With `only` (changed-files mode),
 * only the charts that hold a changed file — a template helper or a values file brings its chart.
 */
export function chartsToRender(candidates: readonly Candidate[], only?: ReadonlySet<string>): ChartFolder[] {
  const charts: ChartFolder[] = [];
  for (const candidate of candidates) {
    if (posix.basename(candidate.path) !== "Chart.yaml") continue;
    const display = posix.dirname(candidate.path);
    charts.push({
      absolute: candidate.absolute.slice(0, -"Chart.yaml".length - 1),
      display: display === "." ? "" : display,
    });
  }
  const tops = charts.filter(
    (chart) =>
      !charts.some((other) => other !== chart && under(chart.display, joinDisplay(other.display, "charts"))),
  );
  const changed = only ? [...only] : undefined;
  return tops
    .filter((chart) => !changed || changed.some((file) => under(file, chart.display)))
    .sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
}

/** The chart's subcharts, by name, as helm finds them in `charts/`: folders with a Chart.yaml, and archives. */
function presentSubcharts(chartDir: string): Set<string> {
  const names = new Set<string>();
  let entries: string[];
  try {
    entries = readdirSync(join(chartDir, "charts"));
  } catch {
    return names;
  }
  for (const entry of entries) {
    const archive = /^(.+?)-v?\d+\.\d+\.\d+[^/]*\.tgz$/.exec(entry);
    if (archive?.[1]) {
      names.add(archive[1]);
      continue;
    }
    const name = chartName(join(chartDir, "charts", entry));
    if (name !== undefined) names.add(name);
  }
  return names;
}

function chartName(dir: string): string | undefined {
  const name = chartField(dir, "name");
  return typeof name === "string" ? name : undefined;
}

function chartField(dir: string, key: string): unknown {
  try {
    const data = parseDocument(readFileSync(join(dir, "Chart.yaml"), "utf8")).toJS() as unknown;
    return (data as Record<string, unknown> | null)?.[key];
  } catch {
    return undefined;
  }
}

/**
 * Takes the dependencies that are not in `charts/` out of the copy's dependency list (Chart.yaml
 * for apiVersion v2, requirements.yaml for v1), so helm renders the chart without them. Returns
 * their names.
 */
function dropMissingDependencies(copy: string): string[] {
  const present = presentSubcharts(copy);
  const missing: string[] = [];
  for (const [file, lock] of [
    ["Chart.yaml", "Chart.lock"],
    ["requirements.yaml", "requirements.lock"],
  ] as const) {
    let text: string;
    try {
      text = readFileSync(join(copy, file), "utf8");
    } catch {
      continue;
    }
    const doc = parseDocument(text);
    const list = isMap(doc.contents) ? doc.contents.get("dependencies", true) : undefined;
    if (!isSeq(list)) continue;
    const kept = list.items.filter((item) => {
      const name = isMap(item) ? item.get("name") : undefined;
      if (typeof name !== "string" || present.has(name)) return true;
      missing.push(name);
      return false;
    });
    if (kept.length === list.items.length) continue;
    list.items = kept;
    writeFileSync(join(copy, file), String(doc));
    rmSync(join(copy, lock), { force: true });
  }
  return missing;
}

class ChartTooLarge extends Error {}

/**
 * Copies the chart into `to`: regular files and folders; a link is followed only when its target
 * lies in the checked tree (else it is left out and named). Bounded in files and bytes.
 */
function copyChart(from: string, to: string, roots: readonly string[], display: string, left: string[]) {
  let files = 0;
  let bytes = 0;
  const seen = new Set<string>();
  const walk = (source: string, target: string, shown: string) => {
    const real = realpathSync(source);
    if (seen.has(real)) return;
    seen.add(real);
    mkdirSync(target, { recursive: true });
    for (const name of readdirSync(source).sort()) {
      if (name === ".git") continue;
      const path = join(source, name);
      const into = join(target, name);
      const entryShown = joinDisplay(shown, name);
      let stats = lstatSync(path);
      if (stats.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(path);
        } catch {
          continue;
        }
        if (roots.length > 0 && !isInsideAny(target, roots)) {
          left.push(entryShown);
          continue;
        }
        stats = statSync(path);
      }
      if (stats.isDirectory()) walk(path, into, entryShown);
      else if (stats.isFile()) {
        files += 1;
        bytes += stats.size;
        if (files > MAX_CHART_FILES || bytes > MAX_CHART_BYTES) throw new ChartTooLarge();
        copyFileSync(path, into);
      }
    }
  };
  walk(from, to, display);
}

/** The value sets a chart is rendered with after its default values: `values-*.yaml`, then `ci/*-values.yaml`. */
function valueSets(chartDir: string): string[] {
  const list = (dir: string, pattern: RegExp) => {
    try {
      return readdirSync(dir)
        .filter((name) => pattern.test(name) && statSync(join(dir, name)).isFile())
        .sort()
        .map((name) => relative(chartDir, join(dir, name)).split(sep).join("/"));
    } catch {
      return [];
    }
  };
  return [...list(chartDir, VALUES_SET), ...list(join(chartDir, "ci"), CI_VALUES_SET)];
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

interface Located {
  line: number;
  column: number;
  /** The line writes the image itself (no expression): `fix` can rewrite it there. */
  literal?: boolean;
}

/** Where a template writes a key's value: the column after `key:` and its blanks. */
const keyLine = (key: string) =>
  new RegExp(`^(\\s*(?:-\\s+)?["']?${escapeRegex(key)}["']?\\s*:\\s*)(\\S.*)$`);

/** The strings a template line reads from the values (`.Values.a.b`), as the values in force give them. */
function valuesRead(line: string, values: unknown): string[] {
  const read: string[] = [];
  for (const match of line.matchAll(/\.Values((?:\.[A-Za-z_][\w-]*)+)/g)) {
    let value: unknown = values;
    for (const key of (match[1] ?? "").slice(1).split(".")) {
      value =
        value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    }
    if ((typeof value === "string" && value.trim() !== "") || typeof value === "number")
      read.push(String(value));
  }
  return read;
}

interface KeyLine extends Located {
  /** The value as written, quotes and a trailing comment taken off. */
  value: string;
  expression: boolean;
  /** What the line reads from the values, for an expression. */
  reads: string[];
}

/**
 * The template line of each rendered image of one template (SPEC §4): the line that writes the
 * image as rendered under its key; else the expression line under that key whose values make the
 * image (`.Values.image.repository` is in it), the only expression line, or the n-th for the n-th
 * image when their counts agree; else line 0.
 */
function locateInTemplate(
  text: string | undefined,
  images: { text: string; key: string }[],
  values: unknown,
): Located[] {
  if (text === undefined) return images.map(() => ({ line: 0, column: 0 }));
  const lines = text.split(/\r?\n/);
  const linesOf = new Map<string, KeyLine[]>();
  const keyLines = (key: string) => {
    let list = linesOf.get(key);
    if (!list) {
      const pattern = keyLine(key);
      list = [];
      for (let i = 0; i < lines.length; i++) {
        const match = pattern.exec(lines[i] ?? "");
        if (!match?.[1] || !match[2]) continue;
        const value = match[2].replace(/\s+#.*$/, "").trim();
        const expression = value.includes("{{");
        list.push({
          line: i + 1,
          column: match[1].length + 1,
          value: /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value,
          expression,
          reads: expression ? valuesRead(value, values) : [],
        });
      }
      linesOf.set(key, list);
    }
    return list;
  };
  const found: (KeyLine | undefined)[] = images.map(({ text: image, key }) => {
    const candidates = keyLines(key);
    return (
      candidates.find((line) => !line.expression && line.value === image) ??
      candidates.find((line) => line.expression && line.reads.some((read) => image.includes(read)))
    );
  });
  // What the values do not tell: the only expression under the key, or the n-th of as many.
  const left = new Map<string, number[]>();
  images.forEach(({ key }, i) => {
    if (found[i] !== undefined) return;
    const list = left.get(key);
    if (list) list.push(i);
    else left.set(key, [i]);
  });
  for (const [key, indexes] of left) {
    const taken = new Set(found.filter((at): at is KeyLine => at !== undefined).map((at) => at.line));
    const expressions = keyLines(key).filter((line) => line.expression && !taken.has(line.line));
    const all = keyLines(key).filter((line) => line.expression);
    indexes.forEach((index, n) => {
      found[index] =
        all.length === 1 ? all[0] : expressions.length === indexes.length ? expressions[n] : undefined;
    });
  }
  return found.map((at) =>
    at ? { line: at.line, column: at.column, literal: !at.expression } : { line: 0, column: 0 },
  );
}

type Values = Record<string, unknown>;

function isValues(value: unknown): value is Values {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A values file's data; empty when it cannot be read (helm then says why, when it renders). */
function readValues(path: string): Values {
  try {
    const data = parseDocument(readFileSync(path, "utf8")).toJS({ maxAliasCount: 100 }) as unknown;
    return isValues(data) ? data : {};
  } catch {
    return {};
  }
}

/** `over` merged into `base` as helm merges values files: maps key by key, everything else replaced. */
function mergeValues(base: Values, over: Values): Values {
  const merged: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const old = merged[key];
    merged[key] = isValues(old) && isValues(value) ? mergeValues(old, value) : value;
  }
  return merged;
}

/** The values a template reads: the chart's, or for a subchart's template its own merged with what the parent gives it. */
function valuesFor(rest: string, values: Values, copy: string): Values {
  const sub = /^charts\/([^/]+)\/(.+)$/.exec(rest);
  if (!sub?.[1] || !sub[2]) return values;
  const given = isValues(values[sub[1]]) ? (values[sub[1]] as Values) : {};
  const global = isValues(values.global) ? { global: values.global } : {};
  const own = readValues(join(copy, "charts", sub[1], "values.yaml"));
  return valuesFor(sub[2], mergeValues(mergeValues(own, given), global), join(copy, "charts", sub[1]));
}

/** The key an image is written under in the rendered stream: `image` mostly, `repository` for a map. */
function keyOfStreamLine(line: string | undefined): string {
  return /^\s*(?:-\s+)?["']?([\w.-]+)["']?\s*:/.exec(line ?? "")?.[1] ?? "image";
}

export interface RenderOptions {
  runner: SyncToolRunner;
  /** Real paths of the checked folders: links out of them are not given to helm. */
  roots: readonly string[];
  /** Display paths of the chart folders found (Chart.yaml beside them), subcharts among them. */
  chartFolders: readonly string[];
  /** Files the discovery has already reported as unreadable (a link out of the tree): not said twice. */
  reported?: ReadonlySet<string>;
}

/** Renders one chart with each of its value sets; never throws for what the chart holds. */
export function renderChart(chart: ChartFolder, options: RenderOptions): ChartRendering {
  const rendering: ChartRendering = { chart, result: emptyResult(), templates: new Map(), notices: [] };
  // A library chart renders nothing of its own (helm refuses it): the charts that use it render its helpers.
  if (chartField(chart.absolute, "type") === "library") return rendering;
  const templatesOf = (folder: string) => joinDisplay(folder, "templates");
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
      copyChart(chart.absolute, copy, options.roots, chart.display, left);
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
    const name = chartName(copy);
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
    const defaults = readValues(join(copy, "values.yaml"));
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
        set === undefined ? defaults : mergeValues(defaults, readValues(join(copy, ...set.split("/"))));
      readRendered(
        run.stdout,
        chart,
        name,
        set,
        { seen, sourced, templateText, values, copy },
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
    values: Values;
    copy: string;
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
      valuesFor(rest, state.values, state.copy),
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
