/**
 * `fix --write` (SPEC §9): every file is written whole or not at all. First each new text goes to
 * a temporary file beside its original (same folder, so the rename stays on one file system),
 * flushed to disk, with the original's mode (and owner, where the process may set it); a file that
 * changed since `fix` read it is refused before anything is written. Only when every temporary
 * file is complete are they renamed over the originals, one atomic rename each. A failure before
 * that point removes the temporary files and leaves every original as it was.
 */
import { randomBytes } from "node:crypto";
import {
  chownSync,
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { GuardError } from "../errors.js";
import type { FileChange } from "./index.js";

export class WriteError extends GuardError {}

export function writeChanges(files: readonly FileChange[]): void {
  const staged: { temp: string; target: string; change: FileChange }[] = [];
  const abandon = (error: unknown, change: FileChange): never => {
    for (const { temp } of staged) removeQuietly(temp);
    if (error instanceof WriteError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new WriteError(
      `cannot write ${change.file} (${code}); no file was changed: free space or give write permission, then run fix again`,
    );
  };
  for (const change of files) {
    let temp: string | undefined;
    try {
      // A symbolic link inside the tree is kept: its target gets the new text.
      const target = realpathSync(change.absolute);
      refuseIfChanged(target, change);
      const stats = statSync(target);
      temp = join(
        dirname(target),
        `.${basename(target)}.base-image-guard-${randomBytes(6).toString("hex")}.tmp`,
      );
      const fd = openSync(temp, "wx", 0o600);
      try {
        const bytes = Buffer.from(change.after, "utf8");
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
        fsyncSync(fd);
        fchmodSync(fd, stats.mode & 0o7777);
      } finally {
        closeSync(fd);
      }
      try {
        chownSync(temp, stats.uid, stats.gid);
      } catch {
        // Only the owner's own files can be written without privileges; the owner is then the same.
      }
      staged.push({ temp, target, change });
    } catch (error) {
      if (temp !== undefined && !staged.some((s) => s.temp === temp)) removeQuietly(temp);
      abandon(error, change);
    }
  }
  for (let i = 0; i < staged.length; i++) {
    const { temp, target, change } = staged[i] as (typeof staged)[number];
    try {
      refuseIfChanged(target, change);
      renameSync(temp, target);
    } catch (error) {
      for (const rest of staged.slice(i)) removeQuietly(rest.temp);
      const written = staged.slice(0, i).map((s) => s.change.file);
      const code =
        error instanceof WriteError ? error.message : `(${(error as NodeJS.ErrnoException).code ?? "error"})`;
      throw new WriteError(
        `cannot replace ${change.file} ${code}; ${written.length === 0 ? "no file was changed" : `already written whole: ${written.join(", ")}; the others are as they were`}`,
      );
    }
  }
}

function refuseIfChanged(target: string, change: FileChange): void {
  if (!readFileSync(target).equals(change.before)) {
    throw new WriteError(
      `${change.file} changed since fix read it; nothing was written: run fix again on the new text`,
    );
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
