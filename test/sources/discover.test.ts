/** SPEC §2 include/exclude, .gitignore, and SPEC §4 file classification and skips. */
import { describe, expect, it } from "vitest";
import { runCheck } from "../../src/check.js";
import { fileKind } from "../../src/sources/discover.js";
import { check, defaultPolicy, fixture, withPolicy } from "../helpers.js";

const DOCKERFILE = "FROM nginx:1.27\n";

describe("SPEC §4 file discovery", () => {
  it.each([
    ["Dockerfile", "dockerfile"],
    ["Containerfile", "dockerfile"],
    ["api.Dockerfile", "dockerfile"],
    ["Dockerfile.dev", "dockerfile"],
    ["Dockerfile.yaml", "yaml"],
    ["deploy.yml", "yaml"],
    ["README.md", undefined],
  ])("classifies %s as %s (YAML by extension first)", (name, kind) => {
    expect(fileKind(name)).toBe(kind);
  });

  it("finds files by the policy's include patterns and leaves out exclude and .gitignore matches", () => {
    const result = check({
      "svc/Dockerfile": DOCKERFILE,
      "svc/Dockerfile.dev": DOCKERFILE,
      "base/alpine.Dockerfile": DOCKERFILE,
      "node_modules/pkg/Dockerfile": DOCKERFILE,
      "build/Dockerfile": DOCKERFILE,
      "vendor/x/Dockerfile": DOCKERFILE,
      ".gitignore": "build/\n",
      "docs/Dockerfile.md": "a document about Dockerfiles, not one (SPEC §4)\n",
      "notes.txt": DOCKERFILE,
    });
    expect([...new Set(result.findings.map((f) => f.file))]).toEqual([
      "base/alpine.Dockerfile",
      "svc/Dockerfile",
      "svc/Dockerfile.dev",
    ]);
  });

  it("checks files whose path holds a line break", () => {
    const result = check({ "odd\nname/Dockerfile": DOCKERFILE });
    expect(result.findings.map((f) => f.file)).toEqual(["odd\nname/Dockerfile"]);
  });

  it("honours nested .gitignore files", () => {
    const result = check({
      "a/.gitignore": "generated.Dockerfile\n",
      "a/generated.Dockerfile": DOCKERFILE,
      "a/Dockerfile": DOCKERFILE,
    });
    expect(result.findings.map((f) => f.file)).toEqual(["a/Dockerfile"]);
  });

  it("skips files over maxFileSize and reports the skip", () => {
    const loaded = withPolicy({ maxFileSize: "1KB" });
    const result = check({ Dockerfile: `${DOCKERFILE}${"# padding\n".repeat(200)}` }, { loaded });
    expect(result.findings).toEqual([]);
    expect(result.skipped).toEqual([
      { file: "Dockerfile", reason: "larger than maxFileSize (2.0 KB > 1.0 KB)" },
    ]);
  });

  it("reports files of a folder outside the working directory relative to it", () => {
    const outside = fixture({ "svc/Dockerfile": DOCKERFILE });
    const result = runCheck({ paths: [outside], cwd: fixture({}), loaded: defaultPolicy() });
    expect(result.findings[0]?.file).toMatch(/^\.\.\/[^/]+\/svc\/Dockerfile$/);
  });

  it("checks only the given paths", () => {
    const result = check({ "a/Dockerfile": DOCKERFILE, "b/Dockerfile": DOCKERFILE }, { paths: ["b"] });
    expect(result.findings.map((f) => f.file)).toEqual(["b/Dockerfile"]);
  });
});
