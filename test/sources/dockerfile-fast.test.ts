/**
 * Issue 10: the Dockerfile fast path gives exactly what the dockerfile-ast path gives — the same
 * occurrences, problems, lines and columns — or hands the file over. Every sample is read both
 * ways (scripts/differential.mjs does the same over the real corpus).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readModel } from "../../src/sources/dockerfile.js";
import { fastModel } from "../../src/sources/dockerfile-fast.js";
import { exactModel } from "../../src/sources/dockerfile-model.js";

const SAMPLES: Record<string, string> = {
  "multi-stage with ARGs": [
    "# syntax=docker/dockerfile:1",
    "ARG GO=1.22",
    'ARG BASE="registry.example.com/base/alpine:3.20"',
    "ARG EMPTY",
    "FROM golang:${GO} AS build",
    "WORKDIR /src",
    "COPY --from=build /a /b",
    "COPY --from=centos:7 /etc/os-release /x",
    "RUN --mount=type=cache,target=/root/.cache \\",
    "    --mount=type=bind,from=debian:9,source=/,target=/d \\",
    "    go build ./...",
    "FROM ${BASE}",
    'LABEL security.enforce=high maintainer="Team <t@example.com>"',
    "FROM --platform=$BUILDPLATFORM ${EMPTY} AS x",
  ].join("\n"),
  "lower-case keywords, tabs and CRLF": "from\talpine:3.12 as a\r\nrun echo \\\r\n  hi\r\nfrom a\r\n",
  "comments inside a continuation":
    "FROM alpine:3.20\nRUN apt-get update && apt-get install -y \\\n# the compiler\n    gcc \\\n    make\nFROM centos:7\n",
  "ONBUILD with COPY --from": "FROM alpine:3.20\nONBUILD COPY --from=centos:7 /a /b\nONBUILD RUN echo\n",
  "unknown instruction and a stray escape line": "FROM alpine:3.20\nFOO bar\n\t\\\nRUN x\n",
  "ends inside a continuation": "FROM alpine:3.20\nRUN echo \\\n",
  "no FROM": "RUN echo hi\n",
  empty: "",
  "FROM with too many words": "FROM alpine 3.20 extra\n",
  "global ARG forms": "ARG A=alpine\nARG B=${A}:3.12\nARG C='x y'\nARG D E\nFROM $B\n",
  "quoted FROM": 'FROM "alpine:3.20"\n',
  "stage by index": "FROM alpine:3.20\nFROM debian:9\nCOPY --from=0 /a /b\n",
  "a blank line inside a continuation": "FROM alpine:3.20\nRUN echo \\\n\n  hi\n",
  "an escape directive": "# escape=`\nFROM alpine:3.20 `\n  AS x\n",
  "an escape directive after the syntax one":
    "# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine:3.20 `\n  AS x\n",
  "escape= in a later comment is a comment": "FROM alpine:3.20\n# escape=`\nRUN echo `\n",
  "escape in a comment above the directives' end":
    "# we escape nothing here\n# escape=`\nFROM alpine:3.20 \\\n  AS x\n",
  "a heredoc": "FROM alpine:3.20\nRUN <<EOT\nFROM centos:7\nEOT\n",
  "blanks after a continuation's escape (issue 24)":
    "FROM alpine:3.20 AS a\nRUN echo \\  \n  hi && \\\t\n  done\nFROM \\ \n  centos:7\nCOPY --from=a \\ \n  /x /y\n",
  "heredocs (issue 24)":
    "FROM alpine:3.20 AS a\nRUN <<EOF\nFROM centos:7\n# base-image-guard ignore all\nEOF\nCOPY --from=a <<-X /f\n\tFROM debian:9\n\tX\nRUN cat <<EOF > /x && cat <<'Y' >> /x\n1\nEOF\nY2\nY\nFROM a\nRUN <<E1 sh\n  E1\nE1\n",
  "a heredoc closed on the file's last line without a line break": "FROM alpine:3.20\nRUN <<EOF\nx\nEOF",
  "a heredoc never closed": "FROM alpine:3.20\nRUN <<EOF\nFROM centos:7\n",
  "a heredoc marker among quoted words": 'FROM alpine:3.20\nRUN echo "a <<EOF" <<X\nX\n',
  "an escaped heredoc marker": "FROM alpine:3.20\nRUN echo \\<<EOF\nFROM centos:7\n",
  "a here-string": "FROM alpine:3.20\nRUN cat <<<hi\nFROM centos:7\n",
  "an escaped escape followed by blanks": "FROM alpine:3.20\nRUN echo \\\\  \nFROM centos:7\n",
};

for (const dir of ["examples/services", "base"]) {
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/dockerfile/i.test(entry.name)) SAMPLES[full] = readFileSync(full, "utf8");
    }
  };
  walk(dir);
}

describe("issue 10: the Dockerfile fast path agrees with dockerfile-ast", () => {
  it.each(Object.entries(SAMPLES))("%s", (_name, text) => {
    const exact = readModel(exactModel(text), text, "Dockerfile");
    const fast = fastModel(text);
    if (fast) {
      expect(readModel(fast, text, "Dockerfile")).toEqual(exact);
      // The lines that are heredoc text, and where each instruction ends, as dockerfile-ast says.
      const model = exactModel(text);
      expect([...fast.heredocLines].sort()).toEqual([...model.heredocLines].sort());
      expect(fast.instructions.map((i) => i.lines)).toEqual(model.instructions.map((i) => i.lines));
    }
  });

  it("takes the fast path for plain files, and hands over heredocs and escape directives", () => {
    for (const name of [
      "multi-stage with ARGs",
      "lower-case keywords, tabs and CRLF",
      "comments inside a continuation",
      "escape= in a later comment is a comment",
      "escape in a comment above the directives' end",
      "blanks after a continuation's escape (issue 24)",
      "heredocs (issue 24)",
      "a heredoc",
    ])
      expect(fastModel(SAMPLES[name] as string), name).toBeDefined();
    for (const name of [
      "an escape directive",
      "an escape directive after the syntax one",
      "a blank line inside a continuation",
      "an escaped escape followed by blanks",
      "a heredoc closed on the file's last line without a line break",
      "a heredoc never closed",
      "a heredoc marker among quoted words",
      "an escaped heredoc marker",
      "a here-string",
    ])
      expect(fastModel(SAMPLES[name] as string), name).toBeUndefined();
  });
});
