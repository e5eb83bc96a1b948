/** The job summary, where there is one: @github/local-action and other runners may not provide it. */
import * as core from "@actions/core";

export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info("No job summary: GITHUB_STEP_SUMMARY is not set (not running on a GitHub runner).");
    return;
  }
  await core.summary.addRaw(markdown).write();
}
