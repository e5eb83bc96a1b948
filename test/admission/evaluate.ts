/**
 * Evaluates an exported CEL program the way the API server and Kyverno do: variables in order,
 * each visible to the later ones as `variables.<name>`, then every validation. The evaluator is
 * @bufbuild/cel (conformance-tested) with its strings extension, the library Kubernetes has.
 */
import { celEnv, isCelError, parse, plan } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import type { CelProgram } from "../../src/admission/cel.js";
import type { RuleId } from "../../src/rules/catalog.js";

/** JSON as CEL input: objects become maps; label values are strings, as the API server requires. */
export function celValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(celValue);
  if (value !== null && typeof value === "object") {
    return new Map(Object.entries(value).map(([key, child]) => [key, celValue(child)]));
  }
  return value;
}

function listOf(value: unknown): string[] {
  const out: string[] = [];
  for (const item of value as Iterable<unknown>) out.push(String(item));
  return out;
}

const env = celEnv({ funcs: strings });
const plans = new Map<string, ReturnType<typeof plan>>();

/** Parsed and planned once per expression: the tests evaluate the same program many times. */
function planned(expression: string): ReturnType<typeof plan> {
  let program = plans.get(expression);
  if (!program) {
    program = plan(env, parse(expression));
    plans.set(expression, program);
  }
  return program;
}

export interface Bindings {
  object: unknown;
  namespaceObject?: unknown;
  request?: { namespace: string };
  exceptions?: { allowedValues: string[]; allowedImages: string[] };
}

export interface Evaluation {
  /** Images each rule rejects, by rule. */
  rejected: Partial<Record<RuleId, string[]>>;
  /** Validations that passed (true) or denied (false), with their messages. */
  messages: string[];
}

export function evaluate(program: CelProgram, bindings: Bindings): Evaluation {
  const variables = new Map<string, unknown>();
  const context: Record<string, unknown> = {
    object: celValue(bindings.object),
    namespaceObject: bindings.namespaceObject === undefined ? null : celValue(bindings.namespaceObject),
    request: celValue(bindings.request ?? { namespace: "" }),
    exceptions: celValue(bindings.exceptions ?? { allowedValues: [], allowedImages: [] }),
    variables,
  };
  const evalOne = (expression: string, what: string): unknown => {
    let result: unknown;
    try {
      result = planned(expression)(context as never);
    } catch (error) {
      result = error;
    }
    if (isCelError(result) || result instanceof Error)
      throw new Error(`${what}: ${(result as Error).message}`);
    return result;
  };
  for (const variable of program.variables) {
    variables.set(variable.name, evalOne(variable.expression, `variable ${variable.name}`));
  }
  const rejected: Evaluation["rejected"] = {};
  const messages: string[] = [];
  for (const validation of program.validations) {
    const passed = evalOne(validation.expression, `validation ${validation.rule}`);
    if (passed !== true && passed !== false)
      throw new Error(`validation ${validation.rule} gave ${String(passed)}`);
    const images = listOf(variables.get(validation.variable));
    if (passed === images.length > 0)
      throw new Error(`validation ${validation.rule} disagrees with its variable`);
    if (!passed) {
      rejected[validation.rule] = images.sort();
      messages.push(String(evalOne(validation.messageExpression, `message of ${validation.rule}`)));
    }
  }
  return { rejected, messages };
}
