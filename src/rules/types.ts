import type { DigestEntry } from "../digests.js";
import type { ImageRef } from "../image/reference.js";
import type { CompiledPolicy } from "../policy/compile.js";
import type { Occurrence, SourceKind } from "../sources/types.js";
import type { RuleId } from "./catalog.js";

export type Severity = "error" | "warning";

/** One violated rule of one image occurrence (SPEC §5.1). */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  /** The image as judged: after variable expansion, or as written when unresolved. */
  image: string;
  normalized?: string;
  message: string;
  /** The kind of file the image is in (SPEC §4); absent for a finding about a whole file. */
  source?: SourceKind;
}

/** A finding taken out of `findings` by an inline suppression or a policy exception (SPEC §3.6). */
export interface SuppressedFinding {
  rule: RuleId;
  file: string;
  line: number;
  image: string;
  source?: SourceKind;
  reason: string;
  /** The exception's expiry date; null for inline suppressions and the baseline. */
  expires: string | null;
  /** Present (true) when the finding was already in the baseline (`--baseline`): known, not new. */
  baseline?: true;
}

/** What a rule says about an image: why it is wrong. */
export interface Verdict {
  rule: RuleId;
  message: string;
  /** A warning whatever the mode (an end of support that is near, not past). */
  warning?: true;
}

export interface RuleContext {
  policy: CompiledPolicy;
  /** Labels of every Namespace manifest in the scanned set, by name. */
  namespaceLabels: Readonly<Record<string, Record<string, string>>>;
  /** YYYY-MM-DD: the day end-of-life dates are judged against (`--today`). */
  today: string;
  /** What a rebuild pushed (`--digests`), by normalised `repository:tag`. */
  digests?: ReadonlyMap<string, DigestEntry>;
}

/** A rule judges one resolved image; undefined means it passes. */
export type Rule = (image: ImageRef, occurrence: Occurrence, context: RuleContext) => Verdict | undefined;
