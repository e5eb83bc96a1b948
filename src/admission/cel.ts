/**
 * The policy as CEL (SPEC §8): variables that find every container image of a pod or pod
 * controller, normalise it as SPEC §3 does, and list the images each rule rejects; one validation
 * per rule. Generated from the policy, never written per policy; the same program serves the
 * Kyverno ValidatingPolicy, the ValidatingAdmissionPolicy and the legacy ClusterPolicy's `cel`.
 *
 * Only standard CEL and the strings extension are used (`matches`, `split`, `indexOf`,
 * `substring`, `lowerAscii`, `trim`, `join`, `replace`), which Kubernetes, Kyverno and the
 * conformance-tested evaluator of the equivalence test all have. No expression contains the text
 * `object.spec` or `object.metadata`, so Kyverno's autogen, which rewrites exactly those, leaves
 * every expression as written: they read pods and every controller by `kind` themselves.
 */
import semver from "semver";
import { UsageError } from "../errors.js";
import { hasGlob } from "../glob.js";
import { normalizeGlob, normalizeRepository, splitReference } from "../image/reference.js";
import { codenamesOf } from "../image/release.js";
import { listSome, RELEASE, splitLabel } from "../policy/compile.js";
import { BUNDLED, type Calendar } from "../policy/eol/calendar.js";
import { type EolRelease, hasEnded, supportEnd } from "../policy/eol/index.js";
import type { Policy, PolicyException } from "../policy/types.js";
import type { RuleId } from "../rules/catalog.js";
import { globToRegex, REFERENCE_PARTS } from "./patterns.js";

export interface CelVariable {
  name: string;
  expression: string;
}

export interface CelValidation {
  /** The rule whose verdict this validation gives. `parse-error` also stands for `unresolved-image`. */
  rule: RuleId;
  /** The variable listing the images this rule rejects. */
  variable: string;
  expression: string;
  message: string;
  messageExpression: string;
}

export interface CelProgram {
  variables: CelVariable[];
  validations: CelValidation[];
}

/** How live exceptions reach the expressions. */
export type ExceptionMode =
  /** Compiled in: only those live at export time, and they cannot expire in the cluster. */
  | { kind: "compiled" }
  /** Kyverno: each exception is a PolicyException whose `allowedValues` holds its id. */
  | { kind: "kyverno"; ids: string[] };

export interface CelOptions {
  /** YYYY-MM-DD: exceptions that expired before this day are left out. */
  today: string;
  exceptions: ExceptionMode;
  /** The end-of-life calendar the policy judges with; the bundled one when left out. */
  calendar?: Calendar;
}

/** The kinds whose pod spec the program reads, with the path to it (SPEC §8). */
export const POD_KINDS = {
  Pod: "spec",
  Deployment: "spec.template.spec",
  StatefulSet: "spec.template.spec",
  DaemonSet: "spec.template.spec",
  ReplicaSet: "spec.template.spec",
  ReplicationController: "spec.template.spec",
  Job: "spec.template.spec",
  CronJob: "spec.jobTemplate.spec.template.spec",
} as const;

/** A CEL string literal. JSON's escapes (`\\`, `\"`, `\n`, `\uXXXX`) are CEL's too. */
function str(text: string): string {
  return JSON.stringify(text);
}

const T = "variables.target";
const DOCKER_HUB_ALIASES = ["docker.io", "index.docker.io", "registry-1.docker.io"];

/** `a.b.c` present under `root`, each step guarded with `has()`. */
function present(root: string, path: string): string {
  const steps = path.split(".");
  return steps.map((_, i) => `has(${root}.${steps.slice(0, i + 1).join(".")})`).join(" && ");
}

function podSpecs(): string {
  const specAt = (path: string) => `(${present(T, path)} ? [${T}.${path}] : [])`;
  const controllers = Object.entries(POD_KINDS).filter(([kind]) => kind !== "Pod" && kind !== "CronJob");
  return [
    `${T}.kind == "Pod" ? ${specAt(POD_KINDS.Pod)}`,
    `${T}.kind == "CronJob" ? ${specAt(POD_KINDS.CronJob)}`,
    `${T}.kind in [${controllers.map(([kind]) => str(kind)).join(", ")}] ? ${specAt("spec.template.spec")}`,
    "[]",
  ].join(" : ");
}

/** Every container of the pod spec: containers, initContainers and ephemeralContainers. */
function containers(): string {
  const list = (name: string) => `(has(variables.podSpecs[0].${name}) ? variables.podSpecs[0].${name} : [])`;
  return `size(variables.podSpecs) == 0 ? [] : ${list("initContainers")} + ${list("containers")} + ${list("ephemeralContainers")}`;
}

/**
 * The label maps that can make the workload high-security, nearest first: the pod template's, a
 * CronJob's job template's, the object's own (SPEC §3.3; the checker merges them in that order).
 */
function labelSources(): string {
  const labels = (path: string) => `(${present(T, `${path}.labels`)} ? [${T}.${path}.labels] : [])`;
  return [
    `(${T}.kind == "CronJob" ? ${labels("spec.jobTemplate.spec.template.metadata")} + ${labels("spec.jobTemplate.metadata")} : [])`,
    `(${T}.kind != "Pod" && ${T}.kind != "CronJob" ? ${labels("spec.template.metadata")} : [])`,
    labels("metadata"),
  ].join(" + ");
}

/**
 * Stages that take an image string apart as parseImageRef does; each maps an image to a map of
 * strings (CEL map literals must be homogeneous: the image is converted with `string()`). The
 * grammar is checked once per image, part by part (REFERENCE_PARTS), which costs a fraction of
 * one pattern over the whole string; `parsed` says which images are valid, for `parts` and for
 * the parse-error rule alike.
 */
function referenceStages(): CelVariable[] {
  const P = REFERENCE_PARTS;
  // cel-go's indexOf and lastIndexOf fail on an empty receiver (@bufbuild/cel's do not): guard each.
  const at = `(x.c != "" ? x.c.indexOf("@") : -1)`;
  const split = [
    `"raw": x.raw`,
    `"nd": ${at} >= 0 ? x.c.substring(0, ${at}) : x.c`,
    `"dg": ${at} >= 0 ? x.c.substring(${at} + 1) : ""`,
    `"at": ${at} >= 0 ? "y" : ""`,
  ];
  const afterSlash = `((x.nd != "" ? x.nd.lastIndexOf("/") : -1) + 1)`;
  const colon = `(${afterSlash} < size(x.nd) ? x.nd.indexOf(":", ${afterSlash}) : -1)`;
  const named = [
    `"raw": x.raw`,
    `"dg": x.dg`,
    `"at": x.at`,
    `"n": ${colon} >= 0 ? x.nd.substring(0, ${colon}) : x.nd`,
    `"tag": ${colon} >= 0 ? x.nd.substring(${colon} + 1) : ""`,
    `"wt": ${colon} >= 0 ? "y" : ""`,
  ];
  const slash = `(x.n != "" ? x.n.indexOf("/") : -1)`;
  const pieces = [
    ...["raw", "dg", "at", "n", "tag", "wt"].map((key) => `"${key}": x.${key}`),
    `"f": ${slash} >= 0 ? x.n.substring(0, ${slash}) : x.n`,
    `"p": ${slash} >= 0 ? x.n.substring(${slash} + 1) : ""`,
    `"sl": ${slash} >= 0 ? "y" : ""`,
  ];
  const valid = [
    `x.n != ""`,
    `(x.at == "" || x.dg.matches(${str(P.DIGEST)}))`,
    `(x.wt == "" || x.tag.matches(${str(P.TAG)}))`,
    `(x.sl == "" ? x.n.matches(${str(P.COMPONENT)}) : (x.f.matches(${str(P.FIRST)}) && x.p.matches(${str(P.PATH)})))`,
    `!(x.at == "" && x.wt == "" && x.n.matches(${str(P.IMAGE_ID)}))`,
  ].join(" && ");
  const isRegistry = `(x.sl != "" && (x.f.contains(".") || x.f.contains(":") || x.f == "localhost" || x.f.startsWith("[") || x.f != x.f.lowerAscii()))`;
  const checkedFields = [
    ...["raw", "dg", "n", "tag", "wt", "f", "p"].map((key) => `"${key}": x.${key}`),
    `"ok": (${valid}) ? "y" : ""`,
    `"reg": ${isRegistry} ? "y" : ""`,
  ];
  const host = `(x.f.lowerAscii().endsWith(":443") ? x.f.lowerAscii().substring(0, size(x.f) - 4) : x.f.lowerAscii())`;
  const aliases = `[${DOCKER_HUB_ALIASES.map(str).join(", ")}]`;
  const matchRegistry = `(x.reg != "" ? (${host} in ${aliases} ? "docker.io" : ${host}) : "docker.io")`;
  const displayRegistry = `(x.reg != "" ? (x.f in ${aliases} ? "docker.io" : x.f) : "docker.io")`;
  const path = `(x.reg != "" ? x.p : x.n)`;
  const library = `(${displayRegistry} == "docker.io" && !${path}.contains("/") ? "library/" : "")`;
  const tag = `(x.wt != "" ? x.tag : (x.dg == "" ? "latest" : ""))`;
  const tagPart = `(${tag} != "" ? ":" + ${tag} : "")`;
  const name = `x.n.substring(x.n.lastIndexOf("/") + 1)`;
  const parts = [
    `"raw": x.raw`,
    `"dg": x.dg`,
    `"tag": ${tag}`,
    `"wt": x.wt`,
    `"repo": ${matchRegistry} + "/" + ${library} + ${path}`,
    `"drepo": ${displayRegistry} + "/" + ${library} + ${path}`,
    `"name": ${name}`,
    `"norm": ${matchRegistry} + "/" + ${library} + ${path} + ${tagPart} + (x.dg != "" ? "@" + x.dg : "")`,
    `"nt": ${name} + ${tagPart}`,
  ];
  const carry = (keys: string[]) => keys.map((key) => `"${key}": x.${key}`);
  const base = ["raw", "dg", "tag", "wt", "repo", "norm", "name", "nt"];
  const withLead = [...carry(base), `"lead": ${lead()}`];
  const withRelease = [...carry(base), `"rel": ${release()}`];
  const rel = `x.rel.split(".")`;
  const component = (n: number) => `(size(${rel}) > ${n} ? ${rel}[${n}] : "0")`;
  const withComponents = [...carry([...base, "rel"]), ...[0, 1, 2].map((n) => `"c${n}": ${component(n)}`)];
  const map = (fields: string[]) => `{${fields.join(", ")}}`;
  return [
    {
      name: "images",
      expression: `variables.containers.filter(c, has(c.image) && c.image != "").map(c, string(c.image))`,
    },
    {
      name: "cores",
      expression: `variables.images.map(i, {"raw": i, "c": i.matches(${str(P.CORE)}) ? i.trim() : ""})`,
    },
    { name: "split", expression: `variables.cores.map(x, ${map(split)})` },
    { name: "named", expression: `variables.split.map(x, ${map(named)})` },
    { name: "pieces", expression: `variables.named.map(x, ${map(pieces)})` },
    { name: "parsed", expression: `variables.pieces.map(x, ${map(checkedFields)})` },
    { name: "parts", expression: `variables.parsed.filter(x, x.ok != "").map(x, ${map(parts)})` },
    { name: "refs", expression: `variables.parts.filter(x, size(x.drepo) <= 255).map(x, ${map(withLead)})` },
    { name: "versions", expression: `variables.refs.map(x, ${map(withRelease)})` },
    { name: "releases", expression: `variables.versions.map(x, ${map(withComponents)})` },
  ];
}

/**
 * The digits and dots a tag starts with (src/image/release.ts reads its release from them), ""
 * for a tag that starts otherwise. Every character that may follow a version in a tag (letters,
 * `_`, `-`) is turned into `/`, which no tag holds, and the text is cut there.
 */
function lead(): string {
  // Lower-cased first: half the replacements (each charged by the tag's length).
  const stops = [..."abcdefghijklmnopqrstuvwxyz_-"];
  return `x.tag.matches("^[0-9]") ? x.tag.lowerAscii()${stops.map((c) => `.replace(${str(c)}, "/")`).join("")}.split("/")[0] : ""`;
}

/**
 * The release a tag names: the longest `\d+(\.\d+)*` its lead starts with, else for debian and
 * ubuntu a codename as its first word; "" when it names none.
 */
function release(): string {
  const cut = `(x.lead.indexOf("..") >= 0 ? x.lead.substring(0, x.lead.indexOf("..")) : x.lead)`;
  const version = `(${cut}.endsWith(".") ? ${cut}.substring(0, size(${cut}) - 1) : ${cut})`;
  let byCodename = `""`;
  for (const [name, table] of Object.entries(codenamesOf()).reverse()) {
    for (const [word, number] of Object.entries(table).reverse()) {
      byCodename = `(x.name == ${str(name)} && x.tag.matches(${str(`^${word}([^a-z]|$)`)}) ? ${str(number)} : ${byCodename})`;
    }
  }
  return `x.lead != "" ? ${version} : ${byCodename}`;
}

/** `x.rel` is `wanted` or continues it at a component boundary (releaseMatches). */
function releaseIs(wanted: string): string {
  return `(x.rel == ${str(wanted)} || x.rel.startsWith(${str(`${wanted}.`)}))`;
}

/**
 * `subject` matches a policy glob (SPEC §3: `*` any characters but `/`, `**` any, `?` one but
 * `/`). The shapes policies use most — a prefix then `/*` or `/**`, `*text*`, `*text` — become
 * string comparisons, which CEL charges far less than a `matches`; the rest a pattern.
 */
export function globCel(subject: string, glob: string): string {
  const literal = (text: string) => !/[*?]/.test(text);
  const prefix = /^(.*?)(\*+)$/.exec(glob);
  if (prefix && literal(prefix[1] as string)) {
    const head = prefix[1] as string;
    if ((prefix[2] as string).length >= 2) return `${subject}.startsWith(${str(head)})`;
    // `[^/]*`: no `/` after the prefix, so the last `/` (or none) lies inside it.
    return `(${subject}.startsWith(${str(head)}) && ${subject}.lastIndexOf("/") < ${head.length})`;
  }
  const inner = /^\*([^*?/]+)(\*?)$/.exec(glob);
  if (inner) {
    const text = inner[1] as string;
    const test = inner[2] ? `${subject}.contains(${str(text)})` : `${subject}.endsWith(${str(text)})`;
    return `(${test} && !${subject}.contains("/"))`;
  }
  return `${subject}.matches(${str(globToRegex(glob))})`;
}

/** SPEC §3.1 (repositoryMatcher): the exact normalised repository, or a glob over it. */
function repositoryMatches(entry: string): string {
  if (hasGlob(entry)) return globCel("x.repo", normalizeGlob(entry));
  return `x.repo == ${str(normalizeRepository(entry))}`;
}

function anyRepository(entries: readonly string[]): string {
  const exact = entries.filter((entry) => !hasGlob(entry)).map(normalizeRepository);
  const globs = entries.filter(hasGlob).map(repositoryMatches);
  const terms = [
    ...(exact.length > 0 ? [`x.repo in [${[...new Set(exact)].map(str).join(", ")}]`] : []),
    ...globs,
  ];
  return terms.length === 0 ? "false" : `(${terms.join(" || ")})`;
}

/** SPEC §3.2 (imageMatcher): `name[:release]`, a repository, or a glob. */
function imageMatches(entry: string): string {
  if (hasGlob(entry)) {
    return entry.includes("/") ? globCel("x.norm", normalizeGlob(entry)) : globCel("x.nt", entry);
  }
  const { name, tag: wanted, digest } = splitReference(entry);
  const terms = [
    name.includes("/") ? `x.repo == ${str(normalizeRepository(name))}` : `x.name == ${str(name)}`,
  ];
  if (digest !== undefined) terms.push(`x.dg == ${str(digest)}`);
  if (wanted !== undefined) terms.push(releaseIs(wanted));
  return `(${terms.join(" && ")})`;
}

/** A semver comparator over the image's coerced release, with integer comparisons. */
function comparator(operator: string, version: semver.SemVer): string {
  const [a, b, c] = [version.major, version.minor, version.patch];
  const [M, m, p] = ["int(x.c0)", "int(x.c1)", "int(x.c2)"];
  const atLeast = `(${M} > ${a} || (${M} == ${a} && (${m} > ${b} || (${m} == ${b} && ${p} >= ${c}))))`;
  const above = `(${M} > ${a} || (${M} == ${a} && (${m} > ${b} || (${m} == ${b} && ${p} > ${c}))))`;
  const equal = `(${M} == ${a} && ${m} == ${b} && ${p} == ${c})`;
  // A release never has a pre-release part, so it sorts after a comparator's pre-release of the same numbers.
  const pre = version.prerelease.length > 0;
  switch (operator) {
    case ">=":
      return atLeast;
    case ">":
      return pre ? atLeast : above;
    case "<":
      return `!${atLeast}`;
    case "<=":
      return pre ? `!${atLeast}` : `!${above}`;
    default:
      return pre ? "false" : equal;
  }
}

/** A semver range (`>=3.19`, `^3.19`, `3.x`) as integer comparisons; the checker's coerce() in CEL. */
function rangeMatches(range: string): string {
  const parsed = new semver.Range(range);
  const alternatives = parsed.set.map((comparators) => {
    const terms = comparators.filter((c) => c.value !== "").map((c) => comparator(c.operator, c.semver));
    return terms.length === 0 ? "true" : terms.join(" && ");
  });
  // Components the checker cannot coerce (more than 15 digits) satisfy no range.
  const small = [0, 1, 2].map((n) => `size(x.c${n}) <= 15`).join(" && ");
  return `(x.rel != "" && ${small} && (${alternatives.map((a) => `(${a})`).join(" || ")}))`;
}

/** SPEC §3.4: the first `versions` key that matches decides; its release must be listed or in range. */
function versionAllowed(versions: Record<string, string[]>): string {
  let expression = "true";
  for (const [distribution, allowed] of Object.entries(versions).reverse()) {
    const key = hasGlob(distribution) ? distribution : distribution.replace(/:.*$/, "");
    const listed = allowed.filter((value) => RELEASE.test(value)).map(releaseIs);
    const ranges = allowed.filter((value) => !RELEASE.test(value)).map(rangeMatches);
    const terms = [...listed, ...ranges];
    const ok = terms.length === 0 ? "false" : `(x.rel != "" && (${terms.join(" || ")}))`;
    expression = `(${imageMatches(key)} ? ${ok} : ${expression})`;
  }
  return expression;
}

/**
 * SPEC §3.4b as of the export's day: an image of a calendar product whose release is in a cycle
 * whose support has ended (the longest listed cycle it belongs to, as check reads it), or that
 * names no release. Warnings (near the end) are not enforced in the cluster; with `block: false`
 * nothing but an unverifiable release is an error.
 */
function endOfLife(eol: NonNullable<Policy["eol"]>, today: string, calendar: Calendar): string {
  const terms: string[] = [];
  for (const product of calendar.products) {
    const names = `x.name in [${product.images.map(str).join(", ")}]`;
    terms.push(`(${names} && x.rel == "")`);
    if (!eol.block) continue;
    const ended = (r: EolRelease) => hasEnded(supportEnd(r, eol.support ?? "standard"), today);
    for (const cycle of product.releases.filter(ended)) {
      // A longer cycle inside this one that is still supported decides for its releases.
      const inner = product.releases.filter((r) => r.release.startsWith(`${cycle.release}.`) && !ended(r));
      const notInner = inner.map((r) => `!${releaseIs(r.release)}`);
      terms.push(`(${[names, releaseIs(cycle.release), ...notInner].join(" && ")})`);
    }
  }
  return terms.length === 0 ? "false" : `(${terms.join(" || ")})`;
}

function pinned(pinning: "digest" | "tag"): string {
  return pinning === "digest" ? `x.dg != ""` : `(x.dg != "" || (x.wt != "" && x.tag != "latest"))`;
}

/** SPEC §3.3: the label on the workload, its pod template, its Namespace, or a listed namespace. */
function highSecurity(minimal: NonNullable<Policy["minimal"]>): string {
  const [key, value] = splitLabel(minimal.label);
  const k = str(key);
  const own = `(size(variables.labelSources.filter(l, ${k} in l)) > 0 && variables.labelSources.filter(l, ${k} in l)[0][${k}] == ${str(value)})`;
  const namespace = `(namespaceObject != null && has(namespaceObject.metadata) && has(namespaceObject.metadata.labels) && ${k} in namespaceObject.metadata.labels && namespaceObject.metadata.labels[${k}] == ${str(value)})`;
  const listed = minimal.namespaces?.length
    ? [`request.namespace in [${minimal.namespaces.map(str).join(", ")}]`]
    : [];
  return [own, namespace, ...listed].join(" || ");
}

function exceptionTerm(exception: PolicyException, index: number, mode: ExceptionMode): string {
  const matches = imageMatches(exception.image);
  if (mode.kind === "compiled") return matches;
  // `granted` says once per evaluation which PolicyExceptions are in force.
  return `(variables.granted[${index}] != "" && ${matches})`;
}

/** Exceptions live on `today` (expired ones are left out, SPEC §8). */
export function liveExceptions(policy: Policy, today: string): PolicyException[] {
  return policy.exceptions.filter((exception) => today <= exception.expires);
}

/** The live exceptions that waive `rule`, by index. */
function exceptionsFor(rule: RuleId, live: PolicyException[]): number[] {
  return live.flatMap((exception, index) =>
    !exception.rules || exception.rules.includes(rule) ? [index] : [],
  );
}

/**
 * The stages that test exceptions once per image: `granted` (Kyverno: which PolicyExceptions are
 * in force, read once) and `judged`, the releases with a field `w<k>` that is "y" when one of the
 * exceptions of set k waives the image. `sets` are the distinct exception sets the rules honour.
 */
function waiverStages(sets: number[][], live: PolicyException[], mode: ExceptionMode): CelVariable[] {
  const stages: CelVariable[] = [];
  if (mode.kind === "kyverno") {
    const ids = mode.ids.map((id) => `${str(id)} in exceptions.allowedValues ? "y" : ""`);
    stages.push({ name: "granted", expression: `[${ids.join(", ")}]` });
  }
  const carried = ["raw", "dg", "tag", "wt", "repo", "norm", "name", "nt", "rel", "c0", "c1", "c2"];
  const fields = sets.map((set, k) => {
    const terms = set.map((i) => exceptionTerm(live[i] as PolicyException, i, mode));
    return `"w${k}": (${terms.join(" || ")}) ? "y" : ""`;
  });
  const map = [...carried.map((key) => `"${key}": x.${key}`), ...fields].join(", ");
  stages.push({ name: "judged", expression: `variables.releases.map(x, {${map}})` });
  return stages;
}

/** Text on one line: every line break (and other vertical space) a policy's text holds becomes a space. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\v\f\u0085\u2028\u2029]/g, " ");
}

export function celProgram(policy: Policy, options: CelOptions): CelProgram {
  const live = liveExceptions(policy, options.today);
  const variables: CelVariable[] = [
    { name: "target", expression: "object" },
    { name: "podSpecs", expression: podSpecs() },
    { name: "containers", expression: containers() },
    ...referenceStages(),
  ];
  const validations: CelValidation[] = [];
  const rule = (id: RuleId, variable: string, expression: string, what: string) => {
    variables.push({ name: variable, expression });
    validations.push({
      rule: id,
      variable,
      expression: `size(variables.${variable}) == 0`,
      message: oneLine(`${id}: an image ${what}`),
      // The API server refuses a message with a line break: the images are joined on one line.
      messageExpression: `${str(`${id}: `)} + variables.${variable}.join(", ").replace("\\r", " ").replace("\\n", " ") + ${str(oneLine(` ${what}`))}`,
    });
  };
  // Each rule filters the releases; one that some exceptions waive filters `judged` instead, by
  // the field of its exception set (the sets are numbered as the rules first name them).
  const sets: number[][] = [];
  const violating = (id: RuleId, violates: string) => {
    const indexes = exceptionsFor(id, live);
    if (indexes.length === 0) return `variables.releases.filter(x, (${violates})).map(x, x.raw)`;
    let k = sets.findIndex((set) => set.join() === indexes.join());
    if (k < 0) k = sets.push(indexes) - 1;
    return `variables.judged.filter(x, (${violates}) && x.w${k} == "").map(x, x.raw)`;
  };

  rule(
    "parse-error",
    "invalidImages",
    `variables.parsed.filter(x, x.ok == "").map(x, x.raw) + variables.parts.filter(x, size(x.drepo) > 255).map(x, x.raw)`,
    "is not a valid image reference",
  );
  if (policy.approved) {
    const use = listSome(policy.approved);
    rule(
      "approved-base-images",
      "notApproved",
      violating("approved-base-images", `!${anyRepository(policy.approved)}`),
      `is not an approved base image; use one of ${use}`,
    );
  }
  if (policy.deprecated) {
    const terms = policy.deprecated.map(imageMatches);
    const move = policy.approved ? `; move to one of ${listSome(policy.approved)}` : "";
    rule(
      "block-deprecated-base-images",
      "deprecatedImages",
      violating("block-deprecated-base-images", `(${terms.join(" || ")})`),
      `is deprecated or end-of-life${move}`,
    );
  }
  if (policy.minimal) {
    variables.push({ name: "labelSources", expression: labelSources() });
    variables.push({ name: "highSecurity", expression: highSecurity(policy.minimal) });
    rule(
      "require-minimal-base-images",
      "notMinimal",
      `variables.highSecurity ? ${violating("require-minimal-base-images", `!${anyRepository(policy.minimal.images)}`)} : []`,
      `is not a minimal image, but the workload is high-security (${policy.minimal.label}); use one of ${listSome(policy.minimal.images)}`,
    );
  }
  if (policy.versions) {
    const allowed = Object.entries(policy.versions)
      .map(([name, list]) => `${name} ${list.join(", ")}`)
      .join("; ");
    rule(
      "validate-base-image-version",
      "releaseNotAllowed",
      violating("validate-base-image-version", `!${versionAllowed(policy.versions)}`),
      `names a release the policy does not allow, or none it can verify (allowed: ${allowed})`,
    );
  }
  if (policy.eol) {
    rule(
      "block-eol-base-images",
      "endOfLife",
      violating("block-eol-base-images", endOfLife(policy.eol, options.today, options.calendar ?? BUNDLED)),
      `is past its end of support, or names no release that can be checked; move to a supported release`,
    );
  }
  if (policy.pinning) {
    const how =
      policy.pinning === "digest"
        ? "is not pinned by digest (@sha256:…)"
        : "does not name a version (pin a tag other than latest, or a digest)";
    rule(
      "require-pinned-image",
      "unpinned",
      violating("require-pinned-image", `!(${pinned(policy.pinning)})`),
      how,
    );
  }
  if (sets.length > 0) {
    const stages = waiverStages(sets, live, options.exceptions);
    variables.splice(variables.findIndex((v) => v.name === "releases") + 1, 0, ...stages);
  }
  tooLarge(variables, validations);
  return { variables, validations };
}

/** cel-go's parser (as Kubernetes and Kyverno run it) refuses an expression over 100,000 code points. */
export const CEL_EXPRESSION_LIMIT = 100_000;

function tooLarge(variables: CelVariable[], validations: CelValidation[]): void {
  for (const variable of variables) {
    const size = [...variable.expression].length;
    if (size <= CEL_EXPRESSION_LIMIT) continue;
    const rule = validations.find((v) => v.variable === variable.name)?.rule;
    throw new UsageError(
      `the policy is too large to export: the CEL of ${rule ? `rule ${rule}` : `variable ${variable.name}`} is ${size.toLocaleString("en")} characters, over the ${CEL_EXPRESSION_LIMIT.toLocaleString("en")} the cluster's CEL parser accepts; use fewer or broader entries (globs, ranges) for that rule`,
    );
  }
}
