/**
 * SPEC §6 job summary and PR comment (issue 12): one row per image and rule with its count, where
 * it is (links to the lines at the commit judged) and what to do; cut safely below the size limit.
 */
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/check.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { check, withPolicy } from "../helpers.js";

const many = Object.fromEntries(
  Array.from({ length: 300 }, (_, i) => [`svc-${i}/Dockerfile`, "FROM centos:7\n"]),
);

describe("markdown summary", () => {
  it("groups near-identical findings: one row per image and rule, the most frequent first", () => {
    const text = renderMarkdown(check({ ...many, "one/Dockerfile": "FROM nginx:1.27\n" }), {
      maxBytes: 1_000_000,
    });
    expect(text).toContain(
      "| <code>approved-base-images</code> | 301 |\n| <code>block-deprecated-base-images</code> | 300 |",
    );
    const rows = text.split("\n").filter((line) => /^\| <code>(centos|nginx)/.test(line));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      /^\| <code>centos:7<\/code> \| <code>approved-base-images<\/code> \| 300 \| <code>svc-0\/Dockerfile:1<\/code>, .* and 295 more \| centos:7 is not an approved base image/,
    );
    expect(rows[2]).toMatch(
      /^\| <code>nginx:1\.27<\/code> \| <code>approved-base-images<\/code> \| 1 \| <code>one\/Dockerfile:1<\/code> \|/,
    );
    expect(text).not.toContain("not shown");
  });

  it("links every location to its line at the commit judged, escaping what would break the link", () => {
    const base = "https://github.com/acme/shop/blob/0123456789abcdef0123456789abcdef01234567/";
    const result = check({ "odd (dir)/Dockerfile": "# x\nFROM centos:7\n" });
    const text = renderMarkdown(result, { maxBytes: 100_000, blobBase: base });
    expect(text).toContain(`[<code>odd (dir)/Dockerfile:2</code>](${base}odd%20%28dir%29/Dockerfile#L2)`);
  });

  it("cuts rows below the limit, says how many findings were cut and where the full report is", () => {
    const images: Record<string, string> = {};
    for (let i = 0; i < 400; i++) images[`svc-${i}/Dockerfile`] = `FROM centos:7.${i}\n`;
    const result: CheckResult = check(images);
    const text = renderMarkdown(result, { maxBytes: 20_000, moreAt: "the `report` output of step `guard`" });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(20_000);
    const shown = text.match(/^\| <code>centos:7\./gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(10);
    expect(text).toContain(
      `> ${800 - shown} more findings are not shown here, to stay within the size limit. The JSON report lists them all: the \`report\` output of step \`guard\`.`,
    );
  });

  it("issue 14: lists the releases in use with their end of support and days left, soonest first", () => {
    const result = check(
      {
        "a/Dockerfile": "FROM alpine:3.22\n",
        "b/Dockerfile": "FROM alpine:3.22.1\n",
        "c/Dockerfile": "FROM node:24-alpine\n",
        "d/Dockerfile": "FROM ubuntu:20.04\n",
      },
      { loaded: withPolicy({ eol: { block: true, warnDays: 180 } }) },
    );
    const text = renderMarkdown(result, { maxBytes: 100_000 });
    expect(text).toContain(
      [
        "| release | end of support | days left | images |",
        "| --- | --- | ---: | ---: |",
        "| <code>ubuntu 20.04</code> | 2025-05-31 | -545 | 1 |",
        "| <code>alpine 3.22</code> | 2027-05-01 | 155 | 2 |",
        "| <code>node 24</code> | 2028-04-30 | 520 | 1 |",
      ].join("\n"),
    );
    expect(
      renderMarkdown(check({ "a/Dockerfile": "FROM alpine:3.22\n" }), { maxBytes: 100_000 }),
    ).not.toContain("End of support");
  });
});
