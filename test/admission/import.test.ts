/**
 * `policy import` (SPEC §8): the seed's ClusterPolicy gives the built-in default plus a warning for
 * each of its defects; the Kyverno library's image policies (classic and CEL) give their policy
 * files; import(export(p)) = p for every target and every test policy.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it, test } from "vitest";
import { exportPolicy, TARGETS } from "../../src/admission/export.js";
import { importPolicy } from "../../src/admission/import.js";
import { runCheck } from "../../src/check.js";
import { InputError } from "../../src/errors.js";
import { BUILT_IN, defaultPolicyText, parsePolicy } from "../../src/policy/load.js";
import { policyText } from "../../src/policy/write.js";
import { POLICIES } from "./policies.js";

const fixture = (name: string) => readFileSync(`test/fixtures/kyverno-import/${name}`, "utf8");
const policyOf = (text: string) => parsePolicy(text, "expected.yml").policy;

describe("the seed's enforce-base-images ClusterPolicy", () => {
  const { policy, warnings } = importPolicy(fixture("seed-enforce-base-images.yaml"), "seed.yaml");

  it("imports as the built-in default policy", () => {
    expect(policy).toEqual(parsePolicy(defaultPolicyText, BUILT_IN).policy);
  });

  it.each([
    [
      "prefix globs",
      /"registry\.example\.com\/base\/alpine\*" is a prefix glob that also admits registry\.example\.com\/base\/alpine-evil/,
    ],
    [
      "container names read as images",
      /block-deprecated-base-images: \{\{ images\.containers\.\*\.name \}\} reads container names where images were meant/,
    ],
    [
      "a precondition that never fires",
      /validate-base-image-version: its precondition \(request\.object\.kind Equals pod\) never holds/,
    ],
    ["initContainers never checked", /approved-base-images: checks containers only/],
    ["a blocklist prefix glob", /"centos\*" is a prefix glob/],
  ])("warns about %s, naming the rule", (_what, pattern) => {
    expect(warnings.some((w) => pattern.test(w))).toBe(true);
  });
});

describe("the seed itself (SPEC §8: imported as its authors meant it)", () => {
  const { policy, warnings } = importPolicy(fixture("seed-original.yaml"), "enforce-base-images.yaml");
  const builtIn = parsePolicy(defaultPolicyText, BUILT_IN).policy;

  it("imports as the built-in default policy", () => {
    expect(policy).toEqual(builtIn);
  });

  it("judges examples/ and the fixtures exactly as the built-in default does", () => {
    if (!policy) throw new Error("nothing imported");
    const judge = (p: typeof policy) =>
      runCheck({
        paths: ["examples", "test/fixtures"],
        cwd: process.cwd(),
        loaded: { policy: p, source: "p", warnings: [] },
        today: new Date("2026-11-27T12:00:00Z"),
      });
    const imported = judge(policy);
    expect(imported.findings.length).toBeGreaterThan(20);
    expect(imported.findings).toEqual(judge(builtIn).findings);
  });

  it.each([
    ["prefix globs", /approved-base-images: "registry\.example\.com\/base\/alpine\*" is a prefix glob/],
    [
      "container names read as images",
      /block-deprecated-base-images: \{\{ images\.containers\.\*\.name \}\} reads container names/,
    ],
    [
      "*name* blocklist globs",
      /block-deprecated-base-images: "\*centos\*" matches any image that contains "centos"/,
    ],
    [
      "the precondition a Pod never satisfies",
      /validate-base-image-version: its precondition reads \{\{ request\.object\.spec\.template\.spec\.containers\[\]\.image \}\}, which a Pod/,
    ],
    ["(template)?", /approved-base-images: "\(template\)\?" is not a Kyverno anchor/],
    ["containers only", /require-minimal-base-images: checks containers only/],
    [
      "a release pattern read as versions",
      /validate-base-image-version: .*imported as versions ubuntu: \[22\.04, 24\.04\]/,
    ],
  ])("warns about %s, naming the rule", (_what, pattern) => {
    expect(warnings.filter((w) => pattern.test(w))).not.toEqual([]);
  });
});

/**
 * The CEL forms of the library's image policies (ClusterPolicy validate.cel, ValidatingPolicy),
 * and pods judged as Kyverno judges them, replayed through check with the imported policy.
 */
describe.each([
  [
    "restrict-image-registries-cpol-cel.yaml",
    ["eu.foo.io/app:1", "bar.io/x/y:2"],
    ["docker.io/nginx:1", "eu.foo.io.evil.com/a:1"],
  ],
  ["disallow-latest-tag-cpol-cel.yaml", ["nginx:1.25", "busybox:1.36"], ["nginx", "nginx:latest"]],
  ["restrict-deprecated-registry-cpol-cel.yaml", ["registry.k8s.io/pause:3.9"], ["k8s.gcr.io/pause:3.9"]],
  ["require-image-checksum-cpol-cel.yaml", [`nginx@sha256:${"a".repeat(64)}`], ["nginx:1.25"]],
  [
    "allowed-image-repos-vpol.yaml",
    ["nginx:1.25", "ghcr.io/acme/busybox:1"],
    ["alpine:3.20", "ghcr.io/acme/nginx-evil:1"],
  ],
])("library CEL form %s", (file, pass, fail) => {
  const { policy } = importPolicy(fixture(file), file);
  const verdict = (image: string) => {
    if (!policy) throw new Error("nothing imported");
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: c, image: "${image}"}\n`;
    const result = runCheck({
      paths: [],
      cwd: process.cwd(),
      loaded: { policy, source: file, warnings: [] },
      mode: "enforce",
      manifests: { text: pod, origin: "pod.yaml" },
    });
    return result.findings.some((f) => f.severity === "error") ? "fail" : "pass";
  };
  test.each(pass)("passes %s, as Kyverno does", (image) => expect(verdict(image)).toBe("pass"));
  test.each(fail)("fails %s, as Kyverno does", (image) => expect(verdict(image)).toBe("fail"));
});

describe("patterns no policy entry can say", () => {
  it("leaves out a pattern holding a Kyverno variable, naming it", () => {
    const text = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: own-registry}
spec:
  rules:
    - name: own-registry
      match: {any: [{resources: {kinds: [Pod]}}]}
      validate:
        pattern:
          spec:
            containers:
              - image: "{{ request.namespace }}.registry.io/* | ghcr.io/acme/*"
`;
    const { policy, warnings } = importPolicy(text, "own.yaml");
    expect(policy?.approved).toEqual(["ghcr.io/acme/**"]);
    expect(
      warnings.some((w) => w.includes('"{{ request.namespace }}.registry.io/*" holds a Kyverno variable')),
    ).toBe(true);
  });
});

describe("the Kyverno library's image policies", () => {
  test.each([
    [
      "restrict-image-registries.yaml",
      "mode: audit\napproved: [eu.foo.io/**, bar.io/**]\n",
      /Kyverno's "\*" also crosses "\/": "eu\.foo\.io\/\*" imported as "eu\.foo\.io\/\*\*"/,
    ],
    ["restrict-image-registries-cel.yaml", "mode: audit\napproved: [eu.foo.io/**, bar.io/**]\n", undefined],
    ["disallow-latest-tag.yaml", "mode: audit\npinning: tag\n", /checks containers only/],
    ["disallow-latest-tag-cel.yaml", "mode: enforce\npinning: tag\n", undefined],
    ["require-image-checksum.yaml", "mode: audit\npinning: digest\n", undefined],
    [
      "restrict-deprecated-registry.yaml",
      "mode: enforce\ndeprecated: [k8s.gcr.io/**]\n",
      /"k8s\.gcr\.io\/\*" imported as "k8s\.gcr\.io\/\*\*"/,
    ],
    [
      "allowed-image-repos.yaml",
      "mode: enforce\napproved: [ghcr.io/acme/**, registry.example.com/base/alpine]\n",
      /ghcr\.io\/acme\/\*\*/,
    ],
  ])("%s", (file, expected, warning) => {
    const { policy, warnings } = importPolicy(fixture(file), file);
    expect(policy).toEqual(policyOf(expected));
    if (warning) expect(warnings.some((w) => warning.test(w))).toBe(true);
  });

  it("a policy with no image test imports nothing", () => {
    expect(importPolicy(fixture("not-images.yaml"), "not-images.yaml").policy).toBeUndefined();
  });

  it("malformed YAML is an input error with the file and line", () => {
    expect(() => importPolicy("kind: ClusterPolicy\nspec: [\n", "bad.yaml")).toThrow(InputError);
    expect(() => importPolicy("kind: ClusterPolicy\nspec: [\n", "bad.yaml")).toThrow(
      /^bad\.yaml:3: not YAML/,
    );
  });
});

describe("round trip: import(export(p)) = p", () => {
  describe.each(Object.entries(POLICIES))("%s", (_name, policy) => {
    test.each(TARGETS)("--to %s", (target) => {
      const text = exportPolicy(policy, { target, source: "p.yml", version: "1.0.0", today: "2026-11-27" });
      const { policy: imported, warnings } = importPolicy(text, "export.yaml");
      expect(warnings).toEqual([]);
      expect(imported).toEqual(policy);
      // And through the policy file a user keeps.
      expect(policyOf(policyText(imported ?? policy))).toEqual(policy);
    });
  });

  it("names an export whose expressions were edited by hand", () => {
    const policy = POLICIES["built-in default"];
    if (!policy) throw new Error("policy");
    const text = exportPolicy(policy, {
      target: "vap",
      source: "p.yml",
      version: "1.0.0",
      today: "2026-11-27",
    });
    const edited = text.replace(
      'x.repo in ["registry.example.com/base/alpine"',
      'x.repo in ["registry.example.com/base/alpine-evil"',
    );
    expect(edited).not.toBe(text);
    const { policy: imported, warnings } = importPolicy(edited, "edited.yaml");
    expect(imported).toEqual(policy);
    expect(warnings).toEqual([
      "ValidatingAdmissionPolicy enforce-base-images: its spec differs from what the policy in its base-image-guard/policy annotation exports (edited by hand?); imported that policy, not the edits",
    ]);
  });
});
