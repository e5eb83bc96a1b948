/**
 * Dockerfile source (SPEC §4): every FROM, plus external images in `COPY --from` and
 * `RUN --mount=…,from=`, with global ARG defaults and `--build-arg` values expanded. Stage
 * references and `scratch` are not images. Parsing is dockerfile-ast's, so parser directives, the
 * escape character, line continuations and heredocs follow Docker's rules.
 */
import {
  type Copy,
  DockerfileParser,
  type From,
  type Instruction,
  type Label,
  type Onbuild,
  type Run,
} from "dockerfile-ast";
import { resolveImage } from "./resolve.js";
import type { Occurrence, ParseProblem, SourceResult } from "./types.js";
import { expandVariables, type Variables } from "./variables.js";

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
  const problems: ParseProblem[] = [];
  const problem = (line: number, column: number, message: string) =>
    problems.push({ file, line: line + 1, column: column + 1, message });

  const dockerfile = DockerfileParser.parse(asBuildKitReadsIt(text));
  const lines = text.split("\n");
  const escapeChar = dockerfile.getEscapeCharacter();
  const globals = new Map<string, string | undefined>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    const name = property?.getName();
    if (!property || !name) continue;
    globals.set(name, options.buildArgs?.[name] ?? argDefault(property.getValue(), globals, escapeChar));
  }

  const stages: Stage[] = [];
  const occurrences: Occurrence[] = [];
  const stageIndex = (reference: string): number | undefined => {
    if (/^\d+$/.test(reference)) {
      const index = Number(reference);
      return index < stages.length ? index : undefined;
    }
    const index = stages.findIndex((s) => s.name === reference.toLowerCase());
    return index >= 0 ? index : undefined;
  };
  /** The image text after global ARGs, and what it names; a stage name is checked on this text. */
  const resolve = (written: string) => resolveImage(written, globals, escapeChar);
  /** Whether resolved text names an earlier stage (by name, or by index where `allowIndex`). */
  const isStage = ({ text, image }: ReturnType<typeof resolve>, allowIndex: boolean) =>
    image.kind !== "unresolved" && (allowIndex || !/^\d+$/.test(text)) && stageIndex(text) !== undefined;
  const occurrence = (
    instruction: Instruction,
    { text: resolved, image }: ReturnType<typeof resolve>,
    at: { line: number; character: number },
    via: Occurrence["via"],
  ): Occurrence => {
    const start = instruction.getRange().start;
    return {
      file,
      line: start.line + 1,
      column: (at.line === start.line ? at.character : start.character) + 1,
      source: "dockerfile",
      text: resolved,
      image,
      via,
      stage: { index: stages.length - 1, final: false },
      labels: {},
    };
  };

  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const start = instruction.getRange().start;
    if (!INSTRUCTIONS.has(keyword)) {
      problem(start.line, start.character, `unknown instruction "${instruction.getInstruction()}"`);
      continue;
    }
    if (keyword === "FROM") {
      readFrom(instruction as From);
      continue;
    }
    const stage = stages[stages.length - 1];
    if (!stage) {
      if (keyword !== "ARG") problem(start.line, start.character, `${keyword} before the first FROM`);
      continue;
    }
    if (keyword === "ONBUILD") {
      // ONBUILD runs its instruction in images built FROM this one: judged like that instruction.
      const trigger = (instruction as Onbuild).getTriggerInstruction();
      const triggerKeyword = trigger?.getKeyword();
      if (trigger && options.copyFrom !== false && (triggerKeyword === "COPY" || triggerKeyword === "RUN"))
        readExternalSources(trigger as Copy | Run);
    } else if (keyword === "LABEL") {
      for (const property of (instruction as Label).getProperties()) {
        const name = property.getName();
        if (name) stage.labels[name] = property.getValue() ?? "";
      }
    } else if (options.copyFrom !== false && (keyword === "COPY" || keyword === "RUN")) {
      readExternalSources(instruction as Copy | Run);
    }
  }

  function readFrom(from: From): void {
    const start = from.getRange().start;
    const args = from.getArguments();
    const first = args[0];
    if (!first) {
      problem(start.line, start.character, "FROM without an image");
      return;
    }
    const hasAlias = args.length === 3 && args[1]?.getValue().toLowerCase() === "as";
    if (args.length !== 1 && !hasAlias) {
      problem(start.line, start.character, 'FROM takes one image and an optional "AS name"');
      return;
    }
    const stage: Stage = { index: stages.length, labels: {} };
    if (hasAlias) stage.name = (args[2]?.getValue() ?? "").toLowerCase();
    // `FROM builder`, also as `ARG BASE=builder` + `FROM ${BASE}`, continues an earlier stage.
    const resolved = resolve(first.getValue());
    const parent = isStage(resolved, false) ? stageIndex(resolved.text) : undefined;
    stages.push(stage);
    if (parent !== undefined) {
      stage.parent = parent;
      return;
    }
    const found = occurrence(from, resolved, first.getRange().start, "from");
    if (found.text.toLowerCase() === "scratch") return;
    if (stage.name !== undefined && found.stage) found.stage.name = stage.name;
    stage.base = found;
    occurrences.push(found);
  }

  function readExternalSources(instruction: Copy | Run): void {
    // Parsing flags is the costly part of dockerfile-ast; most COPY and RUN lines have none.
    const { start, end } = instruction.getRange();
    if (!lines.slice(start.line, end.line + 1).some((line) => line.includes("--"))) return;
    for (const flag of instruction.getFlags()) {
      if (flag.getName() === "from") {
        externalSource(instruction, flag.getValue(), flag.getValueRange()?.start, "copy-from");
      } else if (flag.getName() === "mount") {
        const from = flag.getOption("from");
        if (from) externalSource(instruction, from.getValue(), from.getValueRange()?.start, "mount-from");
      }
    }
  }

  function externalSource(
    instruction: Instruction,
    written: string | null,
    at: { line: number; character: number } | undefined,
    via: "copy-from" | "mount-from",
  ): void {
    if (!written || !at) return;
    const resolved = resolve(written);
    if (isStage(resolved, true)) return;
    const found = occurrence(instruction, resolved, at, via);
    const name = stages[stages.length - 1]?.name;
    if (name !== undefined && found.stage) found.stage.name = name;
    occurrences.push(found);
  }

  markFinalImage(stages, occurrences);
  if (stages.length === 0 && problems.length === 0) {
    problems.push({
      file,
      line: 1,
      column: 1,
      message: text.trim() === "" ? "empty Dockerfile: no FROM instruction" : "no FROM instruction",
    });
  }
  const last = dockerfile.getInstructions().at(-1);
  if (last && endsWithContinuation(text, escapeChar)) {
    const start = last.getRange().start;
    problem(
      start.line,
      start.character,
      "file ends inside an instruction (line continuation at end of file)",
    );
  }
  return {
    occurrences,
    problems,
    namespaces: {},
    heredocLines: heredocLines(dockerfile.getInstructions(), text),
  };
}

/** 1-based lines of heredoc text: never instructions, and never suppression comments. */
function heredocLines(instructions: Instruction[], text: string): Set<number> {
  const lines = new Set<number>();
  if (!text.includes("<<")) return lines;
  for (const instruction of instructions) {
    const withHeredocs = instruction as unknown as Partial<Pick<Run, "getHeredocs">>;
    if (typeof withHeredocs.getHeredocs !== "function") continue;
    for (const heredoc of withHeredocs.getHeredocs()) {
      const range = heredoc.getContentRange();
      if (!range) continue;
      for (let line = range.start.line; line <= range.end.line; line++) lines.add(line + 1);
    }
  }
  return lines;
}

/** A parser directive line as BuildKit reads it (frontend/dockerfile/parser/directives.go). */
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const KNOWN_DIRECTIVES = new Set(["syntax", "escape", "check"]);

/**
 * The text with what dockerfile-ast reads differently from BuildKit made plain, keeping every
 * position: directive-looking comments after the directives end (BuildKit stops at the first line
 * that is not a known directive, so a later `# escape=` does not apply), and heredoc markers
 * whose `<` is escaped (`\<<EOT` is not a heredoc).
 */
function asBuildKitReadsIt(text: string): string {
  const lines = text.split("\n");
  let escapeChar = "\\";
  let ended = false;
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, "");
    const match = DIRECTIVE.exec(line);
    if (!ended && match && KNOWN_DIRECTIVES.has((match[1] as string).toLowerCase())) {
      if ((match[1] as string).toLowerCase() === "escape" && (match[2] === "`" || match[2] === "\\"))
        escapeChar = match[2];
      continue;
    }
    ended = true;
    if (!line.startsWith("#") && !/^\s+#/.test(line)) break;
    if (match) {
      lines[i] = (lines[i] as string).replace("=", " ");
      changed = true;
    }
  }
  const result = changed ? lines.join("\n") : text;
  // An escaped `<` is a literal: `\<<EOT` (or `` `<<EOT `` under `escape=```) starts no heredoc,
  // unless the escape character is itself escaped.
  const marker = `${escapeChar}<<`;
  if (!result.includes(marker)) return result;
  let out = "";
  for (let i = 0; i < result.length; i++) {
    const char = result[i] as string;
    if (char === escapeChar) {
      if (result.startsWith(marker, i)) {
        out += `${escapeChar}< `;
        i += 2;
        continue;
      }
      out += char + (result[i + 1] ?? "");
      i++;
      continue;
    }
    out += char;
  }
  return out;
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
  for (let stage: Stage | undefined = final; stage && !chain.includes(stage); ) {
    chain.push(stage);
    stage = stage.parent === undefined ? undefined : stages[stage.parent];
  }
  const labels = Object.assign({}, ...chain.map((s) => s.labels).reverse());
  const root = chain[chain.length - 1];
  if (root?.base) root.base.labels = labels;
  for (const occurrence of occurrences) {
    if (!occurrence.stage) continue;
    const inChain = chain.some((s) => s.index === occurrence.stage?.index);
    occurrence.stage.final = occurrence.via === "from" ? inChain : occurrence.stage.index === final.index;
  }
}

function endsWithContinuation(text: string, escapeChar: string): boolean {
  const trimmed = text.replace(/[ \t\r\n]+$/, "");
  return trimmed.endsWith(escapeChar) && !trimmed.endsWith(escapeChar + escapeChar);
}
