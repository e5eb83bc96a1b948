/** SPEC §4 Dockerfile source, through the whole engine: a fixture in, the findings out. */
import { describe, expect, it } from "vitest";
import { check, verdicts, withPolicy } from "../helpers.js";

const APPROVED = "registry.example.com/base/alpine:3.19";

describe("SPEC §4 Dockerfiles: stages", () => {
  const multiStage = [
    "FROM golang:1.22 AS builder",
    "RUN go build ./...",
    "FROM Builder AS test",
    "FROM registry.example.com/base/distroless:static",
    "COPY --from=builder /out /app",
    "COPY --from=0 /out /app2",
  ].join("\n");

  it("reports only real images, never FROM <earlier stage> or COPY --from=<stage>", () => {
    const result = check({ Dockerfile: multiStage });
    expect(verdicts(result)).toEqual(["Dockerfile:1 approved-base-images"]);
    expect(result.images).toBe(2);
  });

  it("judges only the final image with dockerfile.stages: final", () => {
    const result = check(
      { Dockerfile: multiStage },
      { loaded: withPolicy({ dockerfile: { stages: "final" } }) },
    );
    expect(verdicts(result)).toEqual([]);
  });

  it("follows the final stage back to its base image with stages: final", () => {
    const dockerfile = "FROM ubuntu:20.04 AS base\nFROM alpine:3.19 AS other\nFROM base\n";
    const result = check(
      { Dockerfile: dockerfile },
      { loaded: withPolicy({ dockerfile: { stages: "final" } }) },
    );
    expect(verdicts(result)).toEqual([
      "Dockerfile:1 approved-base-images",
      "Dockerfile:1 validate-base-image-version",
    ]);
  });

  it("recognises stage references made through ARGs", () => {
    const dockerfile = [
      "ARG BUILDER=build",
      "FROM registry.example.com/base/alpine:3.19 AS build",
      "FROM ${BUILDER}",
      "COPY --from=${BUILDER} /out /out",
      "RUN --mount=type=bind,from=$BUILDER,target=/src true",
    ].join("\n");
    const result = check({ Dockerfile: dockerfile });
    expect(result.findings).toEqual([]);
    expect(result.images).toBe(1);
  });

  it("treats scratch as no image", () => {
    expect(check({ Dockerfile: "FROM scratch\nCOPY app /\n" }).findings).toEqual([]);
  });

  it("reports the FROM line and the image's column, past --platform and its variables", () => {
    const result = check({ Dockerfile: "FROM --platform=$BUILDPLATFORM centos:7 AS build\n" });
    expect(result.findings[0]).toMatchObject({ line: 1, column: 32, image: "centos:7" });
  });
});

describe("SPEC §3.5 ARG expansion and unresolved-image", () => {
  it("resolves a global ARG default", () => {
    const result = check({ Dockerfile: `ARG BASE=${APPROVED}\nFROM \${BASE}\n` });
    expect(result.findings).toEqual([]);
    expect(result.images).toBe(1);
  });

  it("resolves $X, ${X:-default} and ARG defaults built from earlier ARGs", () => {
    const dockerfile = [
      "ARG REGISTRY=registry.example.com",
      "ARG IMAGE=$REGISTRY/base/alpine",
      "ARG TAG",
      `FROM \${IMAGE}:\${TAG:-3.19}`,
    ].join("\n");
    expect(check({ Dockerfile: dockerfile }).findings).toEqual([]);
  });

  it("reports an ARG without a default as unresolved-image, and nothing else for it", () => {
    const result = check({ Dockerfile: "ARG BASE\nFROM ${BASE}\n" });
    expect(verdicts(result)).toEqual(["Dockerfile:2 unresolved-image"]);
    expect(result.findings[0]?.message).toContain("--build-arg BASE=");
    expect(result.findings[0]?.image).toBe("${BASE}");
  });

  it("lets --build-arg override the default", () => {
    const dockerfile = `ARG BASE=${APPROVED}\nFROM \${BASE}\n`;
    const result = check({ Dockerfile: dockerfile }, { buildArgs: { BASE: "centos:7" } });
    expect(verdicts(result)).toEqual([
      "Dockerfile:2 approved-base-images",
      "Dockerfile:2 block-deprecated-base-images",
    ]);
    expect(
      check({ Dockerfile: "ARG BASE\nFROM ${BASE}\n" }, { buildArgs: { BASE: APPROVED } }).findings,
    ).toEqual([]);
  });

  it("never judges text inside a heredoc as an instruction", () => {
    const dockerfile = `FROM ${APPROVED}\nRUN <<EOF\nFROM centos:7\nEOF\n`;
    expect(check({ Dockerfile: dockerfile }).findings).toEqual([]);
  });

  it("honours the escape parser directive and line continuations", () => {
    const dockerfile = "# escape=`\nFROM `\n  centos:7\n";
    expect(verdicts(check({ Dockerfile: dockerfile }))).toEqual([
      "Dockerfile:2 approved-base-images",
      "Dockerfile:2 block-deprecated-base-images",
    ]);
  });
});

describe("SPEC §4 COPY --from and RUN --mount=from", () => {
  const dockerfile = [
    `FROM ${APPROVED}`,
    "COPY --from=nginx:1.27 /etc/nginx /etc/nginx",
    "RUN --mount=type=bind,from=centos:7,target=/mnt true",
  ].join("\n");

  it("judges external images in COPY --from and RUN --mount=from", () => {
    expect(verdicts(check({ Dockerfile: dockerfile }))).toEqual([
      "Dockerfile:2 approved-base-images",
      "Dockerfile:3 approved-base-images",
      "Dockerfile:3 block-deprecated-base-images",
    ]);
  });

  it("ignores them with dockerfile.copyFrom: ignore", () => {
    const loaded = withPolicy({ dockerfile: { copyFrom: "ignore" } });
    expect(check({ Dockerfile: dockerfile }, { loaded }).findings).toEqual([]);
  });
});

describe("SPEC §3.3 Dockerfile LABEL makes the final image high-security", () => {
  it("requires a minimal base for the final stage only", () => {
    const dockerfile = [
      "FROM registry.example.com/base/ubuntu:24.04 AS build",
      "FROM registry.example.com/base/alpine:3.19",
      'LABEL "security.enforce"=high',
    ].join("\n");
    expect(verdicts(check({ Dockerfile: dockerfile }))).toEqual(["Dockerfile:2 require-minimal-base-images"]);
  });

  it("passes with a minimal final base", () => {
    const dockerfile = "FROM registry.example.com/base/wolfi:latest\nLABEL security.enforce=high\n";
    expect(check({ Dockerfile: dockerfile }).findings).toEqual([]);
  });
});

describe("SPEC §3.5 broken Dockerfiles are parse-errors, never crashes", () => {
  it.each([
    ["an empty file", "", /empty Dockerfile/],
    [
      "a truncated file",
      "FROM registry.example.com/base/alpine:3.19\nRUN apk add \\\n",
      /ends inside an instruction/,
    ],
    ["FROM without an image", "FROM\n", /FROM without an image/],
    ["an unknown instruction", "FROM registry.example.com/base/alpine:3.19\nFRM x\n", /unknown instruction/],
    ["no FROM at all", "RUN true\n", /before the first FROM/],
  ])("%s", (_name, text, message) => {
    const result = check({ Dockerfile: text });
    expect(result.findings.map((f) => f.rule)).toContain("parse-error");
    expect(result.findings.find((f) => f.rule === "parse-error")?.message).toMatch(message);
  });

  it("skips a binary file named Dockerfile and says so", () => {
    const result = check({ Dockerfile: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]) });
    expect(result.findings).toEqual([]);
    expect(result.skipped).toEqual([{ file: "Dockerfile", reason: "binary file" }]);
  });
});

describe("SPEC §4 Dockerfiles as BuildKit reads them (issue 8)", () => {
  it("ends parser directives at an unknown one: a later # escape= does not apply", () => {
    // With ` as the escape character the FROM would swallow the next line; BuildKit keeps \.
    const text = "# foo=bar\n# escape=`\nFROM centos:7 `\nFROM debian:9\n";
    expect(verdicts(check({ Dockerfile: text })).filter((v) => v.includes("deprecated"))).toEqual([
      "Dockerfile:4 block-deprecated-base-images",
    ]);
    expect(verdicts(check({ Dockerfile: text })).filter((v) => v.includes("parse-error"))).toEqual([
      "Dockerfile:3 parse-error",
    ]);
  });

  it("reads RUN echo x \\<<EOT as no heredoc: the FROM below is an instruction", () => {
    const text = "FROM registry.example.com/base/alpine:3.20\nRUN echo x \\<<EOT\nFROM centos:7\n";
    expect(verdicts(check({ Dockerfile: text }))).toContain("Dockerfile:3 block-deprecated-base-images");
  });

  it("never reads heredoc text as an instruction or a suppression comment", () => {
    const text = [
      "FROM registry.example.com/base/alpine:3.20",
      "RUN <<EOT",
      '# base-image-guard ignore=block-deprecated-base-images reason="inside a heredoc"',
      "EOT",
      "FROM centos:7",
    ].join("\n");
    const result = check({ Dockerfile: text });
    expect(result.suppressed).toEqual([]);
    expect(verdicts(result)).toContain("Dockerfile:5 block-deprecated-base-images");
  });

  it("judges ONBUILD COPY --from=<image> like the COPY it carries", () => {
    const text = "FROM registry.example.com/base/alpine:3.20\nONBUILD COPY --from=centos:7 /a /b\n";
    expect(verdicts(check({ Dockerfile: text }))).toContain("Dockerfile:2 block-deprecated-base-images");
  });

  it("removes the quotes of a ${X:+\"word\"} word as BuildKit's lexer does (moby's delve stage)", () => {
    const text = [
      "ARG SUPPORTED=yes",
      'ARG SUPPORTED=${SUPPORTED:+"unsupported"}',
      "FROM registry.example.com/base/alpine:3.20 AS delve-unsupported",
      "FROM delve-${SUPPORTED} AS delve",
    ].join("\n");
    expect(check({ Dockerfile: text }).findings).toEqual([]);
  });
});
