/**
 * GitLab CI (SPEC §4): `.gitlab-ci.yml` and the files it `include:`s from the repository
 * (`local:`, or a path string; nested includes too). `image` (a string or `{name: …}`) at the top,
 * under `default:` and per job; `services` entries (strings or `{name: …}`). A job takes what it
 * does not set from the jobs it `extends:` (hidden `.name` jobs included, later entries winning,
 * as GitLab merges them), then from `default:`, then from the top level, unless `inherit:` says
 * otherwise. Variables come from the top-level `variables:` and those of the job and what it
 * extends; one the files do not define is left to `imageOfValue`, which reports it unresolved.
 *
 * An image is reported where it is written, once per distinct text it takes in the jobs that use
 * it; an image no job uses (a template, an overridden default) is still judged, as written. A job
 * whose image can only come from a template outside the repository (a remote, project or
 * template include) is unresolved at its `extends:`: never a silent pass.
 */
import {
  type FileVariables,
  type ImageAt,
  isObject,
  type Json,
  type OtherFile,
  type SideFiles,
  stringOrKey,
} from "./image-keys.js";
import { imageOfValue } from "./resolve.js";
import type { KeyPath, YamlDocument } from "./yaml.js";

const GITLAB_CI_PATH = /(?:^|\/)\.gitlab-ci\.ya?ml$/i;

export function isGitlabCiPath(path: string): boolean {
  return GITLAB_CI_PATH.test(path);
}

/** Top-level keys that are not jobs (GitLab's global keywords). */
const GLOBAL_KEYWORDS = new Set([
  "default",
  "include",
  "stages",
  "variables",
  "workflow",
  "image",
  "services",
  "cache",
  "before_script",
  "after_script",
  "types",
  "spec",
]);

/** How deep `extends:` may chain (GitLab allows 11 levels). */
const MAX_EXTENDS = 11;
/** How many jobs one job's `extends:` may reach in all: a file cannot make the reading quadratic. */
const MAX_LINEAGE = 100;
/** How many files one pipeline may include (GitLab allows 150). */
const MAX_INCLUDES = 150;

/** A key of the pipeline and the file that defines it. */
interface Owned<T> {
  value: T;
  in: OtherFile;
}

interface Place {
  path: KeyPath;
  value: unknown;
  in: OtherFile;
}

/** The pipeline as GitLab merges it: the root file's keys win over those its includes define. */
interface Pipeline {
  jobs: Map<string, Owned<Json>>;
  globals: Map<string, Owned<unknown>>;
  /** Why some of the pipeline is not in the repository (a remote include), when it is not. */
  outside: string[];
}

export function gitlabCiImages(doc: YamlDocument, file: string, side: SideFiles): ImageAt[] {
  const root: OtherFile = { doc, file, suppressions: new Map() };
  const pipeline = merged(root, side);
  const images: ImageAt[] = [];
  const jobs = pipeline.jobs;
  const global = (key: string) => pipeline.globals.get(key);
  const defaults = global("default");
  const defaultJob: Owned<Json> | undefined =
    defaults && isObject(defaults.value) ? { value: defaults.value, in: defaults.in } : undefined;

  /** The job and what it extends, nearest first, and the names it extends that no file defines. */
  const lineage = (name: string) => {
    const chain: { name: string; job: Owned<Json> }[] = [];
    const unknown: string[] = [];
    const visit = (current: string, depth: number, seen: Set<string>) => {
      const job = jobs.get(current);
      if (!job) {
        if (depth > 0) unknown.push(current);
        return;
      }
      if (seen.has(current) || depth > MAX_EXTENDS || chain.length >= MAX_LINEAGE) return;
      chain.push({ name: current, job });
      const parents = typeof job.value.extends === "string" ? [job.value.extends] : job.value.extends;
      if (!Array.isArray(parents)) return;
      const inner = new Set(seen).add(current);
      // Later entries of `extends:` override earlier ones: look at them first.
      for (const parent of [...parents].reverse())
        if (typeof parent === "string") visit(parent, depth + 1, inner);
    };
    visit(name, 0, new Set());
    return { chain, unknown };
  };

  const imageIn = (owner: KeyPath, value: unknown, where: OtherFile): Place | undefined => {
    const found = stringOrKey(value, [...owner, "image"], "name");
    return found && { ...found, in: where };
  };
  const servicesIn = (owner: KeyPath, value: unknown, where: OtherFile): Place[] | undefined => {
    if (!Array.isArray(value)) return undefined;
    const places: Place[] = [];
    value.forEach((service, i) => {
      const found = stringOrKey(service, [...owner, "services", i], "name");
      if (found) places.push({ ...found, in: where });
    });
    return places;
  };

  const variablesOf = (owner: KeyPath, value: unknown, where: OtherFile, into: VariablesBuilder) => {
    if (!isObject(value)) return;
    for (const [name, entry] of Object.entries(value)) {
      const valuePath = isObject(entry)
        ? [...owner, "variables", name, "value"]
        : [...owner, "variables", name];
      const text = where.doc.written(valuePath);
      if (text === undefined) continue;
      const position = where.doc.locate(valuePath);
      // `fix` changes a variable only in the file the image is in (the positions are that file's).
      into.variables.set(name, text);
      if (where.file === into.file) into.positions.set(name, { line: position.line, column: position.col });
      else into.positions.delete(name);
    }
  };
  const globalsFor = (file: string) => {
    const into = builder(file);
    const variables = global("variables");
    if (variables) variablesOf([], variables.value, variables.in, into);
    return into;
  };

  const found = new Map<string, ImageAt>();
  const used = new Set<string>();
  const placeKey = (place: Place) => `${place.in.file}\u0000${JSON.stringify(place.path)}`;
  const add = (place: Place, job: string, variables: VariablesBuilder) => {
    if (place.value === "") return;
    const key = placeKey(place);
    used.add(key);
    const text = imageOfValue(place.value, { variables: variables.variables }).text;
    const id = `${key}\u0000${text}`;
    if (found.has(id)) return;
    found.set(id, {
      path: place.path,
      value: place.value,
      workload: { kind: "job", name: job },
      labels: {},
      variables,
      ...(place.in !== root && { in: place.in }),
    });
  };

  for (const [name, job] of jobs) {
    if (name.startsWith(".")) continue;
    const { chain, unknown } = lineage(name);
    const inherit = isObject(job.value.inherit) ? job.value.inherit : {};
    const inheritsDefault = (key: string) =>
      inherit.default === undefined ||
      inherit.default === true ||
      (Array.isArray(inherit.default) && inherit.default.includes(key));
    const variables = builder(job.in.file);
    if (inherit.variables !== false) copyInto(globalsFor(job.in.file), variables, inherit.variables);
    for (const link of [...chain].reverse())
      variablesOf([link.name], link.job.value.variables, link.job.in, variables);

    let image: Place | undefined;
    for (const link of chain) {
      image = imageIn([link.name], link.job.value.image, link.job.in);
      if (image) break;
    }
    if (!image && unknown.length > 0) {
      // The image may come from a template no file of the repository defines.
      const templates = [...new Set(unknown)].join(", ");
      const from = pipeline.outside.length > 0 ? ` (it comes from ${pipeline.outside.join(", ")})` : "";
      images.push({
        path: [name, "extends"],
        value: `extends: ${templates}`,
        workload: { kind: "job", name },
        labels: {},
        unresolved: `cannot tell which image job ${name} runs: it extends ${templates}, which no file of the repository defines${from}; give the job an image: of its own, or check the project that defines it`,
        ...(job.in !== root && { in: job.in }),
      });
      continue;
    }
    if (!image && inheritsDefault("image") && defaultJob)
      image = imageIn(["default"], defaultJob.value.image, defaultJob.in);
    const top = global("image");
    if (!image && inheritsDefault("image") && top) image = imageIn([], top.value, top.in);
    if (image) add(image, name, variables);

    let services: Place[] | undefined;
    for (const link of chain) {
      services = servicesIn([link.name], link.job.value.services, link.job.in);
      if (services) break;
    }
    if (inheritsDefault("services")) {
      if (defaultJob) services ??= servicesIn(["default"], defaultJob.value.services, defaultJob.in);
      const topServices = global("services");
      if (topServices) services ??= servicesIn([], topServices.value, topServices.in);
    }
    for (const service of services ?? []) add(service, name, variables);
  }

  // What no job uses is still named in the files: judged as written, with the file's variables.
  const unused = (place: Place | undefined, owner: string) => {
    if (place && !used.has(placeKey(place))) add(place, owner, globalsFor(place.in.file));
  };
  const top = global("image");
  if (top) unused(imageIn([], top.value, top.in), "(top level)");
  const topServices = global("services");
  for (const service of (topServices && servicesIn([], topServices.value, topServices.in)) ?? [])
    unused(service, "(top level)");
  if (defaultJob) {
    unused(imageIn(["default"], defaultJob.value.image, defaultJob.in), "default");
    for (const service of servicesIn(["default"], defaultJob.value.services, defaultJob.in) ?? [])
      unused(service, "default");
  }
  for (const [name, job] of jobs) {
    unused(imageIn([name], job.value.image, job.in), name);
    for (const service of servicesIn([name], job.value.services, job.in) ?? []) unused(service, name);
  }
  return [...images, ...found.values()];
}

/**
 * The root file and every file it includes from the repository, merged as GitLab merges them:
 * keys of the including file win. A local include that cannot be read is a job-less problem
 * reported at the `include:` entry (the pipeline's images there are not known).
 */
function merged(root: OtherFile, side: SideFiles): Pipeline {
  const pipeline: Pipeline = { jobs: new Map(), globals: new Map(), outside: [] };
  const seen = new Set<string>();
  const visit = (part: OtherFile) => {
    if (seen.has(part.file) || seen.size >= MAX_INCLUDES) return;
    seen.add(part.file);
    const data = part.doc.data;
    if (!isObject(data)) return;
    for (const [key, value] of Object.entries(data)) {
      if (GLOBAL_KEYWORDS.has(key)) {
        if (!pipeline.globals.has(key)) pipeline.globals.set(key, { value, in: part });
      } else if (isObject(value) && !pipeline.jobs.has(key)) pipeline.jobs.set(key, { value, in: part });
    }
    for (const include of includesOf(data.include)) {
      if (include.local === undefined) {
        pipeline.outside.push(include.outside);
        continue;
      }
      if (/[*?[]/.test(include.local)) {
        pipeline.outside.push(`the local include ${include.local} (a pattern, not read)`);
        continue;
      }
      const read = side.yaml(include.local);
      if (typeof read === "string") {
        pipeline.outside.push(`the local include ${include.local} (${read})`);
        continue;
      }
      // The spec header of a component is its first document; the configuration is the last.
      const last = read[read.length - 1];
      if (last) visit(last);
    }
  };
  visit(root);
  return pipeline;
}

/** `include:` entries: a local path, or what they name outside the repository. */
function includesOf(value: unknown): ({ local: string } | { local?: undefined; outside: string })[] {
  const entries = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const out: ({ local: string } | { local?: undefined; outside: string })[] = [];
  for (const entry of entries) {
    if (typeof entry === "string") {
      if (/^https?:\/\//i.test(entry)) out.push({ outside: `the remote include ${entry}` });
      else out.push({ local: entry });
    } else if (isObject(entry)) {
      if (typeof entry.local === "string") out.push({ local: entry.local });
      else if (typeof entry.remote === "string") out.push({ outside: `the remote include ${entry.remote}` });
      else if (typeof entry.project === "string") out.push({ outside: `project ${entry.project}` });
      else if (typeof entry.template === "string")
        out.push({ outside: `GitLab's template ${entry.template}` });
      else if (typeof entry.component === "string") out.push({ outside: `the component ${entry.component}` });
    }
  }
  return out;
}

interface VariablesBuilder extends FileVariables {
  variables: Map<string, string>;
  positions: Map<string, { line: number; column: number }>;
}

function builder(file: string): VariablesBuilder {
  return { variables: new Map(), positions: new Map(), file };
}

/** The top-level variables a job inherits: all, or those `inherit: variables:` lists. */
function copyInto(from: VariablesBuilder, to: VariablesBuilder, only: unknown): void {
  for (const [name, value] of from.variables) {
    if (Array.isArray(only) && !only.includes(name)) continue;
    to.variables.set(name, value);
    const position = from.positions.get(name);
    if (position) to.positions.set(name, position);
  }
}
