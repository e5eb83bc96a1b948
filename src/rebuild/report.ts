/**
 * What a rebuild says: a table of image, tags, digest, CVE counts and signed for the job summary
 * (and the terminal), and the `images` output as JSON (SPEC §7 step 5).
 */
import { cell } from "../report/markdown.js";
import type { ImageOutcome } from "./pipeline.js";

export function imagesOutput(outcomes: ImageOutcome[]): string {
  return JSON.stringify(
    outcomes.map((o) => ({
      name: o.name,
      tags: o.tags,
      digest: o.digest ?? null,
      vulnerabilities: o.vulnerabilities,
      signed: o.signed,
      attested: o.attested,
      sbom: o.sbom,
      status: o.status,
      ...(o.skipped && { skipped: o.skipped }),
      ...(o.gate && { gate: o.gate }),
      ...(o.platforms && { platforms: o.platforms }),
      ...(o.upstream && { upstream: o.upstream }),
      ...(o.failedStep && { failedStep: o.failedStep, error: o.error }),
    })),
  );
}

const code = (text: string) => `<code>${cell(text)}</code>`;

export function renderRebuildSummary(outcomes: ImageOutcome[]): string {
  const failed = outcomes.filter((o) => o.status === "failed");
  const lines = [
    failed.length === 0
      ? `### ✅ base images: ${outcomes.length} rebuilt`
      : `### ❌ base images: ${failed.length} of ${outcomes.length} failed (${failed.map((o) => o.name).join(", ")})`,
    "",
    "| image | tags | digest | critical | high | signed | status |",
    "| --- | --- | --- | ---: | ---: | --- | --- |",
  ];
  for (const o of outcomes) {
    const status =
      o.status === "failed"
        ? `❌ ${o.failedStep} failed`
        : o.status === "skipped"
          ? `skipped: ${cell(o.skipped ?? "")}`
          : o.status;
    lines.push(
      `| ${code(o.name)} | ${o.tags.map(code).join("<br>")} | ${o.digest ? code(o.digest) : "—"} | ` +
        `${o.scanned ? o.vulnerabilities.CRITICAL : "—"} | ${o.scanned ? o.vulnerabilities.HIGH : "—"} | ` +
        `${o.signed ? "✅" : "—"} | ${status} |`,
    );
  }
  for (const o of failed) {
    lines.push(
      "",
      `#### ${cell(o.name)}: ${o.failedStep} failed`,
      "",
      "```",
      (o.error ?? "").replace(/```/g, "'''"),
      "```",
    );
    if (o.cves.length > 0) {
      lines.push(
        "",
        "| CVE | package | installed | fixed in | severity |",
        "| --- | --- | --- | --- | --- |",
      );
      for (const v of o.cves) {
        lines.push(
          `| ${cell(v.id)} | ${cell(v.package)} | ${cell(v.installed)} | ${cell(v.fixed) || "no fix yet"} | ${v.severity} |`,
        );
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

/** One line per image for the terminal. */
export function renderRebuildText(outcomes: ImageOutcome[]): string {
  return outcomes
    .map((o) => {
      const head = `${o.status === "failed" ? "✖" : o.status === "skipped" ? "=" : "✔"} ${o.name}: ${o.status === "failed" ? `${o.failedStep} failed` : o.status === "skipped" ? `skipped: ${o.skipped}` : o.status}`;
      const moved =
        o.upstream?.old && o.upstream.new && o.upstream.old !== o.upstream.new
          ? `\n    upstream ${o.upstream.old} → ${o.upstream.new}`
          : "";
      const digest = o.digest ? ` ${o.digest}` : "";
      const vulns = o.scanned
        ? ` (critical ${o.vulnerabilities.CRITICAL}, high ${o.vulnerabilities.HIGH})`
        : "";
      const signed = o.signed ? ", signed" : "";
      const error = o.error ? `\n    ${o.error.replace(/\n/g, "\n    ")}` : "";
      const gate = o.gate ? `\n    ${o.gate}` : "";
      return `${head}${digest}${vulns}${signed}${moved}${gate}${error}`;
    })
    .join("\n")
    .concat("\n");
}
