import { expect, test } from "@playwright/test";
import { baseURL } from "../../../playwright.config";

/** Baseline safety over HTTP: headers, Origin checks, error bodies, health. */
function expectSecurityHeaders(headers: Record<string, string>, kind: "page" | "api") {
  const csp = headers["content-security-policy"];
  expect(csp).toContain("frame-ancestors 'none'");
  // Inline scripts never run: script-src names no 'unsafe-inline' (style-src still may).
  const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  if (kind === "page") {
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
    expect(csp).toContain("form-action 'self';");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
  } else {
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("script-src");
  }
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["strict-transport-security"]).toContain("max-age=");
  expect(headers["x-powered-by"]).toBeUndefined();
}

test("pages, API answers and errors carry the security headers", async ({ request }) => {
  for (const path of ["/", "/orgs", "/no-such-page"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    expectSecurityHeaders(res.headers(), "page");
  }
  expectSecurityHeaders((await request.get("/api/health")).headers(), "api");
  const refused = await request.post("/api/auth/email-code", {
    headers: { origin: "https://evil.example" },
    data: { email: "x@e2e.test" },
  });
  expectSecurityHeaders(refused.headers(), "api");
});

test("a cross-origin POST is refused with 403 BAD_ORIGIN and changes nothing", async ({ request }) => {
  const res = await request.post("/api/auth/email-code", {
    headers: { origin: "https://evil.example" },
    data: { email: "victim@e2e.test" },
  });
  expect(res.status()).toBe(403);
  expect(await res.json()).toEqual({ error: { code: "BAD_ORIGIN", message: "Cross-site request refused." } });
  expect(res.headers()["x-request-id"]).toMatch(/^req_/);
  // A cookie-carrying POST without any Origin is refused too (a browser form from another site may omit it).
  const noOrigin = await request.post("/api/auth/email-code", {
    headers: { cookie: "next-auth.session-token=x" },
    data: { email: "victim@e2e.test" },
  });
  expect(noOrigin.status()).toBe(403);
  expect((await noOrigin.json()).error.code).toBe("BAD_ORIGIN");
});

test("invalid JSON is a 400 with the error body; invalid input is VALIDATION_FAILED", async ({ request }) => {
  const headers = { origin: new URL(baseURL).origin, "content-type": "application/json" };
  const bad = await request.post("/api/auth/email-code", { headers, data: Buffer.from("{not json") });
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toEqual({
    error: { code: "BAD_REQUEST", message: "The request body must be JSON.", reason: "MALFORMED_INPUT" },
  });
  const invalid = await request.post("/api/auth/email-code", {
    headers,
    data: Buffer.from(JSON.stringify({ email: "not-an-email" })),
  });
  expect(invalid.status()).toBe(400);
  const body = await invalid.json();
  expect(body.error.code).toBe("VALIDATION_FAILED");
  expect(typeof body.error.message).toBe("string");
});

test("/api/health reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("no-store");
  const body = await res.json();
  expect(body).toMatchObject({ status: "ok", database: { ok: true, engine: "postgres" } });
  expect(body.database.migrationsApplied).toBeGreaterThanOrEqual(1);
  expect(body.database.latestMigration).toMatch(/^\d{14}_/);
});

test("a page runs only scripts with its nonce, and hydrates: no policy violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const res = await page.goto("/sign-in");
  const nonce = /'nonce-([^']+)'/.exec(res?.headers()["content-security-policy"] ?? "")?.[1];
  expect(nonce).toBeTruthy();
  // Next puts the nonce on its own scripts; a script without it would be refused, and Chromium says so.
  expect(await page.locator("script[nonce]").count()).toBeGreaterThan(0);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  expect(violations).toEqual([]);
});

test("a server action posted from another site, or with the session cookie and no Origin, is refused with 403", async ({
  request,
}) => {
  const action = { "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8" };
  const crossSite = await request.post("/admin/users", {
    headers: { ...action, origin: "https://evil.example", cookie: "next-auth.session-token=x" },
    data: "[]",
  });
  expect(crossSite.status()).toBe(403);
  expect((await crossSite.json()).error.code).toBe("BAD_ORIGIN");
  const noOrigin = await request.post("/admin/users", {
    headers: { ...action, cookie: "next-auth.session-token=x" },
    data: "[]",
  });
  expect(noOrigin.status()).toBe(403);
  expect((await noOrigin.json()).error).toEqual({ code: "BAD_ORIGIN", message: "Request without Origin refused." });
});

test("a page path or query with a NUL byte or a malformed escape is a 400, not a 500", async ({ request }) => {
  for (const path of ["/orgs/a%00b", "/sign-in?callbackUrl=%00", "/orgs/%E0%A4%A"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(400);
  }
});
