/**
 * Issue 24: `npm run bench` reports which parser each file took. With BASE_IMAGE_GUARD_PATH_STATS
 * set, `check` writes the counts: the YAML line scanner, js-yaml, exact fallbacks, files read only
 * by the exact parser (JSON), the Dockerfile fast path and its fallback.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { fixture, runCli } from "../helpers.js";

it("counts each Dockerfile and YAML file under the path it took", () => {
  const cwd = fixture({
    "plain/Dockerfile": "FROM registry.example.com/base/alpine:3.22\n",
    "heredoc/Dockerfile": "FROM registry.example.com/base/alpine:3.22\nRUN <<EOF\necho hi\nEOF\n",
    "escape/Dockerfile": "# escape=`\nFROM registry.example.com/base/alpine:3.22\n",
    "pod.yaml":
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: x\n",
    "merged.yaml":
      "base: &b {name: a, image: x}\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers:\n    - <<: *b\n",
    "anchored.yaml":
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: r\n  labels: &l {app: r}\n  annotations: *l\nspec:\n  containers:\n    - name: a\n      image: x\n",
    "tagged.yaml":
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: !!str t\nspec:\n  containers:\n    - name: a\n      image: x\n",
    "k/kustomization.yaml": "resources: []\n",
    "pod.json":
      '{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a", "image": "x"}]}}\n',
  });
  const stats = join(cwd, "..", `stats-${Date.now()}.json`);
  const previous = process.env.BASE_IMAGE_GUARD_PATH_STATS;
  process.env.BASE_IMAGE_GUARD_PATH_STATS = stats;
  try {
    runCli(["check", ".", "--mode", "audit"], cwd);
  } finally {
    if (previous === undefined) delete process.env.BASE_IMAGE_GUARD_PATH_STATS;
    else process.env.BASE_IMAGE_GUARD_PATH_STATS = previous;
  }
  expect(JSON.parse(readFileSync(stats, "utf8"))).toEqual({
    // pod.yaml, anchored.yaml and the kustomization scanned; tagged.yaml on js-yaml; merged.yaml exact.
    yaml: { scanned: 3, jsYaml: 1, exact: 1, exactOnly: 1 },
    // The heredoc on the fast path, the escape directive by dockerfile-ast.
    dockerfile: { fast: 2, exact: 1 },
    readers: 1,
  });
});
