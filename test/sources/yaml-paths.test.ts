/**
 * The fast YAML path must give exactly what the exact path gives (SPEC §4: the line of the
 * `image:` value), or hand the file over. Every sample is read both ways and compared.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readManifestText } from "../../src/sources/read.js";
import { readFast } from "../../src/sources/yaml.js";

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
  "an image: line inside an annotation before the container (issue 8)": `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    notes: |
      image: centos:7
spec:
  containers:
    - name: a
      image: centos:7
`,
  "merge keys (SPEC §4: as Kubernetes' YAML library reads them)": `apiVersion: v1
kind: Pod
metadata: {name: m}
spec:
  containers:
    - name: a
      <<: {image: centos:7}
`,
  "a syntax error in the second document": `${pod("  containers:\n    - name: a\n      image: centos:7\n")}\n---\nkind: Pod\nspec: {image: [\n`,
  "a syntax error in a document without images": `${pod("  containers:\n    - name: a\n      image: centos:7\n")}\n---\nkind: Service\nspec: {ports: [\n`,
};

// Every YAML file of the example repository is a sample too.
function* yamlFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* yamlFiles(path);
    else if (/\.ya?ml$/.test(entry.name)) yield path;
  }
}
for (const path of yamlFiles("examples")) SAMPLES[path] = readFileSync(path, "utf8");

describe("SPEC §4 YAML: the fast path agrees with the exact path", () => {
  const exact = (text: string) => readManifestText(text, "f.yaml", { exact: true });
  it.each(Object.entries(SAMPLES))("%s", (_name, text) => {
    expect(readManifestText(text, "f.yaml")).toEqual(exact(text));
  });

  it("reads plain block-style manifests on the fast path", () => {
    for (const name of [
      "plain, quoted and commented values",
      "CRLF line endings",
      "a CronJob schedule full of stars",
    ]) {
      expect(readFast(SAMPLES[name] as string), name).toBeDefined();
    }
  });

  it("hands anchors, aliases, merge keys, syntax errors and image: text in block scalars to the exact path", () => {
    for (const name of [
      "anchors and aliases",
      "merge keys (SPEC §4: as Kubernetes' YAML library reads them)",
      "a syntax error in the second document",
      "an image: line inside an annotation before the container (issue 8)",
      "another key called image before the containers",
    ]) {
      expect(readFast(SAMPLES[name] as string), name).toBeUndefined();
    }
  });

  it("reports the container's own image line, never an earlier image: line in an annotation (issue 8)", () => {
    const [found] = readManifestText(
      SAMPLES["an image: line inside an annotation before the container (issue 8)"] as string,
      "f.yaml",
    ).occurrences;
    expect(found).toMatchObject({ line: 11, column: 14, text: "centos:7" });
  });

  it("finds an image under a merge key (issue 8)", () => {
    const [found] = readManifestText(
      SAMPLES["merge keys (SPEC §4: as Kubernetes' YAML library reads them)"] as string,
      "f.yaml",
    ).occurrences;
    expect(found).toMatchObject({ line: 7, text: "centos:7", container: { name: "a" } });
  });
});
