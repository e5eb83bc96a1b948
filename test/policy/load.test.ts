/** SPEC §2 policy files: validation stops the run with file, line and key path; never a silent fallback. */
import { describe, expect, it } from "vitest";
import { runCheck } from "../../src/check.js";
import { PolicyError, UsageError } from "../../src/errors.js";
import { BUILT_IN, loadPolicy, parsePolicy, parseSize } from "../../src/policy/load.js";
import { fixture } from "../helpers.js";

function problemsOf(yaml: string): string[] {
  try {
    parsePolicy(yaml, "policy.yml");
  } catch (error) {
    if (error instanceof PolicyError)
      return error.problems.map((p) => `${p.line} ${p.keyPath}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("SPEC §2 policy validation", () => {
  it("accepts the built-in default", () => {
    expect(loadPolicy(undefined, fixture({})).source).toBe(BUILT_IN);
  });

  it("names an unknown key with its line and the allowed keys", () => {
    expect(problemsOf("mode: enforce\naproved: [x]\n")).toEqual([
      expect.stringMatching(/^2 aproved: unknown key "aproved"; allowed keys: mode, approved,/),
    ]);
    expect(problemsOf("dockerfile:\n  stage: final\n")[0]).toMatch(/^2 dockerfile\.stage: unknown key/);
  });

  it("asks for quotes when a version is a YAML number", () => {
    expect(problemsOf("versions:\n  ubuntu: [22.04, 20.10]\n")).toEqual([
      '2 versions.ubuntu[0]: expected a string, got the number 22.04; quote it ("22.04") because YAML reads 20.10 as 20.1',
      '2 versions.ubuntu[1]: expected a string, got the number 20.10; quote it ("20.10") because YAML reads 20.10 as 20.1',
    ]);
  });

  it("rejects wrong types, bad enums, bad dates and bad ranges", () => {
    expect(problemsOf("approved: registry.example.com/base/alpine\n")).toEqual([
      "1 approved: expected a list",
    ]);
    expect(problemsOf("mode: strict\n")).toEqual(['1 mode: expected one of "enforce", "audit"']);
    expect(
      problemsOf("exceptions:\n  - image: centos:7\n    reason: legacy\n    expires: 2027-02-30\n"),
    ).toEqual(['4 exceptions[0].expires: "2027-02-30" is not a calendar date (YYYY-MM-DD)']);
    expect(problemsOf("exceptions:\n  - image: centos:7\n    reason: x\n    expires: next year\n")).toEqual([
      "4 exceptions[0].expires: expected a date written YYYY-MM-DD, such as 2027-03-31",
    ]);
    expect(problemsOf('versions:\n  alpine: [">=>3"]\n')[0]).toMatch(
      /^2 versions\.alpine\[0\]: ">=>3" is neither a release/,
    );
  });

  it("rejects empty entries", () => {
    expect(problemsOf('approved: [""]\n')).toEqual(["1 approved[0]: must not be empty"]);
  });

  it("requires a reason and an expiry on exceptions", () => {
    expect(problemsOf("exceptions:\n  - image: centos:7\n")).toEqual([
      '2 exceptions[0]: missing required key "reason"',
      '2 exceptions[0]: missing required key "expires"',
    ]);
  });

  it("rejects image entries that are not references, and tags on allowlist entries", () => {
    expect(problemsOf("deprecated: [CentOS]\n")[0]).toMatch(/lowercase/);
    expect(problemsOf("approved: [registry.example.com/base/alpine:3.19]\n")[0]).toMatch(
      /names a tag or digest; this list holds repositories/,
    );
  });

  it("reports YAML syntax errors with their line", () => {
    expect(problemsOf("approved:\n  - [unclosed\n")[0]).toMatch(/^\d : YAML syntax: Flow sequence/);
  });

  it("takes settings, not rules, from the built-in values when left out", () => {
    const { policy } = parsePolicy("deprecated: [centos]\n", "p.yml");
    expect(policy.approved).toBeUndefined();
    expect(policy.versions).toBeUndefined();
    expect(policy.mode).toBe("enforce");
    expect(policy.dockerfile).toEqual({ stages: "all", copyFrom: "check" });
    expect(policy.include).toEqual(["**"]);
    expect(policy.workflows).toBe("check");
    expect(policy.maxFileSize).toBe(10 * 1024 * 1024);
  });

  it("fails when an explicit policy path does not exist, never falling back to the default", () => {
    expect(() => loadPolicy("missing.yml", fixture({}))).toThrow(UsageError);
  });

  it("reads .github/base-image-policy.yml when it exists", () => {
    const cwd = fixture({ ".github/base-image-policy.yml": "mode: audit\ndeprecated: [centos]\n" });
    expect(loadPolicy(undefined, cwd)).toMatchObject({
      source: ".github/base-image-policy.yml",
      policy: { mode: "audit" },
    });
  });

  it.each([
    ["10MB", 10485760],
    ["512KB", 524288],
    ["1GiB", 1073741824],
    [2048, 2048],
  ])("reads maxFileSize %s as %d bytes", (size, bytes) => {
    expect(parseSize(size)).toBe(bytes);
  });
});

describe("SPEC §3.1 policy lint", () => {
  it("warns about a glob that can match more than intended", () => {
    const { warnings } = parsePolicy(
      "approved: [registry.example.com/base/alpine*, registry.example.com/base/*]\n",
      "p.yml",
    );
    expect(warnings).toEqual([
      expect.stringMatching(
        /^approved\[0\]: "registry\.example\.com\/base\/alpine\*" can match more than intended \(for example registry\.example\.com\/base\/alpine-evil\)/,
      ),
    ]);
  });
});

describe("SPEC §2 a policy without rules, and the linter (issue 8)", () => {
  it.each(["", "# only comments\n", "mode: audit\n", "include: ['**']\n"])(
    "rejects %j: the policy has no rules",
    (text) => {
      expect(() => parsePolicy(text, "p.yml")).toThrow(/the policy has no rules/);
    },
  );

  it('warns about an entry that can never match ("*" alone)', () => {
    expect(parsePolicy('approved: ["*"]\n', "p.yml").warnings[0]).toMatch(/can never match/);
  });

  it("warns about an exact entry under which the scanned images live (did you mean …/**?)", () => {
    const result = runCheck({
      paths: [],
      cwd: fixture({ Dockerfile: "FROM ghcr.io/acme/api:1\n" }),
      loaded: parsePolicy("approved: [ghcr.io/acme]\n", "p.yml"),
    });
    expect(result.policyWarnings).toEqual([
      'approved[0]: "ghcr.io/acme" is a repository and matches no image, but ghcr.io/acme/api is used: did you mean "ghcr.io/acme/**"?',
    ]);
  });
});
