// What scripts/differential.mjs compares: the manifest reader on both paths, and whether the fast one applies.
export { readManifestText } from "../src/sources/read.js";
export { readFast } from "../src/sources/yaml.js";
