import fs from "node:fs";
import path from "node:path";

/** The server time the issue holds each page to on the demo data, after its first render (issue 17). */
const targetMs = 500;

type PageTimes = { test: string; timings: { page: string; path: string; serverMs: number }[] };

/**
 * Prints, at the end of the end-to-end run, the page server times the journeys
 * wrote to test-results/page-times/ (tests/e2e/support/journey.ts): one line
 * per journey with its slowest page, then every page over the target. Written
 * beside them as summary.txt too. A report, not an assertion: a busy CI
 * machine's figures say where to look, not whether the code is right.
 */
export function printPageTimesSummary(
  dir = path.resolve(import.meta.dirname, "../../../test-results/page-times"),
): void {
  if (!fs.existsSync(dir)) return;
  const reports: PageTimes[] = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as PageTimes);
  if (reports.length === 0) return;
  const lines = [`Page server times (refetched after the first render; target ${targetMs} ms):`];
  const slow: string[] = [];
  for (const r of reports.sort((a, b) => a.test.localeCompare(b.test))) {
    const ms = r.timings.map((t) => t.serverMs).sort((a, b) => a - b);
    const worst = r.timings.reduce((a, b) => (b.serverMs > a.serverMs ? b : a));
    lines.push(
      `  ${r.test}: ${ms.length} pages, median ${ms[Math.floor(ms.length / 2)]} ms, slowest ${worst.page} ${worst.serverMs} ms`,
    );
    for (const t of r.timings) if (t.serverMs > targetMs) slow.push(`  ${t.page} (${t.path}): ${t.serverMs} ms`);
  }
  lines.push(slow.length === 0 ? `No page over ${targetMs} ms.` : `Over ${targetMs} ms:`, ...slow);
  const text = `${lines.join("\n")}\n`;
  fs.writeFileSync(path.join(dir, "summary.txt"), text);
  process.stdout.write(text);
}
