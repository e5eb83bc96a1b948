/**
 * What the commands share in reading their options — `--build-arg`, a file or stdin, a date — and
 * in writing what they produce.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError, UsageError } from "./errors.js";
import { isCalendarDate } from "./policy/dates.js";

export function collectBuildArg(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf("=");
  if (at <= 0) throw new UsageError(`--build-arg takes KEY=VALUE, got "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** `--jobs N`: threads that read and parse files, 1 to 64. */
export function jobsOf(text: string): number {
  const jobs = Number(text);
  if (!/^[0-9]+$/.test(text) || jobs < 1 || jobs > 64) {
    throw new UsageError(`--jobs takes a number of threads from 1 to 64, got "${text}"`);
  }
  return jobs;
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

/** Bytes gathered before one write: few system calls, bounded memory. */
const WRITE_BATCH = 1 << 20;

/**
 * Writes a report's pieces in batches: to a file synchronously, or to stdout through its stream
 * (a pipe may be non-blocking; the stream waits for it, and guardStdout handles its errors). A
 * file that cannot be written is an I/O error (exit 2).
 */
export function writeChunks(
  chunks: Iterable<string>,
  path: string | undefined,
  shown: string | undefined,
): void {
  let batch = "";
  if (path === undefined) {
    for (const chunk of chunks) {
      batch += chunk;
      if (batch.length >= WRITE_BATCH) {
        process.stdout.write(batch);
        batch = "";
      }
    }
    process.stdout.write(batch);
    return;
  }
  let fd: number | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, "w");
    const flush = (descriptor: number) => {
      const bytes = Buffer.from(batch, "utf8");
      for (let written = 0; written < bytes.length; ) written += writeSync(descriptor, bytes, written);
      batch = "";
    };
    for (const chunk of chunks) {
      batch += chunk;
      if (batch.length >= WRITE_BATCH) flush(fd);
    }
    flush(fd);
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot write ${shown ?? path}: ${errno ?? (error as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
