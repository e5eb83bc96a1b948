/** Policies the admission tests judge with (SPEC §8 equivalence: the default and three others). */
import { defaultPolicyText, parsePolicy } from "../../src/policy/load.js";
import type { Policy } from "../../src/policy/types.js";

const GLOBS_AND_RANGES = `
mode: enforce
approved:
  - registry.example.com/base/*
  - ghcr.io/acme/**
  - docker.io/library/nginx
  - "quay.io/centos/cent?s"
  - localhost:5000/base/alpine
deprecated:
  - "*centos*"
  - "*ubuntu:18.04*"
  - "docker.io/library/debian:1?"
  - alpine:3.12
  - debian:stretch
  - registry.example.com/base/alpine:3.20
versions:
  alpine: [">=3.19 <3.21", "3.21"]
  ubuntu: ["^22.4.0", "24.04"]
  node: ["^20 || ^22"]
  "registry.example.com/base/*": ["3.x", ">=22"]
  debian: ["12", ">=13.1.0-rc.1"]
  redis: ["<=7.2.4", ">7.4.0-beta"]
exceptions:
  - image: docker.io/library/centos:7
    rules: [block-deprecated-base-images]
    reason: legacy batch, OPS-123
    expires: 2099-03-31
  - image: "*nginx*"
    reason: expired waiver
    expires: 2020-01-01
`;

const MINIMAL_AND_PINNING = `
mode: audit
eol: { block: false, support: extended }
approved:
  - registry.example.com/base/**
minimal:
  label: security.enforce=high
  images:
    - registry.example.com/base/distroless
    - registry.example.com/base/wolfi
  namespaces: [tools]
pinning: digest
exceptions:
  - image: registry.example.com/base/ubuntu
    rules: [require-pinned-image, require-minimal-base-images]
    reason: rebuilt weekly, pinned by the rebuild
    expires: 2099-12-31
`;

const TAG_PINNING_AND_RELEASES = `
deprecated:
  - centos
  - ubuntu:18.04
  - "alpine:3.1"
  - debian@sha256:2222222222222222222222222222222222222222222222222222222222222222
versions:
  ubuntu: ["22.04", "24.04"]
  alpine: ["3.19", "3.20"]
  "*python*": [">=3.10"]
pinning: tag
eol:
  block: true
  warnDays: 180
`;

export const POLICIES: Record<string, Policy> = {
  "built-in default": parsePolicy(defaultPolicyText, "built-in default").policy,
  "globs and version ranges": parsePolicy(GLOBS_AND_RANGES, "globs.yml").policy,
  "minimal namespaces and pinning": parsePolicy(MINIMAL_AND_PINNING, "minimal.yml").policy,
  "tag pinning and releases": parsePolicy(TAG_PINNING_AND_RELEASES, "releases.yml").policy,
};
