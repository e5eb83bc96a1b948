/**
 * Issue 24: the YAML line scanner (src/sources/yaml-scan.ts) reads block-style YAML exactly as the
 * exact parser (`yaml`, with positions) does — the same data, and for every value the same
 * position and written text — and gives up, leaving the file to the parsers, wherever it is not
 * sure. Held to the exact parser over every YAML file in the repository's fixtures and examples,
 * over a table of the constructs it reads and the ones it refuses, and over generated files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readManifestText } from "../../src/sources/read.js";
import { readScanned, readYamlFile } from "../../src/sources/yaml.js";
import { compareYaml } from "./yaml-compare.js";

const ROOT = join(import.meta.dirname, "../..");

/** YAML files below `dir`; a Helm chart's templates are Go templates, not YAML, and left out. */
function* yamlFiles(dir: string): Generator<string> {
  const entries = readdirSync(dir, { withFileTypes: true });
  const chart = entries.some((entry) => entry.name === "Chart.yaml");
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && chart && entry.name === "templates") continue;
    if (entry.isDirectory()) yield* yamlFiles(path);
    else if (/\.ya?ml$/i.test(entry.name)) yield path;
  }
}

/** The scanner read it, and agrees with the exact parser on every value. */
function expectSame(text: string): void {
  const comparison = compareYaml(text);
  expect(comparison.scanned, `not scanned:\n${text}`).toBe(true);
  if (comparison.scanned) expect(comparison.differences, text).toEqual([]);
}

describe("the scanner against the exact parser", () => {
  it("agrees on every YAML fixture and example it reads, and reads nearly all of them", () => {
    const files = [...yamlFiles(join(ROOT, "test/fixtures")), ...yamlFiles(join(ROOT, "examples"))];
    expect(files.length).toBeGreaterThan(20);
    let scanned = 0;
    for (const file of files) {
      const comparison = compareYaml(readFileSync(file, "utf8"), file);
      if (!comparison.scanned) continue;
      scanned++;
      expect(comparison.differences, file).toEqual([]);
    }
    // The rest holds what the scanner leaves to the parsers on purpose (anchors, tags, bombs).
    expect(scanned / files.length).toBeGreaterThan(0.8);
  });

  it.each([
    ["a plain map", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n"],
    [
      "a sequence at its key's indentation",
      "containers:\n- name: a\n  image: nginx:1.25\n- name: b\n  image: redis\n",
    ],
    ["an indented sequence", "containers:\n  - name: a\n    image: nginx\n"],
    ["compact nested sequences", "- - a\n  - b\n- - c\n"],
    ["extra spaces after the dash", "-   name: a\n    image: x\n"],
    ["comments everywhere", "# head\na: 1 # one\n  # indented comment\nb:   # nothing\n  - x # item\n"],
    ["empty values", "a:\nb: ~\nc: null\nd: Null\ne:\n  - \n"],
    [
      "numbers as the core schema reads them",
      "a: 0400\nb: 1.10\nc: 1.\nd: .5\ne: +1\nf: -3\ng: 1e3\nh: 1_000\ni: 2x4\n",
    ],
    ["booleans and look-alikes", "a: true\nb: False\nc: yes\nd: on\ne: TRUE\n"],
    ["integer keys", "404: |\n  not found\n500: boom\n"],
    ["quoted scalars", "a: \"x\\ty\\n\\\"q\\\" \\u00e9\"\nb: 'it''s'\nc: \"\"\nd: ''\n"],
    ["quoted keys", "\"a b\": 1\n'c': 2\n"],
    ["a literal block scalar", "script: |\n  echo one\n\n  echo two\n    indented\nnext: 1\n"],
    ["a literal block scalar, stripped", "a: |-\n  x\n  y\n\n\nb: 2\n"],
    ["a folded block scalar", "a: >\n  one\n  two\n\n  three\nb: >-\n  x\n"],
    ["a block scalar at the end of the file without a line break", "a: |\n  x"],
    ["a block scalar with a blank line holding spaces", "a: |\n  x\n     \n  y\n"],
    [
      "a block scalar whose lines look like comments and keys",
      "a: |\n  # not a comment\n  b: not a key\nc: 1\n",
    ],
    ["a multi-line plain scalar", "description: a long\n  sentence over\n\n  lines\nnext: 1\n"],
    ["a one-line flow sequence and map", 'args: ["--port", 8080, true, null]\nres: {cpu: 1, memory: 2Gi}\n'],
    ["a flow collection over several lines", 'args: [\n    "a",\n    b, # comment\n    {c: d}]\nnext: 1\n'],
    ["a trailing comma in a flow sequence", 'verbs: ["get", "list",]\n'],
    [
      "JSON",
      '{"apiVersion": "v1", "kind": "Pod",\n "spec": {"containers": [{"name": "a", "image": "nginx"}]}}\n',
    ],
    ["documents and markers", "---\na: 1\n--- # second\nb: 2\n...\n---\n# only a comment\n"],
    ["CRLF line breaks", "a: 1\r\nb:\r\n  - x\r\n"],
    ["a document indented as a whole", "  a: 1\n  b: 2\n"],
    [
      "colons and hashes inside scalars",
      "url: http://x:80/a#b\nkey:with:colons: v\nimage: nginx:1.25@sha256:abc\n",
    ],
    ["emoji", 'note: "😀"\nplain: 😀 ok\n'],
    ["tabs after indentation, inside values", "a:\tb\nc: d\te\n"],
    [
      "quoted scalars over several lines",
      "a: \"one  \n   two\n\n  three \\\n   four\"\nb: 'it''s\n  more'\nc:\n - \"x\n  y\"\n",
    ],
    [
      "a key written twice: the exact parser's problem, the other documents read",
      "x: 1\n---\na: 1\nb:\n  c: 1\n  c: 2\na: 3\n---\nb: 1\n",
    ],
    [
      "anchors and aliases",
      "a: &x 1.10\nb: *x\nc: &m\n  k: v\nd: *m\ne:\n  - &s str\n  - *s # same\nf: &q\n- 1\ng: *q\n",
    ],
    ["an alias into which a path goes", "base: &b\n  image: nginx\n  name: a\npods:\n  - *b\n  - *b\n"],
  ])("reads %s", (_name, text) => expectSame(text));

  it.each([
    ["an alias to a value that holds an alias", "a: &x 1\nb: &y [*x]\nc: *y\n"],
    ["an anchor before a compact mapping's key", "- &x a: 1\n- *x\n"],
    ["an alias to an anchor not yet written", "a: *x\nb: &x 1\n"],
    ["a merge key", "base: &b {x: 1}\nd:\n  <<: *b\n"],
    ["a tag", "a: !!str 5\n"],
    ["a directive", "%YAML 1.2\n---\na: 1\n"],
    ["a quoted scalar continued at its key's indentation", 'a:\n  b: "one\n  two"\n'],
    ["an escaped line break and a blank line", 'a: "one\\\n\n  two"\n'],
    ["a kept block scalar", "a: |+\n  x\n\n"],
    ["an indentation indicator", "a: |2\n   x\n"],
    ["a tab as indentation", "a:\n\tb: 1\n"],
    ["a complex key", "? a\n: b\n"],
    ["hexadecimal and octal", "a: 0x1F\nb: 0o17\n"],
    ["infinity", "a: .inf\n"],
    ["a lone CR", "a: 1\rb: 2\n"],
    ["a control character", "a: \u0007\n"],
    ["a mapping value on a scalar's line", "a: b: c\n"],
    ["a value on the marker's line", "--- a: 1\n"],
    ["a boolean key", "true: 1\n"],
    ["an unindented flow continuation", "a: [1,\n2]\n"],
    ["mis-indented keys", "a:\n    b: 1\n  c: 2\n"],
  ])("leaves %s to the parsers", (_name, text) => {
    expect(readScanned(text)).toBeUndefined();
    // And the file is still read, by the parsers, as it always was.
    const read = (options: { allPositions?: boolean; exact?: boolean }) => {
      const file = readYamlFile(text, "f.yaml", options);
      return { data: file.documents.map((d) => d.data), problems: file.problems };
    };
    expect(read({ allPositions: true })).toEqual(read({ exact: true }));
  });

  it("finds an image at its line and column, through the scanner", () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: a\n    image:   "nginx:1.25"   # pinned later\n';
    expect(readScanned(text)).toBeDefined();
    const [found] = readManifestText(text, "pod.yaml").occurrences;
    expect(found).toMatchObject({ line: 7, column: 14, text: "nginx:1.25" });
  });
});

/**
 * Lines of the shapes manifests are made of, mostly, and some they are not, put together at
 * random: repeated entries weigh the common shapes.
 */
const weighted = (common: string[], rare: string[]) =>
  fc.constantFrom(...common, ...common, ...common, ...rare);
/** Each line: a change of nesting (-1, 0, +1 levels of two spaces, or an odd indentation), then its parts. */
const line = fc.tuple(
  weighted(["-1", "0", "+1"], ["odd", "tab"]),
  weighted(["", "", "- "], ["-   ", "- - ", "-"]),
  weighted(["image", "name", "a", "b"], ['"q k"', "'s'", "404", "x y", "true", "", "?", "a#b"]),
  weighted([": ", ":"], [":  ", " : ", ": # c ", "", ":\t"]),
  weighted(
    ["nginx:1.25", "x", "", "1.10", '"a b"', "|", "[a, 1]", "plain text"],
    [
      "0400",
      "~",
      '"a\\tb"',
      "'it''s'",
      "|-",
      ">",
      "[a, 1, {b: c}]",
      "[a,",
      "b]",
      "{}",
      "&x v",
      "&x",
      "*x",
      "a: b",
      "x # comment",
      '"open',
      "---",
      "#c",
    ],
  ),
);

describe("generated files", () => {
  it("never disagree with the exact parser where the scanner reads them", () => {
    let scanned = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
        let level = 0;
        const text = `${lines
          .map(([change, ...parts]) => {
            level = Math.max(0, change === "-1" ? level - 1 : change === "+1" ? level + 1 : level);
            const indent = change === "odd" ? " " : change === "tab" ? "\t" : "  ".repeat(level);
            return indent + parts.join("");
          })
          .join("\n")}\n`;
        const comparison = compareYaml(text);
        if (!comparison.scanned) return;
        scanned++;
        expect(comparison.differences, JSON.stringify(text)).toEqual([]);
      }),
      { numRuns: 8000, seed: Number(process.env.FC_SEED ?? 20261207) },
    );
    // The property says something only if the scanner reads a good share of what is generated.
    console.log(`generated YAML: ${scanned} of 8000 read by the scanner`);
    expect(scanned).toBeGreaterThan(500);
  });
});
