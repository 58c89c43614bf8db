import "server-only";
import { issuer } from "@/lib/oidc/config";
import { randomBase64url } from "@/lib/crypto/random-base64url";
import { formAnswerContentSecurityPolicy } from "@/lib/http/security-headers";
import type { ErrorTarget } from "@/lib/oidc/authorize/authorization-request";
import type { OAuthError } from "@/lib/oidc/errors";

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Sends the authorization response to the client: as query parameters on a
 * 303 redirect, or as an auto-submitted form (OAuth 2.0 Form Post Response
 * Mode). Every response, success or error, carries `iss` (RFC 9207).
 */
export function authorizationResponse(target: ErrorTarget, values: Record<string, string | undefined>): Response {
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...values, state: target.state, iss: issuer() }))
    if (v !== undefined) all[k] = v;
  const headers = { "cache-control": "no-store", pragma: "no-cache" };
  if (target.responseMode === "form_post") {
    const inputs = Object.entries(all)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join("");
    // The page's own policy: its one script (by nonce; an onload attribute would need 'unsafe-inline') posts to
    // the redirect URI's origin and nowhere else.
    const nonce = randomBase64url(16);
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>Signing you in…</title></head><body><form method="post" action="${escapeHtml(target.redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form><script nonce="${nonce}">document.forms[0].submit()</script></body></html>`;
    return new Response(html, {
      status: 200,
      headers: {
        ...headers,
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": formAnswerContentSecurityPolicy([target.redirectUri], nonce),
      },
    });
  }
  const url = new URL(target.redirectUri);
  for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
  return new Response(null, { status: 303, headers: { ...headers, location: url.href } });
}

export function authorizationError(target: ErrorTarget, e: OAuthError): Response {
  return authorizationResponse(target, { error: e.error, error_description: e.description });
}

/** The page shown instead of redirecting, when the client or its redirect URI is not trusted. */
export function untrustedRequestPage(description: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in request refused · Guildhall</title><meta name="viewport" content="width=device-width"><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1c1917}h1{font-size:1.4rem}</style></head><body><h1>This sign-in request cannot be completed</h1><p data-testid="oidc-error">${escapeHtml(description)}</p><p>Go back to the application and try again, or tell its operator.</p><p><a href="/">Guildhall</a></p></body></html>`;
  return new Response(html, {
    status: 400,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
