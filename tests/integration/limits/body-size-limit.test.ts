// Must load before any Next module: it installs the AsyncLocalStorage global that Next's request scope needs.
import "next-test-api-route-handler";
import { describe, expect, it } from "vitest";
import { limits } from "@/lib/config/limits";
import * as emailCodeRoute from "@/app/api/auth/email-code/route";
import * as tokenRoute from "@/app/oidc/token/route";
import * as stripeWebhookRoute from "@/app/api/webhooks/stripe/route";
import { callRoute, rowCounts } from "../../support/route-harness";
import { uniqueEmail } from "../../support/factories";

/**
 * Issue 12: no API route bounded its body; four unauthenticated 100 MB bodies
 * took the server from 450 to 1,086 MB. Every route takes at most its bound
 * (limits.body), answering a larger body with a 413 in its endpoint's error
 * shape and changing nothing.
 */
const ORIGIN = "http://localhost:3999";
const json = { "content-type": "application/json", origin: ORIGIN };
const overDefault = limits.body.defaultBytes + 1;

describe("request body bounds", () => {
  it("refuses a body over the bound with 413 in the API's error shape, writing nothing", async () => {
    const body = JSON.stringify({ email: uniqueEmail("big"), padding: "x".repeat(overDefault) });
    const before = await rowCounts();
    const res = await callRoute(emailCodeRoute, { method: "POST", url: "/api/auth/email-code", headers: json, body });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE", reason: "BODY_TOO_LARGE" } });
    expect(await rowCounts()).toEqual(before);
  });

  it("takes a body within the bound", async () => {
    const body = JSON.stringify({ email: uniqueEmail("small") });
    const res = await callRoute(emailCodeRoute, { method: "POST", url: "/api/auth/email-code", headers: json, body });
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it("answers an OpenID endpoint's oversized body in OAuth's error shape", async () => {
    const res = await callRoute(tokenRoute, {
      method: "POST",
      url: "/oidc/token",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=client_credentials&client_id=${"a".repeat(overDefault)}`,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
  });

  it("gives the provider webhook a larger bound of its own", async () => {
    const event = JSON.stringify({ id: "evt_x", padding: "x".repeat(overDefault * 2) });
    const res = await callRoute(stripeWebhookRoute, {
      method: "POST",
      url: "/api/webhooks/stripe",
      headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=bad" },
      body: event,
    });
    // Within the webhook's bound, so the webhook answers (here: payments are not configured), not the size check.
    expect(res.status).not.toBe(413);
    const tooBig = await callRoute(stripeWebhookRoute, {
      method: "POST",
      url: "/api/webhooks/stripe",
      headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=bad" },
      body: JSON.stringify({ padding: "x".repeat(limits.body.webhookBytes + 1) }),
    });
    expect(tooBig.status).toBe(413);
  });
});
