import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";
import { formAnswerContentSecurityPolicy } from "@/lib/http/security-headers";

const PORTAL = "http://localhost:3000";
process.env.PUBLIC_URL = PORTAL;

const post = (path: string, headers: Record<string, string>) =>
  proxy(new NextRequest(`${PORTAL}${path}`, { method: "POST", headers: { "next-action": "abc123", ...headers } }));

describe("proxy.ts: server actions and pages", () => {
  it("refuses a cookie-carrying server action without Origin, and one from another origin, with 403 BAD_ORIGIN", async () => {
    const noOrigin = post("/admin/users", { cookie: "next-auth.session-token=x" });
    expect(noOrigin.status).toBe(403);
    expect(await noOrigin.json()).toEqual({
      error: { code: "BAD_ORIGIN", message: "Request without Origin refused." },
    });
    const crossSite = post("/admin/users", { origin: "https://evil.example", cookie: "next-auth.session-token=x" });
    expect(crossSite.status).toBe(403);
    expect((await crossSite.json()).error.code).toBe("BAD_ORIGIN");
    // A cross-site form without cookies still carries an Origin, and is refused too.
    expect(post("/orgs", { origin: "https://evil.example" }).status).toBe(403);
  });

  it("lets a same-origin action, a cookie-less machine POST and the OIDC endpoints other sites post to through", () => {
    for (const res of [
      post("/admin/users", { origin: PORTAL, cookie: "next-auth.session-token=x" }),
      post("/admin/users", {}),
      post("/oidc/authorize", { origin: "https://rp.example", cookie: "next-auth.session-token=x" }),
      post("/oidc/end-session", { cookie: "next-auth.session-token=x" }),
    ])
      expect(res.headers.get("x-middleware-next")).toBe("1");
  });

  it("gives each page a fresh script nonce in its policy, with no inline script and forms to this origin only", () => {
    const policies = [0, 1].map(
      () => proxy(new NextRequest(`${PORTAL}/orgs`)).headers.get("content-security-policy") ?? "",
    );
    const [first, second] = policies;
    const scriptSrc = first.split("; ").find((d) => d.startsWith("script-src")) ?? "";
    expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/]{22}=='/);
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(first).toContain("form-action 'self';");
    expect(second).not.toBe(first);
    // Next reads the nonce for its own scripts from the request's policy header.
    const forwarded = proxy(new NextRequest(`${PORTAL}/orgs`)).headers.get(
      "x-middleware-request-content-security-policy",
    );
    expect(forwarded).toMatch(/'nonce-/);
  });

  it("lets only the consent page's forms lead to a client's redirect URI", () => {
    const consent = proxy(new NextRequest(`${PORTAL}/oidc/interaction/int_1`)).headers.get("content-security-policy");
    expect(consent).toContain("form-action 'self' https: http:;");
  });
});

describe("the policy of an HTML answer whose form leaves the origin", () => {
  it("allows the targets' origins, or a private-use scheme, and only the nonce'd script", () => {
    const policy = formAnswerContentSecurityPolicy(["https://rp.example/cb?x=1", "com.example.app:/cb"], "abc");
    expect(policy).toContain("form-action 'self' https://rp.example com.example.app:;");
    expect(policy).toContain("script-src 'nonce-abc';");
    expect(formAnswerContentSecurityPolicy([])).toContain("form-action 'self';");
  });
});
