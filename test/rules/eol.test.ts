/**
 * SPEC §3.4b block-eol-base-images: for every product of the calendar, a release past, near and far
 * from its end of support (dates taken from the calendar itself, so the table follows its data),
 * unverifiable releases, warnDays, block: false and extended support.
 */
import { describe, expect, it } from "vitest";
import { parseImageRef } from "../../src/image/reference.js";
import { compilePolicy } from "../../src/policy/compile.js";
import { PRODUCTS } from "../../src/policy/eol/index.js";
import { parsePolicy } from "../../src/policy/load.js";
import type { Policy } from "../../src/policy/types.js";
import { blockEolBaseImages } from "../../src/rules/eol.js";
import type { Occurrence } from "../../src/sources/types.js";

const policyWith = (eol: string): Policy => parsePolicy(`eol: ${eol}\n`, "p.yml").policy;
const occurrence = {} as Occurrence;

function verdict(image: string, today: string, policy = policyWith("{ block: true }")) {
  return blockEolBaseImages(parseImageRef(image), occurrence, {
    policy: compilePolicy(policy),
    namespaceLabels: {},
    today,
  });
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe.each(PRODUCTS.map((p) => [p.product, p] as const))("%s", (_name, product) => {
  const dated = product.releases.filter((r) => typeof r.standard === "string");
  const cycle = dated.find((r) => /^\d/.test(r.release)) ?? dated[0];
  if (!cycle) throw new Error(`${product.product} has no dated release`);
  const end = cycle.standard as string;
  const image = `${product.images[0]}:${cycle.release}`;

  it(`is an error past ${cycle.release}'s end of support, naming the date and the source`, () => {
    expect(verdict(image, addDays(end, 1))).toEqual({
      rule: "block-eol-base-images",
      message: `${image} is ${product.product} ${cycle.release}, which left support on ${end} (${product.source})`,
    });
  });

  it("is a warning within warnDays, with the days left", () => {
    expect(verdict(image, addDays(end, -30))).toEqual({
      rule: "block-eol-base-images",
      message: `${image} is ${product.product} ${cycle.release}, which leaves support on ${end}, in 30 days (${product.source})`,
      warning: true,
    });
  });

  it("says nothing far from the end", () => {
    expect(verdict(image, addDays(end, -400))).toBeUndefined();
  });

  it("cannot verify an image whose tag names no release", () => {
    expect(verdict(`${product.images[0]}:latest`, end)?.message).toMatch(
      /^cannot verify the end of support of /,
    );
    expect(verdict(`${product.images[0]}@sha256:${"a".repeat(64)}`, end)?.rule).toBe("block-eol-base-images");
  });
});

describe("reading releases", () => {
  it("matches the longest listed release a tag continues, with codenames and variants", () => {
    expect(verdict("alpine:3.20.3-x", "2026-11-27")?.message).toContain(
      "alpine 3.20, which left support on 2026-04-01",
    );
    expect(verdict("alpine:3.2", "2026-11-27")?.message).toContain("alpine 3.2,");
    expect(verdict("debian:bookworm-slim", "2026-11-27")?.message).toContain(
      "debian 12, which left support on 2026-07-11",
    );
    expect(verdict("node:20.11-alpine3.19", "2026-11-27")?.message).toContain(
      "node 20, which left support on 2026-04-30",
    );
    expect(verdict("python:3.12-slim", "2026-11-27")).toBeUndefined();
  });

  it("extended support counts where the calendar has it; block: false makes past a warning", () => {
    const extended = policyWith("{ block: true, support: extended }");
    expect(verdict("ubuntu:20.04", "2026-11-27")?.message).toContain("which left support on 2025-05-31");
    expect(verdict("ubuntu:20.04", "2026-11-27", extended)).toBeUndefined();
    expect(verdict("ubuntu:20.04", "2026-11-27", policyWith("{ block: false }"))).toMatchObject({
      warning: true,
    });
  });

  it("warnDays sets the window; an image of a product the calendar does not know gets nothing", () => {
    expect(verdict("alpine:3.22", "2026-11-27")?.message).toContain(
      "leaves support on 2027-05-01, in 155 days",
    );
    expect(verdict("alpine:3.22", "2026-11-27", policyWith("{ block: true, warnDays: 30 }"))).toBeUndefined();
    expect(verdict("registry.example.com/base/wolfi:latest", "2026-11-27")).toBeUndefined();
  });
});

it("every data file names its source and the day it was taken, and gives dates as YYYY-MM-DD", () => {
  for (const product of PRODUCTS) {
    expect(product.source).toMatch(/^https:\/\/endoflife\.date\//);
    expect(product.taken).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(product.releases.length).toBeGreaterThan(0);
    for (const r of product.releases) {
      for (const end of [r.standard, r.extended]) {
        if (typeof end === "string")
          expect(end, `${product.product} ${r.release}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  }
});
