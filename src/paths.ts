import { sep } from "node:path";

/** Whether `path` is `folder` or lies below it (both real, absolute paths): the one test of "inside the tree". */
export function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}
