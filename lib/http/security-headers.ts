/**
 * Headers on every response (next.config.ts lists them for every path; the
 * protocol fast lane adds the same). The Content-Security-Policy here is the
 * one for answers that are not pages (JSON, JWKS, files, the few HTML answers
 * of route handlers, which set their own when they need more): no script at
 * all. Pages and server actions get pageContentSecurityPolicy instead, with a
 * nonce per request, from proxy.ts; its header is set after these (Next
 * applies next.config headers first, then the proxy's), and under the same
 * lower-case name, so it replaces this one.
 */
export function securityHeaders(): { key: string; value: string }[] {
  const dev = process.env.NODE_ENV !== "production";
  const csp = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
  ].join("; ");
  return [
    { key: "content-security-policy", value: csp },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    ...(dev ? [] : [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }]),
  ];
}

/**
 * The policy of a page: scripts only with this request's nonce (Next puts it
 * on its own bootstrap and chunk scripts when it finds it in the request's
 * Content-Security-Policy header; 'strict-dynamic' lets those load the
 * chunks they import), never inline script without it. Forms post only to
 * this origin, with one exception: the consent page's form posts to the
 * decision endpoint, whose answer redirects to the client's redirect URI, and
 * browsers hold every hop of a form's redirects to form-action. Which client
 * is not known here (it would take a database read before every page), so
 * that page alone keeps the policy every page had before: https and http
 * targets (http redirect URIs are loopback ones in production, any outside
 * it). A native client's private-use scheme (RFC 8252 §7.1) is no more
 * allowed than it was.
 */
export function pageContentSecurityPolicy(nonce: string, pathname: string): string {
  const dev = process.env.NODE_ENV !== "production";
  const consentPage = /^\/oidc\/interaction\/[^/]+\/?$/.test(pathname);
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    `form-action 'self'${consentPage ? " https: http:" : ""}`,
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}

/**
 * The policy of an HTML answer of a route handler whose form leaves this
 * origin, directly or by the redirect that answers it (OIDC's form_post
 * response, the logout confirmation): forms may go to those origins only,
 * and the one script allowed is the one carrying the nonce.
 */
export function formAnswerContentSecurityPolicy(formTargets: string[], nonce?: string): string {
  // A private-use scheme (com.example.app:/cb) has no origin: its scheme is the source.
  const origins = [
    ...new Set(
      formTargets.map((t) => {
        const url = new URL(t);
        return url.origin === "null" ? url.protocol : url.origin;
      }),
    ),
  ];
  return [
    "default-src 'none'",
    ...(nonce ? [`script-src 'nonce-${nonce}'`] : []),
    "style-src 'unsafe-inline'",
    "frame-ancestors 'none'",
    `form-action 'self' ${origins.join(" ")}`.trimEnd(),
    "base-uri 'none'",
  ].join("; ");
}
