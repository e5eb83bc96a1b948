/**
 * SPEC §9's round trip on real files (vendored in test/fixtures/real-fix, see its SOURCES.md): with
 * a policy whose replacements and digests cover every image, `fix --write` then `check` leaves no
 * finding fix could repair, a second fix changes nothing, every changed file still parses, and the
 * diff changes nothing but image tokens — all computed from the files and git's diff.
 * `node scripts/fix-roundtrip.mjs` runs the same over ../shared/corpus/real.
 */
import { describe, expect, it } from "vitest";
import { roundTrip } from "../../scripts/fix-roundtrip.mjs";

describe("fix round trip over real files", () => {
  it("leaves nothing repairable, is idempotent, keeps files parsing and touches only image tokens", () => {
    const result = roundTrip("test/fixtures/real-fix/files");
    expect(result.images).toBeGreaterThan(25);
    expect(result.changes).toBeGreaterThan(15);
    expect(result.left).toEqual([]);
    expect(result.secondChanges).toEqual([]);
    expect(result.broken).toEqual([]);
    expect(result.nonImage).toEqual([]);
    // The CRLF manifest was changed and kept its line endings (a non-image change would show above).
    expect(result.files).toBe(6);
  });
});
