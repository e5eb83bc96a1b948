/**
 * `base-image-guard inventory plan|scan|merge` (SPEC §10): the CLI side of the organisation-wide
 * inventory that `.github/workflows/inventory.yml` runs on GitHub Actions.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { centralPolicyName, centralPolicyOf } from "../action/central-policy.js";
import { writeChunks } from "../command-inputs.js";
import { InputError, UsageError } from "../errors.js";
import { apiDeadlineSeconds, guardedFetch } from "../github-fetch.js";
import { loadFetchedPolicy, loadPolicy } from "../policy/load.js";
import type { LoadedPolicy } from "../policy/types.js";
import { Progress, withProgress } from "../progress.js";
import { terminal } from "../report/neutralise.js";
import { mergeInventory, readPrevious } from "./merge.js";
import { countsLine, listRepositories, MAX_JOBS, planOf } from "./plan.js";
import { csvChunks, jsonChunks, judgedLine, renderInventoryHtml, renderInventoryMarkdown } from "./report.js";
import { scanRepository, scanTime } from "./scan.js";

export async function inventoryPlan(flags: {
  org: string;
  topic?: string;
  includeArchived?: boolean;
  maxJobs?: string;
}): Promise<number> {
  const maxJobs = flags.maxJobs === undefined ? MAX_JOBS : Number(flags.maxJobs);
  if (!Number.isInteger(maxJobs) || maxJobs < 1 || maxJobs > MAX_JOBS) {
    throw new UsageError(
      `--max-jobs takes a whole number from 1 to ${MAX_JOBS} (GitHub's matrix limit), got "${flags.maxJobs}"`,
    );
  }
  const repositories = await listRepositories(flags.org);
  const plan = planOf(repositories, {
    ...(flags.topic !== undefined && { topic: flags.topic }),
    ...(flags.includeArchived && { includeArchived: true }),
    maxJobs,
  });
  process.stdout.write(`${JSON.stringify(plan.matrix)}\n`);
  process.stderr.write(`${terminal(countsLine(plan, flags.topic))}\n`);
  return 0;
}

export async function inventoryScan(
  dirs: string[],
  flags: { policy?: string; out: string },
): Promise<number> {
  if (dirs.length === 0)
    throw new UsageError("inventory scan needs at least one folder (a repository's checkout)");
  const cwd = process.cwd();
  const loaded = await inventoryPolicy(flags.policy, cwd);
  const out = resolve(cwd, flags.out);
  const write = (text: string, first = false) => {
    try {
      (first ? writeFileSync : appendFileSync)(out, text);
    } catch (error) {
      throw new InputError(
        `cannot write ${flags.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  };
  write("", true);
  const scanned = scanTime();
  let judged = 0;
  const progress = new Progress({ label: "inventory scan", unit: "repositories" });
  withProgress(progress, () => {
    for (const [i, dir] of dirs.entries()) {
      const line = scanRepository(resolve(cwd, dir), loaded, scanned, (done, total) =>
        progress.update(
          i,
          dirs.length,
          `${dir}: ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} files`,
        ),
      );
      if (line.error === undefined) judged++;
      else process.stderr.write(`${terminal(line.repository)}: ${terminal(line.error)}\n`);
      write(`${JSON.stringify(line)}\n`);
    }
  });
  process.stderr.write(`${judged} of ${dirs.length} repositories judged under ${terminal(loaded.source)}\n`);
  return 0;
}

/**
 * The policy every repository is judged by: a file, `owner/repo/path@ref` read through the API
 * (`GITHUB_TOKEN`), or the built-in default — never a scanned repository's own.
 */
async function inventoryPolicy(policy: string | undefined, cwd: string): Promise<LoadedPolicy> {
  const central = centralPolicyOf(policy);
  if (!central) {
    // Without --policy the built-in default: never a .github/base-image-policy.yml found by chance.
    return policy === undefined ? loadPolicy(undefined, cwd, () => undefined) : loadPolicy(policy, cwd);
  }
  const name = centralPolicyName(central);
  const api = (process.env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  const fetcher = guardedFetch(apiDeadlineSeconds());
  const read = async (path: string, need: "required" | "optional"): Promise<string | undefined> => {
    const url = `${api}/repos/${central.owner}/${central.repo}/contents/${path.split("/").map(encodeURIComponent).join("/")}?ref=${encodeURIComponent(central.ref)}`;
    const token = process.env.GITHUB_TOKEN;
    let response: Response;
    try {
      response = await fetcher(url, {
        headers: { accept: "application/vnd.github.raw", ...(token && { authorization: `Bearer ${token}` }) },
      });
    } catch (error) {
      throw new InputError(`cannot read policy ${name}: ${(error as Error).message}`);
    }
    if (response.status === 404 && need === "optional") return undefined;
    if (!response.ok) {
      throw new InputError(
        `cannot read policy ${name}: the API answered ${response.status}; give GITHUB_TOKEN with read access to ${central.owner}/${central.repo}`,
      );
    }
    return response.text();
  };
  return loadFetchedPolicy(name, cwd, (path, what) =>
    what === "policy" ? read(central.path, "required") : read(path, "optional"),
  );
}

export async function inventoryMerge(
  files: string[],
  flags: { out: string; previous?: string },
): Promise<number> {
  if (files.length === 0)
    throw new UsageError("inventory merge needs the JSON lines files inventory scan wrote");
  const cwd = process.cwd();
  const inventory = await mergeInventory(
    files.map((f) => resolve(cwd, f)),
    flags.previous === undefined ? undefined : readPrevious(resolve(cwd, flags.previous)),
  );
  // writeChunks creates the folder, and reports a file it cannot write (exit 2).
  const dir = resolve(cwd, flags.out);
  const reports: [string, Iterable<string>][] = [
    ["inventory.json", jsonChunks(inventory)],
    ["inventory.csv", csvChunks(inventory)],
    ["inventory.md", [renderInventoryMarkdown(inventory)]],
    ["inventory.html", [renderInventoryHtml(inventory)]],
  ];
  for (const [name, chunks] of reports) writeChunks(chunks, join(dir, name), join(flags.out, name));
  const failed = inventory.repositories.filter((r) => r.error !== undefined);
  for (const r of failed)
    process.stderr.write(`not judged: ${terminal(r.repository)}: ${terminal(r.error ?? "")}\n`);
  process.stderr.write(
    `${judgedLine(inventory)}; inventory.json, inventory.csv, inventory.md and inventory.html in ${terminal(flags.out)}\n`,
  );
  return 0;
}
