/**
 * Issue 9: hostile or unusual inputs, each generated here with its expected outcome — a finding,
 * a counted skip or an exit code — and never a stack trace, a hang or a silent pass. The CLI runs
 * as a user runs it; `timeout` only kills a hang (so the test fails instead of stalling), it is
 * not a speed assertion: speed and memory are in `npm run hostile` (scripts/hostile-bench.mjs).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { hasUnsafeCharacter } from "../../src/report/neutralise.js";
import { fixture } from "../helpers.js";

const CLI = resolve("dist/cli.js");
const HANG_GUARD_MS = 60_000;

function cli(cwd: string, args: string[], input = "") {
  const out = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    input,
    encoding: "utf8",
    timeout: HANG_GUARD_MS,
    env: { ...process.env, NO_COLOR: "1" },
  });
  expect(out.signal, "killed by the hang guard").toBeNull();
  expect(`${out.stdout}\n${out.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+|internal error/);
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

const json = (stdout: string) =>
  JSON.parse(stdout) as {
    summary: { files: number; skipped: number };
    findings: { file: string; rule: string; image: string }[];
    skipped: { file: string; reason: string }[];
  };

function git(cwd: string, ...args: string[]) {
  spawnSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd });
}

describe("issue 9: hostile file systems", () => {
  it.each([false, true])("a FIFO .gitignore never hangs the walk (in a git work tree: %s)", (inGit) => {
    const cwd = fixture({ "sub/Dockerfile": "FROM centos:7\n" });
    if (inGit) git(cwd, "init", "-q");
    spawnSync("mkfifo", [join(cwd, "sub/.gitignore")]);
    const out = cli(cwd, ["check", "--format", "json"]);
    expect(out.code).toBe(1);
    expect(json(out.stdout).findings.map((f) => f.file)).toContain("sub/Dockerfile");
  });

  it("a FIFO .env or Chart.yaml is never opened (compose and chart side files)", () => {
    const cwd = fixture({
      "app/compose.yaml": "services:\n  a: {image: centos:7}\n",
      "chart/values.yaml": "image: debian:9\n",
    });
    spawnSync("mkfifo", [join(cwd, "app/.env")]);
    spawnSync("mkfifo", [join(cwd, "chart/Chart.yaml")]);
    const out = cli(cwd, ["check", "--format", "json"]);
    expect(out.code).toBe(1);
    expect(json(out.stdout).findings.map((f) => f.file)).toContain("app/compose.yaml");
  });

  it("a .gitignore linked to /dev/zero is not read (it would fill the memory)", () => {
    const cwd = fixture({ "sub/Dockerfile": "FROM centos:7\n" });
    symlinkSync("/dev/zero", join(cwd, "sub/.gitignore"));
    expect(cli(cwd, ["check"]).code).toBe(1);
  });

  it("a .gitignore that is a folder is not read", () => {
    const cwd = fixture({ Dockerfile: "FROM centos:7\n" });
    mkdirSync(join(cwd, ".gitignore"));
    expect(cli(cwd, ["check"]).code).toBe(1);
  });

  it("a folder whose name is not UTF-8 fails closed: a parse-error at line 0 naming it escaped (SPEC §3.5, issue 21)", () => {
    const cwd = fixture({ "ok/Dockerfile": "FROM centos:7\n" });
    const bad = Buffer.concat([Buffer.from(`${cwd}/bad`), Buffer.from([0xff])]);
    mkdirSync(bad);
    writeFileSync(Buffer.concat([bad, Buffer.from("/Dockerfile")]), "FROM debian:9\n");
    const out = cli(cwd, ["check", "--format", "json"]);
    expect(out.code).toBe(1);
    const failed = json(out.stdout).findings.filter((f) => f.rule === "parse-error");
    expect(failed.map((f) => f.file)).toEqual(["bad\\xff"]);
  });

  it("a FIFO and a socket named on the command line fail closed: parse-errors, exit 1 (SPEC §3.5, issue 21)", async () => {
    const cwd = fixture({});
    spawnSync("mkfifo", [join(cwd, "Dockerfile")]);
    const server = createServer();
    await new Promise<void>((done) => server.listen(join(cwd, "socket.yaml"), done));
    try {
      const out = cli(cwd, ["check", "Dockerfile", "socket.yaml", "--format", "json"]);
      expect(out.code).toBe(1);
      expect(json(out.stdout).findings.map((f) => `${f.file} ${f.rule}`)).toEqual([
        "Dockerfile parse-error",
        "socket.yaml parse-error",
      ]);
    } finally {
      server.close();
    }
  });

  it("a FIFO with a Dockerfile name inside the tree is a counted skip, never opened", () => {
    const cwd = fixture({ "a/Dockerfile": "FROM centos:7\n" });
    spawnSync("mkfifo", [join(cwd, "b.Dockerfile")]);
    const out = cli(cwd, ["check", "--format", "json"]);
    expect(json(out.stdout).skipped).toEqual([
      { file: "b.Dockerfile", reason: "not a regular file (a FIFO, socket or device), not read" },
    ]);
  });
});

describe("issue 9: hostile policies and inputs", () => {
  it("a policy that is an alias bomb is exit 2, not an internal error", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 8 }, (_, i) => {
        const prev = String.fromCharCode(97 + i);
        const next = String.fromCharCode(98 + i);
        return `${next}: &${next} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
      "approved: *i",
    ].join("\n");
    const cwd = fixture({ "p.yml": bomb, Dockerfile: "FROM centos:7\n" });
    const out = cli(cwd, ["check", "--policy", "p.yml"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("alias");
  });

  it("--from-json with a ConfigMap says it is not a pod list, never 0 images and exit 0", () => {
    const configMap = JSON.stringify({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x" },
      data: {},
    });
    const out = cli(fixture({}), ["check", "--from-json", "-", "--format", "json"], configMap);
    expect(out.code).toBe(1);
    expect(json(out.stdout).findings[0]?.rule).toBe("parse-error");
  });

  it("a deprecated glob *a*a*a*a*b against a 320-character image answers at once (no backtracking)", () => {
    // 322 characters: a 200-character repository name and a 100-character tag.
    const image = `registry.example.com/${"a".repeat(200)}:${"a".repeat(100)}`;
    const cwd = fixture({ "p.yml": 'deprecated: ["*a*a*a*a*a*a*a*b"]\n', Dockerfile: `FROM ${image}\n` });
    expect(cli(cwd, ["check", "--policy", "p.yml"]).code).toBe(0);
  });

  it("an include glob against a very long file name answers at once", () => {
    const name = `${"a".repeat(200)}/${"a".repeat(200)}/Dockerfile`;
    const cwd = fixture({
      [name]: "FROM centos:7\n",
      "p.yml": 'deprecated: [centos]\ninclude: ["**/*a*a*a*a*a*a*b/**", "**"]\n',
    });
    expect(cli(cwd, ["check", "--policy", "p.yml"]).code).toBe(1);
  });

  it("--changed-since=--output=F never reaches git as an option", () => {
    const cwd = fixture({ Dockerfile: "FROM centos:7\n" });
    git(cwd, "init", "-q");
    const out = cli(cwd, ["check", "--changed-since=--output=written"]);
    expect(out.code).toBe(2);
    expect(existsSync(join(cwd, "written"))).toBe(false);
  });
});

describe("issue 9: injection through names and images, end to end", () => {
  const hostile = {
    "a\n::error file=x::pwned/Dockerfile": "FROM centos:7\n",
    "k8s/pod.yaml":
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: "x\\n::warning::pwned\\u001b[2J\\r"}]}\n',
    "bin/\u001b[31mred/Dockerfile": Buffer.from([0, 1, 2]),
  };

  it.each(["text", "github", "json", "sarif"])(
    "--format %s: no line of stdout or stderr starts a workflow command",
    (format) => {
      const out = cli(fixture(hostile), ["check", "--format", format]);
      for (const line of `${out.stdout}\n${out.stderr}`.split("\n")) {
        if (format === "github" && /^::(error|warning|notice)[ :]/.test(line)) {
          // One command per line whose properties hold no raw ":" (a file name cannot end them);
          // "::" inside the message is text, since commands start only at a line's start.
          expect(line).toMatch(/^::(error|warning|notice)( [^:\n]*)?::/);
          expect(hasUnsafeCharacter(line)).toBe(false);
          continue;
        }
        expect(line.startsWith("::"), line).toBe(false);
        expect(hasUnsafeCharacter(line)).toBe(false);
      }
    },
  );
});
