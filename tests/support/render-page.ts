import { createRequire } from "node:module";
import { expect } from "vitest";
import { createElement, type FunctionComponent } from "react";
import { prerender } from "react-dom/static";
import { callRouteMany } from "@/tests/support/route-harness";

// The router context the `next/navigation` module the pages import reads (the same module instance, so the same
// context), for client components that hold a router.
const { AppRouterContext } = createRequire(createRequire(import.meta.url).resolve("next/navigation"))(
  "./dist/shared/lib/app-router-context.shared-runtime",
) as { AppRouterContext: import("react").Context<unknown> };

/** A page's props as Next hands them: params and searchParams as promises. */
export const pageProps = <T>(params: T, searchParams: Record<string, string> = {}) => ({
  params: Promise.resolve(params),
  searchParams: Promise.resolve(searchParams),
});

/**
 * Renders an App Router page (an async server component, with its own session and permission checks) to its
 * HTML inside Next's request scope, as the user whose session cookie is given (sessionCookieFor), or
 * signed out without one. A page that fails to render answers "render failed: " and why, so the assertion
 * that reads it says what broke.
 */
export async function renderPage(
  page: (props: never) => unknown,
  props: Record<string, unknown>,
  cookie?: string,
): Promise<string> {
  const Page = page as unknown as FunctionComponent<Record<string, unknown>>;
  const [res] = await callRouteMany(
    {
      GET: async () => {
        // Client components that hold a router (to refresh a page while a batch executes) get one that
        // goes nowhere: a page rendered once on the server never navigates.
        const router = {
          back() {},
          forward() {},
          refresh() {},
          hmrRefresh() {},
          push() {},
          replace() {},
          prefetch() {},
        };
        const element = createElement(
          AppRouterContext.Provider,
          { value: router as never },
          createElement(Page, props),
        );
        return prerender(element, { onError: () => {} }).then(
          ({ prelude }) => new Response(prelude),
          (e: unknown) => new Response(`render failed: ${e instanceof Error ? e.stack : String(e)}`),
        );
      },
    },
    { url: "/page", headers: cookie ? { cookie } : {} },
    [{}],
  );
  return res.text();
}

/** The text of the table row of a rendered page that holds `text`; fails, showing the page's text, when none does. */
export function tableRowWith(html: string, text: string): string {
  const row = html.split("<tr").find((r) => r.includes(text));
  const pageText = html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .slice(0, 1500);
  expect(row, `a row with ${text} in: ${pageText}`).toBeDefined();
  // React separates adjacent text with empty comments: read the row as a person would.
  return (row as string).slice(0, (row as string).indexOf("</tr>")).replaceAll("<!-- -->", "");
}
