/**
 * Issue 25: the CLI's container image (the root Dockerfile). `check` passes on it (the tool eats
 * its own cooking: a base pinned by digest, a non-root USER, one suppression with its reason);
 * buildah builds it — on a stand-in for the Node base made from this machine's node, since no
 * registry is reachable here — and a real runtime (runc) runs `check examples/` inside it.
 * .ci/run installs buildah and runc; where they are missing the build is skipped and says why.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixture, runCli } from "./helpers.js";

describe("the root Dockerfile under its own policy", () => {
  it("check Dockerfile passes: a digest-pinned base, a non-root USER, the one allowed suppression", () => {
    const out = runCli(["check", "Dockerfile", "--format", "json"], resolve("."));
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toHaveLength(1);
    expect(report.suppressed[0]).toMatchObject({ rule: "approved-base-images", file: "Dockerfile" });
    expect(report.suppressed[0].image).toMatch(/^node:[\w.-]+@sha256:[a-f0-9]{64}$/);
    expect(report.suppressed[0].reason.length).toBeGreaterThan(20);
    const text = readFileSync("Dockerfile", "utf8");
    expect(text.match(/base-image-guard ignore=/g)).toHaveLength(1);
    // The final stage names a user, and not root.
    const users = [...text.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBeDefined();
    expect(["root", "0", "0:0"]).not.toContain(users.at(-1));
  });

  it("check . of this repository reports nothing for the image's Dockerfile", () => {
    const out = runCli(["check", ".", "--format", "json"], resolve("."));
    const report = JSON.parse(out.stdout);
    expect(report.findings.filter((f: { file: string }) => f.file === "Dockerfile")).toEqual([]);
    expect(report.suppressed.filter((s: { file: string }) => s.file === "Dockerfile")).toHaveLength(1);
  });
});

describe("the release publishes the image through rebuild (release/images.yml)", () => {
  it("both platforms from the root Dockerfile and context, scanned before the push, signed by digest, an SBOM attached", () => {
    const out = runCli(
      [
        "rebuild",
        "--base-dir",
        "release",
        "--registry",
        "ghcr.io/org",
        "--scan",
        "--push",
        "--sign",
        "--attest",
        "--dry-run",
      ],
      resolve("."),
    );
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.split("\n");
    const builds = lines.filter((l) => l.startsWith("docker buildx build"));
    expect(builds).toHaveLength(2);
    for (const [i, platform] of ["linux/amd64", "linux/arm64"].entries()) {
      expect(builds[i]).toMatch(
        /^docker buildx build --file Dockerfile .*--label org\.opencontainers\.image\.base\.digest=sha256:[a-f0-9]{64} /,
      );
      expect(builds[i]).toContain(`--platform ${platform} --pull --load .`);
    }
    const index = (start: string) => lines.findIndex((l) => l.startsWith(start));
    expect(index("trivy image --severity CRITICAL,HIGH --exit-code 1")).toBeLessThan(index("docker push"));
    expect(index("docker push")).toBeLessThan(
      index("cosign sign --yes --recursive 'ghcr.io/org/base-image-guard@sha256:"),
    );
    expect(lines.filter((l) => l.startsWith("cosign attest --yes --type cyclonedx"))).toHaveLength(2);
  });

  it("a context that does not exist is refused, naming the entry (exit 2)", () => {
    const cwd = fixture({
      "lib/images.yml": "images:\n  - name: cli\n    dockerfile: ../Dockerfile\n    context: ../nowhere\n",
      Dockerfile: "FROM alpine:3.20\n",
    });
    const out = runCli(["rebuild", "--base-dir", "lib", "--registry", "r.example.com/x", "--dry-run"], cwd);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("Dockerfile: the build context ../nowhere does not exist");
  });
});

function buildSkipReason(): string | undefined {
  for (const tool of ["buildah", "busybox"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  if (process.getuid?.() !== 0) return "buildah needs root here";
  if (spawnSync("ldd", [process.execPath]).status !== 0) return "cannot list node's libraries (ldd)";
  return undefined;
}
const skipReason = buildSkipReason();
if (skipReason) console.warn(`SKIPPED container image build: ${skipReason}`);

describe.skipIf(skipReason)("the container image, built with buildah", () => {
  const root = fixture({});
  writeFileSync(
    join(root, "storage.conf"),
    `[storage]\ndriver = "vfs"\ngraphroot = "${root}/storage"\nrunroot = "${root}/run"\n`,
  );
  const env = {
    ...process.env,
    CONTAINERS_STORAGE_CONF: join(root, "storage.conf"),
    BUILDAH_ISOLATION: "chroot",
  };
  const buildah = (args: string[]) => spawnSync("buildah", args, { env, encoding: "utf8" });
  afterAll(() => {
    buildah(["rm", "--all"]);
  });

  /** The Node base's stand-in: this machine's node and its libraries, a shell, a node user (uid 1000). */
  function standIn(): string {
    const rootfs = join(root, "standin", "rootfs");
    const bin = join(rootfs, "usr/local/bin");
    mkdirSync(bin, { recursive: true });
    copyFileSync(process.execPath, join(bin, "node"));
    chmodSync(join(bin, "node"), 0o755);
    const libraries = execFileSync("ldd", [process.execPath], { encoding: "utf8" }).match(/\/\S+/g) ?? [];
    for (const library of libraries) {
      mkdirSync(join(rootfs, dirname(library)), { recursive: true });
      copyFileSync(library, join(rootfs, library));
    }
    copyFileSync(
      execFileSync("sh", ["-c", "command -v busybox"], { encoding: "utf8" }).trim(),
      join(bin, "busybox"),
    );
    chmodSync(join(bin, "busybox"), 0o755);
    mkdirSync(join(rootfs, "bin"));
    symlinkSync("/usr/local/bin/busybox", join(rootfs, "bin/sh"));
    mkdirSync(join(rootfs, "etc"));
    writeFileSync(
      join(rootfs, "etc/passwd"),
      "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n",
    );
    writeFileSync(join(rootfs, "etc/group"), "root:x:0:\nnode:x:1000:\n");
    writeFileSync(
      join(root, "standin", "Dockerfile"),
      "FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/local/bin:/usr/bin:/bin\n",
    );
    const built = buildah(["bud", "--quiet", "--tag", "localhost/node-standin:20", join(root, "standin")]);
    expect(built.status, built.stderr).toBe(0);
    return "localhost/node-standin:20";
  }

  it("builds from the repository root with only what .dockerignore lets in; entrypoint the CLI, user node", () => {
    const base = standIn();
    const built = buildah([
      "bud",
      "--quiet",
      "--pull=never",
      "--build-arg",
      `NODE_BASE=${base}`,
      "--tag",
      "localhost/base-image-guard:test",
      resolve("."),
    ]);
    expect(built.status, built.stderr).toBe(0);
    const config = JSON.parse(buildah(["inspect", "localhost/base-image-guard:test"]).stdout).OCIv1.config;
    expect(config.Entrypoint).toEqual(["base-image-guard"]);
    expect(config.Cmd).toEqual(["check", "."]);
    expect(config.User).toBe("node");
    expect(config.WorkingDir).toBe("/src");
    expect(config.Labels["org.opencontainers.image.title"]).toBe("base-image-guard");
    // Nothing but the bundle, package.json and the launcher came from the context.
    const container = buildah(["from", "--pull=never", "localhost/base-image-guard:test"]).stdout.trim();
    const mounted = buildah(["mount", container]).stdout.trim();
    expect(
      execFileSync("find", [join(mounted, "opt/base-image-guard"), "-type", "f"], { encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .map((f) => f.slice(mounted.length))
        .sort(),
    ).toEqual(["/opt/base-image-guard/cli.js", "/opt/base-image-guard/package.json"]);
    buildah(["umount", container]);
    buildah(["rm", container]);
  }, 180_000);

  it("runs check examples/ inside the image with runc, as the node user, with the host's verdict", (context) => {
    const container = buildah(["from", "--pull=never", "localhost/base-image-guard:test"]).stdout.trim();
    expect(container).not.toBe("");
    const probe = buildah(["run", "--isolation", "oci", container, "--", "node", "-e", "0"]);
    if (probe.status !== 0) {
      console.warn(
        `SKIPPED running the image: no working OCI runtime (${probe.stderr.trim().split("\n").at(-1)})`,
      );
      context.skip();
    }
    const uid = buildah(["run", "--isolation", "oci", container, "--", "node", "-p", "process.getuid()"]);
    expect(uid.stdout.trim()).toBe("1000");
    const inside = buildah([
      "run",
      "--isolation",
      "oci",
      "--volume",
      `${resolve("examples")}:/src/examples:ro`,
      container,
      "--",
      "base-image-guard",
      "check",
      "examples/",
      "--format",
      "json",
    ]);
    const host = runCli(["check", "examples/", "--format", "json"], resolve("."));
    expect(inside.stdout).not.toBe("");
    expect(JSON.parse(inside.stdout)).toEqual(JSON.parse(host.stdout));
    expect(inside.stderr).toContain("exit status 1"); // the check's exit code 1, as buildah reports it
  }, 180_000);
});
