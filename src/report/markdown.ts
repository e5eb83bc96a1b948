/**
 * Markdown for the job summary and the sticky PR comment (SPEC §6): counts by rule, then a table of
 * every finding, cut safely below a size limit with a note of how many rows were cut. All text
 * from files is escaped, so a file name or message cannot break the table, inject HTML or
 * @-mention anyone.
 */

import type { CheckResult } from "../check.js";
import { skipNotices } from "./skips.js";

export interface MarkdownOptions {
  /** Hard limit for the whole document, in bytes (the job summary's is 1 MiB, a comment's 65,536 characters). */
  maxBytes: number;
  /** Prepended verbatim (the comment's hidden marker). */
  preamble?: string;
  /** Link to the full report (the workflow run), shown when rows are cut. */
  moreAt?: string;
}

/** Escapes text for a table cell: HTML, pipes, newlines and @-mentions. */
export function cell(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "&#124;")
    .replace(/@/g, "&#64;")
    .replace(/`/g, "&#96;")
    .replace(/\r?\n|\r/g, " ");
}

const code = (text: string) => (text === "" ? "" : `<code>${cell(text)}</code>`);
const bytes = (text: string) => Buffer.byteLength(text, "utf8");

export function headline(result: CheckResult): string {
  const count = result.findings.length;
  if (count === 0) return "✅ base-image-guard: no base-image violations";
  const icon = result.mode === "enforce" ? "❌" : "⚠️";
  return `${icon} base-image-guard: ${count} base-image ${count === 1 ? "violation" : "violations"} (${result.mode} mode)`;
}

export function renderMarkdown(result: CheckResult, options: MarkdownOptions): string {
  const head: string[] = [];
  if (options.preamble) head.push(options.preamble);
  head.push(`### ${headline(result)}`, "");
  head.push(
    `Policy: ${code(result.policySource)} · ${result.files} files · ${result.images} images · ` +
      `${result.suppressed.length} suppressed · ${result.skipped.length} skipped`,
    "",
  );
  const byRule = new Map<string, number>();
  for (const finding of result.findings) byRule.set(finding.rule, (byRule.get(finding.rule) ?? 0) + 1);
  if (byRule.size > 0) {
    head.push("| rule | findings |", "| --- | ---: |");
    for (const [rule, count] of [...byRule].sort()) head.push(`| ${code(rule)} | ${count} |`);
    head.push("", "| file | line | rule | image | message |", "| --- | ---: | --- | --- | --- |");
  }

  const tail = detailsSections(result);
  // Reserve room for the tail and the longest possible "cut" note before adding rows.
  const cutNote = (cut: number) =>
    `\n> ${cut} more ${cut === 1 ? "finding is" : "findings are"} not shown here, to stay within the size limit. ` +
    `The JSON report and the SARIF file list them all${options.moreAt ? `: ${options.moreAt}` : "."}\n`;
  let size = bytes(head.join("\n")) + bytes(tail) + bytes(cutNote(result.findings.length)) + 2;
  if (size > options.maxBytes) throw new Error(`markdown limit ${options.maxBytes} is too small`);
  const rows: string[] = [];
  for (const f of result.findings) {
    const row = `| ${code(f.file)} | ${f.line} | ${code(f.rule)} | ${code(f.image)} | ${cell(f.message)} |`;
    if (size + bytes(row) + 1 > options.maxBytes) break;
    rows.push(row);
    size += bytes(row) + 1;
  }
  const cut = result.findings.length - rows.length;
  return `${[...head, ...rows].join("\n")}\n${cut > 0 ? cutNote(cut) : ""}${tail}`;
}

/** Suppressed and skipped files, folded: they matter, but less than findings. Capped so they never crowd out findings. */
function detailsSections(result: CheckResult): string {
  const MAX_ROWS = 200;
  const parts: string[] = [];
  if (result.suppressed.length > 0) {
    const rows = result.suppressed
      .slice(0, MAX_ROWS)
      .map(
        (s) =>
          `| ${code(s.file)} | ${s.line} | ${code(s.rule)} | ${code(s.image)} | ${cell(s.reason)} | ${s.expires ?? ""} |`,
      );
    parts.push(
      `<details><summary>${result.suppressed.length} suppressed</summary>\n`,
      "| file | line | rule | image | reason | expires |",
      "| --- | ---: | --- | --- | --- | --- |",
      ...rows,
      more(result.suppressed.length, MAX_ROWS),
      "</details>",
    );
  }
  if (result.skipped.length > 0) {
    const notices = skipNotices(result.skipped);
    const rows = notices
      .slice(0, MAX_ROWS)
      .map((n) => `| ${code(n.where)} | ${n.count} | ${cell(n.reason)} |`);
    parts.push(
      `<details><summary>${result.skipped.length} skipped (not checked)</summary>\n`,
      "| file or folder | files | reason |",
      "| --- | ---: | --- |",
      ...rows,
      more(notices.length, MAX_ROWS),
      "</details>",
    );
  }
  return parts.length > 0 ? `\n${parts.filter((p) => p !== "").join("\n")}\n` : "";
}

function more(total: number, shown: number): string {
  return total > shown ? `\n… and ${total - shown} more.\n` : "";
}
