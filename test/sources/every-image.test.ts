/**
 * Issue 8, "no silent passes": every SPEC §4 source finds the images real repositories use. Each
 * case is a shape seen in a real repository (Argo Rollouts, Helm charts, kustomize overlays,
 * compose `.env`, workflow containers) that the check used to pass without looking.
 */
import { describe, expect, it } from "vitest";
import { runCheck } from "../../src/check.js";
import { check, fixture, verdicts, withPolicy } from "../helpers.js";

const images = (result: ReturnType<typeof check>) =>
  result.findings
    .filter((f) => f.rule !== "approved-base-images")
    .map((f) => `${f.file}:${f.line} ${f.rule} ${f.image}`);

describe("SPEC §4 any other Kubernetes object", () => {
  it("reads an Argo Rollout's pod template (used to be 0 images, exit 0)", () => {
    const rollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, labels: {security.enforce: high}}
spec:
  template:
    spec:
      containers:
        - name: web
          image: centos:7
`;
    const result = check({ "rollout.yaml": rollout });
    expect(verdicts(result)).toEqual([
      "rollout.yaml:9 approved-base-images",
      "rollout.yaml:9 block-deprecated-base-images",
      "rollout.yaml:9 require-minimal-base-images",
    ]);
  });

  it.each([
    [
      "Ray cluster",
      "ray.io/v1",
      "RayCluster",
      "spec:\n  headGroupSpec:\n    template:\n      spec:\n        containers:\n          - name: head\n            image: centos:7\n",
    ],
    [
      "JobSet",
      "jobset.x-k8s.io/v1alpha2",
      "JobSet",
      "spec:\n  replicatedJobs:\n    - name: w\n      template:\n        spec:\n          template:\n            spec:\n              containers: [{name: w, image: centos:7}]\n",
    ],
    ["Tekton Task", "tekton.dev/v1", "Task", "spec:\n  steps:\n    - name: build\n      image: centos:7\n"],
    ["Prometheus", "monitoring.coreos.com/v1", "Prometheus", "spec:\n  image: centos:7\n"],
    [
      "Flux HelmRelease values",
      "helm.toolkit.fluxcd.io/v2",
      "HelmRelease",
      "spec:\n  values:\n    image:\n      repository: centos\n      tag: '7'\n",
    ],
  ])("reads a %s", (_name, apiVersion, kind, body) => {
    const result = check({
      "cr.yaml": `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n${body}`,
    });
    expect(result.findings.map((f) => f.rule)).toContain("block-deprecated-base-images");
    expect(result.images).toBe(1);
  });

  it("reads a Helm-style image map: registry + repository + tag, a digest wins over the tag", () => {
    const digest = `sha256:${"b".repeat(64)}`;
    const cr = `apiVersion: example.com/v1
kind: App
metadata: {name: x}
spec:
  main:
    image:
      registry: quay.io
      repository: centos/centos
      tag: stream8
  sidecar:
    image: {repository: alpine, tag: "3.12", digest: "${digest}"}
`;
    const result = check({ "app.yaml": cr });
    expect(result.findings.map((f) => `${f.line} ${f.image}`)).toContain("8 quay.io/centos/centos:stream8");
    expect(result.findings.map((f) => f.image)).toContain(`alpine@${digest}`);
  });

  it("never reads metadata, status, CRDs or admission policies: their image keys are patterns", () => {
    const result = check({
      "annotated.yaml":
        "apiVersion: example.com/v1\nkind: App\nmetadata:\n  name: x\n  annotations: {image: centos:7}\nstatus: {image: centos:7}\n",
      "crd.yaml":
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\nspec: {versions: [{schema: {openAPIV3Schema: {properties: {image: {type: string}}}}}]}\n",
      "kyverno.yaml":
        "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: x}\nspec: {rules: [{validate: {pattern: {spec: {containers: [{image: 'centos:*'}]}}}}]}\n",
      "vap.yaml":
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: x}\nspec: {image: centos:7}\n",
    });
    expect(result.findings).toEqual([]);
    expect(result.images).toBe(0);
  });

  it("does not read a Ceph RBD volume's image (a block device name) as a container image", () => {
    const pv =
      "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec:\n  rbd:\n    monitors: [10.0.0.1:6789]\n    pool: kube\n    image: foo\n";
    expect(check({ "pv.yaml": pv }).images).toBe(0);
  });

  it("reads a JSON manifest named on the command line as a manifest, not a Dockerfile (issue 8)", () => {
    const pod = JSON.stringify(
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "p" },
        spec: { containers: [{ name: "a", image: "centos:7" }] },
      },
      null,
      2,
    );
    const result = check({ "deploy/pod.json": pod }, { paths: ["deploy/pod.json"] });
    expect(images(result)).toEqual(["deploy/pod.json:11 block-deprecated-base-images centos:7"]);
  });

  it("resolves YAML merge keys as Kubernetes' YAML library does (issue 8: <<: {image: centos:7})", () => {
    const pod =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: m}\nspec:\n  containers:\n    - name: a\n      <<: {image: centos:7}\n";
    expect(images(check({ "pod.yaml": pod }))).toEqual(["pod.yaml:7 block-deprecated-base-images centos:7"]);
  });

  it("never lets a suppression above an annotation's image: line waive the container below (issue 8)", () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    docs: |
      # base-image-guard ignore=block-deprecated-base-images reason="only an example"
      image: centos:7
spec:
  containers:
    - name: a
      image: centos:7
`;
    const result = check({ "pod.yaml": pod });
    expect(result.suppressed).toEqual([]);
    expect(images(result)).toEqual(["pod.yaml:12 block-deprecated-base-images centos:7"]);
  });

  it("turns another tool's placeholder into unresolved-image, never a pass (SPEC §4 details)", () => {
    const task =
      "apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec:\n  steps:\n    - {name: a, image: $(params.builder)}\n    - {name: b, image: '{{inputs.parameters.image}}'}\n    - {name: c, image: ko://github.com/acme/cmd/app}\n";
    expect(check({ "task.yaml": task }).findings.map((f) => f.rule)).toEqual([
      "unresolved-image",
      "unresolved-image",
      "unresolved-image",
    ]);
  });
});

describe("SPEC §4 Helm charts", () => {
  const chart = 'apiVersion: v2\nname: app\nversion: 1.0.0\nappVersion: "7"\n';

  it("judges values.yaml images; an empty tag is the chart's appVersion; templates are skipped", () => {
    const result = check({
      "chart/Chart.yaml": chart,
      "chart/values.yaml": 'image:\n  repository: centos\n  tag: ""\nsidecar:\n  image: alpine:3.12\n',
      "chart/values-prod.yaml": "image:\n  repository: debian\n  tag: stretch\n",
      "chart/ci/test-values.yaml": "image:\n  repository: centos\n",
      "chart/templates/deployment.yaml": "image: {{ .Values.image.repository }}\n",
    });
    expect(images(result)).toEqual([
      "chart/values-prod.yaml:2 block-deprecated-base-images debian:stretch",
      "chart/values.yaml:2 block-deprecated-base-images centos:7",
      "chart/values.yaml:5 block-deprecated-base-images alpine:3.12",
    ]);
    expect(result.skipped.map((s) => s.file)).toEqual(["chart/templates/deployment.yaml"]);
  });

  it("lets a non-empty global.imageRegistry override each map's registry", () => {
    const result = check({
      "chart/Chart.yaml": chart,
      "chart/values.yaml":
        'global:\n  imageRegistry: registry.example.com\nimage:\n  registry: docker.io\n  repository: base/alpine\n  tag: "3.20"\n',
    });
    expect(result.findings).toEqual([]);
    expect(result.images).toBe(1);
  });

  it("reads helm template output from --manifests, naming each # Source: file (SPEC §4 rendered manifests)", () => {
    const rendered = `---
# Source: app/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      containers: [{name: app, image: centos:7}]
---
apiVersion: v1
kind: Pod
metadata: {name: loose}
spec:
  containers: [{name: p, image: debian:9}]
`;
    const result = check({}, { manifests: { text: rendered, origin: "<stdin>" } });
    expect(images(result)).toEqual([
      "<stdin>:15 block-deprecated-base-images debian:9",
      "app/templates/deployment.yaml:0 block-deprecated-base-images centos:7",
    ]);
  });
});

describe("SPEC §4 Kustomize", () => {
  const deployment =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: acme/api:dev\n";

  it("judges a resource image as each kustomization rewrites it, at the resource's line, naming the kustomization", () => {
    const result = check({
      "base/deployment.yaml": deployment,
      "base/kustomization.yaml": "resources: [deployment.yaml]\n",
      "overlays/prod/kustomization.yaml":
        'resources:\n  - ../../base\nimages:\n  - name: acme/api\n    newName: centos\n    newTag: "7"\n',
      "overlays/dev/kustomization.yaml":
        'resources: [../../base]\nimages:\n  - name: acme/api\n    newName: registry.example.com/base/alpine\n    newTag: "3.20"\n',
    });
    const deprecated = result.findings.filter((f) => f.rule === "block-deprecated-base-images");
    expect(deprecated).toMatchObject([{ file: "base/deployment.yaml", line: 9, image: "centos:7" }]);
    expect(deprecated[0]?.message).toContain("overlays/prod/kustomization.yaml:4");
    // The dev overlay rewrites to an approved image, and the image as written is judged only as rewritten.
    expect(result.findings.map((f) => f.image)).not.toContain("acme/api:dev");
    expect(result.images).toBe(2);
  });

  it("applies an overlay's entries to what its base produced; a new tag drops the digest", () => {
    const result = check({
      "base/deployment.yaml": deployment,
      "base/kustomization.yaml": `resources: [deployment.yaml]\nimages: [{name: acme/api, newName: debian, digest: "sha256:${"c".repeat(64)}"}]\n`,
      "prod/kustomization.yaml": "resources: [../base]\nimages: [{name: debian, newTag: stretch}]\n",
    });
    expect(result.findings.map((f) => f.image).filter((i) => i.startsWith("debian"))).toContain(
      "debian:stretch",
    );
  });
});

describe("SPEC §4 compose", () => {
  it("interpolates ${VAR} from the .env beside the compose file (issue 8: 34 false unresolved-image)", () => {
    const result = check({
      "docker-compose.yml":
        'services:\n  a: {image: "${IMAGE_A}"}\n  b: {image: "${REGISTRY}/alpine:${ALPINE}"}\n  c: {image: "${MISSING:?set it}"}\n',
      ".env":
        "# versions\nexport IMAGE_A=centos:7\nREGISTRY=registry.example.com/base\nALPINE='3.20' # pinned\n",
    });
    expect(verdicts(result)).toEqual([
      "docker-compose.yml:2 approved-base-images",
      "docker-compose.yml:2 block-deprecated-base-images",
      "docker-compose.yml:4 unresolved-image",
    ]);
  });

  it("skips services with build: (the Dockerfile is checked instead) and resolves merge keys (<<: *base)", () => {
    const compose = `x-base: &base
  image: centos:7
services:
  built:
    build: .
    image: acme/app:dev
  merged:
    <<: *base
`;
    const result = check({
      "compose.yaml": compose,
      Dockerfile: "FROM registry.example.com/base/alpine:3.20\n",
    });
    expect(images(result)).toEqual(["compose.yaml:2 block-deprecated-base-images centos:7"]);
  });
});

describe("SPEC §4 GitHub workflows", () => {
  const workflow = `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    container: centos:7
    services:
      db: {image: "debian:9"}
    steps:
      - uses: docker://alpine:3.12
      - uses: actions/checkout@v4
  matrix:
    runs-on: ubuntu-latest
    strategy: {matrix: {image: ["a", "b"]}}
    container:
      image: \${{ matrix.image }}
`;

  it("judges job containers, services and docker:// steps; an expression is unresolved-image", () => {
    const result = check({ ".github/workflows/ci.yml": workflow });
    expect(images(result)).toEqual([
      ".github/workflows/ci.yml:5 block-deprecated-base-images centos:7",
      ".github/workflows/ci.yml:7 block-deprecated-base-images debian:9",
      ".github/workflows/ci.yml:9 block-deprecated-base-images alpine:3.12",
      ".github/workflows/ci.yml:15 unresolved-image ${{ matrix.image }}",
    ]);
    expect(result.skipped).toEqual([]);
  });

  it("leaves workflows alone with workflows: ignore", () => {
    const result = runCheck({
      paths: [],
      cwd: fixture({ ".github/workflows/ci.yml": workflow }),
      loaded: withPolicy({ workflows: "ignore" }),
    });
    expect(result.findings).toEqual([]);
  });
});
