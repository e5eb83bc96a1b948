/**
 * Issue 26: YAML aliases bounded as go-yaml bounds them (Docker Compose, Kubernetes and Helm read
 * YAML with go-yaml): a compose file with hundreds of merge-key aliases is read; a billion laughs is
 * still a parse-error; a file whose real error is something else says that error.
 */

import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { excessiveAliasing } from "../../src/sources/yaml.js";
import { check, verdicts } from "../helpers.js";

/**
 * A compose file as real ones are written: a shared logging block every service names, then a
 * worker the later services extend with a merge key. The yaml package counts each use of the
 * worker as all uses of the logging block so far (151), so 10 workers exceed its 1,000.
 */
function composeWithMergeKeys(): string {
  const lines = ["x-logging: &logging", "  driver: json-file", "  options: {max-size: 10m}", "services:"];
  for (let i = 0; i < 150; i++)
    lines.push(`  svc${i}:`, "    logging: *logging", `    image: centos:${i % 2 ? 8 : 7}`);
  lines.push("  worker: &worker", "    logging: *logging", "    restart: always", "    image: centos:7");
  for (let i = 0; i < 10; i++)
    lines.push(`  worker${i}:`, "    <<: *worker", `    image: registry.example.com/base/alpine:3.${i}`);
  return `${lines.join("\n")}\n`;
}

describe("issue 26: aliases as go-yaml bounds them", () => {
  it("a compose file with 161 aliases, 10 of them merge keys, is read and every image judged", () => {
    const text = composeWithMergeKeys();
    // The case in point: the yaml package's own limit (1,000, counting an anchor's uses times the
    // aliases inside it) refuses this file.
    expect(() => parseDocument(text, { merge: true }).toJS({ maxAliasCount: 1000 })).toThrow(/alias/i);
    const result = check({ "compose.yaml": text });
    expect(result.findings.filter((f) => f.rule === "parse-error")).toEqual([]);
    expect(result.images).toBe(161);
    expect(result.findings.find((f) => f.line === 7)?.image).toBe("centos:7");
  });

  it("a billion laughs is still a parse-error that names excessive aliasing", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    lines.push("services: {web: {image: centos:7}}");
    const result = check({ "compose.yaml": lines.join("\n") });
    expect(verdicts(result)).toEqual(["compose.yaml:1 parse-error"]);
    expect(result.findings[0]?.message).toContain("excessive aliasing");
  });

  it("a merge of a scalar says so, not that aliases are too many", () => {
    const result = check({ "compose.yaml": "x: &x 3\nservices:\n  web:\n    <<: *x\n    image: centos:7\n" });
    const problem = result.findings.find((f) => f.rule === "parse-error");
    expect(problem?.message).toMatch(/^YAML cannot be read: Merge sources must be maps/);
    expect(problem?.message).not.toContain("alias bomb");
  });

  it("go-yaml's allowedAliasRatio, at its edges", () => {
    const table: [number, number, boolean][] = [
      [1000, 999, false], // not more than 1,000 decoded
      [5000, 100, false], // not more than 100 through aliases
      [5000, 4950, false], // 99%
      [5000, 4951, true],
      [400_000, 396_000, false],
      [2_200_000, 0.544 * 2_200_000, false], // half way: 54.5%
      [2_200_000, 0.546 * 2_200_000, true],
      [4_000_000, 400_000, false], // 10% from 4,000,000 on
      [40_000_000, 4_000_001, true],
    ];
    for (const [decoded, through, bomb] of table)
      expect(excessiveAliasing(decoded, through), `${decoded}/${through}`).toBe(bomb);
  });
});
