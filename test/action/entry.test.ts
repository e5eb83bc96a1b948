/**
 * The Action's module exports run() and does nothing on import, so @github/local-action (and any
 * test) can import and run it; dist/index.js is the thin entry that calls it.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

it("imports without running, then runs in-process as local-action does (no job summary there)", async () => {
  const workspace = mkdtempSync(join(tmpdir(), "big-local-action-"));
  mkdirSync(join(workspace, ".github"));
  writeFileSync(
    join(workspace, ".github/base-image-policy.yml"),
    "approved: [registry.example.com/base/**]\n",
  );
  const output = join(workspace, "output.txt");
  writeFileSync(output, "");
  const saved = { ...process.env };
  const written: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    const action = await import("../../src/action.js");
    expect(written).toEqual([]);
    expect(process.exitCode ?? 0).toBe(0);
    Object.assign(process.env, {
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: output,
      INPUT_COMMAND: "export",
      "INPUT_EXPORT-TO": "vap",
    });
    delete process.env.GITHUB_STEP_SUMMARY;
    await action.run();
  } finally {
    process.stdout.write = write;
    process.env = saved;
  }
  expect(process.exitCode ?? 0).toBe(0);
  expect(readFileSync(join(workspace, "policies/enforce-base-images.vap.yaml"), "utf8")).toContain(
    "kind: ValidatingAdmissionPolicy",
  );
  expect(readFileSync(output, "utf8")).toContain('["policies/enforce-base-images.vap.yaml"]');
});

it("the CLI module exports main() and does nothing on import", async () => {
  const before = process.exitCode;
  const cli = await import("../../src/cli.js");
  expect(typeof cli.main).toBe("function");
  expect(process.exitCode).toBe(before);
});
