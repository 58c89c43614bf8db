// A host's backend as a relying party of Guildhall, in one file: node:http and
// openid-client, nothing else. It signs a user in with the code flow and PKCE,
// verifies the ID token (with non-repudiation checks), shows the verified
// claims and userinfo, sells the signed-in person tickets through Guildhall's
// checkout API (when THEATER_ORG_ID names the theater it sells for), signs out
// through Guildhall (RP-initiated logout), and accepts back-channel logout
// tokens.
//
//   GUILDHALL_ISSUER=http://localhost:3000 CLIENT_ID=... CLIENT_SECRET=... [THEATER_ORG_ID=org_...] PORT=4000 \
//     npx tsx examples/demo-rp/server.ts
//
// Register the client first (redirect URI http://localhost:PORT/callback): see README.md beside this file,
// whose steps go through the portal's pages and so work while the portal runs.
import crypto from "node:crypto";
import http from "node:http";
import { createRemoteJWKSet, jwtVerify } from "jose";
import * as oidc from "openid-client";

const issuer = new URL(process.env.GUILDHALL_ISSUER ?? "http://localhost:3000");
const port = Number(process.env.PORT ?? 4000);
const self = `http://localhost:${port}`;
const clientId = process.env.CLIENT_ID ?? "";
const clientSecret = process.env.CLIENT_SECRET ?? "";
if (!clientId || !clientSecret) throw new Error("CLIENT_ID and CLIENT_SECRET are required");
// The theater whose seats this host sells; without it the demo only signs people in.
const theaterOrgId = process.env.THEATER_ORG_ID ?? "";
// What the demo sells: two seats at €35.00 (amounts are integer minor units, as Guildhall's API takes them).
const show = { id: "hamlet-demo", title: "Hamlet", seats: 2, unitAmountMinor: 3500, currency: "EUR" };

const config = await oidc.discovery(issuer, clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
  // Plain http is for a local Guildhall only.
  execute: [...(issuer.protocol === "http:" ? [oidc.allowInsecureRequests] : []), oidc.enableNonRepudiationChecks],
});
const jwksUri = config.serverMetadata().jwks_uri;
if (!jwksUri) throw new Error(`${issuer.href} publishes no jwks_uri`);
const jwks = createRemoteJWKSet(new URL(jwksUri));

type Pending = { verifier: string; state: string; nonce: string };
type Order = { id: string; description: string };
type SignedIn = {
  idToken: string;
  accessToken: string;
  orders: Order[];
  claims: oidc.IDToken;
  userinfo: oidc.UserInfoResponse;
  sid?: string;
  loggedOutByBackchannel?: boolean;
};
// The demo keeps its sessions in memory; a real host would use its own store.
const pending = new Map<string, Pending>();
const sessions = new Map<string, SignedIn>();

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Demo host</title><style>body{font-family:system-ui;max-width:44rem;margin:3rem auto}pre{background:#f4f4f4;padding:1rem;overflow:auto}</style></head><body><h1>Demo host</h1>${body}</body></html>`;

function cookieOf(req: http.IncomingMessage, name: string): string | undefined {
  return req.headers.cookie
    ?.split(";")
    .map((c) => c.trim().split("="))
    .find(([k]) => k === name)?.[1];
}

function send(res: http.ServerResponse, status: number, html: string, headers: Record<string, string> = {}) {
  res
    .writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...headers })
    .end(html);
}

// Guildhall's checkout API takes this host's own credentials (client credentials, scope tickets:write).
async function guildhallApi(path: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const { access_token } = await oidc.clientCredentialsGrant(config, { scope: "tickets:write" });
  const res = await fetch(new URL(path, issuer), {
    ...init,
    headers: { ...init.headers, authorization: `Bearer ${access_token}`, "content-type": "application/json" },
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

const euros = (minor: number, currency: string) =>
  new Intl.NumberFormat("en", { style: "currency", currency }).format(minor / 100);

// The signed-in page's tickets: what this person bought here, as Guildhall says it stands, and a button to buy.
async function ticketsSection(session: SignedIn): Promise<string> {
  if (!theaterOrgId) return "<p>Start the demo with THEATER_ORG_ID to sell tickets.</p>";
  const lines: string[] = [];
  for (const o of session.orders) {
    const c = await guildhallApi(`/api/v1/checkouts/${encodeURIComponent(o.id)}`).catch(() => null);
    const state = !c ? "unknown (Guildhall did not answer)" : c.status === "paid" ? "paid" : String(c.status);
    const amount = c ? ` · ${euros(Number(c.amountMinor), String(c.currency))}` : "";
    lines.push(`<li data-testid="rp-order" data-status="${escapeHtml(String(c?.status ?? ""))}">
${escapeHtml(o.description)}${escapeHtml(amount)} · ${escapeHtml(state)}${c?.receipt ? " · signed receipt issued" : ""}</li>`);
  }
  return `<h2>Tickets</h2>
${lines.length ? `<ul>${lines.join("")}</ul>` : "<p>No tickets bought here yet.</p>"}
<form method="post" action="/buy"><button data-testid="rp-buy">Buy ${show.seats} seats for ${escapeHtml(show.title)} (${euros(show.unitAmountMinor, show.currency)} each)</button></form>`;
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", self);
  const sid = cookieOf(req, "demo_sid");
  const session = sid ? sessions.get(sid) : undefined;

  if (url.pathname === "/" && req.method === "GET") {
    if (session && !session.loggedOutByBackchannel) {
      return send(
        res,
        200,
        page(`<p data-testid="rp-signed-in">Signed in as ${escapeHtml(String(session.userinfo.email ?? session.claims.sub))}</p>
<h2>Verified ID token claims</h2><pre data-testid="rp-id-token-claims">${escapeHtml(JSON.stringify(session.claims, null, 2))}</pre>
<h2>Userinfo</h2><pre data-testid="rp-userinfo">${escapeHtml(JSON.stringify(session.userinfo, null, 2))}</pre>
${await ticketsSection(session)}
<p><a href="/logout" data-testid="rp-logout">Sign out</a></p>`),
      );
    }
    const note = session?.loggedOutByBackchannel
      ? `<p data-testid="rp-backchannel">Guildhall ended your session.</p>`
      : "";
    return send(
      res,
      200,
      page(
        `${note}<p data-testid="rp-signed-out">You are not signed in.</p><p><a href="/login" data-testid="rp-login">Sign in with Guildhall</a></p>`,
      ),
    );
  }

  if (url.pathname === "/login") {
    const p: Pending = {
      verifier: oidc.randomPKCECodeVerifier(),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
    };
    const key = crypto.randomBytes(16).toString("hex");
    pending.set(key, p);
    const target = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${self}/callback`,
      scope: "openid profile email roles memberships",
      code_challenge: await oidc.calculatePKCECodeChallenge(p.verifier),
      code_challenge_method: "S256",
      state: p.state,
      nonce: p.nonce,
    });
    res
      .writeHead(303, { location: target.href, "set-cookie": `demo_pending=${key}; Path=/; HttpOnly; SameSite=Lax` })
      .end();
    return;
  }

  if (url.pathname === "/callback") {
    const p = pending.get(cookieOf(req, "demo_pending") ?? "");
    if (!p) return send(res, 400, page("<p>No sign-in in progress.</p>"));
    pending.delete(cookieOf(req, "demo_pending") ?? "");
    try {
      const tokens = await oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: p.verifier,
        expectedState: p.state,
        expectedNonce: p.nonce,
        idTokenExpected: true,
      });
      // idTokenExpected: the grant above refuses a response without an ID token.
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new Error("no ID token");
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      const id = crypto.randomBytes(16).toString("hex");
      sessions.set(id, {
        idToken: tokens.id_token,
        accessToken: tokens.access_token,
        orders: [],
        claims,
        userinfo,
        sid: typeof claims.sid === "string" ? claims.sid : undefined,
      });
      res.writeHead(303, { location: "/", "set-cookie": `demo_sid=${id}; Path=/; HttpOnly; SameSite=Lax` }).end();
    } catch (e) {
      const err = e as { error?: string; message: string };
      send(res, 400, page(`<p data-testid="rp-error">Sign-in failed: ${escapeHtml(err.error ?? err.message)}</p>`));
    }
    return;
  }

  // Opens a checkout at Guildhall for the signed-in person and sends them there to pay.
  if (url.pathname === "/buy" && req.method === "POST") {
    if (!session || session.loggedOutByBackchannel || !theaterOrgId) return send(res, 303, "", { location: "/" });
    try {
      const description = `${show.seats} seats for ${show.title}`;
      const checkout = await guildhallApi("/api/v1/checkouts", {
        method: "POST",
        // One key per press of the button: a retried request opens no second checkout.
        headers: { "idempotency-key": crypto.randomUUID() },
        body: JSON.stringify({
          theaterOrgId,
          showId: show.id,
          description,
          currency: show.currency,
          lineItems: [{ name: `Seat, ${show.title}`, quantity: show.seats, unitAmountMinor: show.unitAmountMinor }],
          // Names the buyer on the receipt and lists the purchase in their Guildhall account.
          buyerAccessToken: session.accessToken,
        }),
      });
      session.orders.push({ id: String(checkout.id), description });
      res.writeHead(303, { location: String(checkout.url) }).end();
    } catch (e) {
      send(
        res,
        502,
        page(`<p data-testid="rp-error">Guildhall did not open the checkout: ${escapeHtml(String(e))}</p>`),
      );
    }
    return;
  }

  if (url.pathname === "/logout") {
    if (!session || !sid) return send(res, 303, "", { location: "/" });
    sessions.delete(sid);
    const end = oidc.buildEndSessionUrl(config, {
      id_token_hint: session.idToken,
      post_logout_redirect_uri: `${self}/`,
    });
    res.writeHead(303, { location: end.href, "set-cookie": "demo_sid=; Path=/; Max-Age=0" }).end();
    return;
  }

  // Back-Channel Logout 1.0 §2.6: verify the logout token, then end the sessions it names.
  if (url.pathname === "/backchannel-logout" && req.method === "POST") {
    let body = "";
    for await (const chunk of req) body += chunk;
    try {
      const token = new URLSearchParams(body).get("logout_token") ?? "";
      const { payload } = await jwtVerify(token, jwks, {
        issuer: config.serverMetadata().issuer,
        audience: clientId,
        typ: "logout+jwt",
        maxTokenAge: "5m",
      });
      const events = payload.events as Record<string, unknown> | undefined;
      if (!events?.["http://schemas.openid.net/event/backchannel-logout"] || "nonce" in payload)
        throw new Error("not a logout token");
      for (const s of sessions.values())
        if ((payload.sid && s.sid === payload.sid) || (payload.sub && s.claims.sub === payload.sub))
          s.loggedOutByBackchannel = true;
      res.writeHead(200, { "cache-control": "no-store" }).end();
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: "invalid_request" }));
    }
    return;
  }
  send(res, 404, page("<p>Not found.</p>"));
}

http
  .createServer((req, res) => void handle(req, res).catch(() => send(res, 500, page("<p>Error.</p>"))))
  .listen(port, "127.0.0.1", () => console.log(`demo host on ${self}`));
