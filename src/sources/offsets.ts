import { LineCounter } from "yaml";

/**
 * Line and column (1-based; columns in UTF-16 code units, as the YAML sources count them) of
 * offsets in a text: for the sources that find values by offset (dev containers, bake files,
 * Jenkinsfiles).
 */
export function positionsIn(text: string): (offset: number) => { line: number; col: number } {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) counter.addNewLine(i + 1);
  return (offset) => counter.linePos(offset);
}
