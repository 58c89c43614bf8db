// First: the route harness loads Next's request scope (its AsyncLocalStorage) before any other Next module.
import { callRouteMany } from "./route-harness";
import { createRequire } from "node:module";
import { createElement, type ReactNode } from "react";
import { prerender } from "react-dom/static";
import {
  getAccessFallbackHTTPStatus,
  isHTTPAccessFallbackError,
} from "next/dist/client/components/http-access-fallback/http-access-fallback";
import { isRedirectError } from "next/dist/client/components/redirect-error";

/** An app/**\/page.tsx default export: an async server component taking its params and search params. */
// biome-ignore lint/suspicious/noExplicitAny: each page declares its own props; the harness hands them over as given.
export type PageComponent = (props: any) => Promise<ReactNode> | ReactNode;

/** What Next would answer for one request to a page. */
export type PageOutcome =
  | { status: 200; html: string }
  | { status: 401 | 403 | 404; html?: undefined }
  | { status: 307; location: string; html?: undefined }
  | { status: 500; error: unknown; html?: undefined };

// The router context the `next/navigation` module the pages import reads (the same module instance, so the same
// context), for client components that hold a router.
const { AppRouterContext } = createRequire(createRequire(import.meta.url).resolve("next/navigation"))(
  "./dist/shared/lib/app-router-context.shared-runtime",
) as { AppRouterContext: import("react").Context<unknown> };

// Client components that hold a router (to refresh a page while a batch executes) get one that goes nowhere:
// a page rendered once on the server never navigates.
const inertRouter = {
  back() {},
  forward() {},
  refresh() {},
  hmrRefresh() {},
  push() {},
  replace() {},
  prefetch() {},
};

/** The status Next gives a request whose page threw: its auth interrupts and redirects, else a 500. */
function outcomeOfThrown(e: unknown): PageOutcome {
  if (isHTTPAccessFallbackError(e)) return { status: getAccessFallbackHTTPStatus(e) as 401 | 403 | 404 };
  if (isRedirectError(e)) return { status: 307, location: e.digest.split(";")[2] };
  return { status: 500, error: e };
}

/**
 * Renders a page for one request, as signed in with `cookie` (or signed out): inside Next's request scope
 * (the route harness), so the page's own session and permission checks run, server components and all, to
 * HTML. Answers what Next would: the page's status for notFound(), forbidden(), unauthorized() and
 * redirect(), 500 with the error for anything else a page or a component in it throws, 200 and the HTML
 * otherwise. No build and no server: a page test costs a few database reads.
 */
export async function renderPage(
  page: PageComponent,
  { params = {}, searchParams = {} }: { params?: Record<string, string>; searchParams?: Record<string, string> },
  cookie?: string,
): Promise<PageOutcome> {
  let outcome: PageOutcome = { status: 500, error: new Error("the page was not rendered") };
  const props = { params: Promise.resolve(params), searchParams: Promise.resolve(searchParams) };
  await callRouteMany(
    {
      GET: async () => {
        try {
          const element = createElement(AppRouterContext.Provider, { value: inertRouter }, await page(props));
          let thrown: unknown;
          const { prelude } = await prerender(element, {
            onError: (e) => {
              thrown ??= e;
            },
          });
          const html = await new Response(prelude).text();
          outcome = thrown === undefined ? { status: 200, html } : outcomeOfThrown(thrown);
        } catch (e) {
          outcome = outcomeOfThrown(e);
        }
        return new Response("");
      },
    },
    { url: "/page", headers: cookie ? { cookie } : {} },
    [{}],
  );
  return outcome;
}
