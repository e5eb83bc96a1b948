/**
 * Issue 26, SPEC §4 (the rows from GitLab CI to Cloud Build): the other places teams name images.
 * Each fixture has the shape its system's documentation shows; every image is asserted at its
 * line and column with the source kind the JSON report names. Real files are in
 * pipelines-real.test.ts.
 */
import { describe, expect, it } from "vitest";
import { check, seen, withPolicy } from "../helpers.js";

describe("SPEC §4 GitLab CI", () => {
  const pipeline = `variables:
  BASE: debian:12
  REGISTRY: registry.gitlab.com/acme

default:
  image: ruby:3.3
  services:
    - postgres:16

.node-template:
  image:
    name: node:22
    entrypoint: [""]

build:
  extends: .node-template
  script: [npm ci]

test:
  image: $BASE
  services:
    - name: redis:7
      alias: cache
  script: [make test]

deploy:
  image: \${REGISTRY}/deployer:1.2
  script: [deploy]

release:
  image: $CI_REGISTRY_IMAGE/release:latest
  script: [release]

lint:
  inherit:
    default: false
  script: [lint]

docs:
  variables:
    BASE: python:3.12
  extends: test
`;

  it("reads default:, jobs, hidden templates, extends: and services, variables from the file", () => {
    const result = check({ ".gitlab-ci.yml": pipeline });
    expect(seen(result)).toEqual([
      ".gitlab-ci.yml:6:10 gitlab-ci ruby:3.3",
      ".gitlab-ci.yml:8:7 gitlab-ci postgres:16",
      ".gitlab-ci.yml:12:11 gitlab-ci node:22",
      ".gitlab-ci.yml:20:10 gitlab-ci debian:12",
      ".gitlab-ci.yml:20:10 gitlab-ci python:3.12",
      ".gitlab-ci.yml:22:13 gitlab-ci redis:7",
      ".gitlab-ci.yml:27:10 gitlab-ci registry.gitlab.com/acme/deployer:1.2",
      ".gitlab-ci.yml:31:10 gitlab-ci unresolved-image $CI_REGISTRY_IMAGE/release:latest",
    ]);
  });

  it("judges the image a job inherits where it is written, as the job resolves it", () => {
    const result = check({ ".gitlab-ci.yml": "image: centos:7\njob:\n  script: [x]\n" });
    expect(result.findings.map((f) => `${f.line}:${f.column} ${f.rule}`)).toEqual([
      "1:8 approved-base-images",
      "1:8 block-deprecated-base-images",
    ]);
  });

  it("is never read as a Kubernetes or compose file, and ci: ignore leaves it alone", () => {
    const text = "services:\n  - centos:7\njob:\n  image: centos:7\n  script: [x]\n";
    expect(check({ ".gitlab-ci.yml": text }).images).toBe(2);
    const ignored = check({ ".gitlab-ci.yml": text }, { loaded: withPolicy({ ci: "ignore" }) });
    expect(ignored.images).toBe(0);
    expect(ignored.findings).toEqual([]);
  });
});

describe("SPEC §4 CircleCI", () => {
  it("reads docker[].image under jobs and executors", () => {
    const config = `version: 2.1
executors:
  go:
    docker:
      - image: cimg/go:1.22
jobs:
  build:
    docker:
      - image: cimg/node:22.1
      - image: "cimg/postgres:16.2"
        environment: {POSTGRES_USER: root}
    steps: [checkout]
`;
    expect(seen(check({ ".circleci/config.yml": config }))).toEqual([
      ".circleci/config.yml:5:16 circleci cimg/go:1.22",
      ".circleci/config.yml:9:16 circleci cimg/node:22.1",
      ".circleci/config.yml:10:16 circleci cimg/postgres:16.2",
    ]);
  });
});

describe("SPEC §4 Azure Pipelines", () => {
  it("reads container: (string and image:), jobs in stages and resources.containers, not aliases", () => {
    const pipeline = `resources:
  containers:
    - container: pg
      image: postgres:16
    - container: builder
      image: mcr.microsoft.com/dotnet/sdk:8.0
container: ubuntu:22.04
stages:
  - stage: Build
    jobs:
      - job: Compile
        container: builder
        services:
          db: pg
      - job: Test
        container:
          image: python:3.12
jobs:
  - job: Lint
    container: \${{ parameters.image }}
`;
    expect(seen(check({ "azure-pipelines.yml": pipeline }))).toEqual([
      "azure-pipelines.yml:4:14 azure-pipelines postgres:16",
      "azure-pipelines.yml:6:14 azure-pipelines mcr.microsoft.com/dotnet/sdk:8.0",
      "azure-pipelines.yml:7:12 azure-pipelines ubuntu:22.04",
      "azure-pipelines.yml:17:18 azure-pipelines python:3.12",
      "azure-pipelines.yml:20:16 azure-pipelines unresolved-image ${{ parameters.image }}",
    ]);
  });

  it("reads templates under .azure-pipelines/", () => {
    const result = check({
      ".azure-pipelines/templates/build.yml": "jobs:\n  - job: A\n    container: centos:7\n",
    });
    expect(seen(result)).toEqual([".azure-pipelines/templates/build.yml:3:16 azure-pipelines centos:7"]);
  });
});

describe("SPEC §4 Bitbucket Pipelines", () => {
  it("reads image at the top, per step (branches, parallel) and definitions.services", () => {
    const pipeline = `image: node:22
definitions:
  services:
    mysql:
      image: mysql:8.0
pipelines:
  default:
    - step:
        name: Build
        image:
          name: atlassian/default-image:4
        script: [npm ci]
  branches:
    main:
      - parallel:
          - step:
              image: python:3.12
              script: [pytest]
              services: [mysql]
`;
    expect(seen(check({ "bitbucket-pipelines.yml": pipeline }))).toEqual([
      "bitbucket-pipelines.yml:1:8 bitbucket-pipelines node:22",
      "bitbucket-pipelines.yml:5:14 bitbucket-pipelines mysql:8.0",
      "bitbucket-pipelines.yml:11:17 bitbucket-pipelines atlassian/default-image:4",
      "bitbucket-pipelines.yml:17:22 bitbucket-pipelines python:3.12",
    ]);
  });
});

describe("SPEC §4 Drone and Woodpecker", () => {
  it("reads Drone's steps and services in every pipeline document", () => {
    const drone = `kind: pipeline
type: docker
name: default
steps:
  - name: test
    image: golang:1.22
services:
  - name: db
    image: postgres:16
---
kind: pipeline
type: docker
name: arm
steps:
  - name: test
    image: golang:1.21
---
kind: secret
name: token
get: {path: secret, name: token}
`;
    expect(seen(check({ ".drone.yml": drone }))).toEqual([
      ".drone.yml:6:12 drone golang:1.22",
      ".drone.yml:9:12 drone postgres:16",
      ".drone.yml:16:12 drone golang:1.21",
    ]);
  });

  it("reads Woodpecker's steps and services as maps, never as a compose file", () => {
    const woodpecker = `when:
  - event: push
steps:
  build:
    image: golang:1.22
    commands: [go build]
services:
  database:
    image: mysql:8
`;
    const result = check({
      ".woodpecker/build.yml": woodpecker,
      ".woodpecker.yml": "pipeline:\n  test:\n    image: alpine:3.19\n",
    });
    expect(seen(result)).toEqual([
      ".woodpecker.yml:3:12 woodpecker alpine:3.19",
      ".woodpecker/build.yml:5:12 woodpecker golang:1.22",
      ".woodpecker/build.yml:9:12 woodpecker mysql:8",
    ]);
  });
});

describe("SPEC §4 Cloud Build", () => {
  it("reads steps[].name with substitutions' defaults; built-in ones are unresolved", () => {
    const build = `substitutions:
  _GO: golang:1.22
steps:
  - name: gcr.io/cloud-builders/docker
    args: [build, .]
  - name: \${_GO}
    entrypoint: go
  - id: push
    name: gcr.io/$PROJECT_ID/tool
`;
    expect(seen(check({ "cloudbuild.yaml": build }))).toEqual([
      "cloudbuild.yaml:4:11 cloudbuild gcr.io/cloud-builders/docker",
      "cloudbuild.yaml:6:11 cloudbuild golang:1.22",
      "cloudbuild.yaml:9:11 cloudbuild unresolved-image gcr.io/$PROJECT_ID/tool",
    ]);
  });
});

describe("SPEC §4 ko", () => {
  it("reads defaultBaseImage and baseImageOverrides", () => {
    const ko = `defaultBaseImage: cgr.dev/chainguard/static:latest
baseImageOverrides:
  github.com/acme/app/cmd/debug: gcr.io/distroless/base:debug
builds:
  - id: app
    main: ./cmd/app
`;
    expect(seen(check({ ".ko.yaml": ko }))).toEqual([
      ".ko.yaml:1:19 ko cgr.dev/chainguard/static:latest",
      ".ko.yaml:3:34 ko gcr.io/distroless/base:debug",
    ]);
  });
});

describe("SPEC §4 Crossplane packages", () => {
  it("reads spec.package of Provider, Function and Configuration, and a package's dependsOn", () => {
    const objects = `apiVersion: pkg.crossplane.io/v1
kind: Provider
metadata: {name: provider-aws-s3}
spec:
  package: xpkg.upbound.io/upbound/provider-aws-s3:v1.1.0
---
apiVersion: pkg.crossplane.io/v1beta1
kind: Function
metadata: {name: function-patch-and-transform}
spec:
  package: xpkg.upbound.io/crossplane-contrib/function-patch-and-transform:v0.2.1
`;
    const meta = `apiVersion: meta.pkg.crossplane.io/v1
kind: Configuration
metadata: {name: platform}
spec:
  crossplane:
    version: ">=v1.14.1-0"
  dependsOn:
    - provider: xpkg.upbound.io/upbound/provider-gcp-storage
      version: ">=v0.35.0"
    - function: xpkg.upbound.io/crossplane-contrib/function-go-templating
      version: "v0.4.0"
`;
    expect(seen(check({ "providers.yaml": objects, "package/crossplane.yaml": meta }))).toEqual([
      "package/crossplane.yaml:8:17 crossplane xpkg.upbound.io/upbound/provider-gcp-storage",
      "package/crossplane.yaml:10:17 crossplane xpkg.upbound.io/crossplane-contrib/function-go-templating",
      "providers.yaml:5:12 crossplane xpkg.upbound.io/upbound/provider-aws-s3:v1.1.0",
      "providers.yaml:11:12 crossplane xpkg.upbound.io/crossplane-contrib/function-patch-and-transform:v0.2.1",
    ]);
  });
});

describe("SPEC §4 GitLab CI includes and templates from elsewhere", () => {
  it("reads the files it includes locally, each image at its own file and line, with their jobs' inheritance", () => {
    const files = {
      ".gitlab-ci.yml": `include:
  - local: /.gitlab-ci.d/base.yml
  - 'ci/jobs.yml'
variables:
  PY: python:3.12
test:
  extends: .py
`,
      ".gitlab-ci.d/base.yml": `.py:
  image: $PY
  services: [postgres:16]
`,
      "ci/jobs.yml": `include: {local: ci/more.yml}
lint:
  image: golang:1.22
`,
      "ci/more.yml": "deploy:\n  image: alpine:3.20\n",
    };
    expect(seen(check(files))).toEqual([
      ".gitlab-ci.d/base.yml:2:10 gitlab-ci python:3.12",
      ".gitlab-ci.d/base.yml:3:14 gitlab-ci postgres:16",
      "ci/jobs.yml:3:10 gitlab-ci golang:1.22",
      "ci/more.yml:2:10 gitlab-ci alpine:3.20",
    ]);
  });

  it("an inline suppression in an included file applies there", () => {
    const files = {
      ".gitlab-ci.yml": "include: ci/jobs.yml\n",
      "ci/jobs.yml":
        'lint:\n  # base-image-guard ignore=approved-base-images reason="vendor runner, SEC-9"\n  image: golang:1.22\n',
    };
    const result = check(files);
    expect(result.findings).toEqual([]);
    expect(result.suppressed.map((s) => `${s.file}:${s.line} ${s.reason}`)).toEqual([
      "ci/jobs.yml:3 vendor runner, SEC-9",
    ]);
  });

  it("a job whose image a remote template sets is unresolved at its extends:, never a pass", () => {
    const files = {
      ".gitlab-ci.yml": `include:
  - remote: https://gitlab.freedesktop.org/freedesktop/ci-templates/-/raw/main/templates/fedora.yml
  - local: ci/missing.yml
build:
  extends: .fdo.distribution-image@fedora
  script: [make]
`,
    };
    const result = check(files);
    expect(seen(result)).toEqual([
      ".gitlab-ci.yml:5:12 gitlab-ci unresolved-image extends: .fdo.distribution-image@fedora",
    ]);
    expect(result.findings[0]?.message).toContain("the remote include https://gitlab.freedesktop.org/");
    expect(result.findings[0]?.message).toContain("the local include ci/missing.yml (there is no such file)");
  });

  it("a YAML alias that many jobs merge in is one occurrence where it is written", () => {
    const config = `version: 2
defaults: &defaults
  docker:
    - image: cimg/go:1.18
jobs:
  a: {<<: *defaults, steps: [checkout]}
  b: {<<: *defaults, steps: [checkout]}
`;
    expect(seen(check({ ".circleci/config.yml": config }))).toEqual([
      ".circleci/config.yml:4:14 circleci cimg/go:1.18",
    ]);
  });
});

describe("SPEC §4 Jenkins", () => {
  it("reads docker { image }, agent { docker '…' } and docker.image('…'); comments name nothing; expressions are unresolved", () => {
    const jenkinsfile = `pipeline {
  agent {
    docker {
      image 'maven:3.9-eclipse-temurin-21'
      args '-v $HOME/.m2:/root/.m2'
    }
  }
  stages {
    stage('Test') {
      agent { docker 'node:22-alpine' }
      steps { sh 'npm test' }
    }
    stage('Old') {
      // agent { docker 'centos:7' }
      agent { docker { image "\${params.IMAGE}" } }
      steps { sh 'make' }
    }
  }
}
node {
  /* docker.image('centos:6').inside { } */
  docker.image("python:3.12").inside { sh 'pytest' }
  docker { image env.BUILD_IMAGE }
}
`;
    expect(
      seen(check({ Jenkinsfile: jenkinsfile, "ci/release.Jenkinsfile": "agent { docker 'golang:1.22' }\n" })),
    ).toEqual([
      "Jenkinsfile:4:13 jenkins maven:3.9-eclipse-temurin-21",
      "Jenkinsfile:10:22 jenkins node:22-alpine",
      "Jenkinsfile:15:30 jenkins unresolved-image ${params.IMAGE}",
      "Jenkinsfile:22:16 jenkins python:3.12",
      "Jenkinsfile:23:18 jenkins unresolved-image env.BUILD_IMAGE",
      "ci/release.Jenkinsfile:1:16 jenkins golang:1.22",
    ]);
  });

  it("ci: ignore leaves Jenkinsfiles alone", () => {
    const result = check(
      { Jenkinsfile: "agent { docker 'centos:7' }\n" },
      { loaded: withPolicy({ ci: "ignore" }) },
    );
    expect(result.images).toBe(0);
  });
});

describe("SPEC §4 dev containers", () => {
  it("reads image in JSON with comments and trailing commas, and builds its Dockerfile with build.args", () => {
    const files = {
      ".devcontainer/devcontainer.json": `// The team's dev container
{
  "name": "api",
  /* the base */
  "image": "mcr.microsoft.com/devcontainers/typescript-node:1-22-bookworm",
  "features": { "ghcr.io/devcontainers/features/docker-in-docker:2": {}, },
}
`,
      ".devcontainer/tools/devcontainer.json": `{
  "build": {
    "dockerfile": "Dockerfile",
    "args": { "VARIANT": "3.12", },
  },
}
`,
      ".devcontainer/tools/Dockerfile": "ARG VARIANT\nFROM python:${VARIANT}-slim\n",
      ".devcontainer.json": '{"image": "debian:9"}',
    };
    expect(seen(check(files))).toEqual([
      ".devcontainer.json:1:11 devcontainer debian:9",
      ".devcontainer/devcontainer.json:5:12 devcontainer mcr.microsoft.com/devcontainers/typescript-node:1-22-bookworm",
      ".devcontainer/tools/Dockerfile:2:6 dockerfile python:3.12-slim",
    ]);
  });

  it("a Dockerfile at the root that .devcontainer/devcontainer.json builds gets its args; devcontainers: ignore drops both", () => {
    const files = {
      ".devcontainer/devcontainer.json":
        '{"build": {"dockerfile": "../Dockerfile", "args": {"BASE": "ubuntu:24.04"}}}',
      Dockerfile: "ARG BASE\nFROM ${BASE}\n",
    };
    expect(seen(check(files))).toEqual(["Dockerfile:2:6 dockerfile ubuntu:24.04"]);
    expect(seen(check(files, { loaded: withPolicy({ devcontainers: "ignore" }) }))).toEqual([
      "Dockerfile:2:6 dockerfile unresolved-image ${BASE}",
    ]);
  });

  it("a broken definition is a parse-error with its line", () => {
    expect(
      seen(check({ ".devcontainer/devcontainer.json": '{\n  "image": "node:22"\n  "name": "x"\n}\n' })),
    ).toEqual([".devcontainer/devcontainer.json:3:3 - parse-error "]);
  });
});

describe("SPEC §4 Docker Bake", () => {
  it("reads each target's Dockerfile with its args (inherits and variable defaults resolved) and docker-image:// contexts; FROM <context> is the context, judged at the bake line", () => {
    const files = {
      "docker-bake.hcl": `variable "GO_VERSION" {
  default = "1.22"
}
variable "DISTRO" {
  default = ""
}
target "_common" {
  args = {
    GO_VERSION = GO_VERSION
    BASE = DISTRO == "" ? "alpine" : DISTRO
  }
}
target "app" {
  inherits = ["_common"]
  context = "app"
  contexts = {
    runtime = "docker-image://gcr.io/distroless/static:nonroot"
  }
}
target "tools" {
  inherits = ["_common"]
  dockerfile = "tools.Dockerfile"
  args = { GO_VERSION = "1.21" }
}
`,
      "app/Dockerfile":
        "ARG GO_VERSION\nARG BASE\nFROM golang:${GO_VERSION}-${BASE} AS build\nFROM runtime\n",
      "tools.Dockerfile": "ARG GO_VERSION\nFROM golang:${GO_VERSION}\n",
    };
    expect(seen(check(files))).toEqual([
      "app/Dockerfile:3:6 dockerfile golang:1.22-alpine",
      "docker-bake.hcl:17:15 bake gcr.io/distroless/static:nonroot",
      "tools.Dockerfile:2:6 dockerfile golang:1.21",
    ]);
  });

  it("a context named like an image replaces it, and a local context is no image (as BuildKit's named contexts)", () => {
    const files = {
      "docker-bake.hcl":
        'target "default" {\n  contexts = {\n    "alpine:3.18" = "docker-image://alpine:3.20"\n    src = "../src"\n  }\n}\n',
      Dockerfile: "FROM alpine:3.18\nCOPY --from=src /app /app\n",
    };
    expect(seen(check(files))).toEqual(["docker-bake.hcl:3:21 bake alpine:3.20"]);
  });

  it("reads docker-bake.json, and one Dockerfile built with two arg sets is judged for each", () => {
    const files = {
      "docker-bake.json": JSON.stringify(
        {
          variable: { V: { default: "3.19" } },
          target: {
            a: { args: { V: "${V}" } },
            b: { args: { V: "3.12" }, contexts: { base: "docker-image://alpine:${V}" } },
          },
        },
        null,
        2,
      ),
      Dockerfile: "ARG V\nFROM alpine:${V}\n",
    };
    expect(seen(check(files))).toEqual([
      "Dockerfile:2:6 dockerfile alpine:3.19",
      "Dockerfile:2:6 dockerfile alpine:3.12",
      "docker-bake.json:18:17 bake alpine:3.19",
    ]);
  });
});

describe("issue 26 suppressions where comments are //", () => {
  it("a // suppression comment waives the image below it in a Jenkinsfile, a dev container and a bake file", () => {
    const reason = 'reason="vendor image, SEC-42"';
    const result = check({
      Jenkinsfile: `pipeline {\n  agent {\n    // base-image-guard ignore=approved-base-images ${reason}\n    docker 'node:22'\n  }\n}\n`,
      ".devcontainer/devcontainer.json": `{\n  // base-image-guard ignore=approved-base-images ${reason}\n  "image": "node:22"\n}\n`,
      "docker-bake.hcl": `target "a" {\n  contexts = {\n    # base-image-guard ignore=approved-base-images ${reason}\n    base = "docker-image://node:22"\n  }\n}\n`,
    });
    expect(result.findings).toEqual([]);
    expect(result.suppressed.map((s) => `${s.file}:${s.line} ${s.source}`)).toEqual([
      ".devcontainer/devcontainer.json:3 devcontainer",
      "Jenkinsfile:4 jenkins",
      "docker-bake.hcl:4 bake",
    ]);
  });
});

describe("issue 26 readers on bad input: a parse-error with its line, never a crash", () => {
  it.each([
    ["docker-bake.hcl", `x = ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`, "nested more than 64 deep"],
    ["docker-bake.hcl", `target "a" {\n  dockerfile = "Dockerfile\n}\n`, "a string is not closed"],
    ["docker-bake.hcl", 'target "a" {\n  args = { A = "1" }\n', "a block is not closed"],
    [
      ".devcontainer/devcontainer.json",
      `{"image": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
      "nested more than 256 deep",
    ],
    ["docker-bake.json", '{"target": {"a": {"args": }}}', "not valid JSON with comments"],
  ])("%s: %s…", (file, text, message) => {
    const result = check({ [file]: text });
    const problems = result.findings.filter((f) => f.rule === "parse-error");
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBeGreaterThan(0);
    expect(problems[0]?.message).toContain(message);
  });

  it("a Jenkinsfile with an unclosed comment or string names nothing after it and does not hang", () => {
    const result = check({ Jenkinsfile: `agent { docker 'node:22' }\n/* ${"docker '".repeat(50_000)}` });
    expect(seen(result)).toEqual(["Jenkinsfile:1:16 jenkins node:22"]);
  });
});
