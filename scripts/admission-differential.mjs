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
// The same objects in cel-go, the CEL the cluster runs (tools/celgo), one batch per export and environment.
let celGoCompared = 0;
if (lib.celGoMissing) console.log(`cel-go: not run (${lib.celGoMissing})`);
else
  for (const [name, policy] of Object.entries(lib.POLICIES)) {
    for (const target of lib.TARGETS) {
      const { program, allowedValues } = lib.programOf(lib.exportedResources(policy, target, TODAY));
      const objects = workloads.map((w) => {
        const ns = w.object.metadata?.namespace;
        const namespace = namespaces.find((n) => n.object.metadata?.name === ns);
        return {
          object: w.object,
          namespaceObject: namespace?.object ?? null,
          request: { namespace: ns ?? "" },
          exceptions: allowedValues,
        };
      });
      const expected = workloads.map((w) => {
        const ns = w.object.metadata?.namespace;
        const namespace = namespaces.find((n) => n.object.metadata?.name === ns);
        try {
          return stable(
            lib.checkVerdict(policy, [...(namespace ? [namespace.object] : []), w.object], TODAY),
          );
        } catch (error) {
          return `check failed: ${error.message}`;
        }
      });
      for (const build of lib.CEL_GO_BUILDS)
        for (const env of lib.ENVS_OF[target]) {
          const answer = lib.runCelGo(
            build,
            env,
            [{ name, program }],
            objects,
            program.validations.map((v) => v.variable),
          );
          const errors = answer.policies[0].errors;
          if (errors.length > 0)
            disagreements.push(
              `[${name}, ${target}, ${env}, cel-go ${answer.celGo}] compile: ${errors[0].message}`,
            );
          answer.policies[0].results.forEach((r, i) => {
            celGoCompared++;
            const got = r.errors.length > 0 ? `error: ${r.errors[0]}` : stable(lib.rejectedOf(program, r));
            if (got !== expected[i])
              disagreements.push(
                `${workloads[i].file}#${workloads[i].index} [${name}, ${target}, ${env}, cel-go ${answer.celGo}]\n  check: ${expected[i]}\n  cel-go: ${got}`,
              );
          });
        }
    }
  }
console.log(`cel-go: ${celGoCompared} verdicts compared`);
console.log(
  `${workloads.length} pod-bearing objects, ${namespaces.length} namespaces; ${compared} verdicts compared (${rejections} image rejections); ${disagreements.length} disagreements`,
);
for (const line of disagreements.slice(0, 40)) console.log(line);
process.exit(disagreements.length > 0 ? 1 : 0);
