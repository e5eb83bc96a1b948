/**
 * Non-negotiable 7 and issue 9: no string from the repository can inject a workflow command, a
 * terminal sequence, or a live link, image, mention or cross-reference, in any output format.
 */
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/check.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { hasUnsafeCharacter, markdown, terminal } from "../../src/report/neutralise.js";
import { renderText } from "../../src/report/text.js";
import { workflowCommand } from "../../src/report/workflow-commands.js";

const HOSTILE = [
  "nginx\n::warning file=x::pwned",
  "a\r::error::pwned",
  "red\u001b[31m\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007",
  "![x](https://evil.example/pixel.png)",
  "[click](https://evil.example)",
  "see https://evil.example and www.evil.example",
  "ping @octocat and acme/shop#2 and #3 and GH-4",
  "<img src=x onerror=alert(1)> | col",
  "rtl \u202e gnp.exe",
];

function resultWith(text: string): CheckResult {
  return {
    mode: "enforce",
    policySource: "p.yml",
    policyWarnings: [`warning about ${text}`],
    files: 1,
    judged: [`dir/${text}/Dockerfile`],
    images: 1,
    findings: [
      {
        rule: "parse-error",
        severity: "error",
        file: `dir/${text}/Dockerfile`,
        line: 1,
        column: 1,
        image: text,
        message: `bad ${text}`,
      },
      {
        rule: "parse-error",
        severity: "error",
        file: `::error::${text}`,
        line: 2,
        column: 1,
        image: text,
        message: text,
      },
    ],
    suppressed: [
      { rule: "approved-base-images", file: text, line: 3, image: text, reason: text, expires: null },
    ],
    skipped: [{ file: text, reason: text }],
  };
}

describe("issue 9: untrusted text is inert in every output", () => {
  it.each(HOSTILE)(
    "text report: no line starts a workflow command, no control character passes (%j)",
    (text) => {
      const out = renderText(resultWith(text), { color: false });
      for (const line of out.split("\n")) expect(line.startsWith("::")).toBe(false);
      expect(hasUnsafeCharacter(out.replace(/\n/g, ""))).toBe(false);
    },
  );

  it.each(HOSTILE)("workflow commands: one line, no ESC (%j)", (text) => {
    const command = workflowCommand("error", { file: text, line: 1 }, text);
    expect(command.split("\n")).toHaveLength(1);
    expect(hasUnsafeCharacter(command)).toBe(false);
  });

  it.each(HOSTILE)("markdown: no link, image, autolink, mention, reference or HTML (%j)", (text) => {
    const out = renderMarkdown(resultWith(text), { maxBytes: 100_000 });
    // What GitHub would turn live: link and image syntax, raw HTML, and — on one text node —
    // URLs, mentions and references. Text split by an element is not one text node.
    expect(out).not.toMatch(/\]\(|!\[|<img|<a /);
    expect(out).not.toMatch(/https?:\/\/|www\./);
    expect(out).not.toMatch(/@[a-z]/i);
    expect(out).not.toMatch(/(?<!&)#\d|GH-\d/i);
  });

  it("keeps text readable: escapes are visible, not dropped", () => {
    expect(terminal("a\nb\u001bc")).toBe("a\\nb\\x1bc");
    expect(markdown("acme/shop#2")).toBe("acme/shop#<span></span>2");
  });
});

describe("issue 9: markdown limits are met by cutting, never by failing", () => {
  it("fits 120 long skipped paths and 250 skipped templates into a PR comment", () => {
    const long = "x".repeat(900);
    const result: CheckResult = {
      ...resultWith("centos:7"),
      skipped: [
        ...Array.from({ length: 120 }, (_, i) => ({
          file: `${long}/${i}/Dockerfile`,
          reason: "binary file",
        })),
        ...Array.from({ length: 250 }, (_, i) => ({
          file: `chart-${i}/templates/a.yaml`,
          reason: "Helm chart template",
        })),
      ],
    };
    const text = renderMarkdown(result, { maxBytes: 60_000 });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(60_000);
    expect(text).toContain("370 skipped (not checked)");
    expect(text).toMatch(/… and \d+ more\./);
    expect(text).toContain("<code>dir/centos:7/Dockerfile:1</code>");
  });

  it("still renders the headline under a tiny limit", () => {
    const text = renderMarkdown(resultWith("centos:7"), { maxBytes: 300 });
    expect(text).toContain("base-image-guard: 2 base-image violations");
  });
});
