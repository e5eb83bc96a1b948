// Bundled by scripts/admission-differential.mjs: the pieces the admission equivalence test uses.
export { TARGETS } from "../src/admission/export.js";
export { CEL_GO_BUILDS, celGoMissing, ENVS_OF, rejectedOf, runCelGo } from "../test/admission/cel-go.js";
export { evaluate } from "../test/admission/evaluate.js";
export { exportedResources, programOf } from "../test/admission/exported.js";
export { kubernetesObjects } from "../test/admission/objects.js";
export { POLICIES } from "../test/admission/policies.js";
export { checkVerdict } from "../test/admission/verdicts.js";
