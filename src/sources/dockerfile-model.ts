/**
 * What the Dockerfile source needs of a parsed Dockerfile, whichever parser read it: the escape
 * character, the global ARGs, and per instruction its keyword, position, FROM arguments, LABELs,
 * flags (lazily: they are the costly part) and ONBUILD trigger. `exactModel` adapts dockerfile-ast
 * (with BuildKit's reading of directives and escaped heredoc markers); `dockerfile-fast.ts`
 * builds the same model by hand where it can be sure, and a differential test holds them equal.
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

/** 0-based, as dockerfile-ast counts. */
export interface Position {
  line: number;
  character: number;
}

export interface Word {
  value: string;
  start: Position;
}

export interface Flag {
  name: string;
  value: string | null;
  valueStart: Position | undefined;
  /** `--mount=type=cache,from=x`: the comma-separated options of the value. */
  option(name: string): { value: string | null; valueStart: Position | undefined } | undefined;
}

export interface DockerInstruction {
  /** Upper-case keyword (`FROM`), or the word as written upper-cased when unknown. */
  keyword: string;
  /** The keyword as written, for messages. */
  written: string;
  start: Position;
  /** FROM: its arguments without flags. */
  args(): Word[];
  /** LABEL: its properties. */
  labels(): { name: string; value: string }[];
  /** COPY / RUN: leading flags. */
  flags(): Flag[];
  /** ONBUILD: the instruction it carries. */
  trigger(): DockerInstruction | undefined;
  /** 0-based lines the instruction spans. */
  lines: { first: number; last: number };
}

export interface DockerfileModel {
  escapeChar: string;
  /**
   * ARGs before the first FROM: name and default as written (quotes removed), null without one,
   * and where the default is written (for `fix`, SPEC §9).
   */
  initialArgs: { name: string; value: string | null; valueStart?: Position }[];
  instructions: DockerInstruction[];
  /** 1-based lines of heredoc text. */
  heredocLines: Set<number>;
}

/** The model as dockerfile-ast reads the text, after BuildKit's directive and heredoc rules. */
export function exactModel(text: string): DockerfileModel {
  const dockerfile = DockerfileParser.parse(asBuildKitReadsIt(text));
  const initialArgs: DockerfileModel["initialArgs"] = [];
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    const name = property?.getName();
    if (!property || !name) continue;
    const valueStart = property.getValueRange()?.start;
    initialArgs.push({ name, value: property.getValue(), ...(valueStart && { valueStart }) });
  }
  const instructions = dockerfile.getInstructions();
  return {
    escapeChar: dockerfile.getEscapeCharacter(),
    initialArgs,
    instructions: instructions.map(adapt),
    heredocLines: heredocLines(instructions, text),
  };
}

function adapt(instruction: Instruction): DockerInstruction {
  const range = instruction.getRange();
  return {
    keyword: instruction.getKeyword(),
    written: instruction.getInstruction() ?? "",
    start: range.start,
    lines: { first: range.start.line, last: range.end.line },
    args: () =>
      (instruction as From)
        .getArguments()
        .map((arg) => ({ value: arg.getValue(), start: arg.getRange().start })),
    labels: () =>
      (instruction as Label).getProperties().flatMap((property) => {
        const name = property.getName();
        return name ? [{ name, value: property.getValue() ?? "" }] : [];
      }),
    flags: () =>
      (instruction as Copy | Run).getFlags().map((flag) => ({
        name: flag.getName(),
        value: flag.getValue(),
        valueStart: flag.getValueRange()?.start,
        option: (name: string) => {
          const option = flag.getOption(name);
          return option ? { value: option.getValue(), valueStart: option.getValueRange()?.start } : undefined;
        },
      })),
    trigger: () => {
      const trigger = (instruction as Onbuild).getTriggerInstruction();
      return trigger ? adapt(trigger) : undefined;
    },
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
export const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
export const KNOWN_DIRECTIVES: ReadonlySet<string> = new Set(["syntax", "escape", "check"]);

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
