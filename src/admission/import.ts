/**
 * `policy import FILE` (SPEC §8): a Kyverno policy → the equivalent policy file. Two kinds of input:
 *
 * - an export of this product: it carries the policy it was generated from (annotation
 *   `base-image-guard/policy`), which is taken whole once its expressions are confirmed to be the
 *   ones that policy generates — a hand-edited export is named, never trusted silently;
 * - a hand-written policy: a ClusterPolicy shaped like the seed's `enforce-base-images`, or the
 *   Kyverno library's image policies in classic (patterns, deny conditions, foreach) or CEL form.
 *   Each rule is read for the images it allows or forbids; every place where the source is
 *   ambiguous or defective becomes a warning naming the rule and what was assumed.
 */
import { loadAll } from "js-yaml";
import { InputError } from "../errors.js";
import { hasGlob } from "../glob.js";
import { parsePolicy } from "../policy/load.js";
import type { Mode, Policy } from "../policy/types.js";
import { at, isObject, type Json } from "../sources/image-keys.js";
import { AS_OF_ANNOTATION, exportResources, POLICY_ANNOTATION, type Target } from "./export.js";
import { escapeRegex } from "./patterns.js";

export interface Imported {
  /** The policy, ready for policyText(); undefined when the file holds nothing importable. */
  policy?: Policy;
  warnings: string[];
}

const TARGET_OF: Record<string, Target> = {
  ValidatingPolicy: "kyverno",
  ValidatingAdmissionPolicy: "vap",
  ClusterPolicy: "kyverno-clusterpolicy",
};

export function importPolicy(text: string, file: string): Imported {
  let documents: unknown[];
  try {
    documents = loadAll(text, undefined, { json: false });
  } catch (error) {
    const mark = (error as { mark?: { line: number } }).mark;
    throw new InputError(
      `${file}${mark ? `:${mark.line + 1}` : ""}: not YAML (${(error as Error).message.split("\n")[0]}); give a Kyverno policy file`,
    );
  }
  const resources = documents.filter(isObject);
  const ours = resources.find(
    (r) => typeof at(r, ["metadata", "annotations", POLICY_ANNOTATION]) === "string",
  );
  if (ours) return importExport(ours, resources, file);
  return importForeign(resources);
}

/** An export of this product: the policy it names, once its expressions prove to be that policy's. */
function importExport(resource: Json, resources: Json[], file: string): Imported {
  const annotations = at(resource, ["metadata", "annotations"]) as Json;
  const policy = parsePolicy(
    String(annotations[POLICY_ANNOTATION]),
    `${file} (annotation ${POLICY_ANNOTATION})`,
  ).policy;
  const warnings: string[] = [];
  const target = TARGET_OF[String(resource.kind)];
  const today = String(annotations[AS_OF_ANNOTATION] ?? "1970-01-01");
  if (target) {
    const expected = exportResources(policy, { target, source: "", version: "", today });
    const same = (r: Json) => JSON.stringify(at(r, ["spec"]));
    const found = resources.filter((r) => TARGET_OF[String(r.kind)] === target);
    const regenerated = expected.filter((r) => TARGET_OF[String(r.kind)] === target);
    if (
      found.length !== regenerated.length ||
      found.some((r, i) => same(r) !== same(regenerated[i] as Json))
    ) {
      warnings.push(
        `${resource.kind} ${String(at(resource, ["metadata", "name"]))}: its spec differs from what the policy in its ${POLICY_ANNOTATION} annotation exports (edited by hand?); imported that policy, not the edits`,
      );
    }
  }
  return { policy, warnings };
}

/** What the rules of a hand-written policy say about images. */
interface Findings {
  mode?: Mode;
  approved: string[];
  deprecated: string[];
  minimal?: { label: string; images: string[] };
  versions: Record<string, string[]>;
  pinning?: "tag" | "digest";
  warnings: string[];
}

const CONTAINER_LISTS = ["containers", "initContainers", "ephemeralContainers"];

function importForeign(resources: Json[]): Imported {
  const found: Findings = { approved: [], deprecated: [], versions: {}, warnings: [] };
  for (const resource of resources) {
    const kind = String(resource.kind);
    const name = String(at(resource, ["metadata", "name"]) ?? "(unnamed)");
    if (kind === "ClusterPolicy" || kind === "Policy") classicPolicy(resource, name, found);
    else if (kind === "ValidatingPolicy" || kind === "ValidatingAdmissionPolicy")
      celPolicy(resource, name, found);
    else if (kind === "PolicyException") {
      found.warnings.push(
        `PolicyException ${name}: exempts whole resources, which a policy file cannot say; not imported (write an exceptions entry per image)`,
      );
    } else if (kind !== "ValidatingAdmissionPolicyBinding") {
      found.warnings.push(`${kind} ${name}: not a Kyverno policy; left out`);
    }
  }
  const rules = {
    ...(found.approved.length > 0 && { approved: unique(found.approved) }),
    ...(found.deprecated.length > 0 && { deprecated: unique(found.deprecated) }),
    ...(found.minimal && { minimal: { label: found.minimal.label, images: unique(found.minimal.images) } }),
    ...(Object.keys(found.versions).length > 0 && { versions: found.versions }),
    ...(found.pinning && { pinning: found.pinning }),
  };
  if (Object.keys(rules).length === 0) return { warnings: found.warnings };
  const text = JSON.stringify({ mode: found.mode ?? "enforce", ...rules });
  return { policy: parsePolicy(text, "imported policy").policy, warnings: found.warnings };
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

function modeOf(value: unknown): Mode | undefined {
  if (typeof value !== "string") return undefined;
  if (/^enforce$/i.test(value) || value === "Deny") return "enforce";
  if (/^audit$/i.test(value) || value === "Audit" || value === "Warn") return "audit";
  return undefined;
}

/** One Kyverno wildcard (`*` crosses `/`, matched against the whole image with its tag) as policy entries. */
interface Translated {
  entry?: string;
  pinning?: "tag" | "digest";
  note?: string;
}

/**
 * A Kyverno image wildcard as one of our entries (SPEC §8): `X/*` → `X/**` (Kyverno's `*`
 * crosses `/`), `X*` → the exact repository `X` (a prefix glob admits `X-evil`), `X:*` → `X`,
 * `*:*` and `*@*` → pinning. `forBlocklist` keeps `name:release` entries as they are.
 */
function translate(pattern: string, forBlocklist: boolean): Translated {
  const p = pattern.trim();
  if (p.includes("{{")) {
    return {
      note: `"${p}" holds a Kyverno variable or JMESPath call, which no policy entry can say; left out`,
    };
  }
  if (p === "*:*" || p === "?*:?*") return { pinning: "tag" };
  if (p === "*@*" || p === "*@sha256:*" || p === "*@sha256:?*") return { pinning: "digest" };
  if (p === "*" || p === "?*" || p === "") return {};
  if (p.endsWith("/*") && !hasGlob(p.slice(0, -2))) {
    return {
      entry: `${p.slice(0, -2)}/**`,
      note: `Kyverno's "*" also crosses "/": "${p}" imported as "${p.slice(0, -2)}/**"`,
    };
  }
  if (p.endsWith(":*") && !hasGlob(p.slice(0, -2))) return { entry: p.slice(0, -2) };
  const inner = /^\*([^*?/]+)\*$/.exec(p)?.[1];
  if (forBlocklist && inner && /^[a-z0-9][a-z0-9._-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/.test(inner)) {
    return {
      entry: inner,
      note: `"${p}" matches any image that contains "${inner}" (my${inner} too); imported as the name "${inner}" on any registry, its point releases and codenames included`,
    };
  }
  if (p.endsWith("*") && !hasGlob(p.slice(0, -1))) {
    const base = p.slice(0, -1).replace(/[:@]$/, "");
    return {
      entry: base,
      note: `"${p}" is a prefix glob that also admits ${base}-evil; imported as the exact ${forBlocklist ? "name" : "repository"} "${base}"`,
    };
  }
  if (hasGlob(p)) {
    const widened = p.replace(/(?<!\*)\*(?!\*)/g, "**");
    return { entry: widened, note: `Kyverno's "*" also crosses "/": "${p}" imported as "${widened}"` };
  }
  return { entry: p };
}

/** Alternatives of a Kyverno pattern string (`a | b`), each with its negation (`!x`). */
function alternatives(pattern: string): { text: string; negated: boolean }[] {
  return pattern
    .split("|")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) =>
      part.startsWith("!") ? { text: part.slice(1).trim(), negated: true } : { text: part, negated: false },
    );
}

/** Every `image` pattern in a Kyverno validate pattern, with the container list it sits under. */
function imagePatterns(pattern: unknown, list = ""): { list: string; value: string }[] {
  if (Array.isArray(pattern)) return pattern.flatMap((item) => imagePatterns(item, list));
  if (!isObject(pattern)) return [];
  const out: { list: string; value: string }[] = [];
  for (const [rawKey, value] of Object.entries(pattern)) {
    const key = rawKey.replace(/^[=+^X]?\((.*)\)$/, "$1");
    if (key === "image" && typeof value === "string") out.push({ list, value });
    else out.push(...imagePatterns(value, CONTAINER_LISTS.includes(key) ? key : list));
  }
  return out;
}

interface Condition {
  key: string;
  operator: string;
  value: unknown;
}

function conditionsOf(block: unknown): Condition[] {
  if (Array.isArray(block)) return block.filter(isObject) as unknown as Condition[];
  if (!isObject(block)) return [];
  return [...conditionsOf(block.any), ...conditionsOf(block.all)];
}

function valuesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === "string" ? [value] : [];
}

/** A rule's resource filters: `match` itself and each entry of `match.any` and `match.all`. */
function matchFilters(rule: Json): unknown[] {
  return [
    at(rule, ["match"]),
    ...((at(rule, ["match", "any"]) as unknown[]) ?? []),
    ...((at(rule, ["match", "all"]) as unknown[]) ?? []),
  ];
}

function labelOf(rule: Json): string | undefined {
  for (const filter of matchFilters(rule)) {
    for (const selector of ["selector", "namespaceSelector"]) {
      const labels = at(filter, ["resources", selector, "matchLabels"]);
      if (isObject(labels)) {
        const [key, value] = Object.entries(labels)[0] ?? [];
        if (key !== undefined) return `${key}=${String(value)}`;
      }
    }
  }
  return undefined;
}

function matchedKinds(rule: Json): string[] {
  return matchFilters(rule).flatMap((f) => valuesOf(at(f, ["resources", "kinds"])));
}

/** A precondition that can never hold for what the rule matches: the rule never ran in the cluster. */
function deadPrecondition(rule: Json, ruleName: string): string | undefined {
  const kinds = matchedKinds(rule).map((k) => k.split("/").pop() as string);
  for (const condition of conditionsOf(rule.preconditions)) {
    const key = String(condition.key ?? "").replace(/\s/g, "");
    if (
      key.includes("request.object.spec.template") &&
      (kinds.includes("Pod") || kinds.includes("CronJob"))
    ) {
      return `rule ${ruleName}: its precondition reads ${String(condition.key)}, which a Pod (and a CronJob, whose template is under spec.jobTemplate) does not have, so the rule never ran for them; imported as applying to every workload`;
    }
    const values = valuesOf(condition.value);
    if (!/^(Equals|In|AnyIn|AllIn)$/.test(String(condition.operator)) || values.length === 0) continue;
    if (key === "{{request.object.kind}}" && kinds.length > 0 && !values.some((v) => kinds.includes(v))) {
      return `rule ${ruleName}: its precondition (request.object.kind ${condition.operator} ${values.join(", ")}) never holds for the kinds it matches (${kinds.join(", ")}), so the rule never ran; imported as if it applied`;
    }
    if (
      key === "{{request.operation}}" &&
      !values.some((v) => ["CREATE", "UPDATE", "DELETE", "CONNECT"].includes(v))
    ) {
      return `rule ${ruleName}: its precondition (request.operation ${condition.operator} ${values.join(", ")}) never holds (operations are upper case), so the rule never ran; imported as if it applied`;
    }
  }
  return undefined;
}

function classicPolicy(resource: Json, policyName: string, found: Findings): void {
  found.mode ??= modeOf(at(resource, ["spec", "validationFailureAction"]));
  const rules = (at(resource, ["spec", "rules"]) as unknown[]) ?? [];
  for (const rule of rules.filter(isObject)) {
    const ruleName = `${policyName}/${String(rule.name ?? "(unnamed)")}`;
    const validate = at(rule, ["validate"]);
    if (!isObject(validate)) continue;
    found.mode ??= modeOf(validate.failureAction);
    if (isObject(validate.cel)) {
      // validate.cel: the ValidatingPolicy forms inside a ClusterPolicy rule.
      const expressions = ((validate.cel.expressions as unknown[]) ?? []).filter(isObject);
      const variables = ((validate.cel.variables as unknown[]) ?? []).filter(isObject);
      celExpressions(expressions, variables, `rule ${ruleName}`, found);
      continue;
    }
    const dead = deadPrecondition(rule, ruleName);
    if (dead) found.warnings.push(dead);
    const label = labelOf(rule);
    const patterns = [
      ...imagePatterns(validate.pattern),
      ...((validate.anyPattern as unknown[]) ?? []).flatMap((p) => imagePatterns(p)),
      ...((validate.foreach as unknown[]) ?? []).flatMap((f) => imagePatterns(at(f, ["pattern"]))),
    ];
    for (const anchor of oddAnchors([validate.pattern, ...((validate.anyPattern as unknown[]) ?? [])])) {
      found.warnings.push(
        `rule ${ruleName}: "${anchor}" is not a Kyverno anchor (a key that is absent fails the pattern), so Pods, which have no spec.template, failed it; imported as checking the pod spec of Pods and of every controller`,
      );
    }
    const lists = new Set(patterns.map((p) => p.list).filter(Boolean));
    if (lists.size > 0 && !lists.has("initContainers")) {
      found.warnings.push(
        `rule ${ruleName}: checks ${[...lists].join(", ")} only; the imported policy checks containers, initContainers and ephemeralContainers`,
      );
    }
    const releases = releasePattern(patterns, distributionOf(rule));
    if (releases) {
      found.versions[releases.distribution] = unique([
        ...(found.versions[releases.distribution] ?? []),
        ...releases.releases,
      ]);
      found.warnings.push(
        `rule ${ruleName}: "${releases.text}" allows only these ${releases.distribution} releases; imported as versions ${releases.distribution}: [${releases.releases.join(", ")}], not as approved images`,
      );
    } else {
      const allowed = patternEntries(patterns, ruleName, found);
      if (allowed.length > 0) {
        if (label) found.minimal = { label, images: [...(found.minimal?.images ?? []), ...allowed] };
        else found.approved.push(...allowed);
      }
    }
    const denies = [
      ...conditionsOf(at(validate, ["deny", "conditions"])),
      ...((validate.foreach as unknown[]) ?? []).flatMap((f) => conditionsOf(at(f, ["deny", "conditions"]))),
    ];
    denyConditions(denies, ruleName, rule, found);
  }
}

/** The images a rule's patterns allow; what they forbid or how they pin goes straight into `found`. */
function patternEntries(patterns: { value: string }[], ruleName: string, found: Findings): string[] {
  const allowed: string[] = [];
  for (const { value } of dedupePatterns(patterns)) {
    for (const { text, negated } of alternatives(value)) {
      if (negated && text === "*:latest") {
        found.pinning ??= "tag";
        continue;
      }
      const t = translate(text, negated);
      if (t.note) found.warnings.push(`rule ${ruleName}: ${t.note}`);
      if (negated) {
        if (t.entry) found.deprecated.push(t.entry);
      } else if (t.pinning) {
        if (t.pinning === "digest" || found.pinning === undefined) found.pinning = t.pinning;
      } else if (t.entry) allowed.push(t.entry);
    }
  }
  return allowed;
}

/** Keys like `(template)?`: a conditional anchor is `(key)`, an existence anchor `^(key)`; this is neither. */
function oddAnchors(patterns: unknown[]): string[] {
  const out = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node))
      for (const [key, value] of Object.entries(node)) {
        if (/^\(.+\)\?$/.test(key)) out.add(key);
        walk(value);
      }
  };
  patterns.forEach(walk);
  return [...out];
}

/**
 * A pattern whose every alternative is `*<distribution>:<release>*` for the distribution the rule
 * is about (its precondition): an allowed-release rule (SPEC §3.4), not an allowlist of images.
 */
function releasePattern(
  patterns: { value: string }[],
  distribution: string | undefined,
): { distribution: string; releases: string[]; text: string } | undefined {
  if (!distribution || patterns.length === 0) return undefined;
  const releases: string[] = [];
  for (const { value } of patterns) {
    for (const { text, negated } of alternatives(value)) {
      const release = new RegExp(`^\\*?(?:[^*|]*/)?${distribution}:([0-9][0-9A-Za-z._-]*?)\\*?$`).exec(
        text,
      )?.[1];
      if (negated || !release) return undefined;
      releases.push(release);
    }
  }
  return { distribution, releases: unique(releases), text: patterns.map((p) => p.value).join(" | ") };
}

function dedupePatterns<T extends { value: string }>(patterns: T[]): T[] {
  const seen = new Set<string>();
  return patterns.filter((p) => !seen.has(p.value) && seen.add(p.value));
}

/** Deny conditions over images: a blocklist (`AnyIn`, `Equals`), an allowlist (`AnyNotIn`), or allowed tags. */
function denyConditions(conditions: Condition[], ruleName: string, rule: Json, found: Findings): void {
  const distribution = distributionOf(rule);
  for (const condition of conditions) {
    const key = String(condition.key ?? "").replace(/\s/g, "");
    if (!/image|element/i.test(key)) continue;
    const values = valuesOf(condition.value);
    const operator = String(condition.operator);
    if (/images\.containers|spec\.containers/.test(key)) {
      found.warnings.push(
        `rule ${ruleName}: ${condition.key} reads containers only; the imported policy checks containers, initContainers and ephemeralContainers`,
      );
    }
    if (/\.name(\}\}|$)/.test(key) || /containers[^}]*\.name/.test(key)) {
      found.warnings.push(
        `rule ${ruleName}: ${condition.key} reads container names where images were meant, so it never matched an image; imported as a condition on images`,
      );
    }
    if (/\.tag(\}\}|$)/.test(key)) {
      if (/NotIn|NotEquals/.test(operator) && distribution) {
        found.versions[distribution] = unique([...(found.versions[distribution] ?? []), ...values]);
      } else {
        found.warnings.push(
          `rule ${ruleName}: a condition on tags without a distribution it applies to; not imported`,
        );
      }
      continue;
    }
    const negative = /NotIn|NotEquals/.test(operator);
    for (const value of values) {
      const t = translate(value, !negative);
      if (t.note) found.warnings.push(`rule ${ruleName}: ${t.note}`);
      if (!t.entry) continue;
      if (negative) found.approved.push(t.entry);
      else found.deprecated.push(t.entry);
    }
  }
}

/** The distribution a tag rule is about: a `name` in its preconditions, or its own name (`…-ubuntu-…`). */
function distributionOf(rule: Json): string | undefined {
  for (const condition of conditionsOf(rule.preconditions)) {
    if (!/image|element/i.test(String(condition.key ?? ""))) continue;
    for (const value of valuesOf(condition.value)) {
      const bare = value.replace(/[*?]/g, "").split(/[:@]/)[0]?.split("/").pop();
      if (bare && /^[a-z][a-z0-9._-]*$/.test(bare)) return bare;
    }
  }
  return /ubuntu|debian|alpine/.exec(String(rule.name ?? ""))?.[0];
}

/**
 * CEL policies (the library's ValidatingPolicy forms and any ValidatingAdmissionPolicy): the
 * image tests they are written with — `image.startsWith('reg/')`, `!image.endsWith(':latest')`,
 * `image.contains('@')` — read from each validation expression.
 */
function celPolicy(resource: Json, policyName: string, found: Findings): void {
  const actions = at(resource, ["spec", "validationActions"]);
  if (Array.isArray(actions)) found.mode ??= actions.includes("Deny") ? "enforce" : "audit";
  const validations = ((at(resource, ["spec", "validations"]) as unknown[]) ?? []).filter(isObject);
  const variables = ((at(resource, ["spec", "variables"]) as unknown[]) ?? []).filter(isObject);
  celExpressions(validations, variables, policyName, found);
}

/** String literals of a CEL list literal (`['a', "b"]`), or undefined when it holds anything else. */
function stringList(text: string): string[] | undefined {
  const items = text.split(",").map((item) => item.trim());
  const values = items.map((item) => /^(['"])([^'"\\]*)\1$/.exec(item)?.[2]);
  return values.every((v) => v !== undefined) ? (values as string[]) : undefined;
}

/** The image tests of CEL validations, with the variables they may name. */
function celExpressions(validations: Json[], variables: Json[], policyName: string, found: Findings): void {
  const lists = new Map<string, string[]>();
  for (const variable of variables) {
    const list = /^\s*\[(.*)\]\s*$/s.exec(String(variable.expression ?? ""))?.[1];
    const values = list === undefined ? undefined : stringList(list);
    if (values) lists.set(String(variable.name), values);
  }
  let understood = 0;
  for (const [index, validation] of validations.entries()) {
    const expression = String(validation.expression ?? "");
    const where = `${policyName} validation ${index + 1}`;
    const prefixes = [...expression.matchAll(/image\.startsWith\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
      (m) => m[1] as string,
    );
    for (const prefix of prefixes) {
      understood++;
      const negated = new RegExp(`!\\s*\\w+\\.image\\.startsWith\\(\\s*['"]${escapeRegex(prefix)}`).test(
        expression,
      );
      const entry = prefix.endsWith("/") ? `${prefix}**` : prefix;
      if (!prefix.endsWith("/")) {
        found.warnings.push(
          `${where}: startsWith('${prefix}') also admits ${prefix}-evil; imported as the exact repository "${prefix}"`,
        );
      }
      (negated ? found.deprecated : found.approved).push(entry);
    }
    if (
      /image\.endsWith\(\s*['"]:latest['"]\s*\)/.test(expression) ||
      /image\.contains\(\s*['"]:['"]\s*\)/.test(expression)
    ) {
      understood++;
      found.pinning ??= "tag";
    }
    if (/image\.contains\(\s*['"]@(sha256:)?['"]\s*\)/.test(expression)) {
      understood++;
      found.pinning = "digest";
    }
    // Segment comparisons: the image's last path segment (`split('/')`, then `split(':')[0]`) in
    // a list, written inline or as a variable.
    if (/image\.split\(\s*['"]\/['"]\s*\)/.test(expression)) {
      const named = [...expression.matchAll(/variables\.(\w+)/g)].flatMap(
        (m) => lists.get(m[1] as string) ?? [],
      );
      const inline = [...expression.matchAll(/\bin\s*\[([^\]]*)\]/g)].flatMap(
        (m) => stringList(m[1] as string) ?? [],
      );
      const names = unique([...named, ...inline]);
      if (names.length > 0) {
        understood++;
        const negated = /!\s*\(?[^&|]*\bin\b/.test(expression) && !/\.all\(/.test(expression);
        for (const name of names) {
          const entry = `**/${name}`;
          found.warnings.push(
            `${where}: compares the image's last path segment with "${name}" on any registry; imported as "${entry}"`,
          );
          (negated ? found.deprecated : found.approved).push(entry);
        }
      }
    }
  }
  if (validations.length > 0 && understood === 0) {
    found.warnings.push(
      `${policyName}: no image test this import understands (startsWith, endsWith(':latest'), contains('@'), a segment in a list); left out`,
    );
  }
}
