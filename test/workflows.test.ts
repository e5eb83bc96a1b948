/** Issue 12: the project's workflows as an adopter's security review reads them. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parse } from "yaml";

type Step = { id?: string; uses?: string; with?: Record<string, unknown> };
type Workflow = { jobs: Record<string, { steps?: Step[] }> };

const workflows = [".github/workflows", "examples/.github/workflows"].flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name)),
);

it("checks out with persist-credentials: false and pins every action by commit", () => {
  for (const file of workflows) {
    const workflow = parse(readFileSync(file, "utf8")) as Workflow;
    for (const [job, { steps = [] }] of Object.entries(workflow.jobs)) {
      for (const step of steps) {
        if (!step.uses || step.uses.startsWith("./")) continue;
        expect(step.uses, `${file} ${job}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        if (step.uses.startsWith("actions/checkout@")) {
          expect(step.with?.["persist-credentials"], `${file} ${job}`).toBe(false);
        }
      }
    }
  }
});

it("Dependabot keeps the actions and npm packages current", () => {
  const config = parse(readFileSync(".github/dependabot.yml", "utf8")) as {
    updates: { "package-ecosystem": string }[];
  };
  expect(config.updates.map((u) => u["package-ecosystem"]).sort()).toEqual(["github-actions", "npm"]);
});

it("the library rebuild is reusable: workflow_call inputs, the Action from its own repository, called weekly here", () => {
  const reusable = parse(readFileSync(".github/workflows/update-base-images.yml", "utf8")) as Workflow & {
    on: { workflow_call: { inputs: Record<string, unknown> } };
  };
  expect(Object.keys(reusable.on.workflow_call.inputs).sort()).toEqual(
    ["base-dir", "images", "registry", "tool-ref", "tool-repository", "trivy-version"].sort(),
  );
  // `uses: ./` would name the caller's repository root, which has no action.yml.
  const local = Object.values(reusable.jobs).flatMap((job) =>
    (job.steps ?? []).filter((s) => s.uses?.startsWith("./")),
  );
  expect(local.map((s) => s.uses)).toEqual([
    "./.base-image-guard",
    "./.base-image-guard",
    "./.base-image-guard",
  ]);
  // SPEC §9: the rebuild ends with fix over the repository's own files, from the run's digests,
  // in one pull request the Action opens or updates.
  const rollout = reusable.jobs.rollout as {
    needs?: string[];
    permissions?: Record<string, string>;
    steps?: Step[];
  };
  expect(rollout.needs).toEqual(["plan", "rebuild"]);
  expect(rollout.permissions).toMatchObject({ contents: "write", "pull-requests": "write", actions: "read" });
  expect(rollout.steps?.at(-1)?.with).toEqual({
    command: "fix",
    digests: "${{ runner.temp }}/digests.json",
    "pull-request": true,
  });
  // Trivy pinned, never latest; provenance attested where the image is pushed.
  const steps = Object.values(reusable.jobs).flatMap((job) => job.steps ?? []);
  expect(steps.find((s) => s.uses?.startsWith("aquasecurity/setup-trivy@"))?.with?.version).toBe(
    "${{ inputs.trivy-version }}",
  );
  expect((reusable.on.workflow_call.inputs["trivy-version"] as { default: string }).default).toMatch(
    /^v\d+\.\d+\.\d+$/,
  );
  expect(steps.some((s) => s.uses?.startsWith("actions/attest-build-provenance@"))).toBe(true);
  const weekly = parse(readFileSync(".github/workflows/weekly-base-images.yml", "utf8")) as {
    jobs: Record<string, { uses?: string; with?: Record<string, string> }>;
  };
  expect(weekly.jobs.update?.uses).toBe("./.github/workflows/update-base-images.yml");
  expect(weekly.jobs.update?.with?.["tool-ref"]).toBe("${{ github.sha }}");
});

it("the inventory is reusable: plan → matrix scan → merge, read-only but for its own issue and artifacts (SPEC §10)", () => {
  type Job = {
    needs?: string[] | string;
    permissions?: Record<string, string>;
    strategy?: { "fail-fast"?: boolean; "max-parallel"?: string; matrix?: string };
    steps?: (Step & { run?: string; env?: Record<string, string> })[];
  };
  const inventory = parse(readFileSync(".github/workflows/inventory.yml", "utf8")) as {
    on: { workflow_call: { inputs: Record<string, unknown>; secrets: Record<string, unknown> } };
    permissions: Record<string, string>;
    jobs: Record<string, Job>;
  };
  expect(Object.keys(inventory.on.workflow_call.inputs)).toEqual(
    expect.arrayContaining(["org", "policy", "topic", "max-parallel"]),
  );
  expect(Object.keys(inventory.on.workflow_call.secrets)).toEqual(["token"]);
  expect(inventory.permissions).toEqual({ contents: "read" });
  expect(Object.keys(inventory.jobs)).toEqual(["plan", "scan", "merge"]);
  const { plan, scan, merge } = inventory.jobs as Record<"plan" | "scan" | "merge", Job>;
  expect(plan.permissions).toBeUndefined();
  expect(scan.needs).toBe("plan");
  expect(scan.permissions).toBeUndefined();
  expect(scan.strategy).toMatchObject({
    "fail-fast": false,
    "max-parallel": "${{ inputs.max-parallel }}",
    matrix: "${{ fromJSON(needs.plan.outputs.matrix) }}",
  });
  // Shallow clones whose token never lands in .git/config; one artifact per job.
  const clone = scan.steps?.find((s) => s.run?.includes("git "))?.run ?? "";
  expect(clone).toMatch(/--depth 1/);
  expect(clone).toMatch(/GIT_CONFIG_KEY_0=http\.extraHeader/);
  expect(clone).not.toMatch(/git -c http/);
  expect(clone).not.toMatch(/x-access-token:\$\{?TOKEN\}?@/);
  expect(scan.steps?.find((s) => s.uses?.startsWith("actions/upload-artifact@"))?.with?.name).toBe(
    "inventory-scan-${{ matrix.job }}",
  );
  expect(merge.needs).toEqual(["plan", "scan"]);
  expect(merge.permissions).toEqual({ actions: "read", contents: "read", issues: "write" });
  expect(plan.steps?.find((s) => s.id === "plan")?.run).toMatch(/dist\/cli\.js inventory plan/);
});
