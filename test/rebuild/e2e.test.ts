/**
 * SPEC §7 end to end with the real builder: a Debian docker-registry on 127.0.0.1, an "upstream"
 * image made from busybox with no pull, then `base-image-guard rebuild` with the real buildah
 * (Trivy and cosign stay fakes: they cannot run on these machines). The digest the pipeline
 * reports and signs must be the one the registry serves, and the OCI labels must be on the image.
 * .ci/run installs the Debian packages; where they are missing the suite is skipped, with the
 * reason printed.
 */
import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeToolsDir, fixture } from "../helpers.js";

const CLI = resolve("dist/cli.js");
const REVISION = "0123456789abcdef0123456789abcdef01234567";

function missing(): string | undefined {
  const need = ["buildah", "skopeo", "docker-registry", "busybox"];
  const absent = need.filter((tool) => {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
      return false;
    } catch {
      return true;
    }
  });
  if (absent.length > 0) return `${absent.join(", ")} not installed (.ci/run installs them with apt-get)`;
  if (process.getuid?.() !== 0) return "buildah needs root here";
  return undefined;
}

const skipReason = missing();
if (skipReason) console.warn(`SKIPPED rebuild end-to-end test: ${skipReason}`);
const dockerSkipReason = skipReason ?? missingDocker();
if (!skipReason && dockerSkipReason)
  console.warn(`SKIPPED the docker build end-to-end test: ${dockerSkipReason}`);

function missingDocker(): string | undefined {
  try {
    execFileSync("sh", ["-c", "command -v dockerd && command -v docker"], { stdio: "ignore" });
    return undefined;
  } catch {
    return "dockerd not installed (.ci/run installs docker.io with apt-get)";
  }
}

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function waitForRegistry(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/v2/`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`registry at ${url} did not start`);
}

describe.skipIf(skipReason)("SPEC §7 rebuild with real buildah and a loopback registry", () => {
  const root = fixture({});
  let registry: ChildProcess | undefined;
  let host = "";
  const env: Record<string, string> = {};

  beforeAll(async () => {
    const port = await freePort();
    host = `127.0.0.1:${port}`;
    mkdirSync(join(root, "registry"));
    writeFileSync(
      join(root, "registry.yml"),
      `version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: ${root}/registry}}\nhttp: {addr: ${host}}\n`,
    );
    registry = spawn("docker-registry", ["serve", join(root, "registry.yml")], { stdio: "ignore" });
    await waitForRegistry(`http://${host}`);

    // buildah reads its storage, registry and isolation settings from the environment, so the
    // command lines stay exactly the ones a user's runner executes.
    writeFileSync(
      join(root, "storage.conf"),
      `[storage]\ndriver = "vfs"\ngraphroot = "${root}/storage"\nrunroot = "${root}/run"\n`,
    );
    writeFileSync(join(root, "registries.conf"), `[[registry]]\nlocation = "${host}"\ninsecure = true\n`);
    Object.assign(env, {
      CONTAINERS_STORAGE_CONF: join(root, "storage.conf"),
      CONTAINERS_REGISTRIES_CONF: join(root, "registries.conf"),
      BUILDAH_ISOLATION: "chroot",
    });
    const run = (args: string[]) =>
      execFileSync("buildah", args, { env: { ...process.env, ...env }, stdio: "pipe" });

    // The "upstream": busybox as /bin/sh in a scratch image, pushed to the loopback registry.
    const upstream = join(root, "upstream");
    mkdirSync(upstream);
    copyFileSync(
      execFileSync("sh", ["-c", "command -v busybox"], { encoding: "utf8" }).trim(),
      join(upstream, "busybox"),
    );
    writeFileSync(
      join(upstream, "Dockerfile"),
      "FROM scratch\nCOPY busybox /bin/busybox\nCOPY busybox /bin/sh\n",
    );
    run(["bud", "--quiet", "--tag", "upstream/alpine:3.19", upstream]);
    run(["push", "upstream/alpine:3.19", `docker://${host}/upstream/alpine:3.19`]);
    // The same upstream as a multi-arch index, as Docker Hub serves alpine: one image per platform.
    run(["manifest", "create", "upstream-multi"]);
    for (const platform of ["linux/amd64", "linux/arm64"]) {
      run(["bud", "--quiet", "--platform", platform, "--manifest", "upstream-multi", upstream]);
    }
    run([
      "manifest",
      "push",
      "--all",
      "--tls-verify=false",
      "upstream-multi",
      `docker://${host}/upstream/alpine-multi:3.19`,
    ]);
  }, 120_000);

  afterAll(() => {
    registry?.kill();
    try {
      execFileSync("buildah", ["rm", "--all"], { env: { ...process.env, ...env }, stdio: "ignore" });
    } catch {
      // nothing to remove
    }
    rmSync(root, { recursive: true, force: true });
  });

  it("pushes and signs the digest the registry serves, with the OCI labels on the image (buildah)", async () => {
    await expectPublished(root, host, "buildah", env);
  }, 120_000);

  it("issue 13: two platforms built, scanned and pushed as one index whose per-platform digests the registry serves", async () => {
    const repo = join(root, "repo-multi");
    mkdirSync(join(repo, "base"), { recursive: true });
    // COPY only: building for another architecture needs no emulator.
    writeFileSync(
      join(repo, "base", "alpine.Dockerfile"),
      `FROM ${host}/upstream/alpine-multi:3.19\nCOPY images.yml /etc/base-image\n`,
    );
    writeFileSync(
      join(repo, "base", "images.yml"),
      "images:\n  - name: alpine\n    tags: ['3.19']\n    platforms: [linux/amd64, linux/arm64]\n",
    );
    const bin = fakeToolsDir(["trivy", "cosign"]);
    const log = join(root, "multi-tools.log");
    const result = spawnSync(
      process.execPath,
      [
        CLI,
        "rebuild",
        "--registry",
        `${host}/multi`,
        "--builder",
        "buildah",
        "--scan",
        "--push",
        "--sign",
        "--output",
        "images.json",
      ],
      {
        cwd: repo,
        encoding: "utf8",
        env: {
          ...process.env,
          ...env,
          PATH: `${bin}:${process.env.PATH}`,
          SOURCE_DATE_EPOCH: "1795996800",
          FAKE_TOOLS_LOG: log,
        },
      },
    );
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const [image] = JSON.parse(readFileSync(join(repo, "images.json"), "utf8"));
    const raw = execFileSync(
      "skopeo",
      ["inspect", "--raw", "--tls-verify=false", `docker://${host}/multi/alpine:3.19`],
      { encoding: "utf8" },
    );
    const served = JSON.parse(raw) as {
      manifests: { digest: string; platform: { os: string; architecture: string } }[];
    };
    expect(served.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort()).toEqual([
      "linux/amd64",
      "linux/arm64",
    ]);
    expect(image.platforms.map((p: { digest: string }) => p.digest).sort()).toEqual(
      served.manifests.map((m) => m.digest).sort(),
    );
    // Signed by the digest of the index the registry serves, not by a tag.
    const indexDigest = `sha256:${createHash("sha256").update(raw).digest("hex")}`;
    const signed = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { tool: string; args: string[] })
      .filter((call) => call.tool === "cosign" && call.args[0] === "sign")
      .map((call) => call.args.at(-1));
    expect(signed).toContain(`${host}/multi/alpine@${indexDigest}`);
  }, 120_000);

  it("issue 13: --pin writes the digest the registry serves for the upstream tag (real skopeo)", async () => {
    const repo = join(root, "repo-pin");
    mkdirSync(join(repo, "base"), { recursive: true });
    const dockerfile = join(repo, "base", "alpine.Dockerfile");
    writeFileSync(dockerfile, `FROM ${host}/upstream/alpine:3.19\nUSER 1000:1000\n`);
    const result = spawnSync(process.execPath, [CLI, "rebuild", "--pin"], {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, ...env },
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const served = JSON.parse(
      execFileSync("skopeo", ["inspect", "--tls-verify=false", `docker://${host}/upstream/alpine:3.19`], {
        encoding: "utf8",
      }),
    ).Digest as string;
    expect(readFileSync(dockerfile, "utf8")).toBe(
      `FROM ${host}/upstream/alpine:3.19@${served}\nUSER 1000:1000\n`,
    );
  }, 60_000);

  describe.skipIf(dockerSkipReason)("and with the legacy docker build, where dockerd is available", () => {
    let dockerd: ChildProcess | undefined;
    const dockerEnv: Record<string, string> = {};

    beforeAll(async () => {
      const dir = join(root, "docker");
      mkdirSync(dir);
      const socket = join(dir, "docker.sock");
      dockerd = spawn(
        "dockerd",
        [
          "--iptables=false",
          "--ip6tables=false",
          "--bridge=none",
          "--storage-driver=vfs",
          `--data-root=${dir}/data`,
          `--exec-root=${dir}/exec`,
          `--pidfile=${dir}/docker.pid`,
          `--host=unix://${socket}`,
        ],
        { stdio: "ignore" },
      );
      dockerEnv.DOCKER_HOST = `unix://${socket}`;
      for (let i = 0; i < 200 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
      execFileSync("docker", ["version"], { env: { ...process.env, ...dockerEnv }, stdio: "ignore" });
    }, 60_000);

    afterAll(() => {
      dockerd?.kill();
    });

    it("pushes and signs the digest the registry serves, with the OCI labels on the image (docker)", async () => {
      await expectPublished(root, host, "docker", { ...env, ...dockerEnv });
    }, 120_000);
  });
});

/** Runs the real rebuild of one base image and checks what the registry then serves. */
async function expectPublished(
  root: string,
  host: string,
  builder: "buildah" | "docker",
  env: Record<string, string>,
) {
  const repo = join(root, `repo-${builder}`);
  mkdirSync(join(repo, "base"), { recursive: true });
  writeFileSync(
    join(repo, "base", "alpine.Dockerfile"),
    `FROM ${host}/upstream/alpine:3.19\nRUN echo "patched by ${builder}" > /etc/motd\nUSER 1000:1000\n`,
  );
  // Trivy and cosign are fakes; the builder, skopeo and the registry are real.
  const bin = fakeToolsDir(["trivy", "cosign"]);
  const log = join(repo, "tools.log");
  writeFileSync(log, "");
  const registry = `${host}/${builder}`;

  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
    execFile(
      process.execPath,
      [
        CLI,
        "rebuild",
        "--registry",
        registry,
        "--builder",
        builder,
        "--scan",
        "--push",
        "--sign",
        "--output",
        "images.json",
      ],
      {
        cwd: repo,
        env: {
          ...process.env,
          ...env,
          PATH: `${bin}:${process.env.PATH}`,
          FAKE_TOOLS_LOG: log,
          SOURCE_DATE_EPOCH: "1795996800",
          GITHUB_SHA: REVISION,
          GITHUB_SERVER_URL: "https://github.com",
          GITHUB_REPOSITORY: "acme/platform",
        },
      },
      (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    ),
  );
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  const [image] = JSON.parse(readFileSync(join(repo, "images.json"), "utf8"));
  expect(image).toMatchObject({ name: "alpine", status: "pushed", signed: true });

  const inspect = (ref: string) =>
    JSON.parse(
      execFileSync("skopeo", ["inspect", "--tls-verify=false", `docker://${ref}`], { encoding: "utf8" }),
    );
  const served = inspect(`${registry}/alpine:3.19`);
  expect(image.digest).toBe(served.Digest);
  expect(inspect(`${registry}/alpine:3.19-20261130`).Digest).toBe(served.Digest);

  const calls = readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { tool: string; args: string[] });
  expect(calls.find((call) => call.tool === "cosign")?.args).toEqual([
    "sign",
    "--yes",
    `${registry}/alpine@${served.Digest}`,
  ]);
  expect(calls.find((call) => call.tool === "trivy")?.args.slice(-2)).toEqual(
    builder === "docker"
      ? ["docker", `${registry}/alpine:3.19`]
      : ["--input", expect.stringMatching(/\.oci\.tar$/)],
  );

  expect(served.Labels).toMatchObject({
    "org.opencontainers.image.created": "2026-11-30T00:00:00.000Z",
    "org.opencontainers.image.revision": REVISION,
    "org.opencontainers.image.source": "https://github.com/acme/platform",
    "org.opencontainers.image.base.name": `${host}/upstream/alpine:3.19`,
  });
}
