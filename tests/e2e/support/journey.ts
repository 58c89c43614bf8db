import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import axe from "axe-core";
import { expect, type Page, type TestInfo } from "@playwright/test";

/**
 * What every page a person's journey visits must hold to, checked at the two
 * widths people use (a laptop's 1280 px and a phone's 390 px) without walking
 * the journey twice: the page is resized in place and checked again.
 * - no page wider than the screen (a wide table scrolls inside itself);
 * - no serious or critical accessibility violation (axe-core, WCAG 2 A/AA);
 * - with E2E_SCREENSHOTS=1, a full-page screenshot at each width, kept as an
 *   artifact of the test (a full page costs a second or more of CPU each, and
 *   the default run, CI's, keeps no artifacts).
 * The page's server time is measured too, by fetching it again once it has
 * rendered (its first render warms caches), and reported, not asserted: speed
 * targets live in the bench scripts.
 */
export const widths = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

type Timing = { page: string; path: string; serverMs: number };
const timings: Timing[] = [];
const axeTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * axe-core's findings on the page as it is laid out now. AxeBuilder injects axe-core (half a megabyte
 * of script) on every call and finishes each run in a new blank page, about 1.8 s a check here; axe-core
 * injected once per document and run again after the resize gives the same findings in about 0.5 s for
 * the first width and 0.2 s for the second. A page with frames goes through AxeBuilder, which runs
 * axe-core inside each frame.
 */
async function accessibilityViolations(page: Page): Promise<axe.Result[]> {
  if (page.frames().length > 1) return (await new AxeBuilder({ page }).withTags(axeTags).analyze()).violations;
  type WithAxe = { axe?: typeof axe };
  if (!(await page.evaluate(() => (window as WithAxe).axe !== undefined))) await page.evaluate(axe.source);
  const results = await page.evaluate(
    (values) => (window as WithAxe).axe?.run(document, { runOnly: { type: "tag", values } }),
    axeTags,
  );
  if (!results) throw new Error("axe-core did not load in the page");
  return results.violations;
}
let shots = 0;
const slug = (s: string) => s.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "page";

/** Journeys walk many pages, each checked twice; a shared 2-core machine needs more than the default minute. */
export const journeyTimeoutMs = 240_000;

export async function checkPage(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.waitForLoadState("load");
  const start = page.viewportSize() ?? widths.desktop;
  const order = start.width <= widths.phone.width ? (["phone", "desktop"] as const) : (["desktop", "phone"] as const);
  for (const w of order) {
    await page.setViewportSize(widths[w]);
    // Two frames: the layout settles and app/scrollable-tables.tsx marks the tables that now scroll.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const { overflow, culprits } = await page.evaluate(() => {
      // The outermost elements reaching past the screen's right edge, to name in the failure.
      const edge = window.innerWidth;
      const wide = [...document.querySelectorAll<HTMLElement>("body *")].filter(
        (el) => el.getBoundingClientRect().right > edge + 1,
      );
      const outer = wide.filter((el) => !wide.some((o) => o !== el && o.contains(el) && o !== document.body));
      return {
        overflow: document.documentElement.scrollWidth - edge,
        culprits: outer
          .slice(0, 5)
          .map(
            (el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(" ").join(".")}` : ""}`,
          ),
      };
    });
    expect(
      overflow,
      `${name} is ${overflow} px wider than a ${widths[w].width} px screen (${culprits.join("; ")})`,
    ).toBeLessThanOrEqual(0);
    const bad = (await accessibilityViolations(page))
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(bad, `accessibility of ${name} at ${widths[w].width} px`).toEqual([]);
    if (process.env.E2E_SCREENSHOTS === "1") {
      // Written into the test's output folder (kept after a passing run too) and attached to the report.
      const file = testInfo.outputPath(`${String(++shots).padStart(2, "0")}-${slug(name)}-${widths[w].width}px.png`);
      await page.screenshot({ path: file, fullPage: true });
      await testInfo.attach(`${name} @${widths[w].width}px`, { path: file, contentType: "image/png" });
    }
  }
  await page.setViewportSize(start);
  const url = new URL(page.url());
  const t0 = performance.now();
  const res = await page.request.get(url.pathname + url.search);
  const serverMs = Math.round(performance.now() - t0);
  expect(res.status(), `${name} answered ${res.status()} when fetched again`).toBeLessThan(500);
  timings.push({ page: name, path: url.pathname, serverMs });
}

/** Writes the server times a test measured to test-results/page-times/, one JSON file per test, and attaches them. */
export async function reportPageTimes(testInfo: TestInfo): Promise<void> {
  if (timings.length === 0) return;
  const body = JSON.stringify({ test: testInfo.title, timings: timings.splice(0) }, null, 2);
  const dir = path.join(testInfo.project.outputDir, "page-times");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${slug(testInfo.titlePath.join(" "))}.json`), body);
  await testInfo.attach("page server times", { body, contentType: "application/json" });
}
