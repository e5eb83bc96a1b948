import { importBundled } from "./bundled.mjs";

const roots = process.argv.slice(2);
if (roots.length === 0) roots.push("../shared/corpus/real");
const TODAY = "2026-11-27";

const lib = await importBundled("scripts/admission-entry.ts");

/** Rule → images, keys sorted: the order rules are listed in is not a verdict. */
const stable = (rejected) =>
  JSON.stringify(Object.fromEntries(Object.entries(rejected).sort(([a], [b]) => a.localeCompare(b))));

const { workloads, namespaces } = lib.kubernetesObjects(roots, process.cwd());
let compared = 0;
let rejections = 0;
const disagreements = [];
for (const [name, policy] of Object.entries(lib.POLICIES)) {
  const exports = lib.TARGETS.map((target) => ({
    target,
    ...lib.programOf(lib.exportedResources(policy, target, TODAY)),
  }));
  for (const w of workloads) {
    const ns = w.object.metadata?.namespace;
    const namespace = namespaces.find((n) => n.object.metadata?.name === ns);
    let expected;
    try {
      expected = stable(
        lib.checkVerdict(policy, [...(namespace ? [namespace.object] : []), w.object], TODAY),
      );
    } catch (error) {
      disagreements.push(`${w.file}#${w.index} [${name}] check failed: ${error.message}`);
      continue;
    }
    for (const { target, program, allowedValues } of exports) {
      compared++;
      let got;
      try {
        const { rejected } = lib.evaluate(program, {
          object: w.object,
          ...(namespace && { namespaceObject: namespace.object }),
          request: { namespace: ns ?? "" },
          exceptions: { allowedValues, allowedImages: [] },
        });
        rejections += Object.values(rejected).reduce((n, images) => n + images.length, 0);
        got = stable(rejected);
      } catch (error) {
        got = `error: ${error.message}`;
      }
      if (got !== expected)
        disagreements.push(
          `${w.file}#${w.index} ${w.object.kind} [${name}, ${target}]\n  check: ${expected}\n  cel:   ${got}`,
        );
    }
  }
}
console.log(
  `${workloads.length} pod-bearing objects, ${namespaces.length} namespaces; ${compared} verdicts compared (${rejections} image rejections); ${disagreements.length} disagreements`,
);
for (const line of disagreements.slice(0, 40)) console.log(line);
process.exit(disagreements.length > 0 ? 1 : 0);
