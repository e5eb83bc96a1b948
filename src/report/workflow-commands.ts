/**
 * GitHub Actions workflow commands (`::error file=…::message`). Every piece of untrusted text —
 * file names, image strings, messages — goes through these escapes, so none can end a command or
 * start a new one (non-negotiable 7).
 */
import { controls } from "./neutralise.js";

/** Escapes a command's message: `%`, CR and LF; other control characters (ESC) are shown as escapes. */
export function escapeData(text: string): string {
  return controls(text).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a property value: as data, plus `:` and `,` which separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export type CommandName = "error" | "warning" | "notice";

export function workflowCommand(
  name: CommandName,
  properties: Record<string, string | number | undefined>,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== "")
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}
