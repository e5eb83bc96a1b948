import type { RuleId } from "../rules/catalog.js";
import type { Calendar } from "./eol/calendar.js";

export type Mode = "enforce" | "audit";

export interface PolicyException {
  image: string;
  rules?: RuleId[];
  reason: string;
  /** YYYY-MM-DD, the last day the exception applies. */
  expires: string;
}

/** A validated policy (SPEC §2). Rule keys left out of a file stay undefined: that rule is off. */
export interface Policy {
  mode: Mode;
  approved?: string[];
  deprecated?: string[];
  minimal?: { label: string; images: string[]; namespaces?: string[] };
  versions?: Record<string, string[]>;
  /** SPEC §3.4a: every image carries a digest, or an explicit tag other than latest. */
  pinning?: "digest" | "tag";
  /** What `fix` rewrites a matching image to (SPEC §9); the first matching entry wins. */
  replacements?: { match: string; use: string }[];
  /** SPEC §3.4b: the end-of-life calendar (src/policy/eol/). */
  eol?: {
    block: boolean;
    warnDays?: number;
    support?: "standard" | "extended";
    /** A folder of calendar files that override the bundled ones, product by product. */
    calendar?: string;
  };
  /** SPEC §4: read GitHub workflow job containers, services and docker:// steps. */
  workflows: "check" | "ignore";
  /** SPEC §4: read the pipelines of GitLab CI, CircleCI, Azure, Bitbucket, Drone/Woodpecker and Jenkins. */
  ci: "check" | "ignore";
  /** SPEC §4: read dev container definitions. */
  devcontainers: "check" | "ignore";
  dockerfile: { stages: "all" | "final"; copyFrom: "check" | "ignore" };
  exceptions: PolicyException[];
  include: string[];
  exclude: string[];
  /** Bytes. */
  maxFileSize: number;
}

export interface LoadedPolicy {
  policy: Policy;
  /** The file it came from, or `built-in default`. */
  source: string;
  /** Policy lint: entries that are valid but probably not what was meant. */
  warnings: string[];
  /** The end-of-life calendar `eol.calendar` names, over the bundled one; undefined: the bundled one. */
  calendar?: Calendar;
}
