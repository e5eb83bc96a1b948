/**
 * The fix engine (SPEC §9): the check engine's occurrences, each with where its text is written
 * (the sources' located values), a target image for what the policy rejects (target.ts), and the
 * changes to the files that write it — the image token only, everything else byte for byte. A value
 * that several occurrences share (an ARG default, a `.env` value, a kustomization entry) changes
 * only when every one of them wants the same new text. Reads and plans; writing is write.ts's.
 */
import { lstatSync, realpathSync } from "node:fs";
import { type CheckOptions, type CheckResult, runCheck } from "../check.js";
import type { RuleId } from "../rules/catalog.js";
import type { RuleContext } from "../rules/types.js";
import type { Occurrence } from "../sources/types.js";
import { type Claim, claimsFor, Files } from "./claims.js";
import { type FileText, NotExact, type Span, writeInStyle } from "./file-text.js";
import { REPAIRABLE, type Resolver, type Target, targetOf } from "./target.js";

export interface FixOptions extends Omit<CheckOptions, "onJudged"> {
  resolve?: Resolver;
  /** Only findings of these rules are repaired (`--rules`). */
  only?: ReadonlySet<string>;
}

/** One image rewritten (SPEC §9 `--format json`). */
export interface Change {
  file: string;
  line: number;
  rule: string;
  from: string;
  to: string;
}

export interface Unfixable {
  file: string;
  line: number;
  rule: string;
  image: string;
  reason: string;
}

/** A file `fix` changes: its bytes as read, and its new text. */
export interface FileChange {
  /** Display path (relative to the working directory, `/` separators). */
  file: string;
  absolute: string;
  before: Buffer;
  after: string;
  diff: string;
  /** Each old line that changes (1-based) and its new lines: what a pull-request suggestion shows. */
  lines: { line: number; old: string; new: string[] }[];
}

export interface FixResult {
  changes: Change[];
  unfixable: Unfixable[];
  files: FileChange[];
  check: CheckResult;
}

interface Plan {
  occurrence: Occurrence;
  /** The repairable rules it was reported under. */
  repairable: RuleId[];
  target: Target;
  claims: Claim[];
  /** Why the change cannot be made, once that is known. */
  blocked?: string;
}

export async function runFix(options: FixOptions): Promise<FixResult> {
  const judged: { occurrence: Occurrence; rules: RuleId[]; context: RuleContext }[] = [];
  const check = runCheck({
    ...options,
    onJudged: (occurrence, rules, context) => judged.push({ occurrence, rules, context }),
  });
  const files = new Files(options.cwd);
  const plans: Plan[] = [];
  const unfixable: Unfixable[] = [];
  const cannot = (occurrence: Occurrence, rule: string, reason: string) =>
    unfixable.push({ file: occurrence.file, line: occurrence.line, rule, image: occurrence.text, reason });
  /** Each finding fix leaves is listed under its own rule. */
  const cannotAny = (occurrence: Occurrence, rules: readonly string[], reason: string) => {
    for (const rule of rules.length > 0 ? rules : [""]) cannot(occurrence, rule, reason);
  };
  for (const { occurrence, rules, context } of judged) {
    const { image } = occurrence;
    const repairable = rules.filter((rule) => REPAIRABLE.includes(rule) && (options.only?.has(rule) ?? true));
    if (occurrence.written?.kind === "fixed" && repairable.length > 0) {
      cannotAny(occurrence, repairable, occurrence.written.reason);
      continue;
    }
    if (image.kind !== "image") {
      if (rules.length > 0) {
        cannot(
          occurrence,
          rules[0] as RuleId,
          image.kind === "invalid"
            ? image.reason
            : occurrence.written?.kind === "fixed"
              ? `cannot tell which image it is: ${occurrence.written.reason}`
              : "cannot tell which image it is (see the finding)",
        );
      }
      continue;
    }
    const target = await targetOf(occurrence, image.ref, rules, {
      rules: context,
      ...(options.digests && { digests: options.digests }),
      ...(options.resolve && { resolve: options.resolve }),
      ...(options.only && { only: options.only }),
    });
    if (target.kind === "unfixable") cannotAny(occurrence, repairable, target.reason);
    const to = target.kind === "change" ? target.to : undefined;
    const claims = claimsFor(occurrence, to, files);
    if ("reason" in claims) {
      if (to) cannotAny(occurrence, repairable, claims.reason);
      continue;
    }
    plans.push({ occurrence, target, claims, repairable });
  }
  settleShared(plans);

  const changes: Change[] = [];
  const touched = new Map<string, FileText>();
  const applied = new Set<string>();
  for (const plan of plans) {
    const { occurrence, target } = plan;
    if (target.kind !== "change") continue;
    if (plan.blocked) {
      cannotAny(occurrence, plan.repairable, plan.blocked);
      continue;
    }
    let where: { file: string; line: number } | undefined;
    for (const claim of plan.claims) {
      const file = claim.kind === "set" ? claim.at.file : claim.file;
      const text = files.get(file);
      if (!("text" in text)) continue;
      // A value several occurrences share (and agree on) is changed once.
      const key =
        claim.kind === "set"
          ? `${file}\0${claim.at.line}\0${claim.at.column}`
          : `${file}\0+${claim.after}\0${claim.key}`;
      const done = applied.has(key);
      applied.add(key);
      if (claim.kind === "set") {
        if (claim.next === claim.at.value) continue;
        where ??= { file, line: claim.at.line };
        if (done) continue;
        const span = text.text.span(claim.at) as Span;
        text.text.replace(span, writeInStyle(claim.next, span.quote, claim.yaml));
      } else if (claim.text !== "") {
        where ??= { file, line: claim.after + 1 };
        if (done) continue;
        text.text.insertAfter(claim.after - 1, claim.text);
      }
      touched.set(file, text.text);
    }
    if (!where) continue;
    changes.push({ ...where, rule: target.rule, from: occurrence.text, to: target.to.text });
    if (target.left) cannot({ ...occurrence, text: target.to.text }, target.left.rule, target.left.reason);
  }
  // A value several occurrences share is one change: the first occurrence's line says it.
  const seen = new Set<string>();
  const unique = changes.filter((c) => {
    const key = `${c.file}\0${c.line}\0${c.to}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  for (const skip of check.skipped) {
    if (/template/i.test(skip.reason))
      unfixable.push({ file: skip.file, line: 0, rule: "skipped", image: "", reason: skip.reason });
  }
  const changed: FileChange[] = [];
  const broken = new Set<string>();
  // A file reached under two names (a symbolic link inside the tree) is changed once, under its own name.
  const real = new Map<string, string>();
  const absoluteOf = (file: string) => (files.get(file) as { absolute: string }).absolute;
  for (const file of touched.keys()) {
    const target = realPath(absoluteOf(file));
    const other = real.get(target);
    if (other === undefined || (isLink(absoluteOf(other)) && !isLink(absoluteOf(file))))
      real.set(target, file);
  }
  const kept = new Set(real.values());
  for (const [file, text] of [...touched].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const read = files.get(file);
    if (!("bytes" in read) || !kept.has(file)) continue;
    try {
      changed.push({
        file,
        absolute: read.absolute,
        before: read.bytes,
        after: text.result(),
        diff: text.diff(file),
        lines: text.changedLines(),
      });
    } catch (error) {
      if (!(error instanceof NotExact)) throw error;
      unfixable.push({ file, line: 0, rule: "", image: "", reason: error.message });
      broken.add(file);
    }
  }
  return {
    changes: unique
      .filter((c) => !broken.has(c.file) && (!touched.has(c.file) || kept.has(c.file)))
      .sort(byPosition),
    unfixable: unfixable.sort(byPosition),
    files: changed,
    check,
  };
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function byPosition<T extends { file: string; line: number }>(a: T, b: T): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line;
}

/**
 * A value several occurrences share changes only when they all want the same text for it; where
 * they do not, none of them changes (SPEC §9: "a value shared by occurrences that need different
 * replacements"), and that can leave other shared values undecided in turn, so it is repeated.
 */
function settleShared(plans: Plan[]): void {
  for (let changed = true; changed; ) {
    changed = false;
    const wants = new Map<string, Set<string>>();
    const keyOf = (claim: Claim) =>
      claim.kind === "set"
        ? `${claim.at.file}\0${claim.at.line}\0${claim.at.column}`
        : `${claim.file}\0+${claim.after}\0${claim.key}`;
    const wantedBy = (plan: Plan, claim: Claim) =>
      plan.blocked
        ? claim.kind === "set"
          ? claim.at.value
          : ""
        : claim.kind === "set"
          ? claim.next
          : claim.text;
    for (const plan of plans) {
      for (const claim of plan.claims) {
        const key = keyOf(claim);
        const set = wants.get(key) ?? new Set();
        set.add(wantedBy(plan, claim));
        wants.set(key, set);
      }
    }
    for (const plan of plans) {
      if (plan.blocked || plan.target.kind !== "change") continue;
      if (plan.claims.some((claim) => (wants.get(keyOf(claim))?.size ?? 0) > 1)) {
        plan.blocked =
          "the value is shared with other images that need a different replacement (an ARG, a .env value or a kustomization entry used more than once); change it by hand";
        changed = true;
      }
    }
  }
}
