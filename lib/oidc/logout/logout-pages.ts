import "server-only";
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Guildhall</title><meta name="viewport" content="width=device-width"><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1c1917}h1{font-size:1.4rem}button{background:#7a2e1d;color:#fff;border:0;border-radius:6px;padding:.5rem 1rem;font-size:.9rem}</style></head><body>${body}</body></html>`;
  return new Response(html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

export function logoutErrorPage(error: string, description: string): Response {
  return page(
    "Sign-out request refused",
    `<h1>This sign-out request cannot be completed</h1><p><code data-testid="oidc-error-code">${escapeHtml(error)}</code>: <span data-testid="oidc-error">${escapeHtml(description)}</span></p><p><a href="/">Guildhall</a></p>`,
    400,
  );
}

export function signedOutPage(): Response {
  return page(
    "Signed out",
    `<h1 data-testid="signed-out">You are signed out of Guildhall</h1><p><a href="/">Guildhall</a></p>`,
  );
}

/** Asks before signing out when the request does not prove it comes from the user's own app (no matching id_token_hint). */
export function confirmLogoutPage(clientName: string | null, params: Record<string, string>): Response {
  const hidden = Object.entries(params)
    .filter(([k]) => ["post_logout_redirect_uri", "state", "client_id", "id_token_hint"].includes(k))
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("");
  const who = clientName ? ` from ${escapeHtml(clientName)}` : "";
  return page(
    "Sign out?",
    `<h1>Sign out of Guildhall?</h1><p>You were asked to sign out${who}.</p><form method="post" action="/oidc/end-session">${hidden}<input type="hidden" name="confirm" value="yes"><button type="submit" data-testid="confirm-logout">Sign out</button></form>`,
  );
}
