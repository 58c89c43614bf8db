import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { exportJWK, exportPKCS8, generateKeyPair, jwtVerify, type JWK, SignJWT } from "jose";
import { shapeErrors } from "./google-play-api-description";
import { priceChangeStates, priceStepUpConsentStates } from "@/lib/app-stores/google-play-price-states";

type Json = Record<string, unknown>;

/**
 * A local stand-in for Google, for what Guildhall calls: the JWKS that signs
 * Pub/Sub push tokens (the double signs pushes with its own key and
 * publishes it), the OAuth token endpoint (it checks the service account's
 * RS256 assertion as Google does: issuer, audience, scope, lifetime, its key),
 * and the Play Developer API calls the portal makes (purchases.productsv2
 * .getproductpurchasev2, purchases.products:acknowledge, purchases.subscriptionsv2.get, purchases.subscriptions
 * :acknowledge, orders.get, purchases.voidedpurchases.list), each refusing
 * what Google refuses: no or an unknown access token (401), another package
 * or an unknown token or order (404), acknowledging a purchase that is not
 * purchased, or already acknowledged (400), acknowledging a subscription for a
 * product the buyer does not hold (an item a deferred replacement will bring).
 * What it answers has Google's shapes: every purchase, subscription (several
 * line items, deferred replacements and removals, price changes and step-ups)
 * and order a test sets is checked against the resources' declarations the
 * client library ships (google-play-api-description.ts); one that is not
 * Google's is answered 500 and listed in `fixtureErrors`.
 */
export type GooglePlayDouble = {
  base: string;
  jwksUrl: string;
  keyPath: string;
  serviceAccount: string;
  products: Map<string, Json>;
  subscriptions: Map<string, Json>;
  orders: Map<string, Json>;
  voided: Json[];
  calls: string[];
  /** Fixtures that are not of Google's shape, as the double met them (a test asserts there are none). */
  fixtureErrors: string[];
  /** A push request's OIDC token, as Pub/Sub signs it (claims may be overridden; `key: "foreign"` signs with another key). */
  pushToken(claims: Json, opts?: { key?: "foreign"; kid?: string }): Promise<string>;
  close(): Promise<void>;
};

export async function startGooglePlayDouble(opts: { packageName: string; audience: string; pushAccount: string }) {
  const serviceAccount = "guildhall-play@guildhall-test.iam.gserviceaccount.com";
  const apiKeys = await generateKeyPair("RS256", { extractable: true });
  const keyPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gh-play-key-")), "service-account.json");
  fs.writeFileSync(
    keyPath,
    JSON.stringify({
      type: "service_account",
      client_email: serviceAccount,
      private_key_id: "k1",
      private_key: await exportPKCS8(apiKeys.privateKey),
    }),
  );
  const pushKeys = await generateKeyPair("RS256", { extractable: true });
  const foreignKeys = await generateKeyPair("RS256", { extractable: true });
  const pushJwk: JWK = { ...(await exportJWK(pushKeys.publicKey)), kid: "push-1", alg: "RS256", use: "sig" };
  const accessTokens = new Set<string>();

  const json = (res: http.ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { "content-type": "application/json", connection: "close" });
    res.end(body === undefined ? "" : JSON.stringify(body));
  };
  const googleError = (res: http.ServerResponse, status: number, message: string) =>
    json(res, status, { error: { code: status, message, errors: [{ message, reason: "invalid" }] } });

  const double = {
    keyPath,
    serviceAccount,
    products: new Map<string, Json>(),
    subscriptions: new Map<string, Json>(),
    orders: new Map<string, Json>(),
    voided: [] as Json[],
    calls: [] as string[],
    fixtureErrors: [] as string[],
  };
  /** Answers a resource only if it has Google's shape. */
  const answer = (res: http.ServerResponse, resource: string, body: Json) => {
    const errors = [...shapeErrors(resource, body), ...priceStateErrors(body)];
    if (errors.length === 0) return json(res, 200, body);
    double.fixtureErrors.push(...errors);
    return googleError(res, 500, `double: not Google's ${resource}: ${errors.join("; ")}`);
  };
  const prefix = `/androidpublisher/v3/applications/${opts.packageName}/`;

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://double");
    if (req.method === "GET" && url.pathname === "/jwks") return json(res, 200, { keys: [pushJwk] });
    if (req.method === "POST" && url.pathname === "/token") {
      const form = new URLSearchParams(body);
      if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer")
        return json(res, 400, { error: "unsupported_grant_type" });
      try {
        const { payload } = await jwtVerify(form.get("assertion") ?? "", apiKeys.publicKey, {
          algorithms: ["RS256"],
          issuer: serviceAccount,
          audience: "https://oauth2.googleapis.com/token",
          requiredClaims: ["exp", "iat"],
        });
        if ((payload.exp as number) - (payload.iat as number) > 3600) throw new Error("lifetime");
        if (
          !String(payload.scope ?? "")
            .split(" ")
            .includes("https://www.googleapis.com/auth/androidpublisher")
        )
          throw new Error("scope");
      } catch {
        return json(res, 400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
      }
      const token = `ya29.${crypto.randomBytes(24).toString("base64url")}`;
      accessTokens.add(token);
      return json(res, 200, { access_token: token, expires_in: 3599, token_type: "Bearer" });
    }
    const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!accessTokens.has(bearer)) return googleError(res, 401, "Request had invalid authentication credentials.");
    if (!url.pathname.startsWith("/androidpublisher/v3/applications/")) return googleError(res, 404, "Not found");
    if (!url.pathname.startsWith(prefix))
      return googleError(res, 404, "No application was found for the given package name.");
    const rest = decodeURIComponent(url.pathname.slice(prefix.length));
    double.calls.push(`${req.method} ${rest.replace(/tokens\/[^/:]+/, "tokens/…")}`);

    let m = rest.match(/^purchases\/productsv2\/tokens\/([^/:]+)$/);
    if (m && req.method === "GET") {
      const purchase = double.products.get(m[1]);
      if (!purchase) return googleError(res, 404, "The purchase token was not found.");
      return answer(res, "ProductPurchaseV2", { kind: "androidpublisher#productPurchaseV2", ...purchase });
    }
    m = rest.match(/^purchases\/products\/([^/]+)\/tokens\/([^/:]+):acknowledge$/);
    if (m && req.method === "POST") {
      const purchase = double.products.get(m[2]);
      const items = (purchase?.productLineItem as Json[] | undefined) ?? [];
      if (!purchase || !items.some((i) => i.productId === m?.[1]))
        return googleError(res, 404, "The purchase token was not found.");
      if ((purchase.purchaseStateContext as Json | undefined)?.purchaseState !== "PURCHASED")
        return googleError(res, 400, "The purchase is not in a valid state to perform the desired operation.");
      if (purchase.acknowledgementState === "ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED")
        return googleError(res, 400, "The purchase was already acknowledged.");
      purchase.acknowledgementState = "ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED";
      return json(res, 200);
    }
    m = rest.match(/^purchases\/subscriptionsv2\/tokens\/([^/:]+)$/);
    if (m && req.method === "GET") {
      const sub = double.subscriptions.get(m[1]);
      if (!sub) return googleError(res, 404, "The purchase token was not found.");
      return answer(res, "SubscriptionPurchaseV2", { kind: "androidpublisher#subscriptionPurchaseV2", ...sub });
    }
    m = rest.match(/^purchases\/subscriptions\/([^/]+)\/tokens\/([^/:]+):acknowledge$/);
    if (m && req.method === "POST") {
      const sub = double.subscriptions.get(m[2]);
      const items = (sub?.lineItems as Json[] | undefined) ?? [];
      // Only an item the buyer holds (it has a paid order) can be acknowledged.
      if (!sub || !items.some((i) => i.productId === m?.[1] && i.latestSuccessfulOrderId))
        return googleError(res, 404, "The purchase token was not found.");
      if (
        sub.subscriptionState === "SUBSCRIPTION_STATE_PENDING" ||
        sub.subscriptionState === "SUBSCRIPTION_STATE_EXPIRED"
      )
        return googleError(res, 400, "The subscription is not in a valid state to perform the desired operation.");
      if (sub.acknowledgementState === "ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED")
        return googleError(res, 400, "The subscription was already acknowledged.");
      sub.acknowledgementState = "ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED";
      return json(res, 200);
    }
    m = rest.match(/^orders\/([^/:]+)$/);
    if (m && req.method === "GET") {
      const order = double.orders.get(m[1]);
      return order ? answer(res, "Order", order) : googleError(res, 404, "The order was not found.");
    }
    if (rest === "purchases/voidedpurchases" && req.method === "GET") {
      const start = Number(url.searchParams.get("startTime") ?? 0);
      const end = Number(url.searchParams.get("endTime") ?? Date.now());
      if (end - start > 30 * 86_400_000) return googleError(res, 400, "startTime is too old.");
      const quantityBased = url.searchParams.get("type") === "1";
      const all = double.voided.filter((v) => {
        const at = Number(v.voidedTimeMillis);
        return at >= start && at <= end && (quantityBased || v.voidedQuantity === undefined);
      });
      const from = Number(url.searchParams.get("token") ?? 0);
      const pageSize = Math.min(Number(url.searchParams.get("maxResults") ?? 1000), 2);
      const page = all.slice(from, from + pageSize);
      for (const v of page) {
        const errors = shapeErrors("VoidedPurchase", v);
        if (errors.length) {
          double.fixtureErrors.push(...errors);
          return googleError(res, 500, `double: not Google's VoidedPurchase: ${errors.join("; ")}`);
        }
      }
      const next = from + page.length;
      return json(res, 200, {
        voidedPurchases: page,
        ...(next < all.length ? { tokenPagination: { nextPageToken: String(next) } } : {}),
      });
    }
    googleError(res, 404, "Not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const pushToken = async (claims: Json, o: { key?: "foreign"; kid?: string } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: "https://accounts.google.com",
      aud: opts.audience,
      azp: "112233445566778899000",
      sub: "112233445566778899000",
      email: opts.pushAccount,
      email_verified: true,
      iat: now,
      exp: now + 3600,
      ...claims,
    })
      .setProtectedHeader({ alg: "RS256", kid: o.kid ?? "push-1", typ: "JWT" })
      .sign(o.key === "foreign" ? foreignKeys.privateKey : pushKeys.privateKey);
  };
  return Object.assign(double, {
    base,
    jwksUrl: `${base}/jwks`,
    pushToken,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as GooglePlayDouble;
}

/**
 * A subscription's price-change and step-up states that are not Google's (the library's declarations type them
 * as any string, so shapeErrors cannot tell): the enum values lib/app-stores/google-play-price-states.ts pins.
 */
function priceStateErrors(body: Json): string[] {
  const errors: string[] = [];
  for (const item of (body.lineItems as Json[] | undefined) ?? []) {
    const plan = item.autoRenewingPlan as Json | undefined;
    const change = (plan?.priceChangeDetails as Json | undefined)?.priceChangeState;
    if (change !== undefined && !(priceChangeStates as readonly unknown[]).includes(change))
      errors.push(`priceChangeState ${String(change)} is not one of Google's`);
    const consent = (plan?.priceStepUpConsentDetails as Json | undefined)?.state;
    if (consent !== undefined && !(priceStepUpConsentStates as readonly unknown[]).includes(consent))
      errors.push(`priceStepUpConsentDetails.state ${String(consent)} is not one of Google's`);
  }
  return errors;
}
