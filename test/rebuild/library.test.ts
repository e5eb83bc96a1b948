/** SPEC §7 the base-image library: base/<name>.Dockerfile or base/images.yml, checked with clear errors. */
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { parseSeverity } from "../../src/rebuild/index.js";
import { type BaseImage, readLibrary } from "../../src/rebuild/library.js";
import { imageTags, ociLabels } from "../../src/rebuild/pipeline.js";
import { fixture } from "../helpers.js";

const UPSTREAM = `FROM alpine:3.20@sha256:${"a".repeat(64)}\nRUN apk upgrade --no-cache\n`;

describe("SPEC §7 library discovery", () => {
  it("names images after their Dockerfiles and tags them like their upstream", () => {
    const cwd = fixture({ "base/alpine.Dockerfile": UPSTREAM, "base/README.md": "docs" });
    const [alpine] = readLibrary("base", cwd);
    expect(alpine).toMatchObject({
      name: "alpine",
      dockerfile: "base/alpine.Dockerfile",
      context: "base",
      tags: ["3.20"],
    });
    expect(alpine?.upstream.normalized).toBe(`docker.io/library/alpine:3.20@sha256:${"a".repeat(64)}`);
  });

  it("takes names, Dockerfiles, tags and a platform from images.yml", () => {
    const cwd = fixture({
      "base/images.yml":
        "images:\n  - name: tools\n    dockerfile: t.Dockerfile\n    tags: ['1', '1.2']\n    platforms: [linux/arm64]\n",
      "base/t.Dockerfile": UPSTREAM,
    });
    expect(readLibrary("base", cwd)).toMatchObject([
      { name: "tools", dockerfile: "base/t.Dockerfile", tags: ["1", "1.2"], platforms: ["linux/arm64"] },
    ]);
  });

  it.each([
    ["images: nope\n", /expected "images:" with a list/],
    ["images:\n  - name: Bad Name\n", /images\[0\]\.name: expected a lowercase image name/],
    ["images:\n  - name: a\n    tags: []\n", /images\[0\]\.tags: expected a list of strings/],
    [
      "images:\n  - name: a\n    platforms: [linux/amd64, 'arm64 please']\n",
      /"arm64 please" is not a platform such as linux\/arm64/,
    ],
    ["images:\n  - name: missing\n", /base\/missing\.Dockerfile \(base image missing\) does not exist/],
  ])("rejects images.yml %j", (yaml, message) => {
    const cwd = fixture({ "base/images.yml": yaml, "base/a.Dockerfile": UPSTREAM });
    expect(() => readLibrary("base", cwd)).toThrow(UsageError);
    expect(() => readLibrary("base", cwd)).toThrow(message);
  });

  it("refuses a Dockerfile whose upstream it cannot tell, and unknown image names", () => {
    const cwd = fixture({ "base/x.Dockerfile": "ARG BASE\nFROM ${BASE}\n", "base/y.Dockerfile": UPSTREAM });
    expect(() => readLibrary("base", cwd)).toThrow(/base\/x\.Dockerfile: cannot tell which upstream image/);
    expect(() => readLibrary("base", fixture({ "base/y.Dockerfile": UPSTREAM }), ["nope"])).toThrow(
      /no base image called nope in base \(have: y\)/,
    );
    expect(() => readLibrary("missing", fixture({}))).toThrow(/base image folder missing does not exist/);
  });
});

describe("SPEC §7 tags and labels", () => {
  const cwd = fixture({ "base/alpine.Dockerfile": UPSTREAM });
  const alpine = readLibrary("base", cwd)[0] as BaseImage;
  const date = new Date("2026-11-30T02:00:00Z");

  it("tags <upstream-tag> and the immutable <upstream-tag>-<YYYYMMDD>", () => {
    expect(imageTags(alpine, { registry: "ghcr.io/acme/base/", date })).toEqual([
      "ghcr.io/acme/base/alpine:3.20",
      "ghcr.io/acme/base/alpine:3.20-20261130",
    ]);
  });

  it("labels source, revision, created, base.name and, when pinned, base.digest", () => {
    const labels = ociLabels(alpine, {
      registry: "r",
      date,
      source: "https://github.com/acme/platform",
      revision: "abc",
      scan: true,
      severity: ["CRITICAL"],
      push: true,
      sign: true,
      attest: false,
      ignoreUnfixed: false,
      workDir: "/tmp",
    });
    expect(labels).toEqual({
      "org.opencontainers.image.created": "2026-11-30T02:00:00.000Z",
      "org.opencontainers.image.source": "https://github.com/acme/platform",
      "org.opencontainers.image.revision": "abc",
      "org.opencontainers.image.base.name": "docker.io/library/alpine:3.20",
      "org.opencontainers.image.base.digest": `sha256:${"a".repeat(64)}`,
    });
  });

  it("reads severities case-insensitively and rejects unknown ones", () => {
    expect(parseSeverity("critical, HIGH")).toEqual(["CRITICAL", "HIGH"]);
    expect(() => parseSeverity("SEVERE")).toThrow(
      /severity must be a comma-separated list of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN/,
    );
  });
});
