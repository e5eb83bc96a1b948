/**
 * `inventory scan` and `merge` (SPEC §10) end to end without the network: local bare remotes
 * cloned shallow as the workflow clones them (one clone fails), scanned under one policy, merged;
 * the merged files byte-identical whatever the order of their inputs; untrusted text inert in each
 * format; the page opened in headless Chromium where it is installed.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture } from "../helpers.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const HOSTILE_IMAGE = '<img src=x onerror=alert(1)>"=HYPERLINK(1)';

/** Five repositories behind bare remotes on disk; `broken`'s remote is gone, so its clone fails. */
function organisation(): { root: string; dirs: string[] } {
  const root = fixture({});
  const sources: Record<string, Record<string, string>> = {
    api: { Dockerfile: "FROM centos:7\n", ".github/base-image-policy.yml": "approved: ['**']\n" },
    web: { Dockerfile: "FROM ubuntu:18.04\nFROM registry.example.com/base/alpine:3.20\n" },
    worker: {
      "deploy/pod.yaml": `apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  containers:\n    - {name: a, image: "ubuntu:22.04"}\n    - {name: b, image: '${HOSTILE_IMAGE.replace(/'/g, "''")}'}\n`,
    },
    docs: { "README.md": "no images here\n" },
    broken: { Dockerfile: "FROM centos:7\n" },
  };
  const dirs: string[] = [];
  for (const [name, files] of Object.entries(sources)) {
    const source = join(root, "src", name);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(source, path, ".."), { recursive: true });
      writeFileSync(join(source, path), text);
    }
    git(source, "init", "-q", "-b", "main");
    git(source, "add", "-A");
    git(
      source,
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@example.com",
      "commit",
      "-qm",
      "init",
      "--no-gpg-sign",
    );
    const remote = join(root, "remotes", "acme", `${name}.git`);
    if (name !== "broken") git(root, "clone", "-q", "--bare", source, remote);
    const dir = join(root, "repos", `acme__${name}`);
    // As the workflow clones: shallow, no tags; a failed clone leaves no folder.
    spawnSync("git", ["clone", "-q", "--depth", "1", "--no-tags", `file://${remote}`, dir]);
    dirs.push(dir);
  }
  return { root, dirs };
}

const env = { SOURCE_DATE_EPOCH: "1765000000" };
function cli(args: string[], cwd: string, extra: Record<string, string> = env) {
  const result = spawnSync(process.execPath, [resolve("dist/cli.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...extra },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI without blocking this process: the fake API it talks to answers from here. */
function cliAsync(
  args: string[],
  cwd: string,
  extra: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve("dist/cli.js"), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", ...extra },
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => done({ code, stderr }));
  });
}

describe("inventory scan and merge", () => {
  const { root, dirs } = organisation();
  const policy = join(root, "policy.yml");
  writeFileSync(
    policy,
    "approved: [registry.example.com/base/alpine, registry.example.com/base/ubuntu]\ndeprecated: [centos, 'ubuntu:18.04']\neol: {block: true, warnDays: 180}\n",
  );
  const half = [dirs.slice(0, 3), dirs.slice(3)];
  for (const [i, part] of half.entries()) {
    const result = cli(
      ["inventory", "scan", ...part, "--policy", policy, "--out", join(root, `scan-${i}.jsonl`)],
      root,
    );
    expect(result.code, result.stderr).toBe(0);
  }
  const lines = [0, 1].flatMap((i) =>
    readFileSync(join(root, `scan-${i}.jsonl`), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l)),
  );

  it("one line per repository: named by its origin, judged under the policy given and never its own; a failed clone is a line with its error", () => {
    expect(lines.map((l) => [l.repository, l.error ?? "judged"])).toEqual([
      ["acme/api", "judged"],
      ["acme/web", "judged"],
      ["acme/worker", "judged"],
      ["acme/docs", "judged"],
      ["acme/broken", "the folder does not exist (did its clone fail?)"],
    ]);
    const api = lines[0];
    // The repository's own policy approves everything; the central one does not.
    expect(api.counts).toEqual({
      "approved-base-images": 1,
      "block-deprecated-base-images": 1,
      "block-eol-base-images": 1,
    });
    expect(api).toMatchObject({ branch: "main", scanned: "2025-12-06T05:46:40.000Z", wouldFail: true });
    expect(api.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(api.occurrences[0]).toMatchObject({
      file: "Dockerfile",
      line: 1,
      normalized: "docker.io/library/centos:7",
      family: "centos",
      release: { product: "centos", release: "7", end: "2024-06-30" },
    });
    expect(lines[3]).toMatchObject({ repository: "acme/docs", images: 0, wouldFail: false, occurrences: [] });
  });

  it("a folder that is not a git work tree is a line with its error", () => {
    const plain = fixture({ Dockerfile: "FROM centos:7\n" });
    const out = join(plain, "..", `plain-${Date.now()}.jsonl`);
    expect(cli(["inventory", "scan", plain, "--out", out], root).code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).error).toMatch(/not (a|the root of a) git work tree/);
  });

  it("merge says 4 of 5 judged, names the one that failed, and writes the same bytes whatever the order of its inputs", () => {
    const a = cli(
      [
        "inventory",
        "merge",
        join(root, "scan-0.jsonl"),
        join(root, "scan-1.jsonl"),
        "--out",
        join(root, "a"),
      ],
      root,
    );
    const b = cli(
      [
        "inventory",
        "merge",
        join(root, "scan-1.jsonl"),
        join(root, "scan-0.jsonl"),
        "--out",
        join(root, "b"),
      ],
      root,
    );
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stderr).toContain("not judged: acme/broken: the folder does not exist (did its clone fail?)\n");
    expect(a.stderr).toContain("4 of 5 repositories judged;");
    for (const file of ["inventory.json", "inventory.csv", "inventory.md", "inventory.html"]) {
      expect(readFileSync(join(root, "b", file)), file).toEqual(readFileSync(join(root, "a", file)));
    }
    const md = readFileSync(join(root, "a", "inventory.md"), "utf8");
    expect(md).toMatch(/^### base-image-guard inventory: 4 of 5 repositories judged\n/);
    expect(md).toContain("| acme/broken | the folder does not exist (did its clone fail?) |");
    expect(md).toContain("```mermaid\npie title Base images by family (repositories)\n");
    expect(md).toContain("```mermaid\ngantt\n");
    const inventory = JSON.parse(readFileSync(join(root, "a", "inventory.json"), "utf8"));
    // No clock of its own: the newest scan time of the inputs.
    expect(inventory.date).toBe("2025-12-06T05:46:40.000Z");
    expect(inventory.summary).toMatchObject({
      repositories: 5,
      judged: 4,
      failed: 1,
      wouldFail: 3,
      clean: 1,
    });
    expect(inventory.deprecated).toEqual(["docker.io/library/centos:7", "docker.io/library/ubuntu:18.04"]);
    expect(
      inventory.releases.map((r: { product: string; release: string }) => `${r.product} ${r.release}`),
    ).toEqual(["ubuntu 18.04", "centos 7", "alpine 3.20", "ubuntu 22.04"]);
  });

  it("untrusted text is inert: markdown, CSV (no formula), HTML (escaped, no script but the page's own)", () => {
    const md = readFileSync(join(root, "a", "inventory.md"), "utf8");
    const csv = readFileSync(join(root, "a", "inventory.csv"), "utf8");
    const page = readFileSync(join(root, "a", "inventory.html"), "utf8");
    expect(md).not.toContain("<img");
    expect(page).not.toContain("<img");
    expect(page).toContain("&lt;img src=x onerror=alert(1)&gt;&quot;=HYPERLINK(1)");
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`,
    );
    expect(page).not.toMatch(/\b(?:src|href)=["']?(?:https?:)?\/\//);
    // The hostile image is not a valid reference: its row is quoted and cannot start a formula.
    const row = csv.split("\n").find((l) => l.includes("onerror")) ?? "";
    expect(row).toMatch(/^"<img src=x onerror=alert\(1\)>""=HYPERLINK\(1\)",acme\/worker,/);
  });

  it("--previous says what changed since: new and removed uses, repositories that became clean", () => {
    const next = join(root, "next.jsonl");
    const api = {
      ...lines[0],
      counts: {},
      wouldFail: false,
      occurrences: [],
      images: 0,
      scanned: "2025-12-13T00:00:00.000Z",
    };
    const web = { ...lines[1], scanned: "2025-12-13T00:00:00.000Z" };
    web.occurrences = [
      ...web.occurrences,
      {
        file: "Dockerfile.new",
        line: 1,
        image: "alpine:3.22",
        normalized: "docker.io/library/alpine:3.22",
        family: "alpine",
        rules: ["approved-base-images"],
      },
    ];
    writeFileSync(next, `${JSON.stringify(api)}\n${JSON.stringify(web)}\n`);
    const result = cli(
      ["inventory", "merge", next, "--out", join(root, "c"), "--previous", join(root, "a", "inventory.json")],
      root,
    );
    expect(result.code, result.stderr).toBe(0);
    const changes = JSON.parse(readFileSync(join(root, "c", "inventory.json"), "utf8")).changes;
    expect(changes.previousDate).toBe("2025-12-06T05:46:40.000Z");
    expect(changes.becameClean).toEqual(["acme/api"]);
    expect(changes.newUses).toEqual([{ image: "docker.io/library/alpine:3.22", repository: "acme/web" }]);
    expect(changes.removedUses).toContainEqual({
      image: "docker.io/library/centos:7",
      repository: "acme/api",
    });
  });

  it("--policy owner/repo/path@ref is read through the API with GITHUB_TOKEN; merge of no lines says 0 of 0", async () => {
    const { startFakeGitHub } = await import("../action/github-api-server.js");
    const api = await startFakeGitHub({
      changedFiles: [],
      baseFiles: {},
      otherFiles: { "acme/policies/base.yml@v2": "approved: ['**']\n" },
    });
    try {
      const out = join(root, "central.jsonl");
      const result = await cliAsync(
        ["inventory", "scan", dirs[0] as string, "--policy", "acme/policies/base.yml@v2", "--out", out],
        root,
        {
          ...env,
          GITHUB_API_URL: api.url,
          GITHUB_TOKEN: "ghs_test",
        },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain("under acme/policies/base.yml@v2");
      // Everything approved by the central policy; centos is not deprecated there either.
      expect(JSON.parse(readFileSync(out, "utf8")).counts).toEqual({});
      expect(
        api.requests.find((r) => r.path.startsWith("/repos/acme/policies/contents/base.yml"))?.authorization,
      ).toBe("Bearer ghs_test");
      const missing = await cliAsync(
        ["inventory", "scan", dirs[0] as string, "--policy", "acme/policies/nope.yml@v2", "--out", out],
        root,
        {
          ...env,
          GITHUB_API_URL: api.url,
        },
      );
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/cannot read policy acme\/policies\/nope\.yml@v2: the API answered 404/);
    } finally {
      await api.close();
    }
    const empty = join(root, "empty.jsonl");
    writeFileSync(empty, "");
    const merged = cli(["inventory", "merge", empty, "--out", join(root, "e")], root);
    expect(merged.code, merged.stderr).toBe(0);
    expect(readFileSync(join(root, "e", "inventory.md"), "utf8")).toMatch(
      /^### base-image-guard inventory: 0 of 0 repositories judged\n/,
    );
  });

  it("a line that is not JSON stops the merge with its file and line (exit 2)", () => {
    const bad = join(root, "bad.jsonl");
    writeFileSync(bad, `${JSON.stringify(lines[0])}\nnot json\n`);
    const result = cli(["inventory", "merge", bad, "--out", join(root, "d")], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.jsonl:2 is not a JSON line/);
  });

  const chromium = ["chromium", "chromium-browser"].find(
    (name) => spawnSync(name, ["--version"]).status === 0,
  );
  it.skipIf(!chromium)(
    "the page in headless Chromium: sorts and filters by its controls, draws its charts, and asks the network nothing",
    () => {
      const dir = fixture({});
      const inputs = [join(root, "scan-0.jsonl"), join(root, "scan-1.jsonl")];
      expect(cli(["inventory", "merge", ...inputs, "--out", join(dir, "out")], root).code).toBe(0);
      const merged = join(dir, "out", "inventory.html");
      const page = join(dir, "inventory.html");
      // The page as written, with a script after its own that uses the controls as a person would
      // and writes down what it saw.
      const probe = `<script>
let violations = 0;
document.addEventListener("securitypolicyviolation", () => violations++);
const images = document.querySelector('table[data-table="images"]');
const first = () => [...images.tBodies[0].rows].filter((r) => !r.hidden).map((r) => r.cells[0].textContent);
const result = { before: first() };
images.querySelectorAll("th")[0].click();
result.ascending = first();
images.querySelectorAll("th")[0].click();
result.descending = first();
const filter = document.querySelector('input[data-filter="images"]');
filter.value = "ubuntu";
filter.dispatchEvent(new Event("input"));
result.filtered = first();
result.bars = document.querySelectorAll("#families rect").length;
result.dots = document.querySelectorAll("#timeline circle").length;
result.resources = performance.getEntriesByType("resource").map((e) => e.name);
result.violations = violations;
document.body.dataset.result = JSON.stringify(result);
</script>`;
      writeFileSync(page, readFileSync(merged, "utf8").replace("</body>", `${probe}\n</body>`));
      const netlog = join(dir, "net.json");
      const common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--virtual-time-budget=5000",
        `--log-net-log=${netlog}`,
      ];
      const dom = spawnSync(chromium as string, [...common, "--dump-dom", `file://${page}`], {
        encoding: "utf8",
        timeout: 60_000,
      });
      const result = JSON.parse(
        (/data-result="([^"]*)"/.exec(dom.stdout)?.[1] ?? "{}")
          .replace(/&quot;/g, '"')
          .replace(/&amp;/g, "&")
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">"),
      );
      expect(result.before).toHaveLength(5);
      expect(result.ascending).toHaveLength(5);
      expect([...result.ascending].sort((x: string, y: string) => x.localeCompare(y))).toEqual(
        result.ascending,
      );
      expect(result.descending).toEqual([...result.ascending].reverse());
      expect(result.filtered).toEqual(
        ["docker.io/library/ubuntu:22.04", "docker.io/library/ubuntu:18.04"].sort(
          (x, y) => -x.localeCompare(y),
        ),
      );
      expect(result.bars).toBeGreaterThanOrEqual(3);
      expect(result.dots).toBe(4);
      // The page loaded nothing and tried nothing its policy refused; and the network log holds no
      // request but the page's own file and Chromium's own background services (updates, clock,
      // accounts, dictionaries), which no page causes.
      expect(result.resources).toEqual([]);
      expect(result.violations).toBe(0);
      const browserOwn = /^https?:\/\/(?:[a-z0-9-]+\.)*(?:google\.com|googleapis\.com|gvt1\.com)\//;
      const requested = [...readFileSync(netlog, "utf8").matchAll(/"url":"([^"]+)"/g)].map(
        (m) => m[1] as string,
      );
      expect(requested.filter((url) => !url.startsWith("file://") && !browserOwn.test(url))).toEqual([]);
      // A screenshot, kept with the test results where CI collects artifacts.
      const shots = resolve(process.env.TEST_ARTIFACTS ?? ".test-artifacts");
      mkdirSync(shots, { recursive: true });
      spawnSync(
        chromium as string,
        [
          ...common,
          "--window-size=1200,1600",
          `--screenshot=${join(shots, "inventory.png")}`,
          `file://${merged}`,
        ],
        { timeout: 60_000 },
      );
      expect(existsSync(join(shots, "inventory.png"))).toBe(true);
      copyFileSync(merged, join(shots, "inventory.html"));
    },
  );
});
