/**
 * Skipped files as notices (SPEC §3.5): named, never silent, and grouped — one line per chart or
 * folder with a count — so a few real skips are not buried under a chart's templates.
 */
import type { Skip } from "../check.js";

export interface SkipNotice {
  /** A file, or the folder of a group. */
  where: string;
  count: number;
  reason: string;
}

export function skipNotices(skipped: readonly Skip[]): SkipNotice[] {
  const notices: SkipNotice[] = [];
  const groups = new Map<string, SkipNotice>();
  const folders = new Map<SkipNotice, string>();
  for (const skip of skipped) {
    if (skip.group === undefined) {
      notices.push({ where: skip.file, count: 1, reason: skip.reason });
      continue;
    }
    const key = `${skip.group}\u0000${skip.reason}`;
    const group = groups.get(key);
    if (group) {
      group.count++;
      continue;
    }
    const notice = { where: skip.file, count: 1, reason: skip.reason };
    groups.set(key, notice);
    notices.push(notice);
    folders.set(notice, skip.group);
  }
  // A group of one names its file; a larger one its folder.
  for (const [notice, folder] of folders) if (notice.count > 1) notice.where = folder;
  return notices;
}

/** `chart/templates (12 files): Helm chart template…` or `Dockerfile.tpl: template…`. */
export function skipLine(notice: SkipNotice): string {
  return notice.count > 1
    ? `${notice.where} (${notice.count} files): ${notice.reason}`
    : `${notice.where}: ${notice.reason}`;
}
