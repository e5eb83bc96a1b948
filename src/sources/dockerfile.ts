/**
 * Dockerfile source (SPEC §4): every FROM, plus external images in `COPY --from` and
 * `RUN --mount=…,from=`, with global ARG defaults and `--build-arg` values expanded. Stage
 * references and `scratch` are not images. Parsing is dockerfile-ast's, so parser directives, the
 * escape character, line continuations and heredocs follow Docker's rules.
 */

import { fastModel } from "./dockerfile-fast.js";
import {
  type DockerfileModel,
  type DockerInstruction,
  exactModel,
  type Position,
} from "./dockerfile-model.js";
import { pathStats } from "./path-stats.js";
import { detach, resolveImage } from "./resolve.js";
import type { ImageState, ImageWritten, Occurrence, ParseProblem, SourceResult } from "./types.js";
import { expandVariables, oneVariable, type Variables } from "./variables.js";

export interface DockerfileOptions {
  /** `--build-arg` values; they override global ARG defaults (only for ARGs the file declares). */
  buildArgs?: Readonly<Record<string, string>>;
  /** Read images in COPY --from / RUN --mount=from (policy `dockerfile.copyFrom: check`). */
  copyFrom?: boolean;
}

/** Instructions Docker knows; anything else is a parse error, as `docker build` says. */
const INSTRUCTIONS = new Set([
  "ADD",
  "ARG",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "FROM",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR",
]);

interface Stage {
  index: number;
  name?: string;
  /** Index of the earlier stage this one is built `FROM`, if any. */
  parent?: number;
  /** The occurrence of its base image, when that is a real image. */
  base?: Occurrence;
  labels: Record<string, string>;
}

/** What a Dockerfile holds, plus the lines of heredoc text (never instructions nor comments). */
export interface DockerfileResult extends SourceResult {
  heredocLines: Set<number>;
}

export function readDockerfile(
  text: string,
  file: string,
  options: DockerfileOptions = {},
): DockerfileResult {
  // The fast path where it is sure (issue 10); dockerfile-ast for everything else.
  const fast = fastModel(text);
  pathStats.dockerfile[fast ? "fast" : "exact"]++;
  return readModel(fast ?? exactModel(text), text, file, options);
}

/** The Dockerfile source over a parsed model: stages, images, problems. */
export function readModel(
  model: DockerfileModel,
  text: string,
  file: string,
  options: DockerfileOptions = {},
): DockerfileResult {
  const { escapeChar } = model;
  const buildArgs = options.buildArgs ?? {};
  const reader = new StageReader(
    file,
    text,
    globalArgs(model, buildArgs),
    escapeChar,
    argSources(model, buildArgs),
  );
  for (const instruction of model.instructions) reader.read(instruction, options.copyFrom !== false);
  const result = reader.finish(text, model.instructions.at(-1));
  return { ...result, heredocLines: model.heredocLines };
}

/** Global ARGs (before the first FROM): `--build-arg` values override the defaults of declared ARGs. */
function globalArgs(
  model: DockerfileModel,
  buildArgs: Readonly<Record<string, string>>,
): Map<string, string | undefined> {
  const globals = new Map<string, string | undefined>();
  for (const { name, value } of model.initialArgs) {
    globals.set(name, buildArgs[name] ?? argDefault(value, globals, model.escapeChar));
  }
  return globals;
}

/**
 * Where each global ARG's value comes from, for `fix` (SPEC §9): its default's position in the
 * file, or why it cannot be rewritten there (a `--build-arg`, no default, a default with variables).
 */
type ArgSource = { line: number; column: number; value: string } | { reason: string };

function argSources(
  model: DockerfileModel,
  buildArgs: Readonly<Record<string, string>>,
): Map<string, ArgSource> {
  const sources = new Map<string, ArgSource>();
  for (const { name, value, valueStart } of model.initialArgs) {
    if (buildArgs[name] !== undefined) sources.set(name, { reason: `ARG ${name} is set by --build-arg` });
    else if (value === null || !valueStart) sources.set(name, { reason: `ARG ${name} has no default` });
    else if (value.includes("$"))
      sources.set(name, { reason: `the default of ARG ${name} is made from other variables` });
    else
      sources.set(name, {
        line: valueStart.line + 1,
        column: valueStart.character + 1,
        value: detach(value),
      });
  }
  return sources;
}

/** Builds the stages of a Dockerfile instruction by instruction, and the images they use. */
class StageReader {
  readonly stages: Stage[] = [];
  readonly occurrences: Occurrence[] = [];
  readonly problems: ParseProblem[] = [];
  /** Stage names to the first stage of that name: lookups in constant time (linear in the file). */
  private readonly stageNames = new Map<string, number>();
  private readonly lines: string[];

  constructor(
    private readonly file: string,
    text: string,
    private readonly globals: Map<string, string | undefined>,
    private readonly escapeChar: string,
    private readonly argSources: Map<string, ArgSource>,
  ) {
    this.lines = text.split("\n");
  }

  /**
   * Where the image's text is written: the word itself, the default of the one ARG it names (once
   * `fix` has made sure every use agrees), or a `${NAME:-default}` default (SPEC §9).
   */
  private written(word: string, at: Position): ImageWritten {
    const here = { file: this.file, line: at.line + 1, column: at.character + 1, value: detach(word) };
    if (!word.includes("$")) return { kind: "value", at: here };
    // An ARG without a default is unset: `${NAME:-default}` then uses its default. One set by
    // --build-arg, or by other variables, has a value this reading does not rewrite.
    const one = oneVariable(word, (name) => {
      const source = this.argSources.get(name);
      if (!source || ("reason" in source && source.reason.endsWith("has no default"))) return undefined;
      return "value" in source ? source.value : "(set elsewhere)";
    });
    if (!one)
      return { kind: "fixed", reason: "the image is put together from ARGs; change their values by hand" };
    if (one.part) return { kind: "value", at: here, part: one.part };
    const name = one.name;
    const source = this.argSources.get(name);
    if (source && "line" in source) return { kind: "value", at: { file: this.file, ...source } };
    return {
      kind: "fixed",
      reason: source ? source.reason : `ARG ${name} is not declared before the first FROM`,
    };
  }

  problem(line: number, column: number, message: string): void {
    this.problems.push({ file: this.file, line: line + 1, column: column + 1, message });
  }

  read(instruction: DockerInstruction, copyFrom: boolean): void {
    const { keyword, start } = instruction;
    if (!INSTRUCTIONS.has(keyword)) {
      this.problem(start.line, start.character, `unknown instruction "${instruction.written}"`);
      return;
    }
    if (keyword === "FROM") {
      this.from(instruction);
      return;
    }
    const stage = this.stages[this.stages.length - 1];
    if (!stage) {
      if (keyword !== "ARG") this.problem(start.line, start.character, `${keyword} before the first FROM`);
      return;
    }
    if (keyword === "LABEL") {
      for (const { name, value } of instruction.labels()) stage.labels[detach(name)] = detach(value);
      return;
    }
    // ONBUILD runs its instruction in images built FROM this one: judged like that instruction.
    const judged = keyword === "ONBUILD" ? instruction.trigger() : instruction;
    if (judged && copyFrom && (judged.keyword === "COPY" || judged.keyword === "RUN"))
      this.externalSources(judged);
  }

  /** The image text after global ARGs, and what it names; a stage name is checked on this text. */
  private resolve(written: string): { text: string; image: ImageState } {
    return resolveImage(written, this.globals, this.escapeChar);
  }

  private stageIndex(reference: string): number | undefined {
    if (/^\d+$/.test(reference)) {
      const index = Number(reference);
      return index < this.stages.length ? index : undefined;
    }
    return this.stageNames.get(reference.toLowerCase());
  }

  /** Whether resolved text names an earlier stage (by name, or by index where `allowIndex`). */
  private isStage({ text, image }: { text: string; image: ImageState }, allowIndex: boolean): boolean {
    return (
      image.kind !== "unresolved" &&
      (allowIndex || !/^\d+$/.test(text)) &&
      this.stageIndex(text) !== undefined
    );
  }

  private occurrence(
    instruction: DockerInstruction,
    { text, image }: { text: string; image: ImageState },
    at: Position,
    via: Occurrence["via"],
    word: string,
  ): Occurrence {
    const { start } = instruction;
    const name = this.stages[this.stages.length - 1]?.name;
    return {
      written: this.written(word, at),
      file: this.file,
      line: start.line + 1,
      column: (at.line === start.line ? at.character : start.character) + 1,
      source: "dockerfile",
      text,
      image,
      via,
      stage: { index: this.stages.length - 1, ...(name !== undefined && { name }), final: false },
      labels: {},
    };
  }

  private from(from: DockerInstruction): void {
    const { start } = from;
    const args = from.args();
    const first = args[0];
    if (!first) {
      this.problem(start.line, start.character, "FROM without an image");
      return;
    }
    const hasAlias = args.length === 3 && args[1]?.value.toLowerCase() === "as";
    if (args.length !== 1 && !hasAlias) {
      this.problem(start.line, start.character, 'FROM takes one image and an optional "AS name"');
      return;
    }
    const stage: Stage = { index: this.stages.length, labels: {} };
    if (hasAlias) stage.name = detach((args[2]?.value ?? "").toLowerCase());
    // `FROM builder`, also as `ARG BASE=builder` + `FROM ${BASE}`, continues an earlier stage.
    const resolved = this.resolve(first.value);
    const parent = this.isStage(resolved, false) ? this.stageIndex(resolved.text) : undefined;
    this.stages.push(stage);
    if (stage.name !== undefined && !this.stageNames.has(stage.name))
      this.stageNames.set(stage.name, stage.index);
    if (parent !== undefined) {
      stage.parent = parent;
      return;
    }
    const found = this.occurrence(from, resolved, first.start, "from", first.value);
    if (found.text.toLowerCase() === "scratch") return;
    stage.base = found;
    this.occurrences.push(found);
  }

  private externalSources(instruction: DockerInstruction): void {
    // Parsing flags is the costly part of dockerfile-ast; most COPY and RUN lines have none.
    const { first, last } = instruction.lines;
    if (!this.lines.slice(first, last + 1).some((line) => line.includes("--"))) return;
    for (const flag of instruction.flags()) {
      if (flag.name === "from") {
        this.externalSource(instruction, flag.value, flag.valueStart, "copy-from");
      } else if (flag.name === "mount") {
        const from = flag.option("from");
        if (from) this.externalSource(instruction, from.value, from.valueStart, "mount-from");
      }
    }
  }

  private externalSource(
    instruction: DockerInstruction,
    written: string | null,
    at: Position | undefined,
    via: "copy-from" | "mount-from",
  ): void {
    if (!written || !at) return;
    const resolved = this.resolve(written);
    if (this.isStage(resolved, true)) return;
    this.occurrences.push(this.occurrence(instruction, resolved, at, via, written));
  }

  /** Marks the final image, and reports a file without FROM or ending inside an instruction. */
  finish(text: string, last: DockerInstruction | undefined): SourceResult {
    const { stages, occurrences, problems, file } = this;
    const escapeChar = this.escapeChar;
    markFinalImage(stages, occurrences);
    if (stages.length === 0 && problems.length === 0) {
      problems.push({
        file,
        line: 1,
        column: 1,
        message: text.trim() === "" ? "empty Dockerfile: no FROM instruction" : "no FROM instruction",
      });
    }
    if (last && endsWithContinuation(text, escapeChar)) {
      const { start } = last;
      this.problem(
        start.line,
        start.character,
        "file ends inside an instruction (line continuation at end of file)",
      );
    }
    return { occurrences, problems, namespaces: {} };
  }
}

/** ARG defaults may use earlier ARGs; one that uses an ARG without a value has no value either. */
function argDefault(value: string | null, globals: Variables, escapeChar: string): string | undefined {
  if (value === null) return undefined;
  const expansion = expandVariables(value, globals, escapeChar);
  return expansion.missing.length > 0 ? undefined : expansion.value;
}

/**
 * Marks what ends up in the final image: the final stage, and the stages it is built FROM. The
 * base of that chain carries the LABELs of the whole chain (SPEC §3.3: a Dockerfile is
 * high-security by a LABEL in its final stage, and labels are inherited from the base stage).
 */
function markFinalImage(stages: Stage[], occurrences: Occurrence[]): void {
  const final = stages[stages.length - 1];
  if (!final) return;
  const chain: Stage[] = [];
  const inChain = new Set<number>();
  for (let stage: Stage | undefined = final; stage && !inChain.has(stage.index); ) {
    chain.push(stage);
    inChain.add(stage.index);
    stage = stage.parent === undefined ? undefined : stages[stage.parent];
  }
  const labels: Record<string, string> = {};
  for (let i = chain.length - 1; i >= 0; i--) Object.assign(labels, chain[i]?.labels);
  const root = chain[chain.length - 1];
  if (root?.base) root.base.labels = labels;
  for (const occurrence of occurrences) {
    if (!occurrence.stage) continue;
    const isInChain = inChain.has(occurrence.stage.index);
    occurrence.stage.final = occurrence.via === "from" ? isInChain : occurrence.stage.index === final.index;
  }
}

function endsWithContinuation(text: string, escapeChar: string): boolean {
  // From the end, past blanks: a regular expression anchored at the end scans the whole text.
  let end = text.length;
  while (end > 0 && " \t\r\n".includes(text[end - 1] as string)) end--;
  return text[end - 1] === escapeChar && text[end - 2] !== escapeChar;
}
