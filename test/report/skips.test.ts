/** SPEC §3.5: skips are named, never silent, and grouped so a few real skips are not buried. */
import { describe, expect, it } from "vitest";
import { skipLine, skipNotices } from "../../src/report/skips.js";

describe("SPEC §3.5 skip notices", () => {
  it("groups a chart's templates into one line with a count, and keeps other skips one per file", () => {
    const reason = "Helm chart template";
    const notices = skipNotices([
      { file: "chart/templates/a.yaml", reason, group: "chart/templates" },
      { file: "chart/templates/b.yaml", reason, group: "chart/templates" },
      { file: "big.yaml", reason: "larger than maxFileSize" },
      { file: "chart/templates/tests/c.yaml", reason, group: "chart/templates" },
      { file: "other/templates/x.yaml", reason, group: "other/templates" },
    ]);
    expect(notices.map(skipLine)).toEqual([
      "chart/templates (3 files): Helm chart template",
      "big.yaml: larger than maxFileSize",
      "other/templates/x.yaml: Helm chart template",
    ]);
  });
});
