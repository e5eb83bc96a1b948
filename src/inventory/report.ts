/**
 * The inventory's files (SPEC §10): `inventory.json` (all of it), `inventory.csv` (one row per image
 * and repository that uses it), `inventory.md` (for a job summary or an issue, with Mermaid charts:
 * base images by family, end of support on a timeline) and `inventory.html` (one self-contained page:
 * no network — a Content-Security-Policy says so to the browser — sortable, filterable tables, the
 * same charts as inline SVG). Every repository name, path and image string passes through the
 * neutraliser of its format (report/neutralise.ts).
 */
import { csvField, html, markdown, mermaidLabel } from "../report/neutralise.js";
import type { Inventory } from "./merge.js";

/** Rows the markdown and the page show per table; the CSV and JSON hold everything. */
const SHOWN_ROWS = { markdown: 50, html: 5000 };

export function judgedLine(inventory: Inventory): string {
  const { judged, repositories } = inventory.summary;
  return `${judged.toLocaleString("en-US")} of ${repositories.toLocaleString("en-US")} repositories judged`;
}

/** inventory.csv: one row per image and repository that uses it, images in the order of use. */
export function* csvChunks(inventory: Inventory): Generator<string> {
  yield "image,repository,family,occurrences,rules,release,end_of_support\n";
  let batch = "";
  for (const image of inventory.images) {
    const name = csvField(image.image);
    const family = csvField(image.family);
    const after = [image.rules.join(" "), image.release ?? "", image.end ?? ""].map(csvField).join(",");
    for (const use of image.usedBy) {
      batch += `${name},${csvField(use.repository)},${family},${use.occurrences},${after}\n`;
      if (batch.length > 1 << 16) {
        yield batch;
        batch = "";
      }
    }
  }
  yield batch;
}

/** inventory.json, written piece by piece: the same bytes as one JSON.stringify, without one huge string. */
export function* jsonChunks(inventory: Inventory): Generator<string> {
  const entries = Object.entries(inventory);
  yield "{";
  for (const [i, [key, value]] of entries.entries()) {
    yield `${i === 0 ? "" : ","}\n${JSON.stringify(key)}:`;
    if (!Array.isArray(value)) {
      yield JSON.stringify(value);
      continue;
    }
    let batch = "[";
    for (let k = 0; k < value.length; k++) {
      batch += `${k === 0 ? "" : ","}\n${JSON.stringify(value[k])}`;
      if (batch.length > 1 << 16) {
        yield batch;
        batch = "";
      }
    }
    yield `${batch}]`;
  }
  yield "\n}\n";
}

/** Families by the number of repositories that use them: the few largest, then the rest together. */
function families(inventory: Inventory, top = 8): { family: string; repositories: number }[] {
  const byFamily = new Map<string, Set<string>>();
  for (const image of inventory.images) {
    const set = byFamily.get(image.family) ?? new Set();
    for (const use of image.usedBy) set.add(use.repository);
    byFamily.set(image.family, set);
  }
  const list = [...byFamily].map(([family, set]) => ({ family, repositories: set.size }));
  list.sort((a, b) => b.repositories - a.repositories || (a.family < b.family ? -1 : 1));
  if (list.length <= top) return list;
  const rest = list.slice(top).reduce((sum, f) => sum + f.repositories, 0);
  return [...list.slice(0, top), { family: "other", repositories: rest }];
}

/** Releases with a date, soonest first, for the timelines. */
function dated(inventory: Inventory, max = 20) {
  return inventory.releases.filter((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.end)).slice(0, max);
}

export function renderInventoryMarkdown(inventory: Inventory): string {
  const { summary } = inventory;
  const out: string[] = [
    `### base-image-guard inventory: ${judgedLine(inventory)}`,
    "",
    `As of ${inventory.date || "no scan"}: ${summary.images} images in ${summary.occurrences} places; ${summary.wouldFail} repositories would fail in enforce mode, ${summary.clean} clean.`,
    "",
  ];
  const failed = inventory.repositories.filter((r) => r.error !== undefined);
  if (failed.length > 0) {
    out.push(`#### Not judged (${failed.length})`, "", "| repository | why |", "|---|---|");
    for (const r of failed) out.push(`| ${markdown(r.repository)} | ${markdown(r.error ?? "")} |`);
    out.push("");
  }
  const fam = families(inventory);
  if (fam.length > 0) {
    out.push("```mermaid", "pie title Base images by family (repositories)");
    for (const f of fam) out.push(`    "${mermaidLabel(f.family)}" : ${f.repositories}`);
    out.push("```", "");
  }
  const timeline = dated(inventory);
  if (timeline.length > 0) {
    out.push(
      "```mermaid",
      "gantt",
      "    title End of support of the releases in use",
      "    dateFormat YYYY-MM-DD",
      "    section releases",
    );
    for (const r of timeline)
      out.push(
        `    ${mermaidLabel(`${r.product} ${r.release}`)} (${r.repositories}) :milestone, ${r.end}, 0d`,
      );
    out.push("```", "");
  }
  const table = (title: string, head: string[], rows: string[][], total: number) => {
    if (total === 0) return;
    out.push(`#### ${title}`, "", `| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`);
    for (const row of rows) out.push(`| ${row.join(" | ")} |`);
    if (total > rows.length) out.push("", `${total - rows.length} more in inventory.csv and inventory.json.`);
    out.push("");
  };
  const n = SHOWN_ROWS.markdown;
  table(
    "End of support of the releases in use",
    ["release", "end of support", "repositories", "images"],
    inventory.releases
      .slice(0, n)
      .map((r) => [
        markdown(`${r.product} ${r.release}`),
        markdown(r.end),
        String(r.repositories),
        String(r.occurrences),
      ]),
    inventory.releases.length,
  );
  const deprecated = inventory.images.filter((i) => i.rules.includes("block-deprecated-base-images"));
  table(
    "Deprecated images still in use",
    ["image", "repositories", "places"],
    deprecated.slice(0, n).map((i) => [markdown(i.image), String(i.repositories), String(i.occurrences)]),
    deprecated.length,
  );
  table(
    "Images by use",
    ["image", "repositories", "places", "rules"],
    inventory.images
      .slice(0, n)
      .map((i) => [markdown(i.image), String(i.repositories), String(i.occurrences), i.rules.join(", ")]),
    inventory.images.length,
  );
  const failing = inventory.repositories.filter((r) => r.wouldFail);
  table(
    "Repositories that would fail in enforce mode",
    ["repository", "findings", "by rule"],
    failing.slice(0, n).map((r) => [
      markdown(r.repository),
      String(r.findings),
      Object.entries(r.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
    ]),
    failing.length,
  );
  if (inventory.changes) {
    const c = inventory.changes;
    out.push(
      `#### Since ${markdown(c.previousDate)}`,
      "",
      `${c.newUses.length} new uses, ${c.removedUses.length} removed, ${c.becameClean.length} repositories became clean${c.becameClean.length > 0 ? `: ${c.becameClean.slice(0, n).map(markdown).join(", ")}` : ""}.`,
      "",
    );
  }
  return `${out.join("\n")}\n`;
}

/** The family chart as an inline SVG of horizontal bars. */
function familySvg(inventory: Inventory): string {
  const fam = families(inventory);
  if (fam.length === 0) return "";
  const max = Math.max(...fam.map((f) => f.repositories), 1);
  const bars = fam
    .map((f, i) => {
      const y = 10 + i * 26;
      const width = Math.max(2, Math.round((f.repositories / max) * 360));
      return `<text x="0" y="${y + 15}">${html(f.family)}</text><rect x="150" y="${y}" width="${width}" height="20" class="bar"><title>${html(f.family)}: ${f.repositories}</title></rect><text x="${156 + width}" y="${y + 15}">${f.repositories}</text>`;
    })
    .join("");
  return `<svg id="families" role="img" aria-label="Base images by family" width="600" height="${20 + fam.length * 26}" xmlns="http://www.w3.org/2000/svg">${bars}</svg>`;
}

/** The end-of-support dates as an inline SVG timeline. */
function timelineSvg(inventory: Inventory): string {
  const list = dated(inventory);
  if (list.length === 0) return "";
  const times = list.map((r) => Date.parse(`${r.end}T00:00:00Z`));
  const from = Math.min(...times);
  const to = Math.max(...times, from + 86_400_000);
  const x = (t: number) => 20 + Math.round(((t - from) / (to - from)) * 560);
  const marks = list
    .map((r, i) => {
      const at = x(times[i] as number);
      const y = 30 + i * 18;
      const label = `${r.product} ${r.release} — ${r.end} (${r.repositories})`;
      return `<circle cx="${at}" cy="${y}" r="5" class="dot"><title>${html(label)}</title></circle><text x="${Math.min(at + 8, 420)}" y="${y + 4}">${html(label)}</text>`;
    })
    .join("");
  return `<svg id="timeline" role="img" aria-label="End of support of the releases in use" width="640" height="${40 + list.length * 18}" xmlns="http://www.w3.org/2000/svg"><line x1="20" y1="15" x2="580" y2="15" class="axis"/>${marks}</svg>`;
}

const SCRIPT = `
for (const table of document.querySelectorAll("table[data-table]")) {
  const body = table.tBodies[0];
  const filter = document.querySelector('input[data-filter="' + table.dataset.table + '"]');
  table.querySelectorAll("th").forEach((th, column) => {
    th.addEventListener("click", () => {
      const down = th.dataset.sort !== "asc";
      table.querySelectorAll("th").forEach((other) => delete other.dataset.sort);
      th.dataset.sort = down ? "asc" : "desc";
      const rows = [...body.rows];
      const numeric = th.dataset.type === "number";
      rows.sort((a, b) => {
        const x = a.cells[column].textContent, y = b.cells[column].textContent;
        const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return down ? order : -order;
      });
      body.append(...rows);
    });
  });
  if (filter) filter.addEventListener("input", () => {
    const wanted = filter.value.toLowerCase();
    for (const row of body.rows) row.hidden = wanted !== "" && !row.textContent.toLowerCase().includes(wanted);
  });
}`;

export function renderInventoryHtml(inventory: Inventory): string {
  const table = (
    id: string,
    title: string,
    head: [string, "text" | "number"][],
    rows: string[][],
    total: number,
  ) => {
    if (total === 0) return "";
    const headCells = head.map(([h, type]) => `<th data-type="${type}">${html(h)}</th>`).join("");
    const body = rows.map((row) => `<tr>${row.map((c) => `<td>${html(c)}</td>`).join("")}</tr>`).join("\n");
    const more =
      total > rows.length
        ? `<p>${total - rows.length} more rows in inventory.csv and inventory.json.</p>`
        : "";
    return `<h2>${html(title)}</h2>\n<input type="search" data-filter="${id}" placeholder="filter" aria-label="filter ${html(title)}">\n<table data-table="${id}"><thead><tr>${headCells}</tr></thead><tbody>\n${body}\n</tbody></table>${more}\n`;
  };
  const n = SHOWN_ROWS.html;
  const { summary } = inventory;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>base-image-guard inventory: ${html(judgedLine(inventory))}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 2em; color: #1f2328; }
table { border-collapse: collapse; margin: 0.5em 0 2em; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; }
th { cursor: pointer; background: #f6f8fa; }
th[data-sort="asc"]::after { content: " ▲"; } th[data-sort="desc"]::after { content: " ▼"; }
svg text { font: 12px system-ui, sans-serif; } .bar { fill: #0969da; } .dot { fill: #cf222e; } .axis { stroke: #888; }
</style>
</head>
<body>
<h1>base-image-guard inventory</h1>
<p id="summary">${html(judgedLine(inventory))} as of ${html(inventory.date || "no scan")}: ${summary.images} images in ${summary.occurrences} places; ${summary.wouldFail} would fail in enforce mode; ${summary.clean} clean.</p>
<h2>Base images by family</h2>
${familySvg(inventory)}
<h2>End of support</h2>
${timelineSvg(inventory)}
${table(
  "repositories",
  "Repositories",
  [
    ["repository", "text"],
    ["images", "number"],
    ["findings", "number"],
    ["would fail", "text"],
    ["not judged because", "text"],
  ],
  inventory.repositories
    .slice(0, n)
    .map((r) => [
      r.repository,
      String(r.images),
      String(r.findings),
      r.wouldFail ? "yes" : "no",
      r.error ?? "",
    ]),
  inventory.repositories.length,
)}${table(
  "images",
  "Images by use",
  [
    ["image", "text"],
    ["family", "text"],
    ["repositories", "number"],
    ["places", "number"],
    ["rules", "text"],
    ["end of support", "text"],
  ],
  inventory.images
    .slice(0, n)
    .map((i) => [
      i.image,
      i.family,
      String(i.repositories),
      String(i.occurrences),
      i.rules.join(", "),
      i.end ?? "",
    ]),
  inventory.images.length,
)}${table(
  "releases",
  "Releases in use",
  [
    ["release", "text"],
    ["end of support", "text"],
    ["repositories", "number"],
    ["places", "number"],
  ],
  inventory.releases
    .slice(0, n)
    .map((r) => [`${r.product} ${r.release}`, r.end, String(r.repositories), String(r.occurrences)]),
  inventory.releases.length,
)}<script>${SCRIPT}</script>
</body>
</html>
`;
}
