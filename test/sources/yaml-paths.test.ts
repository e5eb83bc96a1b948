/**
 * The fast YAML path must give exactly what the exact path gives (SPEC §4: the line of the
 * `image:` value), or hand the file over. Every sample is read both ways and compared.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readExact, readFast, readYaml } from "../../src/sources/yaml.js";

const pod = (containers: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${containers}`;

const SAMPLES: Record<string, string> = {
  "plain, quoted and commented values": pod(
    [
      "  containers:",
      "    - name: a",
      "      image: nginx:1.27 # pinned by SEC-1",
      "    - name: b",
      '      image: "registry.example.com/base/alpine:3.19"',
      "    - image: 'centos:7'",
      "      name: c",
      "  initContainers:",
      "  - name: d",
      "    image:    busybox",
    ].join("\n"),
  ),
  "the same image twice, in init and main containers": pod(
    "  initContainers:\n  - {name: i}\n  - name: j\n    image: ubuntu:22.04\n  containers:\n  - name: k\n    image: ubuntu:22.04\n",
  ),
  "another key called image before the containers": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    image: documentation-only
spec:
  template:
    metadata:
      annotations: {image: ubuntu:20.04}
    spec:
      containers:
        - name: a
          image: ubuntu:20.04
          args:
            - --image
            - image: nope
`,
  "several documents, comments and document end markers": `# leading comment
---
apiVersion: v1
kind: Namespace
metadata: {name: secure, labels: {security.enforce: high}}
...
--- # second
${pod("  containers:\n    - name: x\n      image: alpine:3.12\n")}
---
`,
  "CRLF line endings": pod("  containers:\n    - name: a\n      image: centos:7\n").replace(/\n/g, "\r\n"),
  "flow-style containers": pod("  containers: [{name: a, image: centos:7}, {name: b, image: alpine:3.19}]\n"),
  "block scalars and a List": `apiVersion: v1
kind: List
items:
  - apiVersion: batch/v1
    kind: Job
    metadata:
      name: j
    spec:
      template:
        spec:
          containers:
            - name: run
              image: python:3.12-slim
              command:
                - sh
                - -c
                - |
                  echo "image: not-an-image"
                  exit 0
`,
  "anchors and aliases": `x-defaults: &image centos:7
services:
  a:
    image: *image
  b:
    image: alpine:3.19
`,
  "a CronJob schedule full of stars": `apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: c
              image: alpine:3.19
`,
  "a custom tag":
    "apiVersion: v1\nkind: Pod\nmetadata: {name: !Sub x}\nspec: {containers: [{name: a, image: centos:7}]}\n",
  "a compose file with interpolation": `services:
  web:
    image: \${WEB_IMAGE:-nginx:1.27}
  worker:
    image: "\${WORKER}"
`,
  "a syntax error in the second document": `${pod("  containers:\n    - name: a\n      image: centos:7\n")}\n---\nkind: Pod\nspec: {image: [\n`,
  "a syntax error in a document without images": `${pod("  containers:\n    - name: a\n      image: centos:7\n")}\n---\nkind: Service\nspec: {ports: [\n`,
};

for (const name of [
  "k8s/payments-deployment.yaml",
  "k8s/report-cronjob.yaml",
  "k8s/db-statefulset.yaml",
  "docker-compose.yml",
]) {
  SAMPLES[`examples/${name}`] = readFileSync(join("examples", name), "utf8");
}

describe("SPEC §4 YAML: the fast path agrees with the exact path", () => {
  it.each(Object.entries(SAMPLES))("%s", (_name, text) => {
    const exact = readExact(text, "f.yaml");
    const fast = readFast(text, "f.yaml");
    if (fast !== undefined) expect(fast).toEqual(exact);
    expect(readYaml(text, "f.yaml")).toEqual(exact);
  });

  it("reads plain block-style manifests on the fast path", () => {
    for (const name of [
      "plain, quoted and commented values",
      "CRLF line endings",
      "another key called image before the containers",
      "a CronJob schedule full of stars",
    ]) {
      expect(readFast(SAMPLES[name] as string, "f.yaml"), name).toBeDefined();
    }
  });

  it("hands anchors, aliases and syntax errors to the exact path", () => {
    expect(readFast(SAMPLES["anchors and aliases"] as string, "f.yaml")).toBeUndefined();
    expect(readFast(SAMPLES["a syntax error in the second document"] as string, "f.yaml")).toBeUndefined();
  });

  it("finds every image in the generated benchmark tree the same way, when it exists", () => {
    let dir: string[] = [];
    try {
      dir = readdirSync(".bench/repo/deploy/team-1").slice(0, 20);
    } catch {
      return;
    }
    for (const file of dir) {
      const text = readFileSync(join(".bench/repo/deploy/team-1", file), "utf8");
      expect(readYaml(text, file)).toEqual(readExact(text, file));
    }
  });
});
