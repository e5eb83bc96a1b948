/**
 * Issue 9: property-based tests (fast-check). The reference parser never fails in any other way
 * than InvalidReferenceError and is stable on its own output; the glob matcher agrees with a
 * simple backtracking model on small inputs; the escapers let no input through live.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../src/check.js";
import { compileGlob } from "../src/glob.js";
import { InvalidReferenceError, parseImageRef } from "../src/image/reference.js";
import { renderMarkdown } from "../src/report/markdown.js";
import { hasUnsafeCharacter, markdown, terminal } from "../src/report/neutralise.js";
import { renderText } from "../src/report/text.js";
import { workflowCommand } from "../src/report/workflow-commands.js";

/** A fixed seed keeps CI deterministic; FC_SEED=<n> explores other inputs locally. */
const SEED = Number(process.env.FC_SEED ?? 20261127);
const RUNS = { numRuns: 2000, seed: SEED };

/** Strings made of the characters references and globs are made of, and some that are not. */
const referenceish = fc.string({
  unit: fc.constantFrom(
    ..."abcz09._-/:@*?AZ \u00a0\n".split(""),
    "sha256:",
    "a".repeat(64),
    "localhost",
    ".io",
  ),
  maxLength: 40,
});

describe("property: image references", () => {
  it("parse or refuse with InvalidReferenceError, never anything else", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), referenceish), (text) => {
        try {
          parseImageRef(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidReferenceError);
        }
      }),
      RUNS,
    );
  });

  it("a normalised reference parses to itself", () => {
    fc.assert(
      fc.property(referenceish, (text) => {
        let normalized: string;
        try {
          normalized = parseImageRef(text).normalized;
        } catch {
          return;
        }
        expect(parseImageRef(normalized).normalized).toBe(normalized);
      }),
      RUNS,
    );
  });
});

/** SPEC §3's words as the simplest possible (exponential) matcher. */
function model(pattern: string, text: string): boolean {
  if (pattern === "") return text === "";
  if (pattern.startsWith("**")) {
    for (let i = 0; i <= text.length; i++) if (model(pattern.slice(2), text.slice(i))) return true;
    return false;
  }
  if (pattern[0] === "*") {
    for (let i = 0; i <= text.length && !text.slice(0, i).includes("/"); i++)
      if (model(pattern.slice(1), text.slice(i))) return true;
    return false;
  }
  if (text === "") return false;
  if (pattern[0] === "?") return text[0] !== "/" && model(pattern.slice(1), text.slice(1));
  return pattern[0] === text[0] && model(pattern.slice(1), text.slice(1));
}

describe("property: policy globs", () => {
  const small = (chars: string, max: number) =>
    fc.string({ unit: fc.constantFrom(...chars.split("")), maxLength: max });

  it("agree with the backtracking model of SPEC §3", () => {
    fc.assert(
      fc.property(small("ab/*?", 8), small("ab/", 10), (pattern, text) => {
        expect(compileGlob(pattern, "policy")(text)).toBe(model(pattern, text));
      }),
      { numRuns: 5000, seed: SEED },
    );
  });
});

const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom(
      "::",
      "\n",
      "\r",
      "\u001b",
      "[",
      "](",
      "!",
      "https://",
      "www.",
      "@",
      "#",
      "1",
      "a",
      "/",
      "<",
      ">",
      "|",
      "`",
      "GH-",
      "\u202e",
    ),
    maxLength: 20,
  }),
);

function resultWith(text: string): CheckResult {
  return {
    mode: "enforce",
    policySource: text,
    policyWarnings: [text],
    files: 1,
    judged: [text || "f"],
    images: 1,
    findings: [
      {
        rule: "parse-error",
        severity: "error",
        file: text || "f",
        line: 1,
        column: 1,
        image: text,
        message: text,
      },
    ],
    suppressed: [
      { rule: "parse-error", file: text || "f", line: 1, image: text, reason: text, expires: null },
    ],
    skipped: [{ file: text || "f", reason: text }],
  };
}

describe("property: escapers", () => {
  it("terminal text has no control character and no line", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const safe = terminal(text);
        expect(hasUnsafeCharacter(safe)).toBe(false);
      }),
      RUNS,
    );
  });

  it("no text report line starts with ::", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        for (const line of renderText(resultWith(text), { color: false }).split("\n")) {
          expect(line.startsWith("::")).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it("a workflow command stays one command on one line", () => {
    fc.assert(
      fc.property(hostile, hostile, (file, message) => {
        const command = workflowCommand("error", { file, line: 1 }, message);
        expect(command.includes("\n") || command.includes("\r")).toBe(false);
        expect(command).toMatch(/^::error( [^:\n]*)?::/);
      }),
      RUNS,
    );
  });

  it("markdown has no live link, image, autolink, mention or reference", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        for (const out of [markdown(text), renderMarkdown(resultWith(text), { maxBytes: 50_000 })]) {
          expect(out).not.toMatch(/\]\(|!\[|https?:\/\/|www\.|@[a-z0-9]|(?<!&)#\d|GH-\d/i);
          expect(out.replace(/<\/?(code|span|details|summary)>/g, "")).not.toMatch(/<[a-z!/]/i);
        }
      }),
      RUNS,
    );
  });
});
