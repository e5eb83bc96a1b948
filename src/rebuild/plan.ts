/** `--plan` / `command: plan`: a GitHub Actions matrix with one entry per image (SPEC §7). */
import type { BaseImage } from "./library.js";

export interface Matrix {
  include: { name: string; dockerfile: string; upstream: string }[];
}

export function matrixOf(images: BaseImage[]): Matrix {
  return {
    include: images.map((image) => ({
      name: image.name,
      dockerfile: image.dockerfile,
      upstream: image.upstream.raw,
    })),
  };
}
