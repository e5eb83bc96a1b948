/** SPEC §3.6 inline suppressions and policy exceptions: nothing is hidden entirely. */
import { describe, expect, it } from "vitest";
import { check, verdicts, withPolicy } from "../helpers.js";

const DIGEST = `sha256:${"f".repeat(64)}`;

describe("SPEC §3.6 inline suppressions", () => {
  it("moves a suppressed finding to `suppressed` with its reason", () => {
    const dockerfile =
      '# base-image-guard ignore=approved-base-images reason="vendor image, SEC-42"\nFROM nginx:1.27\n';
    const result = check({ "services/web/Dockerfile": dockerfile });
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toEqual([
      {
        rule: "approved-base-images",
        file: "services/web/Dockerfile",
        line: 2,
        image: "nginx:1.27",
        source: "dockerfile",
        reason: "vendor image, SEC-42",
        expires: null,
      },
    ]);
  });

  it("suppresses only the rules it names", () => {
    const dockerfile = '# base-image-guard ignore=approved-base-images reason="legacy"\nFROM centos:7\n';
    const result = check({ Dockerfile: dockerfile });
    expect(verdicts(result)).toEqual(["Dockerfile:2 block-deprecated-base-images"]);
    expect(result.suppressed.map((s) => s.rule)).toEqual(["approved-base-images"]);
  });

  it("works above an image: line in YAML and takes a list of rules", () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  containers:
    - name: a
      # base-image-guard ignore=approved-base-images,block-deprecated-base-images reason="OPS-1"
      image: centos:7
`;
    const result = check({ "pod.yaml": pod });
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toHaveLength(2);
  });

  it("makes a suppression without a reason an invalid-suppression finding that suppresses nothing", () => {
    const dockerfile = "# base-image-guard ignore=approved-base-images\nFROM nginx:1.27\n";
    expect(verdicts(check({ Dockerfile: dockerfile }))).toEqual([
      "Dockerfile:1 invalid-suppression",
      "Dockerfile:2 approved-base-images",
    ]);
  });

  it("rejects unknown rule names", () => {
    const dockerfile = '# base-image-guard ignore=approved reason="typo"\nFROM nginx:1.27\n';
    const result = check({ Dockerfile: dockerfile });
    expect(verdicts(result)).toEqual([
      "Dockerfile:1 invalid-suppression",
      "Dockerfile:2 approved-base-images",
    ]);
    expect(result.findings[0]?.message).toContain("unknown rule approved");
  });

  it("is a comment on a line of its own, never text after code", () => {
    const compose = [
      "services:",
      '  a: {image: "nginx:1.27"} # base-image-guard ignore=approved-base-images reason="x"',
      '  b: {image: "nginx:1.28"}',
    ].join("\n");
    expect(verdicts(check({ "compose.yaml": compose }))).toEqual([
      "compose.yaml:2 approved-base-images",
      "compose.yaml:3 approved-base-images",
    ]);
  });

  it("applies only to the line directly below", () => {
    const dockerfile = '# base-image-guard ignore=approved-base-images reason="x"\n\nFROM nginx:1.27\n';
    expect(verdicts(check({ Dockerfile: dockerfile }))).toEqual(["Dockerfile:3 approved-base-images"]);
  });
});

describe("SPEC §3.6 policy exceptions", () => {
  const exception = (expires: string, extra: Record<string, unknown> = {}) =>
    withPolicy({
      exceptions: [
        {
          image: "docker.io/library/centos:7",
          rules: ["block-deprecated-base-images"],
          reason: "legacy billing batch, OPS-123",
          expires,
          ...extra,
        },
      ],
    });

  it("waives the named rules until the expiry date, inclusive", () => {
    const result = check({ Dockerfile: "FROM centos:7.9.2009\n" }, { loaded: exception("2026-11-27") });
    expect(verdicts(result)).toEqual(["Dockerfile:1 approved-base-images"]);
    expect(result.suppressed).toEqual([
      {
        rule: "block-deprecated-base-images",
        file: "Dockerfile",
        line: 1,
        image: "centos:7.9.2009",
        source: "dockerfile",
        reason: "legacy billing batch, OPS-123",
        expires: "2026-11-27",
      },
    ]);
  });

  it("stops applying after the date and says so in the message", () => {
    const result = check({ Dockerfile: "FROM centos:7\n" }, { loaded: exception("2026-11-26") });
    expect(verdicts(result)).toEqual([
      "Dockerfile:1 approved-base-images",
      "Dockerfile:1 block-deprecated-base-images",
    ]);
    expect(result.findings[1]?.message).toContain('("legacy billing batch, OPS-123") expired on 2026-11-26');
    expect(result.suppressed).toEqual([]);
  });

  it("covers all rules when `rules` is left out", () => {
    const loaded = withPolicy({
      exceptions: [{ image: "centos", reason: "all of it", expires: "2030-01-01" }],
    });
    const result = check({ Dockerfile: "FROM centos:7\n" }, { loaded });
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toHaveLength(2);
  });

  it("does not let an entry with a release cover a digest-only reference", () => {
    const result = check({ Dockerfile: `FROM centos@${DIGEST}\n` }, { loaded: exception("2030-01-01") });
    expect(verdicts(result)).toEqual([
      "Dockerfile:1 approved-base-images",
      "Dockerfile:1 block-deprecated-base-images",
    ]);
  });
});
