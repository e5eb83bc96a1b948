// Seeds src/policy/eol/ from a checkout of github.com/endoflife-date/endoflife.date (its
// products/*.md front matter): `node scripts/eol-seed.mjs <checkout> <commit> <date>`. Each data
// file keeps the product's public page as its source and the date the data was taken; no date is
// typed by hand. (Data, not code: the files it writes are what the rule reads.)
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const [checkout, commit, taken] = process.argv.slice(2);
if (!checkout || !commit || !taken) {
  console.error("usage: node scripts/eol-seed.mjs <endoflife.date checkout> <commit> <YYYY-MM-DD>");
  process.exit(2);
}

/** Our product name, its endoflife.date page, and the image names (last path segment) it covers. */
const PRODUCTS = [
  ["alpine", "alpine-linux", ["alpine"]],
  ["debian", "debian", ["debian"]],
  ["ubuntu", "ubuntu", ["ubuntu"]],
  ["centos", "centos", ["centos"]],
  ["rockylinux", "rocky-linux", ["rockylinux"]],
  ["almalinux", "almalinux", ["almalinux"]],
  ["fedora", "fedora", ["fedora"]],
  ["amazonlinux", "amazon-linux", ["amazonlinux"]],
  ["node", "nodejs", ["node"]],
  ["python", "python", ["python"]],
  ["golang", "go", ["golang"]],
  ["eclipse-temurin", "eclipse-temurin", ["eclipse-temurin"]],
  ["nginx", "nginx", ["nginx"]],
  ["postgres", "postgresql", ["postgres"]],
  ["redis", "redis", ["redis"]],
];

const day = (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value);

for (const [product, page, images] of PRODUCTS) {
  const text = readFileSync(join(checkout, "products", `${page}.md`), "utf8");
  const front = parse(text.split(/^---$/m)[1]);
  const releases = front.releases.map((r) => ({
    release: String(r.releaseCycle),
    // A date, true (ended, no day published) or false (no end announced yet).
    standard: day(r.eol),
    ...(r.eoes !== undefined && { extended: day(r.eoes) }),
    lts: r.lts !== undefined && r.lts !== false,
  }));
  const data = {
    $comment: `End of support per release, from endoflife.date (products/${page}.md at ${commit}). Refresh with base-image-guard eol update.`,
    product,
    images,
    source: `https://endoflife.date/${page}`,
    taken,
    releases,
  };
  writeFileSync(join("src/policy/eol", `${product}.json`), `${JSON.stringify(data, null, 2)}\n`);
  console.log(`${product}: ${releases.length} releases`);
}
