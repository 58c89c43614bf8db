import "server-only";
import fs from "node:fs";
import path from "node:path";

type Route = { page: string; regex: string };
type Matcher = (pathname: string) => string;

/**
 * The App Router's route pattern for a request path ("/orgs/[slug]/clients"),
 * read from the build's routes manifest, so metrics are labelled per route and
 * never per id or token in a URL. Static assets share one label; a path no
 * route serves is "unmatched".
 */
export function routeMatcher(
  manifestFile = path.join(/*turbopackIgnore: true*/ process.cwd(), ".next", "routes-manifest.json"),
): Matcher {
  let staticRoutes = new Map<string, string>();
  let dynamicRoutes: { page: string; regex: RegExp }[] = [];
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as {
      staticRoutes: Route[];
      dynamicRoutes: Route[];
    };
    staticRoutes = new Map(manifest.staticRoutes.map((r) => [r.page, r.page]));
    dynamicRoutes = manifest.dynamicRoutes.map((r) => ({ page: r.page, regex: new RegExp(r.regex) }));
  } catch {
    /* no build here (a unit test): every path is unmatched */
  }
  const known = new Map<string, string>();
  return (pathname) => {
    if (pathname.startsWith("/_next/")) return pathname.startsWith("/_next/static/") ? "/_next/static" : "/_next";
    const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
    const hit = staticRoutes.get(trimmed) ?? known.get(trimmed);
    if (hit) return hit;
    const route = dynamicRoutes.find((r) => r.regex.test(trimmed))?.page ?? "unmatched";
    // Remember only what the manifest names, so the memo cannot grow with made-up paths.
    if (route !== "unmatched" && known.size < 10_000) known.set(trimmed, route);
    return route;
  };
}
