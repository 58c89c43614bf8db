import type { SoftAuthenticator } from "../../support/soft-authenticator";

/**
 * A portal client over plain HTTP, as a host backend or a script would be:
 * a cookie jar for next-auth's session, and the API calls the deployment
 * tests make through the balancer. Every answer says which instance served it
 * (the tests' HAProxy adds X-Guildhall-Instance).
 */
export class PortalClient {
  private cookies = new Map<string, string>();

  constructor(readonly url: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    if (init.method && init.method !== "GET") headers.set("origin", this.url);
    const res = await fetch(`${this.url}${path}`, {
      ...init,
      headers,
      redirect: "manual",
      signal: init.signal ?? AbortSignal.timeout(30_000),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  private async csrfToken(): Promise<string> {
    return ((await (await this.request("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
  }

  /** next-auth's credentials sign-in with a passkey: options, assertion, callback. Returns the callback's answer. */
  async signInWithPasskey(authenticator: SoftAuthenticator): Promise<Response> {
    const csrfToken = await this.csrfToken();
    const options = await (await this.request("/api/auth/passkey/options", { method: "POST" })).json();
    const response = JSON.stringify(authenticator.authenticate(options));
    return this.request("/api/auth/callback/passkey", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, response, json: "true" }),
    });
  }

  async signOut(): Promise<Response> {
    const csrfToken = await this.csrfToken();
    return this.request("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, json: "true" }),
    });
  }

  /** The signed-in user's email as /api/auth/session reports it, and the instance that answered. */
  async session(): Promise<{ email: string | undefined; instance: string | null }> {
    const res = await this.request("/api/auth/session");
    const body = (await res.json()) as { user?: { email?: string } };
    return { email: body.user?.email, instance: res.headers.get("x-guildhall-instance") };
  }
}

export const basicAuth = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

/** A client_credentials token request. */
export async function requestToken(
  url: string,
  client: { id: string; secret: string },
  scope = "tickets:write",
): Promise<Response> {
  return fetch(`${url}/oidc/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: basicAuth(client.id, client.secret),
    },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
    signal: AbortSignal.timeout(30_000),
  });
}

/** The kid in a JWT's protected header. */
export function kidOf(jwt: string): string {
  return (JSON.parse(Buffer.from(jwt.split(".")[0], "base64url").toString("utf8")) as { kid: string }).kid;
}

/** Opens a ticket checkout as a host backend does: bearer token, Idempotency-Key. */
export async function openCheckout(
  url: string,
  accessToken: string,
  idempotencyKey: string,
  theaterOrgId: string,
): Promise<Response> {
  return fetch(`${url}/api/v1/checkouts`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${accessToken}`,
      "idempotency-key": idempotencyKey,
    },
    body: JSON.stringify({
      theaterOrgId,
      showId: "show-1",
      description: "Hamlet, 2 seats",
      currency: "EUR",
      lineItems: [{ name: "Seat", quantity: 2, unitAmountMinor: 2500 }],
    }),
    signal: AbortSignal.timeout(30_000),
  });
}

/** Pays an open simulated checkout with the test card, as the buyer's browser posts the form. */
export async function payCheckout(url: string, orderId: string): Promise<Response> {
  return fetch(`${url}/api/pay/simulated/${encodeURIComponent(orderId)}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ card: "4242424242424242" }),
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  });
}
