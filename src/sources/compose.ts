/**
 * Compose files (SPEC §4): `services.<name>.image` of services without `build:` (with `build:`,
 * `image:` names what is built, and its Dockerfile is checked instead), interpolated from the
 * `.env` file beside the compose file — never from the shell environment, so a result does not
 * depend on who runs the check.
 */
import { type ImageAt, isObject } from "./image-keys.js";
import { expandVariables } from "./variables.js";

export function isComposeFile(value: unknown): value is { services: Record<string, unknown> } {
  return isObject(value) && isObject(value.services) && !("kind" in value) && !("apiVersion" in value);
}

/** The names Compose looks for: `compose.yaml`, `docker-compose.yml`, `docker-compose.prod.yml`, … */
const COMPOSE_NAME = /^(?:docker-)?compose(?:\.[^/]+)?\.ya?ml$/i;

export function isComposeName(file: string): boolean {
  return COMPOSE_NAME.test(file.slice(file.lastIndexOf("/") + 1));
}

/**
 * The version-1 layout (Compose before file format 2): services at the top level, no `services:`
 * and no `version:` key. A file that Compose finds by its name is read in it when its top-level
 * values are maps and at least one of them names an `image` or a `build`.
 */
export function isVersion1Compose(value: unknown): value is Record<string, unknown> {
  if (!isObject(value) || "services" in value || "version" in value || "kind" in value) return false;
  const entries = Object.values(value);
  return (
    entries.length > 0 &&
    entries.every((service) => isObject(service)) &&
    entries.some((service) => isObject(service) && ("image" in service || "build" in service))
  );
}

/** `services.<name>.image` (or `<name>.image` in the version-1 layout) of services without `build:`. */
export function composeImages(file: { services: Record<string, unknown> }): ImageAt[] {
  return serviceImages(file.services, ["services"]);
}

export function composeV1Images(file: Record<string, unknown>): ImageAt[] {
  return serviceImages(file, []);
}

function serviceImages(services: Record<string, unknown>, at: string[]): ImageAt[] {
  const images: ImageAt[] = [];
  for (const [name, service] of Object.entries(services)) {
    if (!isObject(service) || service.image === undefined || service.image === null) continue;
    if (service.build !== undefined && service.build !== null) continue;
    images.push({
      path: [...at, name, "image"],
      value: service.image,
      workload: { kind: "service", name },
      labels: {},
    });
  }
  return images;
}

/**
 * A `.env` file as docker compose reads it: `KEY=VALUE` lines, optional `export `, `#` comments,
 * single quotes literal, double quotes with escapes, ` #` comments after unquoted values, and
 * references to earlier keys (`${A}` in an unquoted or double-quoted value).
 */
export function parseEnvFile(
  text: string,
  /** Filled with where each value is written (1-based line and column of its first character), for `fix`. */
  positions?: Map<string, { line: number; column: number }>,
): Map<string, string> {
  const values = new Map<string, string>();
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const whole = lines[i] as string;
    const line = whole.replace(/^\s*export\s+/, "");
    const match = /^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s?(.*)$/.exec(line);
    if (!match) continue;
    const key = match[1] as string;
    let raw = (match[2] as string).trimStart();
    positions?.set(key, { line: i + 1, column: whole.length - raw.length + 1 });
    let value: string;
    if (raw.startsWith("'")) {
      let end = raw.indexOf("'", 1);
      while (end < 0 && i + 1 < lines.length) {
        raw += `\n${lines[++i]}`;
        end = raw.indexOf("'", 1);
      }
      value = end < 0 ? raw.slice(1) : raw.slice(1, end);
    } else if (raw.startsWith('"')) {
      let end = closingQuote(raw);
      while (end < 0 && i + 1 < lines.length) {
        raw += `\n${lines[++i]}`;
        end = closingQuote(raw);
      }
      const inner = end < 0 ? raw.slice(1) : raw.slice(1, end);
      const unescaped = inner.replace(/\\([\\"nrt$])/g, (_, c: string) =>
        c === "n" ? "\n" : c === "r" ? "\r" : c === "t" ? "\t" : c === "$" ? "\\$" : c,
      );
      value = expandVariables(unescaped, values, "\\").value;
    } else {
      const comment = raw.search(/\s#/);
      value = expandVariables((comment >= 0 ? raw.slice(0, comment) : raw).trim(), values, "\\").value;
    }
    values.set(key, value);
  }
  return values;
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}
