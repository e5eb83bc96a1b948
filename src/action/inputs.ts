/**
 * The Action's inputs (action.yml), read and checked in one place. Defaults here equal action.yml's
 * (a test compares them), so a runner that sends none behaves like one that sends all.
 */
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import type { Mode } from "../policy/types.js";
import type { RenderMode } from "../sources/helm-render.js";

export const INPUT_DEFAULTS = {
  command: "check",
  policy: "",
  paths: ".",
  mode: "",
  render: "auto",
  "changed-files-only": "false",
  annotations: "true",
  "sarif-file": "",
  "sarif-category": "",
  "upload-report": "false",
  digests: "",
  baseline: "",
  "new-findings-only": "false",
  summary: "true",
  comment: "false",
  "github-token": "",
  "base-dir": "base",
  registry: "",
  images: "",
  push: "true",
  scan: "true",
  severity: "CRITICAL,HIGH",
  "ignore-unfixed": "true",
  "trivy-version": "v0.69.3",
  "max-age": "",
  gate: "severity",
  sign: "true",
  attest: "false",
  builder: "auto",
  "export-to": "kyverno,vap,kyverno-clusterpolicy",
  "export-dir": "policies",
  suggestions: "false",
  "pull-request": "false",
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;

export interface CheckInputs {
  command: "check" | "rebuild" | "plan" | "export" | "pin" | "fix";
  policy?: string;
  paths: string[];
  mode?: Mode;
  /** Render Helm charts with helm when it is on PATH (`auto`), or read only their values (`never`). */
  render: RenderMode;
  changedFilesOnly: boolean;
  annotations: boolean;
  sarifFile?: string;
  /** A rebuild's digests.json in the workspace: pinning findings name the digest. */
  digests?: string;
  /** Keep the JSON report (and SARIF) as a workflow artifact. */
  uploadReport: boolean;
  /** A baseline JSON report in the workspace: findings in it do not fail. */
  baseline?: string;
  /** On pull requests, the base commit's findings are the baseline. */
  newFindingsOnly: boolean;
  /** SARIF automationDetails.id; default `base-image-guard/<job>/<step>`. */
  sarifCategory?: string;
  summary: boolean;
  comment: boolean;
  token: string;
}

export type GetInput = (name: InputName) => string;

/** The checked-out repository the runner gives the Action. */
export function workspace(): string {
  return resolve(process.env.GITHUB_WORKSPACE ?? process.cwd());
}

export function inputReader(getInput: (name: string) => string): GetInput {
  return (name) => getInput(name).trim() || INPUT_DEFAULTS[name];
}

export function booleanInput(get: GetInput, name: InputName): boolean {
  const value = get(name).toLowerCase();
  if (value === "true") return true;
  if (value === "false") return false;
  throw new UsageError(`input ${name} must be true or false, got "${get(name)}"`);
}

function oneOf<T extends string>(get: GetInput, name: InputName, allowed: readonly T[]): T {
  const value = get(name);
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`input ${name} must be one of ${allowed.join(", ")}, got "${value}"`);
}

function daysInput(get: GetInput, name: InputName): number {
  const value = get(name);
  if (!/^\d{1,4}$/.test(value))
    throw new UsageError(`input ${name} must be a number of days, got "${value}"`);
  return Number(value);
}

/** Splits a list input on spaces, commas and new lines. */
export function listInput(get: GetInput, name: InputName): string[] {
  return get(name)
    .split(/[\s,]+/)
    .filter(Boolean);
}

export function readCheckInputs(get: GetInput): CheckInputs {
  const mode = get("mode");
  return {
    command: oneOf(get, "command", ["check", "rebuild", "plan", "export", "pin", "fix"] as const),
    ...(get("policy") && { policy: get("policy") }),
    paths: get("paths").split(/\s+/).filter(Boolean),
    ...(mode && { mode: oneOf(get, "mode", ["enforce", "audit"] as const) }),
    render: oneOf(get, "render", ["auto", "never"] as const),
    changedFilesOnly: booleanInput(get, "changed-files-only"),
    annotations: booleanInput(get, "annotations"),
    ...(get("sarif-file") && { sarifFile: get("sarif-file") }),
    ...(get("sarif-category") && { sarifCategory: get("sarif-category") }),
    uploadReport: booleanInput(get, "upload-report"),
    ...(get("digests") && { digests: get("digests") }),
    ...(get("baseline") && { baseline: get("baseline") }),
    newFindingsOnly: booleanInput(get, "new-findings-only"),
    summary: booleanInput(get, "summary"),
    comment: booleanInput(get, "comment"),
    token: get("github-token"),
  };
}

export interface RebuildInputs {
  baseDir: string;
  registry: string;
  images: string[];
  push: boolean;
  scan: boolean;
  severity: string;
  ignoreUnfixed: boolean;
  /** Rebuild only when the upstream moved or the published image is older than this (days). */
  maxAgeDays?: number;
  gate: "severity" | "no-new";
  sign: boolean;
  attest: boolean;
  builder: "auto" | "docker" | "buildah";
  /** The Trivy release the scan must run with (`v0.69.3`): another one on PATH is refused. */
  trivyVersion: string;
}

export function readRebuildInputs(get: GetInput): RebuildInputs {
  return {
    baseDir: get("base-dir"),
    registry: get("registry"),
    images: listInput(get, "images"),
    push: booleanInput(get, "push"),
    scan: booleanInput(get, "scan"),
    severity: get("severity"),
    ignoreUnfixed: booleanInput(get, "ignore-unfixed"),
    ...(get("max-age") && { maxAgeDays: daysInput(get, "max-age") }),
    gate: oneOf(get, "gate", ["severity", "no-new"] as const),
    sign: booleanInput(get, "sign"),
    attest: booleanInput(get, "attest"),
    builder: oneOf(get, "builder", ["auto", "docker", "buildah"] as const),
    trivyVersion: trivyVersionInput(get),
  };
}

/** `v0.69.3` or `0.69.3`: a release, never `latest` (a moving name would scan with whatever it is today). */
function trivyVersionInput(get: GetInput): string {
  const value = get("trivy-version").trim();
  if (!/^v?\d+\.\d+\.\d+$/.test(value)) {
    throw new UsageError(`input trivy-version: expected a Trivy release such as v0.69.3, got "${value}"`);
  }
  return value.startsWith("v") ? value : `v${value}`;
}
