import { expect } from "vitest";
import type { PageOutcome } from "@/tests/support/page-harness";

/**
 * The text of the table row holding `text` in a page rendered with 200 (renderPage); fails, saying what the
 * page answered or showing its text, when the page did not render or no row holds it.
 */
export function tableRowWith(page: PageOutcome, text: string): string {
  expect(page.status, page.status === 500 ? String(page.error) : `the page answered ${page.status}`).toBe(200);
  const html = page.html ?? "";
  const row = html.split("<tr").find((r) => r.includes(text));
  const pageText = html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .slice(0, 1500);
  expect(row, `a row with ${text} in: ${pageText}`).toBeDefined();
  // React separates adjacent text with empty comments: read the row as a person would.
  return (row as string).slice(0, (row as string).indexOf("</tr>")).replaceAll("<!-- -->", "");
}
