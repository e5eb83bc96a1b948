import { describe, expect, it } from "vitest";
import { InvalidReferenceError, parseImageRef } from "../../src/image/reference.js";
import { releaseMatches, releaseOfTag } from "../../src/image/release.js";

const DIGEST = `sha256:${"a".repeat(64)}`;

describe("SPEC §3 normalisation", () => {
  it.each([
    ["ubuntu", "docker.io/library/ubuntu:latest"],
    ["ubuntu:22.04", "docker.io/library/ubuntu:22.04"],
    ["bitnami/redis:7", "docker.io/bitnami/redis:7"],
    ["index.docker.io/library/ubuntu:18.04", "docker.io/library/ubuntu:18.04"],
    ["registry-1.docker.io/ubuntu", "docker.io/library/ubuntu:latest"],
    ["docker.io/ubuntu", "docker.io/library/ubuntu:latest"],
    ["localhost/app:1", "localhost/app:1"],
    ["localhost:5000/app", "localhost:5000/app:latest"],
    ["registry.example.com:8443/base/alpine:3.19", "registry.example.com:8443/base/alpine:3.19"],
    ["quay.io/centos/centos:stream9", "quay.io/centos/centos:stream9"],
    [`centos@${DIGEST}`, `docker.io/library/centos@${DIGEST}`],
    [`alpine:3.19@${DIGEST}`, `docker.io/library/alpine:3.19@${DIGEST}`],
  ])("%s → %s", (raw, normalized) => {
    expect(parseImageRef(raw).normalized).toBe(normalized);
  });

  it("splits registry, repository, name, tag and digest", () => {
    expect(parseImageRef(`registry.example.com/base/ubuntu:24.04@${DIGEST}`)).toEqual({
      raw: `registry.example.com/base/ubuntu:24.04@${DIGEST}`,
      registry: "registry.example.com",
      path: "base/ubuntu",
      repository: "registry.example.com/base/ubuntu",
      name: "ubuntu",
      tag: "24.04",
      digest: DIGEST,
      normalized: `registry.example.com/base/ubuntu:24.04@${DIGEST}`,
      match: {
        repository: "registry.example.com/base/ubuntu",
        normalized: `registry.example.com/base/ubuntu:24.04@${DIGEST}`,
      },
    });
  });

  it("treats a first component without . or : as a path, not a registry", () => {
    expect(parseImageRef("team/app:1").registry).toBe("docker.io");
  });

  it.each([
    ["CENTOS:7", /lowercase/],
    ["ubuntu:18.04:x", /more than one tag/],
    ["", /empty/],
    ["alpine@sha256:123", /not a digest/],
    ["alpine:-bad", /not a valid tag/],
    ["base//alpine", /not a valid repository name/],
  ])("rejects %j with a clear reason", (raw, reason) => {
    expect(() => parseImageRef(raw)).toThrow(InvalidReferenceError);
    expect(() => parseImageRef(raw)).toThrow(reason);
  });
});

describe("SPEC §3.2 releases", () => {
  it.each([
    ["alpine", "3.12.12", "3.12.12"],
    ["alpine", "3.12-slim", "3.12"],
    ["debian", "9-slim", "9"],
    ["debian", "stretch-slim", "9"],
    ["debian", "bookworm", "12"],
    ["ubuntu", "bionic-20230530", "18.04"],
    ["ubuntu", "jammy", "22.04"],
    ["ubuntu", "22.04-20240115", "22.04"],
    ["python", "3.8-stretch", "3.8"],
    ["python", "stretch", undefined],
    ["ubuntu", "latest", undefined],
    ["ubuntu", "rolling", undefined],
    ["ubuntu", undefined, undefined],
  ])("%s:%s is release %s", (name, tag, release) => {
    expect(releaseOfTag(name, tag)).toBe(release);
  });

  it.each([
    ["3.12", "3.12", true],
    ["3.12.12", "3.12", true],
    ["3.120", "3.12", false],
    ["3.1", "3.12", false],
    ["9.13", "9", true],
    ["10", "9", false],
  ])("release %s is %s: %s", (release, wanted, expected) => {
    expect(releaseMatches(release, wanted)).toBe(expected);
  });
});

describe("SPEC §3 references as the distribution project's grammar has them (issue 8)", () => {
  it.each([
    [`alpine@sha256:${"a".repeat(63)}`, /64 lower-case hex/],
    [`alpine@sha256:${"a".repeat(65)}`, /64 lower-case hex/],
    [`alpine@sha256:${"A".repeat(64)}`, /64 lower-case hex/],
    [`alpine@md5:${"a".repeat(32)}`, /not a digest/],
    ["alpine:3.20\u00a0", /not a valid tag/],
    ["a".repeat(64), /image ID/],
  ])("rejects %j", (raw, reason) => {
    expect(() => parseImageRef(raw)).toThrow(reason);
  });

  it.each([
    `alpine@sha256:${"a".repeat(64)}`,
    `alpine@sha384:${"a".repeat(96)}`,
    `alpine@sha512:${"a".repeat(128)}`,
  ])("accepts %s", (raw) => {
    expect(parseImageRef(raw).digest).toBeDefined();
  });

  it("reads an upper-case first component as a registry host, and matches hosts without case or :443", () => {
    expect(parseImageRef("K8S.GCR.IO/pause").registry).toBe("K8S.GCR.IO");
    expect(parseImageRef("Example/app").registry).toBe("Example");
    expect(parseImageRef("K8S.GCR.IO/pause").match.repository).toBe("k8s.gcr.io/pause");
    expect(parseImageRef("k8s.gcr.io:443/pause:3.9").match.normalized).toBe("k8s.gcr.io/pause:3.9");
    expect(parseImageRef("k8s.gcr.io:443/pause:3.9").normalized).toBe("k8s.gcr.io:443/pause:3.9");
  });
});
