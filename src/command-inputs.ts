/**
 * What the commands share in reading their options: `--build-arg`, a file or stdin, a date.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InputError, UsageError } from "./errors.js";
import { isCalendarDate } from "./policy/dates.js";

export function collectBuildArg(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf("=");
  if (at <= 0) throw new UsageError(`--build-arg takes KEY=VALUE, got "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** A file named by an option, or stdin for `-`. */
export function readInput(
  from: string,
  cwd: string,
  what: string,
  stdinName: string,
): { text: string; origin: string } {
  try {
    return from === "-"
      ? { text: readFileSync(0, "utf8"), origin: stdinName }
      : { text: readFileSync(resolve(cwd, from), "utf8"), origin: from };
  } catch (error) {
    throw new InputError(`cannot read ${what} ${from}: ${(error as Error).message}`);
  }
}

/** A day given as YYYY-MM-DD (today when not given). */
export function dayOf(text: string | undefined, option: string): string {
  if (text === undefined) return new Date().toISOString().slice(0, 10);
  if (!isCalendarDate(text)) {
    throw new UsageError(`${option} takes a date as YYYY-MM-DD, got "${text}"`);
  }
  return text;
}
