/**
 * SPEC §3: references follow the grammar and normalisation of the distribution project's
 * `reference` package. These tables are the cases of its normalize_test.go
 * (github.com/distribution/reference, Apache-2.0, commit 4894124), restated as data for our parser.
 * Where SPEC §3 deliberately differs, the case says so.
 */
import { describe, expect, it } from "vitest";
import { parseImageRef } from "../../src/image/reference.js";

const VALID = [
  "docker/docker",
  "library/debian",
  "debian",
  "docker.io/docker/docker",
  "docker.io/library/debian",
  "docker.io/debian",
  "index.docker.io/docker/docker",
  "index.docker.io/library/debian",
  "index.docker.io/debian",
  "127.0.0.1:5000/docker/docker",
  "127.0.0.1:5000/library/debian",
  "127.0.0.1:5000/debian",
  "192.168.0.1",
  "192.168.0.1:80",
  "192.168.0.1:8/debian",
  "192.168.0.2:25000/debian",
  "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
  "[fc00::1]:5000/docker",
  "[fc00::1]:5000/docker/docker",
  "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
  "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
  "Docker/docker",
  "DOCKER/docker",
  "docker-rules/docker",
  "docker---rules/docker",
  "doc/docker",
  "d/docker",
  "jess/t",
  "dock__er/docker",
  "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
];

const INVALID = [
  "https://github.com/docker/docker",
  "docker/Docker",
  "-docker",
  "-docker/docker",
  "-docker.io/docker/docker",
  "docker///docker",
  "docker.io/docker/Docker",
  "docker.io/docker///docker",
  "[fc00::1]",
  "[fc00::1]:5000",
  "fc00::1:5000/debian",
  "[fe80::1%eth0]:5000/debian",
  "[2001:db8:3:4::192.0.2.33]:5000/debian",
  "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
  "docker-/docker",
  "-docker-/docker",
  "____/____",
  "_docker/_docker",
  "dock..er/docker",
  "dock_.er/docker",
  "dock-.er/docker",
  "docker/",
  `${"this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_".repeat(4)}/docker`,
  "busybox:-foo",
  "busybox@foo",
];

/** [reference, registry, path] (TestParseRepositoryInfo and TestNormalizedSplitHostname). */
const SPLIT: [string, string, string][] = [
  ["fooo/bar", "docker.io", "fooo/bar"],
  ["index.docker.io/fooo/bar", "docker.io", "fooo/bar"],
  ["ubuntu", "docker.io", "library/ubuntu"],
  ["library/ubuntu", "docker.io", "library/ubuntu"],
  ["nonlibrary/ubuntu", "docker.io", "nonlibrary/ubuntu"],
  ["other/library", "docker.io", "other/library"],
  ["127.0.0.1:8000/private/moonbase", "127.0.0.1:8000", "private/moonbase"],
  ["127.0.0.1:8000/privatebase", "127.0.0.1:8000", "privatebase"],
  ["example.com/private/moonbase", "example.com", "private/moonbase"],
  ["example.com:8000/privatebasee", "example.com:8000", "privatebasee"],
  ["ubuntu-12.04-base", "docker.io", "library/ubuntu-12.04-base"],
  ["docker.io/foo", "docker.io", "library/foo"],
  ["library/foo/bar", "docker.io", "library/foo/bar"],
  ["store/foo/bar", "docker.io", "store/foo/bar"],
  ["Foo/bar", "Foo", "bar"],
  ["FOO/bar", "FOO", "bar"],
  ["test.com/foo", "test.com", "foo"],
  ["test_com/foo", "docker.io", "test_com/foo"],
  ["docker/migrator", "docker.io", "docker/migrator"],
  ["test.com:8080/foo", "test.com:8080", "foo"],
  ["test-com:8080/foo", "test-com:8080", "foo"],
  ["xn--n3h.com/foo", "xn--n3h.com", "foo"],
  ["xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"],
  ["docker.io/library/foo/bar", "docker.io", "library/foo/bar"],
  // SPEC §3 also folds registry-1.docker.io into docker.io (distribution leaves it as a registry).
  ["registry-1.docker.io/foo", "docker.io", "library/foo"],
];

describe("SPEC §3 distribution's reference table", () => {
  it.each(VALID)("accepts %s", (reference) => {
    expect(() => parseImageRef(reference)).not.toThrow();
  });

  it.each(INVALID)("rejects %s", (reference) => {
    expect(() => parseImageRef(reference)).toThrow();
  });

  it.each(SPLIT)("%s is registry %s, path %s", (reference, registry, path) => {
    expect(parseImageRef(reference)).toMatchObject({ registry, path });
  });

  it("keeps tag and digest together, as distribution does", () => {
    const digest = "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
    expect(parseImageRef(`busybox:latest@${digest}`).normalized).toBe(
      `docker.io/library/busybox:latest@${digest}`,
    );
  });
});
