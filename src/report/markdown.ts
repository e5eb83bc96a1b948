/**
 * Markdown for the job summary and the sticky PR comment (SPEC §6): counts by rule, then one row
 * per image and rule — how often, where (links to the lines at the commit judged), and what to do —
 * so a thousand `FROM centos:7` are one row, not a thousand. Cut safely below a size limit with a
 * note of how much was cut. All text from files is escaped, so a file name or message cannot break
 * the table, inject HTML or @-mention anyone.
 */

import type { CheckResult } from "../check.js";
import type { Finding } from "../rules/types.js";
import { markdown } from "./neutralise.js";
import { skipNotices } from "./skips.js";

export interface MarkdownOptions {
  /** Hard limit for the whole document, in bytes (the job summary's is 1 MiB, a comment's 65,536 characters). */
  maxBytes: number;
  /** Prepended verbatim (the comment's hidden marker). */
  preamble?: string;
  /** Where the full JSON report can be had, said when rows are cut (markdown, trusted). */
  moreAt?: string;
  /** A link to the full report (markdown, trusted), shown under the counts. */
  fullReport?: string;
  /** `https://github.com/<owner>/<repo>/blob/<sha>/`: locations become links to the lines judged. */
  blobBase?: string;
}

/** Locations listed per row before "and N more". */
const WHERE_MAX = 5;

/** Escapes text for a table cell (and any other markdown): see neutralise.ts. */
export const cell = markdown;

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
      `${result.suppressed.length} suppressed · ${result.skipped.length} skipped` +
      (options.fullReport ? ` · full report: ${options.fullReport}` : ""),
    "",
  );
  if (result.releases && result.releases.length > 0) {
    head.push(
      "",
      "<details><summary>End of support of the releases in use</summary>",
      "",
      "| release | end of support | days left | images |",
      "| --- | --- | ---: | ---: |",
      ...result.releases
        .slice(0, 50)
        .map(
          (r) => `| ${code(`${r.product} ${r.release}`)} | ${r.end} | ${r.daysLeft ?? "—"} | ${r.images} |`,
        ),
      "",
      "</details>",
      "",
    );
  }
  const byRule = new Map<string, number>();
  for (const finding of result.findings) byRule.set(finding.rule, (byRule.get(finding.rule) ?? 0) + 1);
  if (byRule.size > 0) {
    head.push("| rule | findings |", "| --- | ---: |");
    for (const [rule, count] of [...byRule].sort()) head.push(`| ${code(rule)} | ${count} |`);
    head.push("", "| image | rule | findings | where | what to do |", "| --- | --- | ---: | --- | --- |");
  }

  // Limits are met by cutting, never by failing: the suppressed and skipped sections get at most a
  // quarter of the room, findings the rest, and whatever does not fit is counted, not shown.
  const tail = detailsSections(result, Math.floor(options.maxBytes / 4));
  const cutNote = (cut: number) =>
    `\n> ${cut} more ${cut === 1 ? "finding is" : "findings are"} not shown here, to stay within the size limit. ` +
    `The JSON report lists them all: ${options.moreAt ?? "base-image-guard check --format json"}.\n`;
  let size = bytes(head.join("\n")) + bytes(tail) + bytes(cutNote(result.findings.length)) + 2;
  const rows: string[] = [];
  let shown = 0;
  for (const group of groups(result.findings)) {
    const where = group.findings.slice(0, WHERE_MAX).map((f) => location(f, options.blobBase));
    const more = group.findings.length > WHERE_MAX ? ` and ${group.findings.length - WHERE_MAX} more` : "";
    const row = `| ${code(shortened(group.image))} | ${code(group.rule)} | ${group.findings.length} | ${where.join(", ")}${more} | ${cell(shortened(group.message))} |`;
    // Rows are bounded (long values shortened), so one that does not fit means the room is spent.
    if (size + bytes(row) + 1 > options.maxBytes) break;
    rows.push(row);
    size += bytes(row) + 1;
    shown += group.findings.length;
  }
  const cut = result.findings.length - shown;
  return `${[...head, ...rows].join("\n")}\n${cut > 0 ? cutNote(cut) : ""}${tail}`;
}

interface Group {
  image: string;
  rule: string;
  /** The first finding's message: the same image breaks the same rule for the same reason. */
  message: string;
  findings: Finding[];
}

/** Findings by image and rule, the most frequent first (ties in report order). */
function groups(findings: readonly Finding[]): Group[] {
  const byKey = new Map<string, Group>();
  for (const f of findings) {
    const key = `${f.image}\u0000${f.rule}`;
    const group = byKey.get(key);
    if (group) group.findings.push(f);
    else byKey.set(key, { image: f.image, rule: f.rule, message: f.message, findings: [f] });
  }
  return [...byKey.values()].sort((a, b) => b.findings.length - a.findings.length);
}

/** Longest value a summary cell shows whole: one giant string must not push out the rows that fit (SPEC §6). */
const CELL_MAX = 300;

function shortened(text: string): string {
  return text.length <= CELL_MAX
    ? text
    : `${text.slice(0, CELL_MAX)}… (${(text.length - CELL_MAX).toLocaleString("en-US")} more characters)`;
}

/** `file:line`, linked to the line at the commit judged when there is a blob base. */
function location(f: Finding, blobBase: string | undefined): string {
  const text = f.line > 0 ? `${shortened(f.file)}:${f.line}` : shortened(f.file);
  if (blobBase === undefined) return code(text);
  // encodeURIComponent leaves ( and ), which would end the markdown link early.
  const encode = (segment: string) =>
    encodeURIComponent(segment).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const path = f.file.split("/").map(encode).join("/");
  const url = `${blobBase}${path}${f.line > 0 ? `#L${f.line}` : ""}`;
  return `[${code(text)}](${url})`;
}

/**
 * Suppressed and skipped files, folded: they matter, but less than findings. Capped in rows and in
 * bytes (`budget`, shared by both sections) so they never crowd out findings.
 */
function detailsSections(result: CheckResult, budget: number): string {
  const MAX_ROWS = 200;
  let left = budget;
  const section = (summary: string, header: string[], all: string[]): string[] => {
    const fixed = [`<details><summary>${summary}</summary>\n`, ...header, "</details>"];
    left -= bytes(fixed.join("\n")) + bytes(more(all.length, 0)) + 2;
    const rows: string[] = [];
    for (const row of all.slice(0, MAX_ROWS)) {
      if (bytes(row) + 1 > left) break;
      rows.push(row);
      left -= bytes(row) + 1;
    }
    if (left < 0) return [];
    return [fixed[0] as string, ...header, ...rows, more(all.length, rows.length), "</details>"];
  };
  const parts: string[] = [];
  if (result.suppressed.length > 0) {
    const rows = result.suppressed.map(
      (s) =>
        `| ${code(s.file)} | ${s.line} | ${code(s.rule)} | ${code(s.image)} | ${cell(s.reason)} | ${s.expires ?? ""} |`,
    );
    parts.push(
      ...section(
        `${result.suppressed.length} suppressed`,
        ["| file | line | rule | image | reason | expires |", "| --- | ---: | --- | --- | --- | --- |"],
        rows,
      ),
    );
  }
  if (result.skipped.length > 0) {
    const rows = skipNotices(result.skipped).map(
      (n) => `| ${code(n.where)} | ${n.count} | ${cell(n.reason)} |`,
    );
    parts.push(
      ...section(
        `${result.skipped.length} skipped (not checked)`,
        ["| file or folder | files | reason |", "| --- | ---: | --- |"],
        rows,
      ),
    );
  }
  return parts.length > 0 ? `\n${parts.filter((p) => p !== "").join("\n")}\n` : "";
}

function more(total: number, shown: number): string {
  return total > shown ? `\n… and ${total - shown} more.\n` : "";
}
