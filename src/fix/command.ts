/**
 * `base-image-guard fix` (SPEC §9): the diff (default; exit 1 when it would change something), the
 * files rewritten in place (`--write`, exit 0), or JSON for tools; what it cannot fix on stderr,
 * each with its file, line and reason.
 */
import { dayOf, readInput } from "../command-inputs.js";
import { readDigests } from "../digests.js";
import { UsageError } from "../errors.js";
import { loadPolicy } from "../policy/load.js";
import { currentDigest } from "../rebuild/pin.js";
import { execRunner, MissingToolError, type ToolRunner } from "../rebuild/tools.js";
import { terminal, terminalLineStart } from "../report/neutralise.js";
import { type FixResult, runFix } from "./index.js";
import { REPAIRABLE, type Resolver } from "./target.js";
import { writeChanges } from "./write.js";

export interface FixFlags {
  policy?: string;
  digests?: string;
  resolve?: boolean;
  rules?: string;
  write?: boolean;
  format: "diff" | "json";
  buildArg: Record<string, string>;
  today?: string;
  jobs: number;
}

export const FIX_FORMATS = ["diff", "json"] as const;

export async function fix(
  paths: string[],
  flags: FixFlags,
  tools: ToolRunner = execRunner({ quiet: true }),
): Promise<number> {
  const cwd = process.cwd();
  const loaded = loadPolicy(flags.policy, cwd);
  const only = flags.rules === undefined ? undefined : rulesOf(flags.rules);
  if (flags.resolve && !(await tools.has("skopeo"))) throw new MissingToolError("skopeo");
  const result = await runFix({
    paths,
    cwd,
    loaded,
    buildArgs: flags.buildArg,
    ...(flags.digests && {
      digests: readDigests(readInput(flags.digests, cwd, "digests", "stdin").text, flags.digests),
    }),
    ...(flags.today && { today: new Date(`${dayOf(flags.today, "--today")}T12:00:00Z`) }),
    ...(flags.resolve && { resolve: registryResolver(tools) }),
    ...(only && { only }),
    jobs: flags.jobs,
  });
  if (flags.write) writeChanges(result.files);
  if (flags.format === "json") {
    process.stdout.write(`${JSON.stringify(fixJson(result), null, 2)}\n`);
  } else if (!flags.write) {
    const diff = result.files.map((f) => f.diff).join("");
    // On a terminal the diff is for reading: control characters from the files are shown escaped.
    process.stdout.write(process.stdout.isTTY ? diff.split("\n").map(terminal).join("\n") : diff);
  }
  process.stderr.write(summary(result, flags.write === true));
  if (flags.write) return 0;
  return result.changes.length > 0 ? 1 : 0;
}

/** SPEC §9 `--format json`. */
export function fixJson(result: FixResult): {
  version: 1;
  changes: FixResult["changes"];
  unfixable: FixResult["unfixable"];
} {
  return { version: 1, changes: result.changes, unfixable: result.unfixable };
}

function summary(result: FixResult, written: boolean): string {
  const lines: string[] = [];
  const files = result.files.length;
  const changes = result.changes.length;
  if (changes === 0) lines.push("nothing to fix");
  else
    lines.push(
      `${written ? "fixed" : "would fix"} ${changes} image${changes === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}`,
    );
  if (result.unfixable.length > 0) {
    lines.push(`not fixable (${result.unfixable.length}):`);
    for (const u of result.unfixable) {
      const what = u.image ? ` ${terminal(u.image)}` : "";
      lines.push(
        `  ${terminalLineStart(u.file)}:${u.line}${u.rule ? ` ${u.rule}` : ""}${what}: ${terminal(u.reason)}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

function rulesOf(text: string): Set<string> {
  const rules = text
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  for (const rule of rules) {
    if (!REPAIRABLE.includes(rule as (typeof REPAIRABLE)[number]))
      throw new UsageError(`--rules: ${rule} is not a rule fix repairs (${REPAIRABLE.join(", ")})`);
  }
  return new Set(rules);
}

/** `--resolve`: the registry's digest of a reference, once per reference. */
function registryResolver(tools: ToolRunner): Resolver {
  const known = new Map<string, ReturnType<Resolver>>();
  return (reference) => {
    let answer = known.get(reference);
    if (!answer) {
      answer = currentDigest(reference, tools);
      known.set(reference, answer);
    }
    return answer;
  };
}
