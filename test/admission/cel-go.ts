/**
 * The exports judged by Google's cel-go, the CEL that Kubernetes and Kyverno run (tools/celgo):
 * compiled in the API server's environment and Kyverno's, evaluated with the API server's cost
 * limits. `tools/celgo/setup.sh` builds the checker from Debian's cel-go packages; where it has not
 * been built the tests that need it are skipped and say why, except under `.ci/run`, which builds
 * it and sets CELGO_REQUIRED=1 so that a missing checker fails instead.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { CelProgram } from "../../src/admission/cel.js";
import type { Target } from "../../src/admission/export.js";

export type CelGoEnv = "k8s-1.30" | "k8s-1.31" | "kyverno-1.17";

/** A cel-go build and the environments it stands in for (tools/celgo/README.md). */
export interface CelGoBuild {
  version: string;
  path: string;
}

const dir =
  process.env.CELGO_DIR ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "base-image-guard", "celgo");
export const CEL_GO_BUILDS: CelGoBuild[] = ["0.18", "0.27"]
  .map((version) => ({ version, path: join(dir, "bin", `celgo-${version}`) }))
  .filter((build) => existsSync(build.path));

/** Why the cel-go tests cannot run here, or undefined when they can. */
export const celGoMissing: string | undefined =
  CEL_GO_BUILDS.length === 2
    ? undefined
    : `the cel-go checker is not built in ${dir}: run tools/celgo/setup.sh (Debian's archive and apt-get)`;
if (celGoMissing && process.env.CELGO_REQUIRED === "1") throw new Error(celGoMissing);

/** The environments an export of each target is compiled in where it runs. */
export const ENVS_OF: Record<Target, CelGoEnv[]> = {
  vap: ["k8s-1.30", "k8s-1.31"],
  // Kyverno compiles a ClusterPolicy's validate.cel with the API server's own compiler.
  "kyverno-clusterpolicy": ["k8s-1.30", "k8s-1.31"],
  kyverno: ["kyverno-1.17"],
};

export interface CelGoObject {
  object: unknown;
  namespaceObject?: unknown;
  request?: unknown;
  exceptions?: string[];
}

export interface CelGoResult {
  matched: boolean;
  denied: number[];
  messages: string[];
  errors: string[];
  cost: {
    total: number;
    dearest: string;
    dearestCost: number;
    overLimit: string[];
    perExpression: Record<string, number>;
  };
  values: Record<string, string[]>;
}

export interface CelGoAnswer {
  celGo: string;
  env: CelGoEnv;
  policies: { name: string; errors: { expression: string; message: string }[]; results: CelGoResult[] }[];
}

export interface CelGoPolicy {
  name: string;
  program: CelProgram;
  matchConditions?: { name: string; expression: string }[];
}

export function runCelGo(
  build: CelGoBuild,
  env: CelGoEnv,
  policies: CelGoPolicy[],
  objects: CelGoObject[],
  report: string[] = [],
): CelGoAnswer {
  const request = {
    env,
    policies: policies.map((p) => ({
      name: p.name,
      variables: p.program.variables,
      validations: p.program.validations,
      matchConditions: p.matchConditions ?? [],
    })),
    objects: objects.map((o) => ({ ...o, namespaceObject: o.namespaceObject ?? null })),
    report,
  };
  const run = spawnSync(build.path, [], {
    input: JSON.stringify(request),
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`celgo-${build.version} failed: ${run.stderr || run.error}`);
  return JSON.parse(run.stdout) as CelGoAnswer;
}

/** The images each rule rejects in one cel-go result (the validations' variables, reported), as checkVerdict gives them. */
export function rejectedOf(program: CelProgram, result: CelGoResult): Record<string, string[]> {
  const rejected: Record<string, string[]> = {};
  for (const v of program.validations) {
    const images = result.values[v.variable] ?? [];
    if (images.length > 0) rejected[v.rule] = [...images].sort();
  }
  return rejected;
}
