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
      'base-image-guard: bad.json: [0].eol: expected a real calendar date (YYYY-MM-DD), true or false, got "soon"\n',
    ]);
    writeFileSync(join(cwd, "api.json"), API);
    const unknown = run(["eol", "update", "--from", "api.json", "--product", "windows", "--dir", "eol"], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no end-of-life product "windows": the calendar has alpine, debian');
    expect(readFileSync(join(cwd, "eol/alpine.json"), "utf8")).toBe(before);
  });
});

describe("issue 21: eol update takes both API formats and refuses what it cannot trust (SPEC §3.4b)", () => {
  // The v1 shape of https://endoflife.date/api/v1/products/<product> (its published OpenAPI
  // description): releases under result, with name, isLts, eolFrom/isEol, eoesFrom/isEoes.
  const V1 = {
    schema_version: "1.2.0",
    result: {
      name: "ubuntu",
      releases: [
        {
          name: "26.04",
          isLts: true,
          ltsFrom: "2026-04-23",
          isEol: false,
          eolFrom: "2031-05-29",
          isEoes: false,
          eoesFrom: "2036-04-23",
          isMaintained: true,
        },
        {
          name: "25.10",
          isLts: false,
          ltsFrom: null,
          isEol: false,
          eolFrom: "2026-07-09",
          isEoes: null,
          eoesFrom: null,
          isMaintained: true,
        },
        { name: "14.04", isLts: true, isEol: true, eolFrom: null, isEoes: true, eoesFrom: "2024-04-25" },
      ],
    },
  };
  const update = (cwd: string, body: string, ...more: string[]) => {
    writeFileSync(join(cwd, "api.json"), body);
    return run(
      ["eol", "update", "--from", "api.json", "--product", "ubuntu", "--today", "2026-12-07", ...more],
      cwd,
    );
  };

  it("reads the v1 format into the calendar's releases", () => {
    const cwd = fixture({});
    const out = update(cwd, JSON.stringify(V1), "--dir", "calendar");
    expect(out.code, out.stderr).toBe(0);
    const data = JSON.parse(readFileSync(join(cwd, "calendar/ubuntu.json"), "utf8"));
    expect(data).toMatchObject({ product: "ubuntu", images: ["ubuntu"], taken: "2026-12-07" });
    expect(data.releases).toEqual([
      { release: "26.04", standard: "2031-05-29", extended: "2036-04-23", lts: true },
      { release: "25.10", standard: "2026-07-09", lts: false },
      { release: "14.04", standard: true, extended: "2024-04-25", lts: true },
    ]);
  });

  it.each([
    [
      "an impossible date (v0)",
      JSON.stringify([{ cycle: "24.04", eol: "2029-02-30" }]),
      /\[0\]\.eol: expected a real calendar date/,
    ],
    [
      "an impossible date (v1)",
      JSON.stringify({ result: { releases: [{ name: "24.04", eolFrom: "2029-13-01" }] } }),
      /result\.releases\[0\]\.eolFrom: expected a real calendar date/,
    ],
    [
      "a cycle written as a number",
      '[{"cycle": 3.10, "eol": "2026-10-01"}]',
      /the release is the number 3\.1, not a string/,
    ],
    [
      "a release twice",
      JSON.stringify([
        { cycle: "24.04", eol: "2029-05-31" },
        { cycle: "24.04", eol: "2034-04-25" },
      ]),
      /release 24\.04 appears twice/,
    ],
    [
      "neither format",
      JSON.stringify({ releases: [] }),
      /expected an endoflife\.date API file of one product with releases: v0, .* or v1/,
    ],
  ])("refuses %s whole: exit 2 and nothing written", (_, body, message) => {
    const cwd = fixture({});
    cpSync("src/policy/eol/ubuntu.json", join(cwd, "calendar/ubuntu.json"));
    const before = readFileSync(join(cwd, "calendar/ubuntu.json"), "utf8");
    const out = update(cwd, body, "--dir", "calendar");
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(readFileSync(join(cwd, "calendar/ubuntu.json"), "utf8")).toBe(before);
  });

  it("without --dir outside this project's own tree, asks for the folder instead of writing src/policy/eol", () => {
    const cwd = fixture({});
    const out = update(cwd, JSON.stringify(V1));
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("give --dir DIR");
  });
});

describe("issue 21: eol.calendar — a refreshed date changes a verdict without a new release (SPEC §3.4b)", () => {
  const policy = (calendar: string) =>
    `approved: [registry.example.com/base/ubuntu]\neol: {block: true, warnDays: 30, calendar: ${calendar}}\n`;
  const repo = (files: Record<string, string>) =>
    fixture({
      ".github/base-image-policy.yml": policy("calendar"),
      Dockerfile: "FROM registry.example.com/base/ubuntu:24.04\n",
      ...files,
    });
  const findings = (cwd: string, ...more: string[]) => {
    const out = run(["check", "Dockerfile", "--format", "json", "--today", "2026-12-07", ...more], cwd);
    return {
      ...out,
      rules:
        out.code === 2
          ? []
          : JSON.parse(out.stdout).findings.map(
              (f: { rule: string; message: string }) => `${f.rule}: ${f.message}`,
            ),
    };
  };

  it("an override file ending 24.04 early turns a pass into an end-of-life error; the other products stay bundled", () => {
    const cwd = repo({});
    expect(findings(cwd).code).toBe(2); // the folder does not exist yet: an error, not the bundled dates
    writeFileSync(join(cwd, "api.json"), JSON.stringify([{ cycle: "24.04", eol: "2026-06-30", lts: true }]));
    const updated = run(
      ["eol", "update", "--from", "api.json", "--product", "ubuntu", "--dir", "calendar"],
      cwd,
    );
    expect(updated.code, updated.stderr).toBe(0);
    const out = findings(cwd);
    expect(out.code).toBe(1);
    expect(out.rules).toEqual([
      "block-eol-base-images: registry.example.com/base/ubuntu:24.04 is ubuntu 24.04, which left support on 2026-06-30 (https://endoflife.date/ubuntu)",
    ]);
  });

  it("the cluster export judges with the same calendar", () => {
    const cwd = repo({
      "calendar/ubuntu.json": JSON.stringify({
        product: "ubuntu",
        releases: [{ release: "24.04", standard: "2026-06-30", lts: true }],
      }),
    });
    const exported = run(["policy", "export", "--to", "vap"], cwd);
    expect(exported.code, exported.stderr).toBe(0);
    const ended = 'x.name in [\\"ubuntu\\"] && (x.rel == \\"24.04\\"';
    expect(JSON.stringify(exported.stdout)).toContain(ended);
    const bundled = run(
      ["policy", "export", "--to", "vap", "--policy", "p.yml"],
      fixture({ "p.yml": policy("calendar").replace(", calendar: calendar", "") }),
    );
    expect(bundled.code).toBe(0);
    expect(JSON.stringify(bundled.stdout)).not.toContain(ended);
  });

  it.each([
    [
      "an impossible date",
      { release: "24.04", standard: "2026-02-30", lts: true },
      /releases\[0\]\.standard: expected a real calendar date/,
    ],
    [
      "a numeric release",
      { release: 24.1, standard: "2026-02-20", lts: true },
      /the release is the number 24\.1/,
    ],
  ])("a calendar file with %s stops the run (exit 2)", (_, release, message) => {
    const cwd = repo({ "calendar/ubuntu.json": JSON.stringify({ product: "ubuntu", releases: [release] }) });
    const out = findings(cwd);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
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
