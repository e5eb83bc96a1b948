/**
 * SPEC §7 rebuild, run as users run it (`node dist/cli.js rebuild …`) with fake docker, buildah,
 * trivy and cosign first on PATH: they record their argv and answer as the real tools do.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeToolsDir, fixture, libraryRepository } from "../helpers.js";

const CLI = resolve("dist/cli.js");
const REGISTRY = "registry.example.com/base";
const DATE = "20261130";
/** 2026-11-30T00:00:00Z: the immutable tag and the created label. */
const SOURCE_DATE_EPOCH = "1795996800";

interface Call {
  tool: string;
  args: string[];
}

async function rebuild(
  args: string[],
  env: Record<string, string> = {},
  options: { bin?: string; cwd?: string } = {},
) {
  const cwd = options.cwd ?? libraryRepository();
  const log = join(cwd, "tools.log");
  writeFileSync(log, "");
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
    execFile(
      process.execPath,
      [CLI, "rebuild", ...args],
      {
        cwd,
        env: {
          PATH: options.bin ?? fakeToolsDir(),
          FAKE_TOOLS_LOG: log,
          SOURCE_DATE_EPOCH,
          GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
          GITHUB_SERVER_URL: "https://github.com",
          GITHUB_REPOSITORY: "acme/platform",
          ...env,
        },
      },
      (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    ),
  );
  const calls: Call[] = readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const outputFile = join(cwd, "images.json");
  const images = existsSync(outputFile) ? JSON.parse(readFileSync(outputFile, "utf8")) : undefined;
  return { ...result, calls, images };
}

/** What the fake registry reports as the digest of a repository (as fake-tool.mjs computes it). */
const digestOf = (repository: string) => `sha256:${createHash("sha256").update(repository).digest("hex")}`;
const line = (call: Call) => `${call.tool} ${call.args.join(" ")}`;
const FULL = ["--registry", REGISTRY, "--scan", "--push", "--sign", "--output", "images.json"];

describe("SPEC §7 rebuild pipeline", () => {
  it("builds, scans the local image, pushes, then signs the pushed digest, for every image", async () => {
    const run = await rebuild(FULL);
    expect(run.code, run.stderr).toBe(0);
    const alpine = run.calls.filter(
      (c) => c.args.some((a) => a.includes("alpine")) || (c.args[0] === "buildx" && c.args[1] === "version"),
    );
    expect(alpine.map(line)).toEqual([
      "docker buildx version",
      // The date tag must be free: it is promised never to move.
      `docker manifest inspect ${REGISTRY}/alpine:3.23-${DATE}`,
      `docker buildx build --file base/alpine.Dockerfile --tag ${REGISTRY}/alpine:3.23 --tag ${REGISTRY}/alpine:3.23-${DATE} ` +
        "--label org.opencontainers.image.created=2026-11-30T00:00:00.000Z " +
        "--label org.opencontainers.image.source=https://github.com/acme/platform " +
        "--label org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567 " +
        "--label org.opencontainers.image.base.name=docker.io/library/alpine:3.23 --platform linux/amd64 --pull --load base",
      expect.stringMatching(
        new RegExp(
          `^trivy image --severity CRITICAL,HIGH --exit-code 1 --format json --output \\S+/alpine\\.trivy\\.json --image-src docker ${REGISTRY}/alpine:3\\.23$`,
        ),
      ),
      `docker push ${REGISTRY}/alpine:3.23`,
      `docker push ${REGISTRY}/alpine:3.23-${DATE}`,
      `cosign sign --yes ${REGISTRY}/alpine@${digestOf(`${REGISTRY}/alpine`)}`,
    ]);
    // Every image in the same order of steps, and every signature by digest, never by tag.
    for (const name of ["alpine", "ubuntu", "distroless", "wolfi"]) {
      const steps = run.calls
        .filter((c) => c.args.some((a) => a.includes(`/${name}`)))
        .map((c) => `${c.tool} ${c.args[0]}`);
      expect(steps, name).toEqual([
        "docker manifest",
        "docker buildx",
        "trivy image",
        "docker push",
        "docker push",
        "cosign sign",
      ]);
    }
    expect(
      run.calls
        .filter((c) => c.tool === "cosign")
        .every((c) => /@sha256:[0-9a-f]{64}$/.test(c.args.at(-1) ?? "")),
    ).toBe(true);
    expect(
      run.images.map((i: { name: string; status: string; signed: boolean; digest: string }) => [
        i.name,
        i.status,
        i.signed,
        i.digest,
      ]),
    ).toEqual(
      ["alpine", "ubuntu", "distroless", "wolfi"].map((name) => [
        name,
        "pushed",
        true,
        digestOf(`${REGISTRY}/${name}`),
      ]),
    );
  });

  it("does not push or sign an image whose scan finds a CRITICAL vulnerability; the others go on", async () => {
    const run = await rebuild(FULL, { FAKE_TRIVY_VULNERABLE: "ubuntu" });
    expect(run.code).toBe(1);
    expect(
      run.calls.filter((c) => c.args.some((a) => a.includes("/ubuntu"))).map((c) => `${c.tool} ${c.args[0]}`),
    ).toEqual(["docker manifest", "docker buildx", "trivy image"]);
    const ubuntu = run.images.find((i: { name: string }) => i.name === "ubuntu");
    expect(ubuntu).toMatchObject({
      status: "failed",
      failedStep: "scan",
      signed: false,
      digest: null,
      vulnerabilities: { CRITICAL: 1, HIGH: 1 },
    });
    expect(ubuntu.error).toBe(
      "not pushed: the scan found 1 CRITICAL, 1 HIGH vulnerabilities (CVE-2024-6387, CVE-2024-2961)",
    );
    expect(run.stdout).toContain("✖ ubuntu: scan failed");
    expect(run.stdout).toContain("CVE-2024-6387, CVE-2024-2961");
    for (const name of ["alpine", "distroless", "wolfi"]) {
      expect(run.images.find((i: { name: string }) => i.name === name)).toMatchObject({
        status: "pushed",
        signed: true,
      });
    }
  });

  it("reports a build, a push and a signing failure with the tool's stderr, and still runs the rest", async () => {
    const run = await rebuild(FULL, {
      FAKE_FAIL: "docker:build:alpine,docker:push:distroless,cosign:sign:wolfi",
    });
    expect(run.code).toBe(1);
    const byName = Object.fromEntries(run.images.map((i: { name: string }) => [i.name, i]));
    expect(byName.alpine).toMatchObject({ status: "failed", failedStep: "build" });
    expect(byName.alpine.error).toContain("docker exited with 1: ERROR: failed to solve: process");
    expect(byName.distroless).toMatchObject({ status: "failed", failedStep: "push", signed: false });
    expect(byName.distroless.error).toContain("denied: permission_denied: write_package");
    expect(byName.wolfi).toMatchObject({ status: "failed", failedStep: "sign", signed: false });
    expect(byName.wolfi.error).toContain("cosign exited with 1: Error: signing [registry/wolfi]");
    expect(byName.ubuntu).toMatchObject({ status: "pushed", signed: true });
    expect(run.stdout).toContain("✖ alpine: build failed");
  });

  it("fails an image whose Trivy run fails without a report, never reading it as vulnerabilities, and builds the rest (issue 9)", async () => {
    const run = await rebuild(FULL, { FAKE_FAIL: "trivy:scan:alpine" });
    expect(run.code).toBe(1);
    const byName = Object.fromEntries(run.images.map((i: { name: string }) => [i.name, i]));
    expect(byName.alpine).toMatchObject({ status: "failed", failedStep: "scan" });
    expect(byName.alpine.error).toContain("failed to download vulnerability DB");
    expect(byName.alpine.error).toContain("no scan report");
    expect(
      run.calls.some((c) => c.tool === "docker" && c.args[0] === "push" && c.args[1]?.includes("/alpine:")),
    ).toBe(false);
    for (const name of ["ubuntu", "distroless", "wolfi"])
      expect(byName[name]).toMatchObject({ status: "pushed", signed: true });
    expect(run.stderr).not.toContain("internal error");
  });

  it("issue 13: attaches a CycloneDX SBOM made from the scanned local image, and passes --ignore-unfixed, .trivyignore and OpenVEX to the scan", async () => {
    const cwd = libraryRepository();
    writeFileSync(
      join(cwd, "base/alpine.trivyignore"),
      "# accepted until 2027-01-31, SEC-7\nCVE-2026-0001\n",
    );
    writeFileSync(
      join(cwd, "base/ubuntu.vex.json"),
      '{"@context":"https://openvex.dev/ns/v0.2.0","statements":[]}\n',
    );
    const run = await rebuild([...FULL, "--attest", "--ignore-unfixed"], {}, { cwd });
    expect(run.code, run.stderr).toBe(0);
    const scans = run.calls.filter((c) => c.tool === "trivy" && c.args.includes("--exit-code")).map(line);
    expect(scans[0]).toMatch(/ --ignore-unfixed --ignorefile base\/alpine\.trivyignore --image-src docker /);
    expect(scans[1]).toMatch(/ --ignore-unfixed --vex base\/ubuntu\.vex\.json --image-src docker /);
    expect(scans[2]).not.toMatch(/--ignorefile|--vex/);
    for (const name of ["alpine", "ubuntu", "distroless", "wolfi"]) {
      const steps = run.calls
        .filter((c) => c.args.some((a) => a.includes(`/${name}`)))
        .map((c) => `${c.tool} ${c.args[0]}${c.args.includes("cyclonedx") ? " cyclonedx" : ""}`);
      expect(steps, name).toEqual([
        "docker manifest",
        "docker buildx",
        "trivy image",
        "trivy image cyclonedx",
        "docker push",
        "docker push",
        "cosign sign",
        "trivy convert",
        "cosign attest",
        "cosign attest cyclonedx",
      ]);
    }
    expect(run.images.every((i: { sbom: boolean; attested: boolean }) => i.sbom && i.attested)).toBe(true);
  });

  it("issue 13: a failed SBOM attestation fails only its image, with cosign's words", async () => {
    const run = await rebuild([...FULL, "--attest"], { FAKE_FAIL: "cosign:attest:ubuntu" });
    expect(run.code).toBe(1);
    const byName = Object.fromEntries(run.images.map((i: { name: string }) => [i.name, i]));
    expect(byName.ubuntu).toMatchObject({ status: "failed", failedStep: "attest", sbom: false });
    for (const name of ["alpine", "distroless", "wolfi"]) expect(byName[name]).toMatchObject({ sbom: true });
  });

  it("issue 13: --digests writes every pushed tag's digest, and check --digests names it in pinning findings", async () => {
    const cwd = libraryRepository();
    const run = await rebuild(
      [...FULL, "--digests", "digests.json"],
      { FAKE_FAIL: "docker:push:wolfi" },
      { cwd },
    );
    expect(run.code).toBe(1);
    const digests = JSON.parse(readFileSync(join(cwd, "digests.json"), "utf8"));
    const alpine = digestOf(`${REGISTRY}/alpine`);
    expect(digests.version).toBe(1);
    expect(digests.images.filter((d: { image: string }) => d.image.endsWith("/alpine"))).toEqual([
      { image: `${REGISTRY}/alpine`, tag: "3.23", digest: alpine, date: "2026-11-30" },
      { image: `${REGISTRY}/alpine`, tag: `3.23-${DATE}`, digest: alpine, date: "2026-11-30" },
    ]);
    // A failed image has no digest to offer.
    expect(digests.images.some((d: { image: string }) => d.image.endsWith("/wolfi"))).toBe(false);

    writeFileSync(join(cwd, "policy.yml"), "pinning: digest\n");
    writeFileSync(
      join(cwd, "app.Dockerfile"),
      `FROM ${REGISTRY.toUpperCase().replace("/BASE", "/base")}/alpine:3.23\n`,
    );
    const check = await new Promise<{ code: number; stdout: string }>((done) =>
      execFile(
        process.execPath,
        [
          resolve("dist/cli.js"),
          "check",
          "app.Dockerfile",
          "--policy",
          "policy.yml",
          "--digests",
          "digests.json",
        ],
        { cwd },
        (error, stdout) => done({ code: error ? Number(error.code) : 0, stdout }),
      ),
    );
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      `is not pinned by digest; write it as REGISTRY.EXAMPLE.COM/base/alpine:3.23@${alpine} (the digest the rebuild of 2026-11-30 pushed)`,
    );
  });

  it("issue 13: a date tag already pushed today is never overwritten: the next run suffix is used", async () => {
    const taken = `${REGISTRY}/alpine:3.23-${DATE}`;
    const run = await rebuild([...FULL, "--image", "alpine"], { FAKE_EXISTING: `${taken},${taken}.2` });
    expect(run.code, run.stderr).toBe(0);
    expect(run.images[0].tags).toEqual([`${REGISTRY}/alpine:3.23`, `${REGISTRY}/alpine:3.23-${DATE}.3`]);
    const pushed = run.calls.filter((c) => c.args[0] === "push").map((c) => c.args[1]);
    expect(pushed).toEqual([`${REGISTRY}/alpine:3.23`, `${REGISTRY}/alpine:3.23-${DATE}.3`]);
  });

  it("issue 13: when the registry cannot say whether the date tag exists, that image is not built or pushed", async () => {
    const run = await rebuild(FULL, { FAKE_FAIL: "docker:inspect:alpine" });
    expect(run.code).toBe(1);
    const byName = Object.fromEntries(run.images.map((i: { name: string }) => [i.name, i]));
    expect(byName.alpine).toMatchObject({ status: "failed", failedStep: "push" });
    expect(byName.alpine.error).toContain(
      `cannot tell whether ${REGISTRY}/alpine:3.23-${DATE} exists, so it is not overwritten: docker exited with 1: unauthorized`,
    );
    expect(run.calls.some((c) => c.args[0] === "buildx" && c.args.some((a) => a.includes("/alpine:")))).toBe(
      false,
    );
    expect(byName.ubuntu).toMatchObject({ status: "pushed" });
  });

  it("issue 13: a buildah rebuild that pushes needs skopeo, and says so before building", async () => {
    const cwd = libraryRepository();
    const denied = await rebuild(
      [...FULL, "--builder", "buildah", "--image", "alpine"],
      {},
      { cwd, bin: fakeToolsDir(["buildah", "trivy", "cosign"]) },
    );
    expect(denied.code).toBe(2);
    expect(denied.stderr).toContain(
      "skopeo is not installed or not on PATH: it tells buildah builds whether a date tag exists already",
    );
    expect(denied.calls).toEqual([]);
  });

  it("issue 13: --pin pins each upstream to the digest its tag names now, prints old → new, and is idempotent", async () => {
    const cwd = libraryRepository();
    const upstreams =
      "alpine:3.23,ubuntu:24.04,gcr.io/distroless/static-debian12:latest,cgr.dev/chainguard/wolfi-base:latest";
    const manifest = readFileSync("test/fixtures/fake-tools/recorded/manifest-inspect.json", "utf8");
    const digest = `sha256:${createHash("sha256").update(manifest).digest("hex")}`;
    const first = await rebuild(["--pin"], { FAKE_EXISTING: upstreams }, { cwd });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`↑ alpine: alpine:3.23 (unpinned) → ${digest} (base/alpine.Dockerfile)`);
    expect(readFileSync(join(cwd, "base/alpine.Dockerfile"), "utf8")).toContain(
      `\nFROM alpine:3.23@${digest}\n`,
    );
    expect(readFileSync(join(cwd, "base/distroless.Dockerfile"), "utf8")).toContain(
      `\nFROM gcr.io/distroless/static-debian12:latest@${digest} AS upstream\n`,
    );
    expect(first.calls.every((c) => c.tool === "skopeo")).toBe(true);
    const again = await rebuild(["--pin"], { FAKE_EXISTING: upstreams }, { cwd });
    expect(again.stdout).toContain(`= alpine: alpine:3.23 still ${digest}`);
    // The pinned library still passes the check and builds with the digest in its labels.
    const plan = await rebuild(["--plan"], {}, { cwd });
    expect(JSON.parse(plan.stdout).include[0].upstream).toBe(`alpine:3.23@${digest}`);
  });

  it("issue 13: --max-age rebuilds only what moved upstream or aged, and reports old → new upstream digests", async () => {
    const cwd = libraryRepository();
    const manifest = readFileSync("test/fixtures/fake-tools/recorded/manifest-inspect.json", "utf8");
    const pinned = `sha256:${createHash("sha256").update(manifest).digest("hex")}`;
    await rebuild(["--pin", "--image", "alpine"], { FAKE_EXISTING: "alpine:3.23" }, { cwd });
    const published = `${REGISTRY}/alpine:3.23`;
    const env = {
      FAKE_EXISTING: published,
      FAKE_PUBLISHED_BASE: pinned,
      FAKE_PUBLISHED_CREATED: "2026-11-28T00:00:00Z",
    };
    const fresh = await rebuild([...FULL, "--image", "alpine", "--max-age", "7"], env, { cwd });
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.images[0]).toMatchObject({ status: "skipped", upstream: { old: pinned, new: pinned } });
    expect(fresh.stdout).toContain(
      `= alpine: skipped: upstream unchanged (${pinned}) and the published image is 2 day(s) old (limit 7)`,
    );
    expect(fresh.calls.map((c) => `${c.tool} ${c.args[0]}`)).toEqual(["docker buildx", "skopeo inspect"]);

    const aged = await rebuild([...FULL, "--image", "alpine", "--max-age", "1"], env, { cwd });
    expect(aged.images[0]).toMatchObject({ status: "pushed" });
    const moved = await rebuild(
      [...FULL, "--image", "alpine", "--max-age", "7"],
      { ...env, FAKE_PUBLISHED_BASE: `sha256:${"0".repeat(64)}` },
      { cwd },
    );
    expect(moved.images[0]).toMatchObject({
      status: "pushed",
      upstream: { old: `sha256:${"0".repeat(64)}`, new: pinned },
    });
    expect(moved.stdout).toContain(`upstream sha256:${"0".repeat(64)} → ${pinned}`);
    expect((await rebuild([...FULL, "--max-age", "soon"], env, { cwd })).code).toBe(2);
  });

  it("issue 13: --gate no-new pushes an image whose vulnerabilities the published one has already, and fails one that adds any", async () => {
    const published = `${REGISTRY}/alpine:3.23`;
    const same = await rebuild([...FULL, "--image", "alpine", "--gate", "no-new"], {
      FAKE_TRIVY_VULNERABLE: "alpine",
      FAKE_PUBLISHED_VULNERABLE: "alpine",
      FAKE_EXISTING: published,
    });
    expect(same.code, same.stderr).toBe(0);
    expect(same.images[0]).toMatchObject({ status: "pushed" });
    expect(same.images[0].gate).toMatch(
      /^no worse than the published image: \d+ known vulnerabilities \(CVE-/,
    );
    expect(same.calls.some((c) => c.tool === "trivy" && c.args.at(-1) === published)).toBe(true);

    const worse = await rebuild([...FULL, "--image", "alpine", "--gate", "no-new"], {
      FAKE_TRIVY_VULNERABLE: "alpine",
      FAKE_EXISTING: published,
    });
    expect(worse.code).toBe(1);
    expect(worse.images[0]).toMatchObject({ status: "failed", failedStep: "scan" });
    expect(worse.images[0].error).toMatch(
      /^not pushed: \d+ vulnerabilities the published image does not have \(CVE-/,
    );

    // Nothing published yet: the severity gate applies.
    const first = await rebuild([...FULL, "--image", "alpine", "--gate", "no-new"], {
      FAKE_TRIVY_VULNERABLE: "alpine",
    });
    expect(first.images[0]).toMatchObject({ status: "failed", failedStep: "scan" });
    expect(first.images[0].error).toMatch(/^not pushed: the scan found \d+ CRITICAL/);
    expect(first.calls.some((c) => c.tool === "docker" && c.args[0] === "push")).toBe(false);
  });

  describe("issue 13: a multi-platform image", () => {
    const library = () => {
      const cwd = libraryRepository();
      writeFileSync(
        join(cwd, "base/images.yml"),
        "images:\n  - name: alpine\n    tags: ['3.23']\n    platforms: [linux/amd64, linux/arm64]\n",
      );
      return cwd;
    };
    const index = readFileSync("test/fixtures/fake-tools/recorded/oci-index.json", "utf8");
    const indexDigest = `sha256:${createHash("sha256").update(index).digest("hex")}`;

    it("builds and scans each platform locally, pushes one index over them, and signs it recursively (docker)", async () => {
      const run = await rebuild([...FULL, "--attest"], {}, { cwd: library() });
      expect(run.code, run.stderr).toBe(0);
      const steps = run.calls
        .filter((c) => !(c.args[0] === "buildx" && c.args[1] === "version"))
        .map(
          (c) =>
            `${c.tool} ${c.args.slice(0, c.tool === "docker" && c.args[0] === "buildx" ? 3 : 1).join(" ")}${c.args.includes("--platform") ? ` ${c.args[c.args.indexOf("--platform") + 1]}` : ""}${c.args.includes("cyclonedx") ? " cyclonedx" : ""}`,
        );
      expect(steps).toEqual([
        "docker manifest",
        "docker buildx build --file linux/amd64",
        "docker buildx build --file linux/arm64",
        "trivy image",
        "trivy image cyclonedx",
        "trivy image",
        "trivy image cyclonedx",
        "docker push",
        "docker push",
        "docker buildx imagetools create",
        "docker buildx imagetools inspect",
        "cosign sign",
        "trivy convert",
        "cosign attest",
        "cosign attest cyclonedx",
        "trivy convert",
        "cosign attest",
        "cosign attest cyclonedx",
      ]);
      const pushed = run.calls.filter((c) => c.args[0] === "push").map((c) => c.args[1]);
      expect(pushed).toEqual([`${REGISTRY}/alpine:3.23-linux-amd64`, `${REGISTRY}/alpine:3.23-linux-arm64`]);
      const create = run.calls.find((c) => c.args[1] === "imagetools" && c.args[2] === "create")?.args ?? [];
      expect(create.slice(3)).toEqual([
        "--tag",
        `${REGISTRY}/alpine:3.23`,
        "--tag",
        `${REGISTRY}/alpine:3.23-${DATE}`,
        `${REGISTRY}/alpine@${digestOf(`${REGISTRY}/alpine`)}`,
        `${REGISTRY}/alpine@${digestOf(`${REGISTRY}/alpine`)}`,
      ]);
      expect(run.calls.find((c) => c.tool === "cosign" && c.args[0] === "sign")?.args).toEqual([
        "sign",
        "--yes",
        "--recursive",
        `${REGISTRY}/alpine@${indexDigest}`,
      ]);
      expect(run.images[0]).toMatchObject({
        status: "pushed",
        digest: indexDigest,
        platforms: [
          { platform: "linux/amd64", digest: digestOf(`${REGISTRY}/alpine`) },
          { platform: "linux/arm64", digest: digestOf(`${REGISTRY}/alpine`) },
        ],
      });
    });

    it("pushes nothing when one platform's scan fails, naming the platform", async () => {
      const run = await rebuild(FULL, { FAKE_TRIVY_VULNERABLE: "alpine" }, { cwd: library() });
      expect(run.code).toBe(1);
      expect(run.images[0]).toMatchObject({ status: "failed", failedStep: "scan" });
      expect(run.images[0].error).toMatch(/vulnerabilities on linux\/amd64/);
      expect(run.calls.some((c) => c.args[0] === "push" || c.args[1] === "imagetools")).toBe(false);
    });

    it("assembles the index with buildah manifest and pushes it with --all (buildah)", async () => {
      const run = await rebuild([...FULL, "--builder", "buildah"], {}, { cwd: library() });
      expect(run.code, run.stderr).toBe(0);
      const manifest = run.calls
        .filter((c) => c.tool === "buildah" && c.args[0] === "manifest")
        .map((c) => c.args.slice(0, 3).join(" "));
      expect(manifest).toEqual([
        "manifest create localhost/base-image-guard-index/registry.example.com_base_alpine_3.23",
        "manifest add localhost/base-image-guard-index/registry.example.com_base_alpine_3.23",
        "manifest add localhost/base-image-guard-index/registry.example.com_base_alpine_3.23",
        "manifest push --all",
        "manifest push --all",
        "manifest rm localhost/base-image-guard-index/registry.example.com_base_alpine_3.23",
      ]);
      expect(run.images[0]).toMatchObject({ status: "pushed", digest: digestOf(`${REGISTRY}/alpine`) });
    });
  });

  it("issue 13: --pin leaves a Dockerfile alone when the registry does not answer, and says why", async () => {
    const cwd = libraryRepository();
    const before = readFileSync(join(cwd, "base/ubuntu.Dockerfile"), "utf8");
    const run = await rebuild(["--pin", "--image", "ubuntu"], {}, { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✖ ubuntu: ubuntu:24.04: skopeo exited with 1:");
    expect(run.stdout).toContain("manifest unknown");
    expect(readFileSync(join(cwd, "base/ubuntu.Dockerfile"), "utf8")).toBe(before);
  });

  it("--dry-run prints every command for the four base images, in order, and runs none", async () => {
    const run = await rebuild([
      "--registry",
      REGISTRY,
      "--scan",
      "--push",
      "--sign",
      "--attest",
      "--key",
      "env://COSIGN_KEY",
      "--dry-run",
    ]);
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([]);
    const golden = "test/fixtures/golden/rebuild-dry-run.txt";
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, run.stdout);
    expect(run.stdout).toBe(readFileSync(golden, "utf8"));
  });

  it("builds with buildah: exports the image for Trivy and signs the digest buildah wrote", async () => {
    const run = await rebuild([...FULL, "--builder", "buildah", "--image", "alpine"]);
    expect(run.code, run.stderr).toBe(0);
    expect(
      run.calls.map(
        (c) => `${c.tool} ${c.args[0]}${c.args[0] === "push" ? ` ${c.args.at(-1)?.split(":")[0]}` : ""}`,
      ),
    ).toEqual([
      // buildah inspects only local images: skopeo asks the registry whether the date tag exists.
      "skopeo inspect",
      "buildah bud",
      "buildah push oci-archive",
      "trivy image",
      "buildah push docker",
      "buildah push docker",
      "cosign sign",
    ]);
    expect(run.calls[3]?.args).toContain("--input");
    expect(run.calls.at(-1)?.args.at(-1)).toBe(`${REGISTRY}/alpine@${digestOf(`${REGISTRY}/alpine`)}`);
  });

  it("falls back to plain docker build where buildx is missing", async () => {
    const run = await rebuild([...FULL, "--image", "wolfi"], { FAKE_NO_BUILDX: "1" });
    expect(run.code).toBe(0);
    expect(run.calls.map((c) => `${c.tool} ${c.args[0]}`).slice(0, 3)).toEqual([
      "docker buildx",
      "docker manifest",
      "docker build",
    ]);
  });

  it("names a missing tool and how to install it, before building anything", async () => {
    const run = await rebuild(FULL, {}, { bin: fakeToolsDir(["docker", "cosign"]) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "trivy is not installed or not on PATH: add aquasecurity/setup-trivy to the workflow",
    );
    expect(run.calls).toEqual([]);
  });

  it("exits 2 without a registry, with a bad severity or an unknown image", async () => {
    const noRegistry = await rebuild(["--scan"]);
    expect(noRegistry).toMatchObject({
      code: 2,
      stderr: "base-image-guard: registry is required, such as ghcr.io/acme/base\n",
    });
    expect((await rebuild(["--registry", REGISTRY, "--scan", "--severity", "BAD"])).code).toBe(2);
    const unknown = await rebuild(["--registry", REGISTRY, "--image", "debian"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      "no base image called debian in base (have: alpine, ubuntu, distroless, wolfi)",
    );
    expect(noRegistry.calls).toEqual([]);
  });

  it.each([
    [
      "ghcr.io/Acme-Corp/base",
      "registry ghcr.io/Acme-Corp/base has upper-case letters, which registries refuse; write ghcr.io/acme-corp/base",
    ],
    [
      "https://ghcr.io/acme/base",
      "registry https://ghcr.io/acme/base has a scheme; write it without one, such as ghcr.io/acme/base",
    ],
    [
      "ghcr.io/acme base",
      "registry ghcr.io/acme base is not a registry and namespace such as ghcr.io/acme/base",
    ],
  ])("refuses registry %s before building anything (issue 13)", async (registry, message) => {
    const run = await rebuild(["--registry", registry, "--scan"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.calls).toEqual([]);
  });

  it("--plan prints the GitHub Actions matrix", async () => {
    const run = await rebuild(["--plan"]);
    expect(JSON.parse(run.stdout)).toEqual({
      include: [
        { name: "alpine", dockerfile: "base/alpine.Dockerfile", upstream: "alpine:3.23" },
        { name: "ubuntu", dockerfile: "base/ubuntu.Dockerfile", upstream: "ubuntu:24.04" },
        {
          name: "distroless",
          dockerfile: "base/distroless.Dockerfile",
          upstream: "gcr.io/distroless/static-debian12:latest",
        },
        {
          name: "wolfi",
          dockerfile: "base/wolfi.Dockerfile",
          upstream: "cgr.dev/chainguard/wolfi-base:latest",
        },
      ],
    });
  });

  it("takes image names from the file names when there is no images.yml", async () => {
    const cwd = fixture({
      "base/tools.Dockerfile": "FROM registry.example.com/base/alpine:3.20\nRUN true\n",
    });
    const run = await rebuild(["--plan"], {}, { cwd });
    expect(JSON.parse(run.stdout).include.map((i: { name: string }) => i.name)).toEqual(["tools"]);
  });
});

describe("the base/ library", () => {
  it("passes base-image-guard check under the built-in policy", async () => {
    const run = await new Promise<{ code: number; stdout: string }>((done) =>
      execFile(process.execPath, [CLI, "check", "base/", "--format", "json"], (error, stdout) =>
        done({ code: error ? Number(error.code) : 0, stdout }),
      ),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ errors: 0, files: 5 });
  });

  it("runs as user 1000:1000 and claims no scan result in a label", () => {
    for (const name of ["alpine", "ubuntu", "distroless", "wolfi"]) {
      const text = readFileSync(join("base", `${name}.Dockerfile`), "utf8");
      expect(text.trimEnd().split("\n").at(-1), name).toBe("USER 1000:1000");
      expect(text, name).not.toMatch(/LABEL[^\n]*(scan|vulnerab|cve)/i);
    }
    expect(dirname("base/images.yml")).toBe("base");
  });
});
