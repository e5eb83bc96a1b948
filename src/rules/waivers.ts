/**
 * Inline suppressions and policy exceptions (SPEC §3.6): the two ways a finding leaves `findings`.
 * Both are applied here and nowhere else; neither hides a finding entirely.
 */
import type { ImageRef } from "../image/reference.js";
import type { CompiledPolicy } from "../policy/compile.js";
import { isRuleId, type RuleId } from "./catalog.js";

/** Every suppression comment holds this; a file without it holds none. */
export const MARKER = "base-image-guard";
/** A comment that tries to be a suppression: `# base-image-guard ignore…`. */
const ATTEMPT = /^#\s*base-image-guard\s+ignore\b/;
const SUPPRESSION = /^\s*#\s*base-image-guard\s+ignore=(\S*)(?:\s+reason=(?:"([^"]*)"|'([^']*)'))?\s*$/;

export interface Suppression {
  /** 1-based line of the comment. */
  line: number;
  rules: RuleId[];
  reason: string;
}

export interface SuppressionProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * Reads every suppression comment of a file; invalid ones are problems and suppress nothing. A
 * comment is a suppression attempt when it starts with `base-image-guard ignore`; other comments
 * that mention the product (a policy file's header) are just comments. Lines in `notComments`
 * (the text of a Dockerfile heredoc) are never comments.
 */
export function readSuppressions(
  text: string,
  notComments?: ReadonlySet<number>,
): {
  valid: Map<number, Suppression>;
  problems: SuppressionProblem[];
} {
  const valid = new Map<number, Suppression>();
  const problems: SuppressionProblem[] = [];
  if (!text.includes(MARKER)) return { valid, problems };
  const lines = text.split(/\r?\n/);
  lines.forEach((content, index) => {
    // Only a comment on a line of its own is a suppression: text after code (a RUN argument, a
    // trailing YAML comment) is not, and must not waive the line below it.
    const hash = content.search(/\S/);
    if (content[hash] !== "#" || !ATTEMPT.test(content.slice(hash))) return;
    const line = index + 1;
    if (notComments?.has(line)) return;
    const column = hash + 1;
    const match = SUPPRESSION.exec(content.slice(hash));
    if (!match) {
      problems.push({
        line,
        column,
        message: `not a suppression comment: write # ${MARKER} ignore=<rule>[,<rule>] reason="<why>"`,
      });
      return;
    }
    const names = (match[1] ?? "").split(",").filter(Boolean);
    const unknown = names.filter((name) => !isRuleId(name));
    const reason = (match[2] ?? match[3] ?? "").trim();
    if (names.length === 0 || unknown.length > 0) {
      problems.push({
        line,
        column,
        message: `suppression names ${names.length === 0 ? "no rule" : `unknown rule ${unknown.join(", ")}`}; it suppresses nothing`,
      });
    } else if (reason === "") {
      problems.push({ line, column, message: 'suppression without reason="…" suppresses nothing; say why' });
    } else {
      valid.set(line, { line, rules: names as RuleId[], reason });
    }
  });
  return { valid, problems };
}

export type Waiver =
  | { kind: "suppressed"; reason: string; expires: string | null }
  | { kind: "expired"; note: string }
  | undefined;

/**
 * Whether a finding of `rule` on `image` is waived: by the valid suppression its source attached
 * (the comment directly above), else by an exception that covers the image and rule and has not
 * expired.
 */
export function waiverFor(
  rule: RuleId,
  suppression: Suppression | undefined,
  image: ImageRef | undefined,
  policy: CompiledPolicy,
  today: string,
): Waiver {
  if (suppression?.rules.includes(rule))
    return { kind: "suppressed", reason: suppression.reason, expires: null };
  if (!image) return undefined;
  let expired: Waiver;
  for (const { matches, exception } of policy.exceptions) {
    if (exception.rules && !exception.rules.includes(rule)) continue;
    if (!matches(image)) continue;
    if (today <= exception.expires) {
      return { kind: "suppressed", reason: exception.reason, expires: exception.expires };
    }
    expired ??= {
      kind: "expired",
      note: `policy exception for ${exception.image} ("${exception.reason}") expired on ${exception.expires}`,
    };
  }
  return expired;
}
