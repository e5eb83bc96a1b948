/** SPEC §3: every example the spec gives, with exactly the stated verdict, under the built-in default policy. */
import { describe, expect, it } from "vitest";
import { runCheck } from "../../src/check.js";
import { compilePolicy } from "../../src/policy/compile.js";
import { parsePolicy } from "../../src/policy/load.js";
import { judge } from "../../src/rules/index.js";
import { imageState } from "../../src/sources/resolve.js";
import type { Occurrence } from "../../src/sources/types.js";
import { defaultPolicy, fixture, withPolicy } from "../helpers.js";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

/** What the rules say about `text` used in a Dockerfile's only FROM. */
function verdictsFor(text: string, policy = defaultPolicy()) {
  const occurrence: Occurrence = {
    file: "Dockerfile",
    line: 1,
    column: 6,
    source: "dockerfile",
    text,
    image: imageState(text),
    via: "from",
    stage: { index: 0, final: true },
    labels: {},
  };
  return judge(occurrence, {
    policy: compilePolicy(policy.policy),
    namespaceLabels: {},
    today: "2026-11-27",
  });
}

const rulesFor = (text: string, policy = defaultPolicy()) => verdictsFor(text, policy).map((v) => v.rule);
const messageFor = (text: string, rule: string) => verdictsFor(text).find((v) => v.rule === rule)?.message;

describe("SPEC §3.1 approved-base-images", () => {
  it.each([
    "registry.example.com/base/alpine:3.19",
    `registry.example.com/base/alpine@${DIGEST}`,
    "registry.example.com/base/wolfi",
  ])("%s is approved", (image) => {
    expect(rulesFor(image)).not.toContain("approved-base-images");
  });

  it.each([
    "registry.example.com/base/alpine-evil:3.19",
    "registry.example.com/base/alpinex",
    "alpine:3.19",
    "registry.example.com/alpine:3.19",
  ])("%s is not approved", (image) => {
    expect(rulesFor(image)).toContain("approved-base-images");
  });

  it("matches one level below with /* and any depth with /**", () => {
    const oneLevel = withPolicy({ approved: ["registry.example.com/base/*"] });
    expect(rulesFor("registry.example.com/base/anything:1", oneLevel)).not.toContain("approved-base-images");
    expect(rulesFor("registry.example.com/base/team/app:1", oneLevel)).toContain("approved-base-images");
    const anyDepth = withPolicy({ approved: ["registry.example.com/base/**"] });
    expect(rulesFor("registry.example.com/base/team/app:1", anyDepth)).not.toContain("approved-base-images");
    expect(rulesFor("registry.example.com/other/app:1", anyDepth)).toContain("approved-base-images");
  });

  it("suggests the approved repository with the same distribution name", () => {
    expect(messageFor("ubuntu:20.04", "approved-base-images")).toMatch(
      /use registry\.example\.com\/base\/ubuntu:24\.04$/,
    );
    expect(messageFor("alpine:3.19", "approved-base-images")).toMatch(
      /use registry\.example\.com\/base\/alpine$/,
    );
    expect(messageFor("nginx:1.27", "approved-base-images")).not.toMatch(/; use/);
  });
});

describe("SPEC §3.2 block-deprecated-base-images", () => {
  it.each([
    ["debian:stretch-slim", "debian:9"],
    ["ubuntu:bionic-20230530", "ubuntu:18.04"],
    ["alpine:3.12.12", "alpine:3.12"],
    ["alpine:3.12-slim", "alpine:3.12"],
    [`centos@${DIGEST}`, "centos"],
    ["quay.io/centos/centos:stream9", "centos"],
    ["registry.example.com/base/centos", "centos"],
    ["centos:7", "centos"],
    ["index.docker.io/library/ubuntu:18.04", "ubuntu:18.04"],
    ["debian:9.13", "debian:9"],
    ["debian:9-slim", "debian:9"],
  ])("%s is deprecated by entry %s", (image, entry) => {
    expect(rulesFor(image)).toContain("block-deprecated-base-images");
    expect(messageFor(image, "block-deprecated-base-images")).toContain(`(matches policy entry "${entry}")`);
  });

  it.each([
    "alpine:3.120",
    "alpine:3.1",
    "debian:10",
    "debian:bookworm",
    "python:3.8-stretch",
    "ubuntu:22.04",
  ])("%s is not deprecated", (image) => {
    expect(rulesFor(image)).not.toContain("block-deprecated-base-images");
  });

  it("matches glob entries without / against name:tag and with / against the normalised reference", () => {
    const globs = withPolicy({ deprecated: ["*ubuntu:18.04*", "docker.io/library/node:1?"] });
    expect(rulesFor("ubuntu:18.04-slim", globs)).toContain("block-deprecated-base-images");
    expect(rulesFor("node:16", globs)).toContain("block-deprecated-base-images");
    expect(rulesFor("node:20.1", globs)).not.toContain("block-deprecated-base-images");
  });

  it("reports centos:7 as both not approved and deprecated (SPEC §3.5: each violated rule is its own finding)", () => {
    expect(rulesFor("centos:7")).toEqual(["approved-base-images", "block-deprecated-base-images"]);
  });
});

describe("SPEC §3.4 validate-base-image-version", () => {
  it.each([
    "ubuntu:jammy",
    "registry.example.com/base/ubuntu:22.04-20240115",
    "ubuntu:22.04.3",
    "ubuntu:noble",
  ])("%s passes the version rule", (image) => {
    expect(rulesFor(image)).not.toContain("validate-base-image-version");
  });

  it("fails ubuntu:20.04 because 20.04 is not allowed", () => {
    expect(rulesFor("ubuntu:20.04")).toContain("validate-base-image-version");
    expect(messageFor("ubuntu:20.04", "validate-base-image-version")).toContain("ubuntu 20.04");
  });

  it.each(["ubuntu:latest", "ubuntu", `ubuntu@${DIGEST}`, "ubuntu:rolling"])(
    "fails %s with 'cannot verify release'",
    (image) => {
      expect(messageFor(image, "validate-base-image-version")).toMatch(/^cannot verify release of /);
    },
  );

  it("accepts semver ranges, coercing 3.19 to 3.19.0", () => {
    const ranges = withPolicy({ versions: { alpine: [">=3.19"], node: ["^20", "22.x"] } });
    expect(rulesFor("alpine:3.19", ranges)).not.toContain("validate-base-image-version");
    expect(rulesFor("alpine:3.20.1", ranges)).not.toContain("validate-base-image-version");
    expect(rulesFor("alpine:3.18", ranges)).toContain("validate-base-image-version");
    expect(rulesFor("node:20.11-alpine", ranges)).not.toContain("validate-base-image-version");
    expect(rulesFor("node:18", ranges)).toContain("validate-base-image-version");
  });
});

describe("SPEC §3.5 other findings", () => {
  it.each(["CENTOS:7", "ubuntu:18.04:x"])("%s is a parse-error and nothing else", (image) => {
    expect(rulesFor(image)).toEqual(["parse-error"]);
  });

  it("keeps the policy file complete on its own: a rule left out is off (SPEC §2)", () => {
    const onlyDeprecated = withPolicy({ approved: undefined, versions: undefined, minimal: undefined });
    expect(rulesFor("nginx:1.27", onlyDeprecated)).toEqual([]);
    expect(rulesFor("centos:7", onlyDeprecated)).toEqual(["block-deprecated-base-images"]);
  });
});

describe("SPEC §3 matching: hosts and globs normalised like references (issue 8)", () => {
  const judgeWith = (policy: Record<string, unknown>, image: string) =>
    runCheck({
      paths: [],
      cwd: fixture({ Dockerfile: `FROM ${image}\n` }),
      loaded: withPolicy(policy),
    }).findings.map((f) => f.rule);

  it.each(["K8S.GCR.IO/pause:3.9", "k8s.gcr.io:443/pause:3.9"])(
    "%s does not get past deprecated k8s.gcr.io/**",
    (image) => {
      expect(judgeWith({ deprecated: ["k8s.gcr.io/**"] }, image)).toContain("block-deprecated-base-images");
    },
  );

  it.each([
    ["index.docker.io/library/*", "nginx:1.27"],
    ["nginx*", "nginx:1.27"],
    ["acme/**", "acme/team/api:1"],
    ["**/nginx", "nginx:1.27"],
  ])("approved %s matches %s", (entry, image) => {
    expect(judgeWith({ approved: [entry] }, image)).toEqual([]);
  });
});

describe("SPEC §3.4a pinning", () => {
  const judgeWith = (pinning: string, image: string) =>
    runCheck({
      paths: [],
      cwd: fixture({ Dockerfile: `FROM ${image}\n` }),
      loaded: parsePolicy(`pinning: ${pinning}\n`, "p.yml"),
    }).findings.map((f) => f.rule);
  const digest = `sha256:${"d".repeat(64)}`;

  it.each([
    ["tag", "nginx", ["require-pinned-image"]],
    ["tag", "nginx:latest", ["require-pinned-image"]],
    ["tag", "nginx:1.27", []],
    ["tag", `nginx@${digest}`, []],
    ["digest", "nginx:1.27", ["require-pinned-image"]],
    ["digest", `nginx:1.27@${digest}`, []],
  ])("pinning: %s judges %s", (pinning, image, rules) => {
    expect(judgeWith(pinning, image)).toEqual(rules);
  });
});
