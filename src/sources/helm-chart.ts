/**
 * A Helm chart folder as rendering needs it (SPEC §4 "Helm, rendered"): copied for helm without
 * what lies outside the checked tree, its missing dependencies taken out, its values files found
 * and merged as helm merges them.
 */
import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, posix, relative, sep } from "node:path";
import { isMap, isSeq, parseDocument } from "yaml";
import { isObject, type Json } from "./image-keys.js";
import { isInsideAny } from "./small-file.js";

/** A chart copied for helm holds at most this many files and bytes. */
export const MAX_CHART_FILES = 5_000;
export const MAX_CHART_BYTES = 64 << 20;
const VALUES_SET = /^values-.+\.ya?ml$/;
const CI_VALUES_SET = /-values\.ya?ml$/;

/** Whether `display` is `folder` or lies below it (display paths; `""` is the checked folder). */
export function under(display: string, folder: string): boolean {
  return folder === "" || display === folder || display.startsWith(`${folder}/`);
}

export function joinDisplay(folder: string, rest: string): string {
  return folder === "" ? rest : `${folder}/${rest}`;
}

/** The folder of a display path, `""` for the checked folder itself. */
export function folderOf(path: string): string {
  const folder = posix.dirname(path);
  return folder === "." ? "" : folder;
}

/** A chart's `templates/` folder (display path): what the templates notice groups by. */
export function templatesOf(folder: string): string {
  return joinDisplay(folder, "templates");
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
    const { name } = chartMeta(textOf(join(chartDir, "charts", entry, "Chart.yaml")));
    if (name !== undefined) names.add(name);
  }
  return names;
}

/** `name` and `type` of a Chart.yaml's text (nothing when there is none, or it does not parse). */
export function chartMeta(text: string | undefined): { name?: string; type?: string } {
  if (text === undefined) return {};
  try {
    const data = parseDocument(text).toJS() as unknown;
    if (!isObject(data)) return {};
    return {
      ...(typeof data.name === "string" && { name: data.name }),
      ...(typeof data.type === "string" && { type: data.type }),
    };
  } catch {
    return {};
  }
}

function textOf(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Takes the dependencies that are not in `charts/` out of the copy's dependency list (Chart.yaml
 * for apiVersion v2, requirements.yaml for v1), so helm renders the chart without them. Returns
 * their names.
 */
export function dropMissingDependencies(copy: string): string[] {
  const present = presentSubcharts(copy);
  const missing: string[] = [];
  for (const [file, lock] of [
    ["Chart.yaml", "Chart.lock"],
    ["requirements.yaml", "requirements.lock"],
  ] as const) {
    const text = textOf(join(copy, file));
    if (text === undefined) continue;
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

export class ChartTooLarge extends Error {}

/**
 * Copies the chart into `to`: regular files and folders; a link is followed only when its target
 * lies in the checked tree (else it is left out and named). Bounded in files and bytes.
 */
export function copyChart(
  from: string,
  to: string,
  roots: readonly string[],
  display: string,
  left: string[],
) {
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
export function valueSets(chartDir: string): string[] {
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

export type Values = Json;

/** A values file's data; empty when it cannot be read (helm then says why, when it renders). */
export function readValues(path: string): Values {
  const text = textOf(path);
  if (text === undefined) return {};
  try {
    const data = parseDocument(text).toJS({ maxAliasCount: 100 }) as unknown;
    return isObject(data) ? data : {};
  } catch {
    return {};
  }
}

/** `over` merged into `base` as helm merges values files: maps key by key, everything else replaced. */
export function mergeValues(base: Values, over: Values): Values {
  const merged: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const old = merged[key];
    merged[key] = isObject(old) && isObject(value) ? mergeValues(old, value) : value;
  }
  return merged;
}

/**
 * The values a template reads: the chart's, or for a subchart's template its own merged with what
 * the parent gives it. `read` reads a values file (each once per chart, through the caller's cache).
 */
export function valuesFor(
  rest: string,
  values: Values,
  copy: string,
  read: (path: string) => Values,
): Values {
  const sub = /^charts\/([^/]+)\/(.+)$/.exec(rest);
  if (!sub?.[1] || !sub[2]) return values;
  const given = isObject(values[sub[1]]) ? (values[sub[1]] as Values) : {};
  const global = isObject(values.global) ? { global: values.global } : {};
  const own = read(join(copy, "charts", sub[1], "values.yaml"));
  return valuesFor(sub[2], mergeValues(mergeValues(own, given), global), join(copy, "charts", sub[1]), read);
}
