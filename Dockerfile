# The base-image-guard CLI as a container image (issue 25): the bundled CLI, which needs nothing but
# Node.js, on a minimal Node image pinned by digest. Built, scanned, pushed, signed and given an
# SBOM by the release workflow (.github/workflows/release.yml) with `base-image-guard rebuild`.
#   docker run --rm -v "$PWD:/src" ghcr.io/org/base-image-guard:1 check .
# The image has a shell, so CI systems that run `script:` lines in it (GitLab, CircleCI) can use it:
# their script calls `base-image-guard check …`.
#
# NODE_BASE is an argument so that a test can build on a stand-in without a registry; the default
# is what the release builds on.
ARG NODE_BASE=node:20.20.2-alpine@sha256:fb4cd12c85ee03686f6af5362a0b0d56d50c58a04632e6c0fb8363f609372293

# The built-in default policy approves only the example registry's base images; the CLI's own image
# is built on the upstream Node image, on purpose, and is itself rebuilt and scanned at every release.
# base-image-guard ignore=approved-base-images reason="the CLI's own image: upstream Node.js, pinned by digest, scanned at each release"
FROM ${NODE_BASE}

LABEL org.opencontainers.image.title="base-image-guard" \
      org.opencontainers.image.description="Keep every container on an approved, patched base image" \
      org.opencontainers.image.licenses="MIT"

# package.json says the bundle is an ES module; the bundle has no dependencies of its own.
COPY package.json /opt/base-image-guard/package.json
COPY dist/cli.js /opt/base-image-guard/cli.js
COPY --chmod=0755 tools/container/base-image-guard /usr/local/bin/base-image-guard

# The node user (uid 1000) of the Node image: never root.
USER node
WORKDIR /src
ENTRYPOINT ["base-image-guard"]
CMD ["check", "."]
