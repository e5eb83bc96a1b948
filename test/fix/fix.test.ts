/**
 * `fix` (SPEC §9) as a user runs it: real temporary repositories, the built CLI, git apply. Each
 * expected file is the original with the image token replaced — everything else must be the same
 * bytes (quotes, comments, CRLF, BOM, tabs, trailing blanks, a missing final newline).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import jsYaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { WriteError, writeChanges } from "../../src/fix/write.js";
import { fakeToolsDir, fixture, runCli } from "../helpers.js";

const D1 = `sha256:${"1".repeat(64)}`;
const D2 = `sha256:${"2".repeat(64)}`;
const D3 = `sha256:${"3".repeat(64)}`;
const U = "registry.example.com/base/ubuntu";
const A = "registry.example.com/base/alpine";

/** The library as a rebuild's digests.json lists it: ubuntu 22.04 and 24.04 (pushed twice), alpine 3.20. */
const DIGESTS = JSON.stringify({
  version: 1,
  images: [
    { image: U, tag: "24.04", digest: D1, date: "2026-11-30" },
    { image: U, tag: "24.04", digest: D2, date: "2026-12-07" },
    { image: U, tag: "22.04", digest: D3, date: "2026-12-07" },
    { image: A, tag: "3.20", digest: `sha256:${"5".repeat(64)}`, date: "2026-11-30" },
    { image: A, tag: "3.20", digest: `sha256:${"4".repeat(64)}`, date: "2026-12-07" },
  ],
});

const POLICY = `approved: [${A}, ${U}]
deprecated: [centos, "ubuntu:18.04", "alpine:3.12"]
versions: {ubuntu: ["22.04", "24.04"]}
pinning: digest
replacements:
  - {match: centos, use: ${U}}
  - {match: debian, use: ${U}}
`;
const NEW = `${U}:24.04@${D2}`;

function repo(files: Record<string, string | Buffer>): string {
  const cwd = fixture({ ".policy.yml": POLICY, "digests.json": DIGESTS, ...files });
  const git = (...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" });
  git("init", "-q");
  git("add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "start", "--no-gpg-sign");
  return cwd;
}

const FIX = ["fix", ".", "--policy", ".policy.yml", "--digests", "digests.json"];

/** `fix` prints a diff that git apply takes, and `fix --write` writes exactly what it showed. */
function fixBoth(cwd: string): { diff: string; stderr: string } {
  const shown = runCli(FIX, cwd);
  expect(shown.code, shown.stderr).toBe(1);
  const check = spawnSync("git", ["apply", "--check", "-"], { cwd, input: shown.stdout, encoding: "utf8" });
  expect(check.status, check.stderr).toBe(0);
  const applied = fixture({});
  cpSync(cwd, applied, { recursive: true });
  execFileSync("git", ["apply", "-"], { cwd: applied, input: shown.stdout });
  const written = runCli([...FIX, "--write"], cwd);
  expect(written.code, written.stderr).toBe(0);
  for (const file of execFileSync("git", ["ls-files", "-z"], { cwd, encoding: "utf8" })
    .split("\0")
    .filter(Boolean)) {
    expect(readFileSync(join(cwd, file)), file).toEqual(readFileSync(join(applied, file)));
  }
  const again = runCli(FIX, cwd);
  expect(again.code, again.stdout).toBe(0);
  expect(again.stdout).toBe("");
  return { diff: shown.stdout, stderr: shown.stderr };
}

const read = (cwd: string, file: string) => readFileSync(join(cwd, file), "utf8");

describe("fix rewrites the image token and nothing else (SPEC §9), in every kind of file", () => {
  it("Dockerfile: FROM with flags and AS, COPY --from, RUN --mount from=, CRLF, BOM, tabs, trailing blanks, no final newline", () => {
    const text =
      "\uFEFF# syntax=docker/dockerfile:1\r\n" +
      "FROM --platform=$BUILDPLATFORM centos:7 AS build   \r\n" +
      "RUN\tmake \\\r\n" +
      "\t&& make install\r\n" +
      "COPY --from=ubuntu:20.04 /etc/os-release /tmp/\r\n" +
      "RUN --mount=type=bind,from=centos:7,target=/c ls /c\r\n" +
      `FROM ${U}:22.04`;
    const cwd = repo({ Dockerfile: text });
    fixBoth(cwd);
    expect(read(cwd, "Dockerfile")).toBe(
      text
        .replace("centos:7 AS", `${NEW} AS`)
        .replace("from=ubuntu:20.04", `from=${NEW}`)
        .replace("from=centos:7", `from=${NEW}`)
        .replace(`FROM ${U}:22.04`, `FROM ${U}:22.04@${D3}`),
    );
  });

  it("Dockerfile: the escape directive, a heredoc that names an image, and an image on a continuation line", () => {
    const text = ["# escape=`", "FROM `", "  centos:7", "RUN <<EOF", "FROM centos:7", "EOF", ""].join("\n");
    const cwd = repo({ Dockerfile: text });
    fixBoth(cwd);
    expect(read(cwd, "Dockerfile")).toBe(text.replace("  centos:7", `  ${NEW}`));
  });

  it("Dockerfile: an ARG default changes once when every FROM that uses it gets the same replacement", () => {
    const text = 'ARG BASE="centos:7"\nFROM ${BASE} AS a\nFROM $BASE\n';
    const cwd = repo({ Dockerfile: text });
    fixBoth(cwd);
    expect(read(cwd, "Dockerfile")).toBe(`ARG BASE="${NEW}"\nFROM \${BASE} AS a\nFROM $BASE\n`);
  });

  it("Dockerfile: the default of ${NAME:-default} when the ARG has no value; the ARG's own default when it has one", () => {
    const text = "ARG UNSET\nARG SET=centos:7\nFROM ${UNSET:-centos:7} AS a\nFROM ${SET:-alpine:3.20}\n";
    const cwd = repo({ Dockerfile: text });
    fixBoth(cwd);
    expect(read(cwd, "Dockerfile")).toBe(
      `ARG UNSET\nARG SET=${NEW}\nFROM \${UNSET:-${NEW}} AS a\nFROM \${SET:-alpine:3.20}\n`,
    );
  });

  it("Dockerfile: an ARG shared by images that need different replacements is left, and said so", () => {
    const cwd = repo({
      Dockerfile: `ARG BASE=centos:7\nFROM \${BASE}\nFROM ${U}:24.04@${D2}\nCOPY --from=\${BASE} /a /a\n`,
    });
    const json = runCli([...FIX, "--format", "json", "--build-arg", "BASE=centos:7"], cwd);
    // With --build-arg the value is the command line's, not the file's.
    expect(JSON.parse(json.stdout).unfixable[0].reason).toMatch(/--build-arg/);
    const other = repo({ Dockerfile: "ARG BASE=centos:7\nFROM ${BASE}\nFROM ${BASE:-x}\n" });
    expect(runCli(FIX, other).code).toBe(1);
    const shared = repo({
      Dockerfile: "ARG TAG=7\nFROM centos:${TAG}\n",
      "b/Dockerfile": "ARG V=centos:7\nFROM ${V}\n",
    });
    const out = JSON.parse(runCli([...FIX, "--format", "json"], shared).stdout);
    expect(out.unfixable).toContainEqual(
      expect.objectContaining({
        file: "Dockerfile",
        line: 2,
        reason: expect.stringMatching(/put together from ARGs/),
      }),
    );
    expect(out.changes).toEqual([
      { file: "b/Dockerfile", line: 1, rule: "approved-base-images", from: "centos:7", to: NEW },
    ]);
  });

  it("Kubernetes YAML: plain, double- and single-quoted scalars keep their quoting; comments, CRLF and a BOM stay", () => {
    const text =
      "\uFEFFapiVersion: v1\r\nkind: Pod\r\nmetadata: {name: p}  # trailing comment\r\nspec:\r\n  containers:\r\n" +
      "    - name: a\r\n      image: centos:7 # the old one\r\n" +
      '    - name: b\r\n      image: "ubuntu:18.04"\r\n' +
      "    - {name: c, image: 'centos:7'}\r\n";
    const cwd = repo({ "pod.yaml": text });
    fixBoth(cwd);
    const after = read(cwd, "pod.yaml");
    expect(after).toBe(
      text
        .replace("image: centos:7 #", `image: ${NEW} #`)
        .replace('"ubuntu:18.04"', `"${NEW}"`)
        .replace("'centos:7'", `'${NEW}'`),
    );
    jsYaml.loadAll(after);
    expect(parseAllDocuments(after).flatMap((d) => d.errors)).toEqual([]);
  });

  it("Helm values: only the keys that differ change; a tag the policy reads as a number stays a string", () => {
    const text = [
      "image:",
      "  registry: docker.io",
      "  repository: library/ubuntu   # upstream",
      "  tag: 20.04",
      "sidecar:",
      "  image:",
      `    registry: registry.example.com`,
      "    repository: base/ubuntu",
      `    tag: "24.04"`,
      `    digest: "${D1}"`,
      "worker:",
      "  image:",
      "    repository: centos",
      "    tag: 7",
      '    digest: ""',
      "",
    ].join("\n");
    const cwd = repo({
      "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\nappVersion: 1.0\n",
      "chart/values.yaml": text,
    });
    fixBoth(cwd);
    expect(read(cwd, "chart/values.yaml")).toBe(
      text
        .replace("registry: docker.io", "registry: registry.example.com")
        .replace("repository: library/ubuntu ", "repository: base/ubuntu ")
        .replace("tag: 20.04", `tag: 24.04@${D2}`)
        .replace(`digest: "${D1}"`, `digest: "${D2}"`)
        .replace("repository: centos", `repository: ${U}`)
        .replace("tag: 7", 'tag: "24.04"')
        .replace('digest: ""', `digest: "${D2}"`),
    );
  });

  it("Helm values: a map without a tag gets a tag line beside its repository", () => {
    const text = "image:\n  repository: centos\n  pullPolicy: IfNotPresent\n";
    const cwd = repo({
      "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
      "chart/values.yaml": text,
    });
    fixBoth(cwd);
    expect(read(cwd, "chart/values.yaml")).toBe(
      `image:\n  repository: ${U}\n  tag: 24.04@${D2}\n  pullPolicy: IfNotPresent\n`,
    );
  });

  it("kustomize: the kustomization entry that decided the image is fixed, never the resource", () => {
    const deployment =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: orders-app\n";
    const kustomization = `resources: [deploy.yaml]\nimages:\n  - name: orders-app\n    newName: ${U}\n    newTag: "20.04" # pinned by ops\n`;
    const cwd = repo({ "k/deploy.yaml": deployment, "k/kustomization.yaml": kustomization });
    fixBoth(cwd);
    expect(read(cwd, "k/deploy.yaml")).toBe(deployment);
    expect(read(cwd, "k/kustomization.yaml")).toBe(
      kustomization
        .replace('"20.04"', '"24.04"')
        .replace("# pinned by ops\n", `# pinned by ops\n    digest: ${D2}\n`),
    );
  });

  it("compose: the .env value or the ${VAR:-default} default the image came from", () => {
    const compose = 'services:\n  web:\n    image: ${WEB}\n  db:\n    image: "${DB:-centos:7}"\n';
    const env = "# images\nexport WEB=ubuntu:18.04 # old\n";
    const cwd = repo({ "compose.yaml": compose, ".env": env });
    fixBoth(cwd);
    expect(read(cwd, "compose.yaml")).toBe(compose.replace("${DB:-centos:7}", `\${DB:-${NEW}}`));
    expect(read(cwd, ".env")).toBe(env.replace("ubuntu:18.04", NEW));
  });

  it("GitHub workflows: a job container", () => {
    const text =
      "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    container: centos:7\n    steps:\n      - run: make\n";
    const cwd = repo({ ".github/workflows/ci.yml": text });
    fixBoth(cwd);
    expect(read(cwd, ".github/workflows/ci.yml")).toBe(text.replace("centos:7", NEW));
  });
});

describe("file names in the diff", () => {
  it("a space, a newline and non-ASCII letters in a path: the headers are quoted as git quotes them, and git apply takes them", () => {
    const cwd = repo({
      "sp ace/Dockerfile": "FROM centos:7\n",
      "we\nird/Dockerfile": "FROM centos:7\n",
      "ünï/Dockerfile": "FROM centos:7\n",
    });
    const { diff, stderr } = fixBoth(cwd);
    expect(diff).toContain('diff --git "a/we\\nird/Dockerfile" "b/we\\nird/Dockerfile"\n');
    expect(diff).toContain('--- "a/\\303\\274n\\303\\257/Dockerfile"\n');
    expect(diff).toContain("--- a/sp ace/Dockerfile\n");
    expect(stderr).toBe("would fix 3 images in 3 files\n");
  });
});

describe("what fix chooses (SPEC §9)", () => {
  it("keeps an allowed, published release; else takes the newest the library publishes; refreshes an old digest of the same tag", () => {
    const cwd = repo({
      "a/Dockerfile": "FROM ubuntu:22.04\n",
      "b/Dockerfile": "FROM ubuntu:20.04\n",
      "c/Dockerfile": `FROM ${U}:24.04@${D1}\n`,
      "d/Dockerfile": `FROM ${A}@sha256:${"5".repeat(64)}\n`,
    });
    const out = JSON.parse(runCli([...FIX, "--format", "json"], cwd).stdout);
    expect(
      out.changes.map((c: { file: string; to: string; rule: string }) => [c.file, c.to, c.rule]),
    ).toEqual([
      ["a/Dockerfile", `${U}:22.04@${D3}`, "approved-base-images"],
      ["b/Dockerfile", `${U}:24.04@${D2}`, "approved-base-images"],
      ["c/Dockerfile", `${U}:24.04@${D2}`, "digest-refresh"],
      ["d/Dockerfile", `${A}@sha256:${"4".repeat(64)}`, "digest-refresh"],
    ]);
    expect(out.version).toBe(1);
  });

  it("without --digests: the newest release versions allow, and the pinning finding left with its reason", () => {
    const cwd = repo({ Dockerfile: "FROM centos:7\n" });
    const out = JSON.parse(runCli(["fix", ".", "--policy", ".policy.yml", "--format", "json"], cwd).stdout);
    expect(out.changes).toEqual([
      { file: "Dockerfile", line: 1, rule: "approved-base-images", from: "centos:7", to: `${U}:24.04` },
    ]);
    expect(out.unfixable).toEqual([
      expect.objectContaining({
        rule: "require-pinned-image",
        reason: expect.stringMatching(/no digest known for .*--digests.*--resolve/),
      }),
    ]);
  });

  it("--resolve asks the registry with skopeo inspect --raw (recording fake), the digest being the SHA-256 of the manifest", () => {
    const cwd = repo({ Dockerfile: `FROM ${A}:3.20\nFROM ${U}:24.04\n` });
    const log = join(cwd, "..", `tools-${Date.now()}.log`);
    const result = spawnSync(
      process.execPath,
      [resolve("dist/cli.js"), "fix", ".", "--policy", ".policy.yml", "--resolve", "--format", "json"],
      {
        cwd,
        encoding: "utf8",
        env: {
          ...process.env,
          PATH: fakeToolsDir(["skopeo"]),
          FAKE_TOOLS_LOG: log,
          FAKE_EXISTING: `${A}:3.20`,
        },
      },
    );
    const out = JSON.parse(result.stdout);
    const manifest = readFileSync("test/fixtures/fake-tools/recorded/manifest-inspect.json");
    const digest = `sha256:${createHash("sha256").update(manifest).digest("hex")}`;
    expect(out.changes).toEqual([expect.objectContaining({ to: `${A}:3.20@${digest}` })]);
    expect(out.unfixable).toEqual([
      expect.objectContaining({
        line: 2,
        reason: expect.stringMatching(
          /registry did not give the digest of .*ubuntu:24.04: skopeo exited with 1/,
        ),
      }),
    ]);
    const calls = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).args);
    expect(calls).toEqual([
      ["inspect", "--raw", `docker://${A}:3.20`],
      ["inspect", "--raw", `docker://${U}:24.04`],
    ]);
  });

  it("lists what it cannot fix with file, line and reason; exit 0 when nothing would change", () => {
    const cwd = repo({
      Dockerfile: "FROM ${NOPE}\n",
      "golang/Dockerfile": "FROM golang:1.22\n",
      "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
      "chart/templates/d.yaml": "image: {{ .Values.image }}\n",
    });
    const result = runCli([...FIX, "--format", "json"], cwd);
    expect(result.code).toBe(0);
    const { unfixable, changes } = JSON.parse(result.stdout);
    expect(changes).toEqual([]);
    const reasons = unfixable.map((u: { file: string; line: number; rule: string; reason: string }) => [
      u.file,
      u.line,
      u.rule,
      u.reason,
    ]);
    expect(reasons).toEqual([
      ["Dockerfile", 1, "unresolved-image", expect.stringMatching(/ARG NOPE is not declared/)],
      ["chart/templates/d.yaml", 0, "skipped", expect.stringMatching(/template/)],
      [
        "golang/Dockerfile",
        1,
        "approved-base-images",
        expect.stringMatching(/no replacement known for golang:1.22: add a replacements entry/),
      ],
      ["golang/Dockerfile", 1, "require-pinned-image", expect.stringMatching(/no replacement known/)],
    ]);
    expect(runCli([...FIX], cwd).stderr).toMatch(
      /^nothing to fix\nnot fixable \(4\):\n {2}Dockerfile:1 unresolved-image/,
    );
  });

  it("YAML anchors and aliases are left to a person: changing the anchor would change every alias", () => {
    const text =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: a, image: &img centos:7}\n    - {name: b, image: *img}\n";
    const cwd = repo({ "pod.yaml": text });
    const result = runCli([...FIX, "--format", "json"], cwd);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.changes).toEqual([]);
    // Each finding of each use (not approved, deprecated, not pinned), at its own line.
    expect(out.unfixable.map((u: { line: number }) => u.line)).toEqual([6, 6, 6, 7, 7, 7]);
    for (const u of out.unfixable)
      expect(u.reason).toMatch(/is a YAML anchor or alias: changing it changes every use/);
    expect(read(cwd, "pod.yaml")).toBe(text);
  });

  it("a policy's replacements are validated like its other entries (exit 2 naming the key)", () => {
    const cwd = repo({
      Dockerfile: "FROM centos:7\n",
      "bad.yml": 'approved: [x/y]\nreplacements:\n  - {match: centos, use: "reg/*"}\n',
    });
    const result = runCli(["fix", ".", "--policy", "bad.yml"], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/replacements\[0\]\.use.*glob/);
    const init = fixture({});
    expect(runCli(["init"], init).code).toBe(0);
    expect(read(init, ".github/base-image-policy.yml")).toMatch(
      /^replacements:\n {2}- match: centos\n {4}use: registry.example.com\/base\/ubuntu$/m,
    );
    expect(runCli(["policy", "validate"], init).code).toBe(0);
  });

  it("--rules repairs only the rules named, and refuses a rule it cannot repair (exit 2)", () => {
    const cwd = repo({ Dockerfile: `FROM ${U}:24.04\nFROM centos:7\n` });
    const out = JSON.parse(
      runCli([...FIX, "--rules", "require-pinned-image", "--format", "json"], cwd).stdout,
    );
    expect(out.changes.map((c: { to: string }) => c.to)).toEqual([`${U}:24.04@${D2}`]);
    const bad = runCli([...FIX, "--rules", "parse-error"], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--rules: parse-error is not a rule fix repairs/);
  });
});

describe("fix --write never leaves a file half written (SPEC §9)", () => {
  it("keeps the file's mode, and writes through a symbolic link inside the tree", () => {
    const cwd = repo({ "real/Dockerfile": "FROM centos:7\n" });
    chmodSync(join(cwd, "real/Dockerfile"), 0o640);
    execFileSync("ln", ["-s", "real/Dockerfile", join(cwd, "Dockerfile.link")]);
    expect(runCli([...FIX, "--write"], cwd).code).toBe(0);
    expect(statSync(join(cwd, "real/Dockerfile")).mode & 0o777).toBe(0o640);
    expect(read(cwd, "real/Dockerfile")).toBe(`FROM ${NEW}\n`);
    expect(execFileSync("readlink", [join(cwd, "Dockerfile.link")], { encoding: "utf8" }).trim()).toBe(
      "real/Dockerfile",
    );
  });

  it("refuses a file that changed since it was read, before writing anything", () => {
    const cwd = fixture({ a: "one\n", b: "two\n" });
    const change = (file: string, before: string, after: string) => ({
      file,
      absolute: join(cwd, file),
      before: Buffer.from(before),
      after,
      diff: "",
      lines: [],
    });
    expect(() =>
      writeChanges([change("a", "one\n", "ONE\n"), change("b", "an older two\n", "TWO\n")]),
    ).toThrow(/b changed since fix read it; nothing was written/);
    expect(read(cwd, "a")).toBe("one\n");
    expect(read(cwd, "b")).toBe("two\n");
    expect(readdirSync(cwd).sort()).toEqual(["a", "b"]);
    expect(() => writeChanges([change("a", "one\n", "ONE\n")])).not.toThrow(WriteError);
    expect(read(cwd, "a")).toBe("ONE\n");
  });

  // A full disk needs a small file system of its own: a tmpfs, where the test may mount one.
  const canMount = (() => {
    if (process.getuid?.() !== 0) return false;
    const probe = fixture({});
    if (spawnSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", probe]).status !== 0) return false;
    return spawnSync("umount", [probe]).status === 0;
  })();
  it.skipIf(!canMount)(
    "on a full disk (a small tmpfs): exit 2, every file as it was, no temporary file left",
    () => {
      const mount = fixture({});
      expect(spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mount]).status).toBe(0);
      try {
        const files: Record<string, string> = {};
        for (let i = 0; i < 6; i++) files[`s${i}/Dockerfile`] = `FROM centos:7\n${"# padding\n".repeat(300)}`;
        for (const [file, text] of Object.entries(files)) {
          mkdirSync(join(mount, file, ".."), { recursive: true });
          writeFileSync(join(mount, file), text);
        }
        writeFileSync(join(mount, ".policy.yml"), POLICY);
        writeFileSync(join(mount, "digests.json"), DIGESTS);
        // Fill what is left but a little: the first new file fits, a later one cannot.
        const free = () =>
          Number(execFileSync("df", ["--output=avail", "-B1", mount], { encoding: "utf8" }).split("\n")[1]);
        writeFileSync(join(mount, "filler"), Buffer.alloc(Math.max(0, free() - 6 * 1024)));
        const result = runCli([...FIX, "--write"], mount);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/cannot write s\d\/Dockerfile \(ENOSPC\); no file was changed/);
        for (const [file, text] of Object.entries(files)) expect(read(mount, file)).toBe(text);
        for (const dir of Object.keys(files).map((f) => f.split("/")[0] as string))
          expect(readdirSync(join(mount, dir))).toEqual(["Dockerfile"]);
      } finally {
        spawnSync("umount", [mount]);
      }
    },
  );
});

describe("changed files still parse", () => {
  it("YAML with both parsers and Dockerfiles with dockerfile-ast, on the kinds above together", () => {
    const cwd = repo({
      Dockerfile: "FROM centos:7 AS a\nFROM ubuntu:20.04\n",
      "pod.yaml":
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: centos:7}]}\n",
    });
    fixBoth(cwd);
    expect(DockerfileParser.parse(read(cwd, "Dockerfile")).getInstructions()).toHaveLength(2);
    const pod = read(cwd, "pod.yaml");
    expect(jsYaml.load(pod)).toMatchObject({ spec: { containers: [{ image: NEW }] } });
    expect(existsSync(join(cwd, "pod.yaml"))).toBe(true);
  });
});
