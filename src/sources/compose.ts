/** Compose files (SPEC §4): `services.<name>.image`. */
import type { ImageAt } from "./kubernetes.js";

export function isComposeFile(value: unknown): value is { services: Record<string, unknown> } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const services = (value as Record<string, unknown>).services;
  return typeof services === "object" && services !== null && !Array.isArray(services) && !("kind" in value);
}

export function composeImages(file: { services: Record<string, unknown> }): ImageAt[] {
  const images: ImageAt[] = [];
  for (const [name, service] of Object.entries(file.services)) {
    if (typeof service !== "object" || service === null || !("image" in service)) continue;
    images.push({
      path: ["services", name, "image"],
      value: (service as { image: unknown }).image,
      workload: { kind: "service", name },
      labels: {},
    });
  }
  return images;
}
