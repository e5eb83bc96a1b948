/**
 * Issue 25: a progress line on stderr for long work, only when stdout and stderr are terminals and
 * CI is unset. The class is tested with a clock and fake terminals; the CLI through `script`
 * (util-linux), which gives it a pseudo-terminal, and with pipes and files, where nothing appears.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { Progress, progressAllowed } from "../../src/progress.js";
import { fakeToolsDir, fixture, libraryRepository } from "../helpers.js";

const CLI = resolve("dist/cli.js");
const CLEAR = "\r\u001b[2K";
/** CLEAR in a regular expression, without a control character in the source. */
const ESCAPED_CLEAR = "\\r\\x1b\\[2K";

/** A terminal that keeps what is written to it. */
function terminalStream(isTTY = true) {
  const stream = {
    isTTY,
    columns: 60,
    text: "",
    write(chunk: string | Uint8Array) {
      stream.text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
      return true;
    },
  };
  return stream;
}

function progressWith(options: { env?: NodeJS.ProcessEnv; outTTY?: boolean; errTTY?: boolean } = {}) {
  const out = terminalStream(options.outTTY ?? true);
  const err = terminalStream(options.errTTY ?? true);
  let now = 0;
  const progress = new Progress({
    label: "checking",
    unit: "files",
    out: out as unknown as NodeJS.WriteStream,
    err: err as unknown as NodeJS.WriteStream,
    env: options.env ?? {},
    now: () => now,
  });
  return { progress, out, err, at: (ms: number) => (now = ms) };
}

describe("the progress line", () => {
  it("appears after a second (within two), then redraws as work moves, and is cleared at the end", () => {
    const { progress, err, at } = progressWith();
    at(400);
    progress.update(10, 2000);
    expect(err.text).toBe("");
    at(1000);
    progress.update(300, 2000);
    expect(err.text).toBe(`${CLEAR}checking 300/2,000 files · 1 s`);
    at(1100);
    progress.update(330, 2000);
    expect(err.text.split(CLEAR)).toHaveLength(2); // at most four times a second
    at(1900);
    progress.update(1234, 2000);
    expect(err.text.endsWith(`${CLEAR}checking 1,234/2,000 files · 1 s`)).toBe(true);
    progress.stop();
    expect(err.text.endsWith(CLEAR)).toBe(true);
  });

  it("only when stdout and stderr are both terminals and CI is unset", () => {
    expect(progressAllowed({ isTTY: true }, { isTTY: true }, {})).toBe(true);
    expect(progressAllowed({ isTTY: false }, { isTTY: true }, {})).toBe(false);
    expect(progressAllowed({ isTTY: true }, { isTTY: false }, {})).toBe(false);
    expect(progressAllowed({ isTTY: true }, { isTTY: true }, { CI: "true" })).toBe(false);
    for (const options of [{ outTTY: false }, { errTTY: false }, { env: { CI: "1" } }]) {
      const { progress, err, out, at } = progressWith(options);
      at(5000);
      progress.update(1, 2);
      progress.stop();
      expect(err.text + out.text).toBe("");
    }
  });

  it("output to stdout takes the line away first and gets it back after; a partial line is never erased", () => {
    const { progress, out, err, at } = progressWith();
    at(1500);
    progress.update(1, 4, "alpine: build");
    const before = err.text;
    (out as unknown as NodeJS.WriteStream).write("STEP 1/3: FROM alpine\n");
    // Taken away before the output, drawn again after it.
    expect(err.text).toBe(`${before}${CLEAR}${CLEAR}checking 1/4 files · alpine: build · 1 s`);
    (out as unknown as NodeJS.WriteStream).write("half a line");
    const afterPartial = err.text;
    progress.update(2, 4);
    at(3000);
    progress.update(3, 4);
    expect(err.text).toBe(afterPartial); // nothing drawn over "half a line"
    (out as unknown as NodeJS.WriteStream).write(" and its end\n");
    expect(err.text.endsWith("checking 3/4 files · 3 s")).toBe(true);
    progress.stop();
    expect(out.text).toBe("STEP 1/3: FROM alpine\nhalf a line and its end\n");
  });

  it("what it names is neutralised and the line never wraps", () => {
    const { progress, err, at } = progressWith();
    at(2000);
    progress.update(1, 2, `evil\u001b]0;title\u0007${"x".repeat(100)}`);
    const line = err.text.slice(CLEAR.length);
    expect(line).not.toContain("\u001b");
    expect(line).toContain("\\x1b]0;title\\x07");
    expect(line.length).toBeLessThanOrEqual(59);
  });
});

/** `command` run under a pseudo-terminal; what the terminal showed, and when (from script's timing log). */
function underTerminal(command: string, cwd: string, env: NodeJS.ProcessEnv = {}) {
  const timing = join(cwd, ".timing");
  const run = spawnSync("script", ["-q", "-e", "-c", command, "-T", timing, "/dev/null"], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "", GITHUB_ACTIONS: "", NO_COLOR: "1", ...env },
  });
  // Each timing line: seconds since the previous chunk, and the chunk's length in bytes.
  const bytes = Buffer.from(run.stdout, "utf8");
  const times: { at: number; offset: number }[] = [];
  let at = 0;
  let offset = 0;
  for (const line of readFileSync(timing, "utf8").split("\n").filter(Boolean)) {
    const [delay, length] = line.split(" ").map(Number) as [number, number];
    at += delay;
    times.push({ at, offset });
    offset += length;
  }
  /** When the byte at `index` of the output was written. */
  const when = (index: number) => {
    const byte = Buffer.byteLength(run.stdout.slice(0, index));
    return [...times].reverse().find((t) => t.offset <= byte)?.at ?? 0;
  };
  return { status: run.status, text: bytes.toString("utf8"), when };
}

const shell = (words: string[]) => words.map((w) => `'${w.replace(/'/g, "'\\''")}'`).join(" ");

describe.skipIf(spawnSync("script", ["--version"]).status !== 0)("the CLI under a terminal", () => {
  const tree = () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`svc${i}/Dockerfile`] = "FROM centos:7\n";
    return fixture(files);
  };

  it("check shows N/M files on stderr, then clears the line before the report", () => {
    const cwd = tree();
    const run = underTerminal(shell(["node", CLI, "check", "--format", "json"]), cwd, {
      BASE_IMAGE_GUARD_PROGRESS_AFTER_MS: "0",
    });
    expect(run.status).toBe(1);
    expect(run.text).toMatch(new RegExp(`${ESCAPED_CLEAR}checking \\d+/300 files · \\d s`));
    const lastClear = run.text.lastIndexOf(CLEAR);
    const report = run.text.indexOf('{\r\n  "version": 1');
    expect(report).toBeGreaterThan(lastClear);
    // The JSON report itself carries no progress.
    expect(run.text.slice(report)).not.toContain("checking");
  });

  it("never into a pipe or a file: stdout or stderr redirected, or CI set, shows nothing", () => {
    const cwd = tree();
    const env = { BASE_IMAGE_GUARD_PROGRESS_AFTER_MS: "0" };
    const check = shell(["node", CLI, "check", "--format", "json"]);
    for (const command of [`${check} > out.json`, `${check} 2> err.txt`, `${check} | cat`]) {
      const run = underTerminal(command, cwd, env);
      expect(run.text, command).not.toContain("checking");
    }
    expect(readFileSync(join(cwd, "out.json"), "utf8")).not.toContain("checking");
    expect(readFileSync(join(cwd, "err.txt"), "utf8")).toBe("");
    expect(underTerminal(check, cwd, { ...env, CI: "true" }).text).not.toContain("checking");
  });

  it("rebuild: first within two seconds, then at least every second, while slow tools run", () => {
    const cwd = libraryRepository();
    // Fake tools that take 0.6 s for every call, as real builds take time.
    const fakes = fakeToolsDir();
    const bin = join(cwd, "slow-bin");
    mkdirSync(bin);
    for (const tool of ["docker", "buildah", "skopeo", "trivy", "cosign"]) {
      writeFileSync(join(bin, tool), `#!/bin/sh\nsleep 0.6\nexec ${join(fakes, tool)} "$@"\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    const run = underTerminal(
      shell([
        "node",
        CLI,
        "rebuild",
        "--registry",
        "registry.example.com/base",
        "--scan",
        "--image",
        "alpine",
      ]),
      cwd,
      { PATH: `${bin}:${fakes}:${process.env.PATH}`, FAKE_TOOLS_LOG: join(cwd, "tools.log") },
    );
    expect(run.status, run.text).toBe(0);
    const draws = [
      ...run.text.matchAll(new RegExp(`${ESCAPED_CLEAR}rebuild 0/1 images · alpine[^\\r]*`, "g")),
    ];
    expect(draws.length).toBeGreaterThanOrEqual(3);
    const times = draws.map((d) => run.when(d.index));
    expect(times[0]).toBeLessThan(2);
    for (let i = 1; i < times.length; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeLessThan(1.3);
    expect(run.text).toMatch(/rebuild 0\/1 images · alpine: (build|scan) · \d s/);
  });

  it("inventory scan counts repositories and the files of the one being read", () => {
    const root = fixture({});
    for (const name of ["acme__one", "acme__two"]) {
      const dir = join(root, name);
      mkdirSync(dir);
      writeFileSync(join(dir, "Dockerfile"), "FROM centos:7\n");
      spawnSync("git", ["init", "-q"], { cwd: dir });
      spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x", "--allow-empty"], {
        cwd: dir,
      });
    }
    const run = underTerminal(
      shell(["node", CLI, "inventory", "scan", "acme__one", "acme__two", "--out", "scan.jsonl"]),
      root,
      { BASE_IMAGE_GUARD_PROGRESS_AFTER_MS: "0" },
    );
    expect(run.status).toBe(0);
    expect(run.text).toContain("inventory scan 0/2 repositories · acme__one: 1/1 files");
    expect(run.text).toContain("2 of 2 repositories judged");
  });
});
