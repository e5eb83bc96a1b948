/** SPEC §4 Kubernetes, compose and cluster sources, and SPEC §3.3 high-security workloads. */
import { describe, expect, it } from "vitest";
import { check, verdicts } from "../helpers.js";

const MINIMAL = "registry.example.com/base/distroless:static";
const APPROVED = "registry.example.com/base/ubuntu:24.04";

describe("SPEC §4 Kubernetes manifests", () => {
  it("reports a CronJob's image at the line of its image: value", () => {
    const cronjob = [
      "apiVersion: batch/v1",
      "kind: CronJob",
      "metadata: {name: nightly}",
      "spec:",
      '  schedule: "0 2 * * *"',
      "  jobTemplate:",
      "    spec:",
      "      template:",
      "        spec:",
      "          containers:",
      "            - name: report",
      "              image: centos:7",
    ].join("\n");
    const result = check({ "k8s/cronjob.yaml": cronjob });
    expect(result.findings[0]).toMatchObject({
      file: "k8s/cronjob.yaml",
      line: 12,
      column: 22,
      image: "centos:7",
    });
  });

  it("checks initContainers, containers and ephemeralContainers", () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  initContainers:
    - {name: init, image: "busybox:1.36"}
  containers:
    - {name: app, image: ${APPROVED}}
  ephemeralContainers:
    - {name: shell, image: nicolaka/netshoot}
`;
    expect(verdicts(check({ "pod.yaml": pod }))).toEqual([
      "pod.yaml:6 approved-base-images",
      "pod.yaml:10 approved-base-images",
    ]);
  });

  it("reads every kind of SPEC §4, List items and multi-document files", () => {
    const template = (kind: string, path: string) =>
      `apiVersion: v1\nkind: ${kind}\nmetadata: {name: x}\n${path}`;
    const spec = "spec: {containers: [{name: a, image: nginx:1}]}";
    const docs = [
      template("Pod", spec),
      ...["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"].map(
        (kind) => template(kind, `spec: {template: {${spec}}}`),
      ),
      template("PodTemplate", `template: {${spec}}`),
      template("List", `items: [{apiVersion: v1, kind: Pod, metadata: {name: y}, ${spec}}]`),
      // SPEC §4 "any other Kubernetes object": every image key outside metadata and status.
      template("ConfigMap", "data: {image: nginx:1}"),
    ];
    const result = check({ "all.yaml": docs.join("\n---\n") });
    expect(result.images).toBe(10);
    expect(result.findings.every((f) => f.image === "nginx:1")).toBe(true);
  });

  it("ignores YAML that is neither Kubernetes, compose nor a source of SPEC §4", () => {
    const result = check({
      "config/settings.yml": "image: centos:7\nservers: [a, b]\n",
      "mkdocs.yml": "site_name: x\ntheme: {name: material}\n",
    });
    expect(result.findings).toEqual([]);
    expect(result.files).toBe(2);
  });
});

describe("SPEC §3.3 high-security workloads need minimal images", () => {
  const namespace =
    "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments\n  labels:\n    security.enforce: high\n";
  const deployment = (image: string, extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: payments
spec:
  template:
    metadata:
      labels: {app: api${extra}}
    spec:
      containers:
        - name: api
          image: ${image}
`;

  it("requires a minimal image in a Namespace labelled security.enforce: high, even from another file", () => {
    const result = check({ "k8s/namespace.yaml": namespace, "k8s/api.yaml": deployment(APPROVED) });
    expect(verdicts(result)).toEqual(["k8s/api.yaml:13 require-minimal-base-images"]);
    expect(result.findings[0]?.message).toContain("label security.enforce=high on Namespace payments");
  });

  it("passes a minimal image there", () => {
    expect(check({ "k8s/namespace.yaml": namespace, "k8s/api.yaml": deployment(MINIMAL) }).findings).toEqual(
      [],
    );
  });

  it("reads the label from the pod template", () => {
    const result = check({ "api.yaml": deployment(APPROVED, ", security.enforce: high") });
    expect(verdicts(result)).toEqual(["api.yaml:13 require-minimal-base-images"]);
  });

  it("does not require minimal images elsewhere", () => {
    expect(check({ "api.yaml": deployment(APPROVED) }).findings).toEqual([]);
  });
});

describe("SPEC §4 compose files", () => {
  it("checks services.*.image and interpolates ${VAR:-default}", () => {
    const compose = `services:
  web:
    image: nginx:1.27
  db:
    image: \${DB_IMAGE:-registry.example.com/base/alpine:3.19}
  worker:
    image: \${WORKER_IMAGE}
  built:
    build: .
`;
    expect(verdicts(check({ "compose.yaml": compose }))).toEqual([
      "compose.yaml:3 approved-base-images",
      "compose.yaml:7 unresolved-image",
    ]);
  });
});

describe("SPEC §4 cluster pod lists", () => {
  const podList = JSON.stringify({
    apiVersion: "v1",
    kind: "List",
    items: [
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "api-7d9f", namespace: "shop" },
        spec: {
          containers: [{ name: "api", image: "ubuntu:18.04" }],
          initContainers: [{ name: "i", image: MINIMAL }],
        },
      },
    ],
  });

  it("reports each pod as cluster/<namespace>/<pod> at line 0", () => {
    const result = check({}, { podList: { text: podList, origin: "pods.json" } });
    expect(result.findings.map((f) => [f.file, f.line, f.column, f.rule])).toEqual([
      ["cluster/shop/api-7d9f", 0, 0, "approved-base-images"],
      ["cluster/shop/api-7d9f", 0, 0, "block-deprecated-base-images"],
      ["cluster/shop/api-7d9f", 0, 0, "validate-base-image-version"],
    ]);
    expect(result.images).toBe(2);
  });

  it("reports a pod list that is not JSON as a parse-error", () => {
    const result = check({}, { podList: { text: "{not json", origin: "stdin" } });
    expect(verdicts(result)).toEqual(["stdin:0 parse-error"]);
  });
});

describe("SPEC §3.5 broken YAML is a parse-error, never a crash", () => {
  it("reports malformed YAML with its line and still judges the other documents", () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {containers: [{name: a, image: centos:7}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b
spec: [
`;
    const result = check({ "broken.yaml": yaml });
    expect(result.findings.map((f) => f.rule)).toContain("parse-error");
    expect(result.findings.map((f) => f.rule)).toContain("block-deprecated-base-images");
    expect(result.findings.find((f) => f.rule === "parse-error")?.line).toBeGreaterThanOrEqual(8);
  });

  it("refuses a YAML alias bomb", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    lines.push(
      "kind: Pod",
      "apiVersion: v1",
      "metadata: {name: bomb}",
      "spec: {containers: [{name: a, image: centos:7}]}",
    );
    const result = check({ "bomb.yaml": lines.join("\n") });
    expect(verdicts(result)).toEqual(["bomb.yaml:1 parse-error"]);
    expect(result.findings[0]?.message).toMatch(/alias/);
  });

  it("skips a Helm chart's templates/ and names them, grouped per chart (SPEC §3.5)", () => {
    const result = check({
      "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
      "chart/templates/deploy.yaml": "image: {{ .Values.image }}\n",
      "chart/templates/tests/pod.yaml": "kind: Pod\n",
    });
    expect(result.findings).toEqual([]);
    expect(result.skipped.map((s) => [s.file, s.group])).toEqual([
      ["chart/templates/deploy.yaml", "chart/templates"],
      ["chart/templates/tests/pod.yaml", "chart/templates"],
    ]);
  });

  it("skips a YAML file outside a chart only when it does not parse and holds {{ (SPEC §3.5)", () => {
    const result = check({
      "deploy/app.yaml": "kind: Pod\nspec:\n  image: {{ .Values.image }}:{{ .Values.tag }}\n",
    });
    expect(result.findings).toEqual([]);
    expect(result.skipped).toMatchObject([{ file: "deploy/app.yaml", group: "deploy" }]);
  });

  it("reads a YAML file that parses whatever its strings hold: {{ in a ConfigMap never hides the Deployment (issue 8)", () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata: {name: dashboards}
data:
  grafana.json: |
    {"title": "{{ cluster }}", "panels": []}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: grafana}
spec:
  template:
    spec:
      containers:
        - name: grafana
          image: centos:7
`;
    const result = check({ "samples/addons/grafana.yaml": text });
    expect(result.skipped).toEqual([]);
    expect(verdicts(result)).toContain("samples/addons/grafana.yaml:16 block-deprecated-base-images");
  });

  it("treats an empty YAML file as nothing to check", () => {
    const result = check({ "empty.yaml": "" });
    expect(result.findings).toEqual([]);
    expect(result.files).toBe(1);
  });

  it("reports an image: that is not a string", () => {
    const pod =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: 42}]}\n";
    expect(verdicts(check({ "pod.yaml": pod }))).toEqual(["pod.yaml:4 parse-error"]);
  });

  it('reads image: null and image: "" as no image (SPEC §4 details)', () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: null}, {name: b, image: ""}]}\n';
    const result = check({ "pod.yaml": pod });
    expect(result.findings).toEqual([]);
    expect(result.images).toBe(0);
  });
});

describe("SPEC §3.5 template notices are grouped per chart", () => {
  it("names a chart at the root of the scanned tree by its templates/ folder", () => {
    const result = check({
      "Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
      "templates/a.yaml": "image: {{ .Values.image }}\n",
      "templates/b.yaml": "image: {{ .Values.image }}\n",
    });
    expect(result.skipped.map((s) => s.group)).toEqual(["templates", "templates"]);
  });
});
