/** digests.json (issue 13): what a rebuild pushed, read back by check --digests. */
import { expect, it } from "vitest";
import { readDigests } from "../src/digests.js";
import { InputError } from "../src/errors.js";

const D = `sha256:${"a".repeat(64)}`;

it("keys entries by the normalised repository and tag, as policies match", () => {
  const text = JSON.stringify({
    version: 1,
    images: [{ image: "docker.io/library/alpine", tag: "3.22", digest: D, date: "2026-11-30" }],
  });
  expect(readDigests(text, "d.json").get("docker.io/library/alpine:3.22")).toEqual({
    image: "docker.io/library/alpine",
    tag: "3.22",
    digest: D,
    date: "2026-11-30",
  });
});

it.each([
  ["{", /digests d\.json is not JSON/],
  ['{"images": 3}', /expected \{"images": \[\.\.\.\]\}/],
  [
    JSON.stringify({ images: [{ image: "a", tag: "1", digest: "sha256:abc" }] }),
    /images\[0\] needs image, tag and a sha256 digest/,
  ],
  [
    JSON.stringify({ images: [{ image: "Bad Name", tag: "1", digest: D }] }),
    /images\[0\]: "Bad Name:1" is not a valid image reference/,
  ],
])("refuses %s with an input error naming the file", (text, message) => {
  expect(() => readDigests(text, "d.json")).toThrow(InputError);
  expect(() => readDigests(text, "d.json")).toThrow(message);
});
