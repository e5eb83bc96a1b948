/**
 * `command: check` in the Action (SPEC §6): the engine's result as annotations, job summary, JSON
 * report, SARIF, outputs and the sticky PR comment; on pull requests, the base branch's policy
 * and optionally only the changed files.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import * as core from "@actions/core";
import * as github from "@actions/github";
import packageJson from "../../package.json" with { type: "json" };
import { applyBaseline, readBaseline } from "../baseline.js";
import { type CheckResult, exitCodeOf, runCheck } from "../check.js";
import { readDigests } from "../digests.js";
import { InputError } from "../errors.js";
import { DEFAULT_POLICY_PATH, loadFetchedPolicy, loadPolicy } from "../policy/load.js";
import type { LoadedPolicy } from "../policy/types.js";
import { annotationsOf } from "../report/annotations.js";
import { renderJson } from "../report/json.js";
import { headline, renderMarkdown } from "../report/markdown.js";
import { toSarif } from "../report/sarif.js";
import { octokitFor } from "./api.js";
import { centralPolicyName, centralPolicyOf, readCentralFile, readCentralPolicy } from "./central-policy.js";
import { type CheckInputs, workspace } from "./inputs.js";
import { baseCommitFindings } from "./new-findings.js";
import {
  changedFiles,
  commentMarker,
  fileAtBase,
  type Octokit,
  type PullRequest,
  pullRequestOf,
  upsertComment,
} from "./pull-request.js";
import { defaultSarifCategory, stepId } from "./step.js";
import { writeSummary } from "./summary.js";
import { uploadReport } from "./upload-report.js";

/** GitHub refuses job summaries over 1 MiB; stay clearly below. */
const SUMMARY_LIMIT_BYTES = 1_000_000;
/** GitHub comments hold at most 65,536 characters. */
const COMMENT_LIMIT_BYTES = 60_000;

function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
  return GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID
    ? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`
    : undefined;
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** On a pull request the policy comes from the base branch, so the PR cannot loosen what judges it. */
export async function policyFor(
  inputs: CheckInputs,
  cwd: string,
  pr: PullRequest | undefined,
  octokit: Octokit | undefined,
  changed: Set<string> | undefined,
): Promise<LoadedPolicy> {
  const central = centralPolicyOf(inputs.policy);
  if (central) {
    const name = centralPolicyName(central);
    core.info(`policy: ${name} (central, read through the API)`);
    return loadFetchedPolicy(name, cwd, (path, what) =>
      what === "policy"
        ? readCentralPolicy(octokit, central)
        : readCentralFile(octokit, central, path, "optional"),
    );
  }
  if (!pr) return loadPolicy(inputs.policy, cwd);
  const path = inputs.policy ?? DEFAULT_POLICY_PATH;
  // Never the checked-out policy nor the built-in default when the base cannot be read (SPEC §6):
  // fileAtBase throws, and the step stops with exit 2. The files the policy names (its calendar)
  // come from the base too: a change must not move dates.
  const loaded = await loadFetchedPolicy(inputs.policy, cwd, (wanted) =>
    fileAtBase(octokit, pr, wanted, cwd),
  );
  if (changed?.has(path)) {
    core.notice(`This pull request changes ${path}; the change takes effect after it is merged.`, {
      title: "base-image-guard policy",
      file: path,
    });
  }
  return loaded;
}

const ANNOTATE = { error: core.error, warning: core.warning, notice: core.notice } as const;

function annotate(result: CheckResult, changed: ReadonlySet<string> | undefined): void {
  for (const a of annotationsOf(result, changed ? { firstFiles: changed } : {})) {
    ANNOTATE[a.level](a.message, {
      title: a.title,
      ...(a.file !== undefined && { file: a.file }),
      ...(a.line !== undefined && { startLine: a.line, startColumn: a.column }),
    });
  }
}

async function comment(
  octokit: Octokit | undefined,
  pr: PullRequest | undefined,
  result: CheckResult,
  artifact: string | undefined,
): Promise<void> {
  if (!pr) {
    core.info("comment: not a pull request, no comment to keep");
    return;
  }
  const degrade = (why: string) =>
    core.notice(`No pull request comment: ${why}. The annotations and the job summary show the findings.`);
  if (!octokit) return degrade("no github-token");
  if (pr.number === undefined) return degrade("a merge group has no pull request to comment on");
  if (pr.fromFork) return degrade("the pull request comes from a fork, whose token cannot write comments");
  const marker = commentMarker(stepId());
  const preamble = `${marker}\n<sub>As of ${pr.headSha.slice(0, 7)}.</sub>\n`;
  const body =
    result.findings.length > 0
      ? renderMarkdown(result, {
          maxBytes: COMMENT_LIMIT_BYTES,
          preamble,
          ...markdownOptions(pr.headSha, artifact),
        })
      : undefined;
  const resolved = `${marker}\n### ${headline(result)}\n\nEvery finding of earlier runs is fixed as of ${pr.headSha.slice(0, 7)}.\n`;
  try {
    const outcome = await upsertComment(octokit, { ...pr, number: pr.number }, marker, body, resolved);
    core.info(`comment: ${outcome}`);
  } catch (error) {
    const status = (error as { status?: number }).status;
    degrade(
      status === 403 || status === 404
        ? "the token may not write comments (needs pull-requests: write)"
        : String(error),
    );
  }
}

/** A file an input names, in the workspace; unreadable is an input error (exit 2) naming it. */
export function workspaceText(cwd: string, path: string, what: string): string {
  try {
    return readFileSync(resolve(cwd, path), "utf8");
  } catch (error) {
    throw new InputError(
      `${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** The findings that do not fail: a baseline file's, the base commit's (new-findings-only), or both. */
async function knownFindings(
  inputs: CheckInputs,
  cwd: string,
  pr: PullRequest | undefined,
  octokit: Octokit | undefined,
  loaded: LoadedPolicy,
  onlyFiles: ReadonlySet<string> | undefined,
): Promise<{ fingerprints: Set<string>; name: string } | undefined> {
  const sets: Set<string>[] = [];
  const names: string[] = [];
  if (inputs.baseline && pr) {
    // On a change, the baseline comes from its base, like the policy: a change cannot waive its own findings.
    const text = await fileAtBase(octokit, pr, inputs.baseline, cwd);
    if (text === undefined) {
      core.notice(
        `The baseline ${inputs.baseline} does not exist at the base commit ${pr.baseSha.slice(0, 7)}, so every finding counts; it takes effect once merged.`,
        { title: "base-image-guard baseline" },
      );
    } else {
      sets.push(readBaseline(text, `${inputs.baseline} (at the base commit)`));
      names.push(inputs.baseline);
    }
  } else if (inputs.baseline) {
    sets.push(readBaseline(workspaceText(cwd, inputs.baseline, "baseline"), inputs.baseline));
    names.push(inputs.baseline);
  }
  if (inputs.newFindingsOnly) {
    if (pr) {
      sets.push(
        baseCommitFindings(cwd, pr, {
          paths: inputs.paths,
          loaded,
          render: inputs.render,
          ...(onlyFiles && { onlyFiles }),
        }),
      );
      names.push(`the base commit ${pr.baseSha.slice(0, 7)}`);
    } else {
      core.info("new-findings-only: not a pull request, so every finding counts");
    }
  }
  if (sets.length === 0) return undefined;
  return { fingerprints: new Set(sets.flatMap((set) => [...set])), name: names.join(" and ") };
}

/** What the summary and comment say about the rows they cut, and where their links point. */
function markdownOptions(
  sha: string | undefined,
  artifact: string | undefined,
): { moreAt: string; fullReport?: string; blobBase?: string } {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY } = process.env;
  const run = runUrl();
  const moreAt = artifact
    ? `[the report artifact](${artifact})`
    : `the \`report\` output of step \`${stepId()}\`${run ? ` in [this run](${run})` : ""} ` +
      "(set upload-report: true to keep it as an artifact)";
  const blobBase =
    GITHUB_SERVER_URL && GITHUB_REPOSITORY && sha && /^[0-9a-f]{40}$/.test(sha)
      ? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/blob/${sha}/`
      : undefined;
  return {
    moreAt,
    ...(artifact && { fullReport: `[JSON and SARIF](${artifact})` }),
    ...(blobBase && { blobBase }),
  };
}

export async function check(inputs: CheckInputs): Promise<void> {
  const cwd = workspace();
  const { context } = github;
  const pr = pullRequestOf(context.eventName, context.payload, process.env.GITHUB_REPOSITORY ?? "");
  const octokit = inputs.token ? octokitFor(inputs.token) : undefined;
  let changed: Set<string> | undefined;
  if (pr) {
    try {
      changed = await changedFiles(octokit, pr, cwd);
    } catch (error) {
      core.warning(
        `Could not list the pull request's files (${(error as Error).message}); checking every file.`,
      );
    }
  } else if (inputs.changedFilesOnly) {
    core.info("changed-files-only: not a pull request, so every file is checked");
  }

  const loaded = await policyFor(inputs, cwd, pr, octokit, changed);
  const onlyFiles = inputs.changedFilesOnly ? changed : undefined;
  const known = await knownFindings(inputs, cwd, pr, octokit, loaded, onlyFiles);
  const checked = runCheck({
    paths: inputs.paths,
    cwd,
    loaded,
    ...(inputs.mode && { mode: inputs.mode }),
    render: inputs.render,
    ...(onlyFiles && { onlyFiles }),
    ...(inputs.digests && {
      digests: readDigests(workspaceText(cwd, inputs.digests, "digests"), inputs.digests),
    }),
  });
  const result = known ? applyBaseline(checked, known.fingerprints, known.name) : checked;

  if (inputs.annotations) annotate(result, changed);
  // One report per step: a second check step in the job must not overwrite the first one's.
  const reportPath = join(process.env.RUNNER_TEMP ?? tmpdir(), "base-image-guard", stepId(), "report.json");
  writeFile(reportPath, renderJson(result));
  core.setOutput("report", reportPath);
  core.setOutput("violations", String(result.findings.length));
  if (inputs.sarifFile) {
    const sarifPath = resolve(cwd, inputs.sarifFile);
    const { log, cut } = toSarif(result, {
      version: packageJson.version,
      category: inputs.sarifCategory ?? defaultSarifCategory(),
    });
    if (cut) core.warning(cut, { title: "base-image-guard SARIF" });
    writeFile(sarifPath, `${JSON.stringify(log, null, 2)}\n`);
    core.setOutput("sarif", sarifPath);
  }
  const artifact = inputs.uploadReport
    ? await uploadReport(stepId(), dirname(reportPath), [
        reportPath,
        ...(inputs.sarifFile ? [resolve(cwd, inputs.sarifFile)] : []),
      ])
    : undefined;
  if (inputs.summary) {
    const sha = pr?.headSha ?? process.env.GITHUB_SHA;
    await writeSummary(
      renderMarkdown(result, { maxBytes: SUMMARY_LIMIT_BYTES, ...markdownOptions(sha, artifact) }),
    );
  }
  if (inputs.comment) await comment(octokit, pr, result, artifact);

  if (exitCodeOf(result) === 0) {
    core.info(headline(result));
  } else if (inputs.annotations && result.findings.length > 1) {
    // The headline was the first annotation; a second one from setFailed would take a slot of the
    // ten GitHub shows.
    core.info(headline(result));
    process.exitCode = 1;
  } else {
    core.setFailed(headline(result));
  }
}
