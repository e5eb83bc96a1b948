import * as core from "@actions/core";
import * as github from "@actions/github";
import { readDigests } from "../digests.js";
import { InputError } from "../errors.js";
import { type Change, type FixResult, runFix } from "../fix/index.js";
import { writeChanges } from "../fix/write.js";
import { markdown } from "../report/neutralise.js";
import { octokitFor } from "./api.js";
import { policyFor, workspaceText } from "./check.js";
import { openFixPullRequest } from "./fix-pull-request.js";
import { booleanInput, type CheckInputs, type GetInput, workspace } from "./inputs.js";
import { type Octokit, type PullRequest, pullRequestOf } from "./pull-request.js";
import { stepId } from "./step.js";
import { writeSummary } from "./summary.js";

/** Review comments posted in one review at most; the rest are listed in the job summary. */
export const MAX_SUGGESTIONS = 50;

export async function fix(inputs: CheckInputs, get: GetInput): Promise<void> {
  const cwd = workspace();
  const { context } = github;
  const pr = pullRequestOf(context.eventName, context.payload, process.env.GITHUB_REPOSITORY ?? "");
  const octokit = inputs.token ? octokitFor(inputs.token) : undefined;
  const suggestions = booleanInput(get, "suggestions");
  const loaded = await policyFor(inputs, cwd, pr, octokit, undefined);
  const result = await runFix({
    paths: inputs.paths,
    cwd,
    loaded,
    ...(inputs.digests && {
      digests: readDigests(workspaceText(cwd, inputs.digests, "digests"), inputs.digests),
    }),
  });
  writeChanges(result.files);
  const files = result.files.map((f) => f.file);
  core.setOutput("changed", String(files.length > 0));
  core.setOutput("files", JSON.stringify(files));
  core.info(
    `fix: ${result.changes.length} image(s) in ${files.length} file(s); ${result.unfixable.length} not fixable`,
  );

  let posted: ReadonlySet<Change> = new Set();
  if (suggestions) {
    if (!pr || pr.number === undefined) core.info("suggestions: not a pull request, so no review is posted");
    else if (!octokit)
      core.notice("No suggestions posted: no github-token. The job summary lists the changes.");
    else if (pr.fromFork)
      core.notice(
        "No suggestions posted: the pull request comes from a fork, whose token cannot write reviews.",
      );
    else posted = await suggest(octokit, { ...pr, number: pr.number }, result);
  }
  if (booleanInput(get, "pull-request")) await rollout(octokit, pr, result);
  if (inputs.summary) await writeSummary(summaryOf(result, posted));
}

/** The branch `pull-request: true` commits to, one per repository. */
export const FIX_BRANCH = "base-image-guard/fix-images";
/** GitHub refuses pull request bodies over 65,536 characters. */
const BODY_LIMIT = 60_000;

async function rollout(
  octokit: Octokit | undefined,
  pr: PullRequest | undefined,
  result: FixResult,
): Promise<void> {
  if (pr)
    return core.notice(
      "pull-request: a pull request run does not open another pull request; use suggestions.",
    );
  if (result.files.length === 0) return core.info("pull-request: nothing changed, no pull request");
  if (!octokit)
    throw new InputError("input pull-request needs github-token (contents: write, pull-requests: write)");
  const { GITHUB_REF = "", GITHUB_SHA = "", GITHUB_REPOSITORY = "" } = process.env;
  if (!GITHUB_REF.startsWith("refs/heads/"))
    throw new InputError(`input pull-request needs a run on a branch, not ${GITHUB_REF || "no ref"}`);
  const [owner = "", repo = ""] = GITHUB_REPOSITORY.split("/");
  const summary = summaryOf(result, new Set());
  const body =
    summary.length > BODY_LIMIT
      ? `${summary.slice(0, BODY_LIMIT)}\n\n(cut: the job summary has the rest)\n`
      : summary;
  const outcome = await openFixPullRequest(
    octokit,
    { owner, repo, base: GITHUB_REF.slice("refs/heads/".length), parent: GITHUB_SHA, branch: FIX_BRANCH },
    result,
    body,
  );
  core.setOutput("pull-request", outcome.url);
  core.notice(`pull request #${outcome.number} ${outcome.kind}: ${outcome.url}`);
}

/** The hidden marker of a step's suggestions: a re-run replaces what this step posted before. */
export function suggestionMarker(step: string): string {
  return `<!-- base-image-guard:fix-suggestions:${step} -->`;
}

/**
 * Posts one review whose comments suggest the fixed text of each changed line that the pull
 * request's diff shows, after deleting the comments the step's earlier runs left. Returns the
 * changes it suggested; a token that may not write reviews is a notice, never a failed step.
 */
async function suggest(
  octokit: Octokit,
  pr: PullRequest & { number: number },
  result: FixResult,
): Promise<ReadonlySet<Change>> {
  const marker = suggestionMarker(stepId());
  const target = { owner: pr.owner, repo: pr.repo, pull_number: pr.number };
  try {
    const diff = await diffLines(octokit, target);
    const old = await octokit.paginate(octokit.rest.pulls.listReviewComments, { ...target, per_page: 100 });
    for (const comment of old) {
      if (comment.body?.includes(marker))
        await octokit.rest.pulls.deleteReviewComment({
          owner: pr.owner,
          repo: pr.repo,
          comment_id: comment.id,
        });
    }
    const comments: { path: string; line: number; side: "RIGHT"; body: string }[] = [];
    const suggested = new Set<Change>();
    for (const file of result.files) {
      const lines = diff.get(file.file);
      for (const changed of file.lines) {
        if (!lines?.has(changed.line) || comments.length >= MAX_SUGGESTIONS) continue;
        const about = result.changes.filter(
          (c) =>
            c.file === file.file && c.line >= changed.line && c.line <= changed.line + changed.new.length - 1,
        );
        for (const c of about) suggested.add(c);
        const why = about.map((c) => `\`${inline(c.from)}\` → \`${inline(c.to)}\` (${c.rule})`).join("; ");
        comments.push({
          path: file.file,
          line: changed.line,
          side: "RIGHT",
          body: `base-image-guard fix: ${markdown(why || "the approved, pinned image")}\n\n\`\`\`suggestion\n${changed.new.join("\n")}\n\`\`\`\n${marker}`,
        });
      }
    }
    if (comments.length === 0) {
      core.info("suggestions: none of the changes is on a line of the pull request's diff");
      return suggested;
    }
    await octokit.rest.pulls.createReview({
      ...target,
      commit_id: pr.headSha,
      event: "COMMENT",
      body: `base-image-guard suggests ${comments.length} change(s) to approved, pinned base images. ${marker}`,
      comments,
    });
    core.info(`suggestions: one review with ${comments.length} suggestion(s)`);
    return suggested;
  } catch (error) {
    const status = (error as { status?: number }).status;
    core.notice(
      `No suggestions posted: ${status === 403 || status === 404 ? "the token may not write reviews (needs pull-requests: write)" : String(error)}. The job summary lists the changes.`,
    );
    return new Set();
  }
}

/** Backticks would end the code span: an image string never holds one, but the text is untrusted. */
function inline(text: string): string {
  return text.replace(/`/g, "'");
}

/** The lines of each file, on the pull request's side, that its diff shows (where review comments may go). */
async function diffLines(
  octokit: Octokit,
  target: { owner: string; repo: string; pull_number: number },
): Promise<Map<string, Set<number>>> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...target, per_page: 100 });
  const lines = new Map<string, Set<number>>();
  for (const file of files) {
    const shown = new Set<number>();
    let line = 0;
    for (const row of (file.patch ?? "").split("\n")) {
      const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(row);
      if (hunk) {
        line = Number(hunk[1]);
        continue;
      }
      if (row.startsWith("-") || row.startsWith("\\")) continue;
      if (line > 0) shown.add(line++);
    }
    lines.set(file.filename, shown);
  }
  return lines;
}

function summaryOf(result: FixResult, posted: ReadonlySet<Change>): string {
  const rows = (list: string[][]) => list.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
  const out = [
    `### base-image-guard fix: ${result.changes.length} image(s) in ${result.files.length} file(s)`,
    "",
  ];
  if (result.changes.length > 0) {
    out.push(
      "| file | line | from | to | rule |",
      "|---|---|---|---|---|",
      rows(
        result.changes.map((c) => [
          `${markdown(c.file)}${posted.has(c) ? " (suggested)" : ""}`,
          String(c.line),
          markdown(c.from),
          markdown(c.to),
          c.rule,
        ]),
      ),
      "",
    );
  }
  if (result.unfixable.length > 0) {
    out.push(
      `#### Not fixable (${result.unfixable.length})`,
      "",
      "| file | line | rule | image | reason |",
      "|---|---|---|---|---|",
      rows(
        result.unfixable.map((u) => [
          markdown(u.file),
          String(u.line),
          u.rule,
          markdown(u.image),
          markdown(u.reason),
        ]),
      ),
      "",
    );
  }
  return `${out.join("\n")}\n`;
}
