/**
 * One file in, what the sources found in it out: read (or skip, with the reason), decide what the
 * file is (SPEC §4: by path, then by content), parse it, and attach each occurrence's suppression.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { basename, dirname, join, posix, sep } from "node:path";
import { isInside } from "../paths.js";
import { readSuppressions, MARKER as SUPPRESSION_MARKER, type SuppressionProblem } from "../rules/waivers.js";
import { BAKE_FILES, type BakeTarget, bakeTargets, isBakePath, mergeBakeFile, readBake } from "./bake.js";
import {
  composeImages,
  composeV1Images,
  isComposeFile,
  isComposeName,
  isVersion1Compose,
  parseEnvFile,
} from "./compose.js";
import {
  definitionsNear,
  devcontainerBuild,
  devcontainerImages,
  isDevcontainerPath,
} from "./devcontainer.js";
import type { Candidate } from "./discover.js";
import { readDockerfile } from "./dockerfile.js";
import { helmValuesImages, isValuesFileName } from "./helm.js";
import { templatesOf } from "./helm-chart.js";
import { type FileVariables, type ImageAt, isObject, type Json, type SideFiles } from "./image-keys.js";
import { JENKINS_WORDS, readJenkinsfile } from "./jenkins.js";
import { readJsonc } from "./jsonc.js";
import { isKubernetesObject, kubernetesImages } from "./kubernetes.js";
import { isKustomizationName, patchImages, readKustomization } from "./kustomize.js";
import { type PipelineKind, pipelineKindOf } from "./pipelines.js";
import { detach, imageOfValue, type ValueOptions } from "./resolve.js";
import { OUT_OF_TREE, readSideFile } from "./small-file.js";
import {
  emptyResult,
  type ImageWritten,
  type MapKey,
  type Occurrence,
  type SourceKind,
  type SourceResult,
  type ValueAt,
} from "./types.js";
import { ExpansionError, oneVariable } from "./variables.js";
import { isWorkflowPath, workflowImages } from "./workflows.js";
import { readYamlFile, type YamlDocument } from "./yaml.js";
import { yamlDataLines } from "./yaml-lenient.js";

export interface ReadOptions {
  /** Bytes; larger files are skipped. */
  maxFileSize: number;
  buildArgs: Record<string, string>;
  copyFrom: boolean;
  /** Read GitHub workflow containers (policy `workflows: check`). */
  workflows: boolean;
  /** Read other CI systems' pipelines (policy `ci: check`). */
  ci: boolean;
  /** Read dev containers (policy `devcontainers: check`). */
  devcontainers: boolean;
  layout: Layout;
}

export type FileOutcome =
  | { file: string; skip: string; group?: string }
  | { file: string; result: SourceResult; suppressionProblems: SuppressionProblem[] };

/** Files that hold a NUL byte in their first 8 KiB are binary, as git decides it. */
const BINARY_SNIFF_BYTES = 8000;

/**
 * What the folders around a file say about it: Helm charts (a folder with Chart.yaml) and the
 * `.env` beside a compose file. Looked up once per folder.
 */
export class Layout {
  private readonly charts = new Map<string, { appVersion?: string } | null>();
  private readonly envs = new Map<string, Map<string, string>>();
  private readonly envPositions = new Map<string, Map<string, { line: number; column: number }>>();
  private readonly envsOutside = new Set<string>();
  private readonly bakes = new Map<string, BakeTarget[]>();
  private readonly devcontainers = new Map<
    string,
    { dockerfile: string; args: Record<string, string> } | null
  >();

  private readonly builderFiles: ReadonlySet<string>;

  /**
   * `roots`: the real paths of the checked folders; side files through links out of them are never
   * read. `builders`: the absolute paths of the dev container definitions and bake files among the
   * files found, the only ones looked at for a Dockerfile's build args (no stat per folder).
   */
  constructor(
    readonly roots: readonly string[] = [],
    readonly builders: readonly string[] = [],
  ) {
    this.builderFiles = new Set(builders);
  }

  /** A side file's text: undefined when it is missing, OUT_OF_TREE when it links out of the checked tree. */
  read(path: string): string | undefined | typeof OUT_OF_TREE {
    return this.roots.length > 0 ? readSideFile(path, this.roots) : readSideFile(path);
  }

  /** The chart whose folder holds `dir`, when `dir` holds a Chart.yaml. */
  chartAt(dir: string): { appVersion?: string } | undefined {
    let chart = this.charts.get(dir);
    if (chart === undefined) {
      const text = this.read(join(dir, "Chart.yaml"));
      chart = null;
      // A Chart.yaml linked from outside still makes a chart; nothing is taken from its text.
      if (text === OUT_OF_TREE) chart = {};
      else if (text !== undefined) {
        const appVersion = /^appVersion:[ \t]*["']?([^"'\s#]+)/m.exec(text)?.[1];
        chart = appVersion === undefined ? {} : { appVersion };
      }
      this.charts.set(dir, chart);
    }
    return chart ?? undefined;
  }

  /** The chart folder when `absolute` lies under that chart's `templates/` folder. */
  templateChart(absolute: string): string | undefined {
    const parts = absolute.split(sep);
    for (let i = parts.length - 2; i > 0; i--) {
      if (parts[i] !== "templates") continue;
      const chartDir = parts.slice(0, i).join(sep);
      if (this.chartAt(chartDir)) return chartDir;
    }
    return undefined;
  }

  /** Variables of the `.env` file in `dir` (empty when there is none, or it links out of the tree). */
  envAt(dir: string): Map<string, string> {
    let env = this.envs.get(dir);
    if (!env) {
      const text = this.read(join(dir, ".env"));
      if (text === OUT_OF_TREE) this.envsOutside.add(dir);
      const positions = new Map<string, { line: number; column: number }>();
      env = text === undefined || text === OUT_OF_TREE ? new Map() : parseEnvFile(text, positions);
      this.envs.set(dir, env);
      this.envPositions.set(dir, positions);
    }
    return env;
  }

  /** Where each value of the `.env` in `dir` is written (after `envAt`). */
  envPositionsAt(dir: string): ReadonlyMap<string, { line: number; column: number }> {
    return this.envPositions.get(dir) ?? new Map();
  }

  /**
   * The `build.args` of a dev container definition near `dockerfile` (SPEC §4 dev containers) that
   * builds it: its `--build-arg`s. Empty when none builds it.
   */
  private devcontainerArgs(dockerfile: string): Record<string, string> | undefined {
    for (const definition of definitionsNear(dirname(dockerfile))) {
      if (!this.builderFiles.has(definition)) continue;
      let build = this.devcontainers.get(definition);
      if (build === undefined) {
        const text = this.read(definition);
        const doc = typeof text === "string" ? readJsonc(text, definition).doc : undefined;
        build = (doc && devcontainerBuild(doc.data, definition)) ?? null;
        this.devcontainers.set(definition, build);
      }
      if (build && build.dockerfile === dockerfile) return build.args;
    }
    return undefined;
  }

  /**
   * The `--build-arg` sets `dockerfile` is built with by what builds it (SPEC §4): a dev container
   * definition near it, the bake targets of its folder and the folders above it in the checked
   * tree. One empty set when nothing names it.
   */
  buildArgSets(dockerfile: string, devcontainers: boolean): DockerfileBuild[] {
    const sets: DockerfileBuild[] = [];
    if (this.builderFiles.size === 0) return [{ args: {}, contexts: [] }];
    if (devcontainers) {
      const args = this.devcontainerArgs(dockerfile);
      if (args) sets.push({ args, contexts: [] });
    }
    // Up to the checked folder that holds it (without roots, its own folder only).
    for (let dir = dirname(dockerfile); ; dir = dirname(dir)) {
      for (const target of this.bakeTargetsIn(dir))
        if (target.dockerfile === dockerfile) sets.push({ args: target.args, contexts: target.contexts });
      const parent = dirname(dir);
      if (parent === dir || !this.roots.some((root) => isInside(parent, root))) break;
    }
    const unique = new Map(
      sets.map((set) => [JSON.stringify([Object.entries(set.args).sort(), [...set.contexts].sort()]), set]),
    );
    return unique.size > 0 ? [...unique.values()] : [{ args: {}, contexts: [] }];
  }

  /** What the bake files of `dir` build, merged in the order bake reads them. */
  private bakeTargetsIn(dir: string): BakeTarget[] {
    let targets = this.bakes.get(dir);
    if (!targets) {
      const merged: Json = {};
      let file: string | undefined;
      for (const name of BAKE_FILES) {
        const path = join(dir, name);
        if (!this.builderFiles.has(path)) continue;
        const text = this.read(path);
        if (typeof text !== "string") continue;
        file = path;
        const data = readBake(text, path).doc?.data;
        if (isObject(data)) mergeBakeFile(merged, data);
      }
      targets = file ? bakeTargets(merged, file).targets : [];
      this.bakes.set(dir, targets);
    }
    return targets;
  }

  /** Whether the `.env` in `dir` is a link out of the checked tree (and so was not read). */
  envOutside(dir: string): boolean {
    return this.envsOutside.has(dir);
  }
}

const TEMPLATE_MARK = "{{";
/** A `// base-image-guard …` comment on a line of its own (Jenkinsfiles, dev containers, bake files). */
const SLASH_SUPPRESSION = /^([ \t]*)\/\/(?=[ \t]*base-image-guard\b)/gm;

/**
 * One file read by its source. Expansion that the file drives past its bound (variables doubling
 * at each step) makes the file a parse-error; the other files are still judged (SPEC §4).
 */
export function readSource(candidate: Candidate, options: ReadOptions): FileOutcome {
  try {
    return readOneSource(candidate, options);
  } catch (error) {
    if (!(error instanceof ExpansionError)) throw error;
    return unjudged(candidate.path, error.message);
  }
}

/** A file that could not be judged: one parse-error at line 0 saying why (the run fails closed). */
function unjudged(file: string, message: string): FileOutcome {
  return {
    file,
    result: { ...emptyResult(), problems: [{ file, line: 0, column: 0, message }] },
    suppressionProblems: [],
  };
}

function readOneSource(candidate: Candidate, options: ReadOptions): FileOutcome {
  const file = candidate.path;
  const name = basename(candidate.absolute);
  const dir = dirname(candidate.absolute);
  const folder = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
  if (candidate.kind !== "dockerfile") {
    const chart = options.layout.templateChart(candidate.absolute);
    if (chart !== undefined) {
      // The chart's folder as reports print it: the file's path without its part below the chart.
      const below = candidate.absolute.slice(chart.length + 1).split(sep).length;
      const chartFolder = file.split("/").slice(0, -below).join("/");
      return {
        file,
        skip: "Helm chart template: render it with helm template … | base-image-guard check --manifests -",
        group: templatesOf(chartFolder),
      };
    }
  }
  const read = readText(candidate.bytes ?? candidate.absolute, options.maxFileSize);
  if ("skip" in read) return { file, skip: read.skip };
  if ("unreadable" in read) return unjudged(file, read.unreadable);
  const { text } = read;

  let result: SourceResult;
  let heredocLines: ReadonlySet<number> | undefined;
  if (candidate.kind === "dockerfile") {
    // Once per set of --build-args that what builds it gives (a bake target, a dev container).
    const sets = options.layout.buildArgSets(candidate.absolute, options.devcontainers);
    const readings = sets.map(({ args, contexts }) => {
      const reading = readDockerfile(text, file, {
        buildArgs: { ...args, ...options.buildArgs },
        copyFrom: options.copyFrom,
      });
      // A name a bake target gives a context (`FROM runtime`, `--from=src`) is that context, not an
      // image: a docker-image:// one is judged at the bake file's line.
      if (contexts.length > 0)
        reading.occurrences = reading.occurrences.filter((o) => !contexts.includes(o.text));
      return reading;
    });
    const dockerfile = readings[0] as ReturnType<typeof readDockerfile>;
    for (const other of readings.slice(1)) dockerfile.occurrences.push(...other.occurrences);
    if (readings.length > 1) withoutRepeats(dockerfile.occurrences, 0);
    if (dockerfile.problems.length > 0 && (text.includes(TEMPLATE_MARK) || /%%[A-Za-z0-9_]+%%/.test(text))) {
      return {
        file,
        skip: "template (placeholders such as {{ }} or %%…%%), not a Dockerfile",
        group: folder,
      };
    }
    result = dockerfile;
    heredocLines = dockerfile.heredocLines;
  } else if (candidate.kind === "jenkinsfile") {
    result = emptyResult();
    if (options.ci && JENKINS_WORDS.test(text)) {
      const jenkins = readJenkinsfile(text);
      collect(jenkins.doc, jenkins.images, "jenkins", file, result);
    }
  } else if (candidate.kind === "hcl") {
    result = readBakeSource(text, file, candidate.absolute);
  } else {
    const role = roleOf(file, name, dir, candidate, options);
    if (role === undefined) return { file, result: emptyResult(), suppressionProblems: [] };
    result = readYamlSource(text, file, role, options, dir, folder);
    if (result.problems.length > 0 && result.occurrences.length === 0 && text.includes(TEMPLATE_MARK)) {
      return { file, skip: "template (contains {{ }} and is not valid YAML)", group: folder };
    }
  }
  // Text inside a heredoc, a YAML block scalar or a quoted scalar is data, never a suppression.
  // Groovy, JSON with comments and HCL write comments with `//`: a suppression may too.
  const commented =
    candidate.kind === "yaml" || candidate.kind === "dockerfile" || !text.includes(SUPPRESSION_MARKER)
      ? text
      : text.replace(SLASH_SUPPRESSION, "$1#");
  const suppressions = readSuppressions(
    commented,
    (candidate.kind !== "yaml" && candidate.kind !== "json") || !text.includes(SUPPRESSION_MARKER)
      ? heredocLines
      : yamlDataLines(text),
  );
  for (const found of [...result.occurrences, ...result.problems]) {
    if (found.file !== file) continue;
    const suppression = suppressions.valid.get(found.line - 1);
    if (suppression) found.suppression = suppression;
  }
  return { file, result, suppressionProblems: suppressions.problems };
}

type Role =
  | { kind: "pipeline"; pipeline: PipelineKind }
  | { kind: "devcontainer" }
  | { kind: "bake" }
  | { kind: "workflow" }
  | { kind: "kustomization" }
  | { kind: "values"; appVersion?: string }
  | { kind: "manifest"; json: boolean };

/** What a YAML or JSON file is, by its path (SPEC §4); undefined for files no source reads. */
function roleOf(
  file: string,
  name: string,
  dir: string,
  candidate: Candidate,
  options: ReadOptions,
): Role | undefined {
  if (candidate.kind === "json") {
    if (isDevcontainerPath(file)) return options.devcontainers ? { kind: "devcontainer" } : undefined;
    if (isBakePath(file)) return { kind: "bake" };
    return { kind: "manifest", json: true };
  }
  const pipeline = pipelineKindOf(file);
  if (pipeline) return pipeline.family === "ci" && !options.ci ? undefined : { kind: "pipeline", pipeline };
  if (isWorkflowPath(file)) return options.workflows ? { kind: "workflow" } : undefined;
  if (isKustomizationName(name)) return { kind: "kustomization" };
  if (isValuesFileName(name)) {
    const chart = options.layout.chartAt(dir);
    if (chart) return { kind: "values", ...chart };
  }
  return { kind: "manifest", json: false };
}

/**
 * Words a manifest must contain to hold anything it is read for (a superset: never a miss): an
 * image key, a Namespace's labels, or a Crossplane package. Workflows have their own words below.
 */
const MIGHT_HOLD_IMAGES = /image|Namespace|pkg\.crossplane\.io/;
/** A workflow names images only in a job's container or services, or a docker:// step. */
const WORKFLOW_MIGHT_HOLD_IMAGES = /container|services|docker:\/\//;

function readYamlSource(
  text: string,
  file: string,
  role: Role,
  options: ReadOptions,
  dir: string,
  folder: string,
): SourceResult {
  const result = emptyResult();
  if (role.kind === "bake") return readBakeSource(text, file, join(dir, basename(file)));
  if (role.kind === "devcontainer") {
    const parsed = readJsonc(text, file);
    result.problems.push(...parsed.problems);
    if (parsed.doc) collect(parsed.doc, devcontainerImages(parsed.doc.data), "devcontainer", file, result);
    return result;
  }
  if (role.kind === "manifest" && !MIGHT_HOLD_IMAGES.test(text)) return result;
  if (role.kind === "workflow" && !WORKFLOW_MIGHT_HOLD_IMAGES.test(text)) return result;
  if (role.kind === "pipeline" && !role.pipeline.words.test(text)) return result;
  if (role.kind === "manifest" && role.json && !(text.includes('"apiVersion"') && text.includes('"kind"')))
    return result;
  const parsed = readYamlFile(
    text,
    file,
    role.kind !== "manifest" ? { allPositions: true } : { exact: role.json },
  );
  result.problems.push(...parsed.problems);
  for (const doc of parsed.documents) {
    switch (role.kind) {
      case "pipeline": {
        const side = sideFiles(dir, folder, options.layout, result);
        const from = result.occurrences.length;
        collect(doc, role.pipeline.images(doc, file, side), role.pipeline.source, file, result);
        withoutRepeats(result.occurrences, from);
        break;
      }
      case "workflow":
        collect(doc, workflowImages(doc.data), "workflow", file, result);
        break;
      case "kustomization": {
        result.kustomization = readKustomization(doc, file);
        const patched = patchImages(doc, text, file);
        result.occurrences.push(...patched.occurrences);
        result.problems.push(...patched.problems);
        break;
      }
      case "values":
        collect(doc, helmValuesImages(doc.data, doc.written, role.appVersion), "helm", file, result);
        break;
      case "manifest":
        readManifest(doc, file, result, () => ({
          variables: options.layout.envAt(dir),
          positions: options.layout.envPositionsAt(dir),
          file: envFileOf(file),
        }));
        break;
    }
  }
  if (options.layout.envOutside(dir) && result.occurrences.some((o) => o.source === "compose")) {
    result.problems.push({
      file,
      line: 0,
      column: 0,
      message: `the .env beside it is a symbolic link out of the checked tree and was not read; its variables are unresolved here (replace the link with the file)`,
    });
  }
  return result;
}

/**
 * A manifest file's text as the sources read it (Kubernetes objects and compose files), on the
 * fast path with the exact one as fallback, or on the exact path only: the differential test and
 * script compare the two.
 */
export function readManifestText(
  text: string,
  file: string,
  options: { exact?: boolean } = {},
): SourceResult {
  const result = emptyResult();
  const parsed = readYamlFile(text, file, options);
  result.problems.push(...parsed.problems);
  for (const doc of parsed.documents) readManifest(doc, file, result);
  return result;
}

/** A Kubernetes object or a compose file; anything else is ignored (SPEC §4). */
export function readManifest(
  doc: YamlDocument,
  file: string,
  result: SourceResult,
  /** The `.env` beside the file (its values and where they are written), looked up only for a compose file. */
  env: () => FileVariables = () => ({ variables: new Map(), positions: new Map(), file: envFileOf(file) }),
): void {
  if (isKubernetesObject(doc.data)) {
    const found = kubernetesImages(doc.data, doc.written);
    Object.assign(result.namespaces, found.namespaces);
    collect(doc, found.images, "kubernetes", file, result);
  } else if (isComposeFile(doc.data)) {
    collect(doc, composeImages(doc.data), "compose", file, result, env());
  } else if (isComposeName(file) && isVersion1Compose(doc.data)) {
    collect(doc, composeV1Images(doc.data), "compose", file, result, env());
  }
}

/** Occurrences of one document, whichever parser read it. */
export function collect(
  doc: YamlDocument,
  images: ImageAt[],
  source: SourceKind,
  file: string,
  result: SourceResult,
  env?: FileVariables,
): void {
  for (const found of images) {
    const variables = found.variables ?? env;
    const valueOptions: ValueOptions = variables ? { variables: variables.variables } : {};
    const where = found.in ?? { doc, file };
    const at = where.doc.locate(found.path);
    const { text: imageText, image } =
      found.unresolved === undefined
        ? imageOfValue(found.value, valueOptions)
        : {
            text: detach(String(found.value)),
            image: { kind: "unresolved" as const, missing: [], reason: found.unresolved },
          };
    const suppression = found.in?.suppressions.get(at.line - 1);
    result.occurrences.push({
      written:
        found.unresolved === undefined
          ? writtenIn(where.doc, found, where.file, at, variables)
          : { kind: "fixed", reason: "the image is not written here (see the finding)" },
      file: where.file,
      ...(suppression && { suppression }),
      line: at.line,
      column: at.col,
      source: found.source ?? source,
      text: imageText,
      image,
      ...(found.workload && { workload: found.workload }),
      ...(found.container && { container: found.container }),
      labels: found.labels,
    });
  }
}

/**
 * Where a YAML image value is written, for `fix` (SPEC §9): the scalar, each key of a Helm-style
 * map, or for compose the `.env` value or `${VAR:-default}` default it came from.
 */
function writtenIn(
  doc: YamlDocument,
  found: ImageAt,
  file: string,
  at: { line: number; col: number },
  env: FileVariables | undefined,
): ImageWritten {
  if (at.line === 0) return { kind: "fixed", reason: "the YAML is read without positions (see the notice)" };
  if (found.map) {
    const { path, keys, global } = found.map;
    const located: Partial<Record<MapKey, ValueAt>> = {};
    for (const key of keys) {
      const position = doc.locate([...path, key]);
      const value = doc.written([...path, key]);
      if (value !== undefined)
        located[key] = { file, line: position.line, column: position.col, value: detach(value) };
    }
    const repository = located.repository;
    if (!repository) return { kind: "fixed", reason: "the map's repository is not a plain value" };
    return { kind: "map", keys: located, repository, ...(global !== undefined && { global }) };
  }
  if (typeof found.value !== "string") return { kind: "fixed", reason: "the image is not a string" };
  // Occurrences can live to the end of the run: the value must not keep the file's text alive.
  const written = found.prefix === undefined ? found.value : `${found.prefix}${found.value}`;
  const here: ValueAt = { file, line: at.line, column: at.col, value: detach(written) };
  if (found.prefix !== undefined) {
    if (found.value.includes("$"))
      return { kind: "fixed", reason: "the image is put together from variables; change them by hand" };
    return { kind: "value", at: here, part: { start: found.prefix.length, end: written.length } };
  }
  if (!env || !found.value.includes("$")) return { kind: "value", at: here };
  const one = oneVariable(found.value, (name) => env.variables.get(name));
  if (!one) return { kind: "fixed", reason: "the image is put together from variables; change them by hand" };
  if (one.part) return { kind: "value", at: here, part: one.part };
  const name = one.name;
  const value = env.variables.get(name);
  const position = env.positions.get(name);
  if (value === undefined || !position)
    return { kind: "fixed", reason: `variable ${name} has no value to change` };
  return { kind: "value", at: { file: env.file, ...position, value: detach(value) } };
}

/** What a Dockerfile is built with by a bake target or a dev container. */
export interface DockerfileBuild {
  args: Record<string, string>;
  /** Names of the target's build contexts, which `FROM` and `--from` may name instead of an image. */
  contexts: string[];
}

/** A bake file: the images its targets' contexts name (its Dockerfiles are read where they are). */
function readBakeSource(text: string, file: string, absolute: string): SourceResult {
  const result = emptyResult();
  // Parsed even without contexts: a bake file that cannot be read gives its Dockerfiles no args, and says so.
  const parsed = readBake(text, file);
  result.problems.push(...parsed.problems);
  if (parsed.doc) collect(parsed.doc, bakeTargets(parsed.doc.data, absolute).images, "bake", file, result);
  return result;
}

/**
 * Drops occurrences from `from` on that repeat one at the same place with the same text: a YAML
 * alias that several jobs merge in (`<<: *defaults`) names its image once, where it is written.
 */
function withoutRepeats(occurrences: Occurrence[], from: number): void {
  const seen = new Set<string>();
  let kept = from;
  for (let i = from; i < occurrences.length; i++) {
    const o = occurrences[i] as Occurrence;
    const key = `${o.file}\u0000${o.line}\u0000${o.column}\u0000${o.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    occurrences[kept++] = o;
  }
  occurrences.length = kept;
}

/**
 * The YAML files a pipeline reads beside itself (GitLab's local includes), by their path from the
 * pipeline's folder; a file that is missing or links out of the checked tree is the reason why not.
 * Their parse errors are the pipeline's result's problems, at their own file and line.
 */
function sideFiles(dir: string, folder: string, layout: Layout, result: SourceResult): SideFiles {
  return {
    yaml(path) {
      const relative = posix.normalize(path.replace(/^\/+/, ""));
      if (relative.startsWith("../") || relative === "..") return "it is outside the repository";
      const text = layout.read(join(dir, ...relative.split("/")));
      if (text === OUT_OF_TREE) return "it is a symbolic link out of the checked tree";
      if (text === undefined) return "there is no such file";
      const file = folder === "." ? relative : `${folder}/${relative}`;
      const parsed = readYamlFile(text, file, { allPositions: true });
      result.problems.push(...parsed.problems);
      // Only a file with the marker needs its data lines told apart (a scan of its own).
      const suppressions = text.includes(SUPPRESSION_MARKER)
        ? readSuppressions(text, yamlDataLines(text)).valid
        : new Map();
      return parsed.documents.map((doc) => ({ doc, file, suppressions }));
    },
  };
}

/** Whether a found file can give a Dockerfile build args (a dev container definition, a bake file). */
export function isBuilderFile(path: string): boolean {
  return isDevcontainerPath(path) || isBakePath(path);
}

/** The `.env` beside a compose file, as reports print it. */
function envFileOf(file: string): string {
  return file.includes("/") ? `${file.slice(0, file.lastIndexOf("/"))}/.env` : ".env";
}

/**
 * The file as text, why it is skipped (SPEC §3.5: counted and named, never judged clean), or why
 * it cannot be read although it should be judged (a parse-error: the run fails closed). One open,
 * fstat and read per file: the size is checked before anything is read.
 */
function readText(
  path: string | Buffer,
  maxFileSize: number,
): { text: string } | { skip: string } | { unreadable: string } {
  const cannot = (error: unknown) => ({
    unreadable: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}), so it was not judged; give the check read permission on it, or exclude it in the policy`,
  });
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO that slipped through must not block the run (regular files are unaffected).
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return cannot(error);
  }
  let bytes: Buffer;
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      return { unreadable: "not a regular file (a FIFO, socket or device), so it cannot be judged" };
    }
    const { size } = stats;
    if (size > maxFileSize) {
      return { skip: `larger than maxFileSize (${formatSize(size)} > ${formatSize(maxFileSize)})` };
    }
    bytes = Buffer.allocUnsafe(size);
    let read = 0;
    for (let n = 1; read < size && n > 0; read += n) n = readSync(fd, bytes, read, size - read, read);
    bytes = bytes.subarray(0, read);
  } catch (error) {
    return cannot(error);
  } finally {
    closeSync(fd);
  }
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { skip: "binary file" };
  return { text: bytes.toString("utf8") };
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}
