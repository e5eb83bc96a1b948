/** SPEC §6 job summary and PR comment: every finding listed, cut safely below the size limit. */
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown.js";
import { check } from "../helpers.js";

const many = Object.fromEntries(
  Array.from({ length: 300 }, (_, i) => [`svc-${i}/Dockerfile`, "FROM centos:7\n"]),
);

describe("markdown summary", () => {
  it("lists every finding when it fits, with counts by rule", () => {
    const text = renderMarkdown(check({ "a/Dockerfile": "FROM centos:7\n" }), { maxBytes: 1_000_000 });
    expect(text).toContain(
      "| <code>approved-base-images</code> | 1 |\n| <code>block-deprecated-base-images</code> | 1 |",
    );
    expect(text.match(/^\| <code>a\/Dockerfile<\/code>/gm)).toHaveLength(2);
    expect(text).not.toContain("not shown");
  });

  it("cuts rows below the limit and says how many were cut and where to find them", () => {
    const result = check(many);
    const text = renderMarkdown(result, {
      maxBytes: 20_000,
      moreAt: "https://github.com/acme/shop/actions/runs/1",
    });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(20_000);
    const shown = text.match(/^\| <code>svc-/gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(10);
    expect(text).toContain(
      `> ${600 - shown} more findings are not shown here, to stay within the size limit. The JSON report and the SARIF file list them all: https://github.com/acme/shop/actions/runs/1`,
    );
  });
});
