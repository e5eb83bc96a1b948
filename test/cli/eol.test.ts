/** Issue 14: `eol update` refreshes one product's calendar from the endoflife.date API format. */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, runCli as run } from "../helpers.js";

describe("eol update", () => {
  const copy = () => {
    const cwd = fixture({});
    cpSync("src/policy/eol", join(cwd, "eol"), { recursive: true });
    return cwd;
  };
  const API = JSON.stringify([
    { cycle: "3.25", releaseDate: "2026-12-01", eol: "2028-11-01", latest: "3.25.0", lts: false },
    { cycle: "3.24", releaseDate: "2026-06-09", eol: "2028-06-01", latest: "3.24.2", lts: false },
    {
      cycle: "3.23",
      releaseDate: "2025-12-04",
      eol: "2027-11-01",
      latest: "3.23.6",
      lts: false,
      extendedSupport: false,
    },
  ]);

  it("replaces the releases and the day taken, keeps the images and the source, and says what changed", () => {
    const cwd = copy();
    writeFileSync(join(cwd, "alpine.api.json"), API);
    const out = run(
      [
        "eol",
        "update",
        "--from",
        "alpine.api.json",
        "--product",
        "alpine",
        "--dir",
        "eol",
        "--today",
        "2026-12-02",
      ],
      cwd,
    );
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(
      /^alpine: added 3\.25; changed 3\.23; removed .*3\.22.* \(eol\/alpine\.json, taken 2026-12-02\)\n$/,
    );
    const data = JSON.parse(readFileSync(join(cwd, "eol/alpine.json"), "utf8"));
    expect(data).toMatchObject({
      product: "alpine",
      images: ["alpine"],
      source: "https://endoflife.date/alpine-linux",
      taken: "2026-12-02",
    });
    expect(data.releases[0]).toEqual({ release: "3.25", standard: "2028-11-01", lts: false });
  });

  it("refuses what is not the API format, or a product it has no file for (exit 2), and changes nothing", () => {
    const cwd = copy();
    const before = readFileSync(join(cwd, "eol/alpine.json"), "utf8");
    writeFileSync(join(cwd, "bad.json"), '[{"cycle": "3.25", "eol": "soon"}]');
    const bad = run(["eol", "update", "--from", "bad.json", "--product", "alpine", "--dir", "eol"], cwd);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      'base-image-guard: bad.json: [0].eol: expected a date (YYYY-MM-DD), true or false, got "soon"\n',
    ]);
    writeFileSync(join(cwd, "api.json"), API);
    const unknown = run(["eol", "update", "--from", "api.json", "--product", "windows", "--dir", "eol"], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no end-of-life data for windows in");
    expect(readFileSync(join(cwd, "eol/alpine.json"), "utf8")).toBe(before);
  });
});

it("issue 14: --today 2030-01-01 turns images of examples/ that pass today into end-of-life errors", () => {
  const cwd = fixture({});
  cpSync("examples", join(cwd, "examples"), { recursive: true });
  expect(run(["init", "--path", "starter.yml"], cwd).code).toBe(0);
  const eolOf = (today: string) =>
    (
      JSON.parse(
        run(["check", "examples", "--policy", "starter.yml", "--today", today, "--format", "json"], cwd)
          .stdout,
      ).findings as { rule: string; severity: string; image: string }[]
    )
      .filter((f) => f.rule === "block-eol-base-images" && f.severity === "error")
      .map((f) => f.image);
  const now = eolOf("2026-11-27");
  const later = eolOf("2030-01-01");
  const newlyEnded = later.filter((image) => !now.includes(image));
  expect(newlyEnded).toContain("registry.example.com/base/ubuntu:24.04");
  expect(newlyEnded.length).toBeGreaterThan(0);
});
