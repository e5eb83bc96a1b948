// What scripts/differential.mjs compares: the manifest reader and the Dockerfile reader on both
// paths, and whether the fast ones apply.
export { readModel } from "../src/sources/dockerfile.js";
export { fastModel } from "../src/sources/dockerfile-fast.js";
export { exactModel } from "../src/sources/dockerfile-model.js";
export { readManifestText } from "../src/sources/read.js";
export { readFast } from "../src/sources/yaml.js";
export { compareYaml } from "../test/sources/yaml-compare.js";
