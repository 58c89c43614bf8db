// The route harness first: it sets up the request scope Next's modules expect before they load.
import "next-test-api-route-handler";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair } from "jose";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { createClientFromCli } from "@/lib/oidc/clients/create-client-from-cli";
import { issueAccessToken } from "@/lib/oidc/tokens/issue-access-token";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { receiptSubjectFor } from "@/lib/payments/receipts/receipt-subject";
import { listReceiptsOfUser } from "@/lib/payments/receipts/list-receipts-of-user";
import { startLicensePurchase } from "@/lib/licensing/start-license-purchase";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { integrateLog } from "@/lib/transparency/integrate-log";
import { proveInclusion } from "@/lib/transparency/prove";
import { getLogSigner } from "@/lib/transparency/log-signer";
import { verifyReceipt, type Jwk } from "@/tools/receipt-verify/verify-receipt";
import * as checkoutsRoute from "@/app/api/v1/checkouts/route";
import * as checkoutRoute from "@/app/api/v1/checkouts/[id]/route";
import * as receiptKeysRoute from "@/app/.well-known/guildhall/receipt-keys/route";
import * as receiptsRoute from "@/app/api/account/receipts/route";
import * as receiptRoute from "@/app/api/account/receipts/[id]/route";
import { callRoute, rowCounts, sessionCookieFor } from "../../support/route-harness";
import { seedUser } from "../../support/factories";
import { seedPaymentsWorld } from "../../support/payments-factories";
import { seedPlan } from "../licensing/helpers";
import { defined } from "../../support/defined";

const run = promisify(execFile);
const verifier = (args: string[]) =>
  run(process.execPath, ["tools/receipt-verify/bin.mjs", ...args], { cwd: process.cwd() }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

type World = Awaited<ReturnType<typeof setUp>>;
let w: World;

async function setUp() {
  const world = await seedPaymentsWorld();
  const { client } = await createClientFromCli({
    name: "Box office",
    redirectUris: ["https://box.example/cb"],
    grants: ["authorization_code", "client_credentials"],
    scopes: ["openid", "tickets:write"],
    postLogoutRedirectUris: [],
  });
  const { client: otherClient } = await createClientFromCli({
    name: "Other host",
    redirectUris: ["https://other.example/cb"],
    grants: ["authorization_code"],
    scopes: ["openid"],
    postLogoutRedirectUris: [],
  });
  const { user: buyer } = await seedUser({ name: "Ticket Buyer" });
  const { user: stranger } = await seedUser();
  const userToken = async (clientId: string) => {
    const grant = await db().oidcGrant.create({
      data: { id: newId("grt"), userId: buyer.id, clientId, scopes: ["openid"] },
    });
    return (
      await issueAccessToken({
        clientId,
        sub: `sub-${buyer.id}`,
        userId: buyer.id,
        scopes: ["openid"],
        grantId: grant.id,
      })
    ).token;
  };
  const apiToken = (await issueAccessToken({ clientId: client.id, sub: client.id, scopes: ["tickets:write"] })).token;
  return {
    ...world,
    client,
    buyer,
    stranger,
    apiToken,
    buyerToken: await userToken(client.id),
    buyerTokenElsewhere: await userToken(otherClient.id),
  };
}

beforeAll(async () => {
  w = await setUp();
});

function openCheckout(body: Record<string, unknown>, key = newId("idem")) {
  return callRoute(checkoutsRoute, {
    method: "POST",
    url: "/api/v1/checkouts",
    headers: { authorization: `Bearer ${w.apiToken}`, "idempotency-key": key, "content-type": "application/json" },
    body: JSON.stringify({
      theaterOrgId: w.theater.org.id,
      showId: "show-7",
      description: "Hamlet, 2 seats",
      currency: "EUR",
      lineItems: [{ name: "Seat", quantity: 2, unitAmountMinor: 2500 }],
      ...body,
    }),
  });
}

async function receiptKeys(): Promise<{ keys: Jwk[] }> {
  return (await callRoute(receiptKeysRoute, { url: "/.well-known/guildhall/receipt-keys" })).json();
}

describe("signed receipts", () => {
  it("a host's ticket checkout answers the buyer's receipt once paid, which verifies offline and against the log", async () => {
    const opened = await openCheckout({ buyerAccessToken: w.buyerToken });
    expect(opened.status).toBe(201);
    const checkout = await opened.json();
    expect(checkout.receipt).toBeNull();
    expect((await completeSimulatedCheckout({ orderId: checkout.id, cardNumber: "4242424242424242" })).result).toBe(
      "paid",
    );

    const answer = await callRoute(checkoutRoute, {
      url: `/api/v1/checkouts/${checkout.id}`,
      params: { id: checkout.id },
      headers: { authorization: `Bearer ${w.apiToken}` },
    });
    const { receipt } = await answer.json();
    const claims = verifyReceipt(receipt, await receiptKeys());
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkout.id } });
    const paidEvent = await db().auditPlacement.findFirstOrThrow({
      where: { event: { subjectId: order.id, action: "order.paid" } },
    });
    expect(claims).toMatchObject({
      v: 1,
      order: order.id,
      kind: "ticket",
      sub: receiptSubjectFor({ theaterOrgId: w.theater.org.id, userId: w.buyer.id }),
      theater: { id: w.theater.org.id, slug: w.theater.org.slug },
      price: { amountMinor: 5000, currency: "EUR", feeMinor: Number(order.feeMinor) },
      item: { showId: "show-7", quantity: 2 },
      split: { entryId: order.saleEntryId, policyId: order.policyVersionId },
      log: { index: Number(paidEvent.seq) - 1, action: "order.paid" },
    });
    expect(claims.split.parts.map((p) => p.payee)).toContain("theater");
    // The buyer is named by a pairwise subject only: no email, no user id.
    const payloadText = Buffer.from(receipt.split(".")[1], "base64url").toString();
    expect(payloadText).not.toContain(w.buyer.email);
    expect(payloadText).not.toContain(w.buyer.id);
    expect(receiptSubjectFor({ theaterOrgId: "org_other", userId: w.buyer.id })).not.toBe(claims.sub);

    // The same receipt is answered again: made once.
    const again = await callRoute(checkoutRoute, {
      url: `/api/v1/checkouts/${checkout.id}`,
      params: { id: checkout.id },
      headers: { authorization: `Bearer ${w.apiToken}` },
    });
    expect((await again.json()).receipt).toBe(receipt);
    expect(await db().receipt.count({ where: { orderId: order.id } })).toBe(1);

    // Offline, with the tool: the receipt, the keys, the log key and the proof of its entry.
    await integrateLog();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-receipt-"));
    const file = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const receiptFile = file("r.jws", receipt);
    const keys = await receiptKeys();
    const keysFile = file("keys.json", JSON.stringify(keys));
    const logKey = (await getLogSigner()).verifierKey;
    const proofFile = file("proof.json", JSON.stringify(await proveInclusion(claims.log.index)));
    const ok = await verifier([
      "--receipt",
      receiptFile,
      "--keys",
      keysFile,
      "--log-key",
      logKey,
      "--proof",
      proofFile,
      "--json",
    ]);
    expect(ok.stderr).toBe("");
    expect(JSON.parse(ok.stdout)).toMatchObject({
      receipts: [{ order: order.id }],
      log: { checked: [{ order: order.id, index: claims.log.index }] },
    });

    // Refused: the payload changed; a key set without the signer's key (the function the tool runs).
    const [h, p, s] = receipt.split(".");
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    payload.price.amountMinor = 500;
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    expect(() => verifyReceipt(tampered, keys)).toThrow("the signature does not verify");
    const { publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const signerKid: string = JSON.parse(Buffer.from(h, "base64url").toString()).kid;
    const strangerKeys = { keys: [{ ...(await exportJWK(publicKey)), kty: "OKP", kid: signerKid }] };
    expect(() => verifyReceipt(receipt, strangerKeys)).toThrow("the signature does not verify");
    expect(() => verifyReceipt(receipt, { keys: [] })).toThrow("unknown key");
    // And by the tool: the proof of another entry.
    const otherProof = file("p2.json", JSON.stringify(await proveInclusion(claims.log.index - 1)));
    const mismatch = await verifier([
      "--receipt",
      receiptFile,
      "--keys",
      keysFile,
      "--log-key",
      logKey,
      "--proof",
      otherProof,
    ]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain("does not match its log entry");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists and downloads a person's receipts, and refuses another person's", async () => {
    const { checkoutId } = await (await openCheckout({ buyerAccessToken: w.buyerToken })).json().then((c) => ({
      checkoutId: c.id as string,
    }));
    await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" });
    const receipts = await listReceiptsOfUser(w.buyer.id);
    const mine = defined(receipts.find((r) => r.orderId === checkoutId));
    expect(mine.claims.order).toBe(checkoutId);

    const buyerCookie = await sessionCookieFor(w.buyer.id);
    const one = await callRoute(receiptRoute, {
      url: `/api/account/receipts/${mine.id}`,
      params: { id: mine.id },
      headers: { cookie: buyerCookie },
    });
    expect(one.status).toBe(200);
    expect(one.headers.get("content-disposition")).toContain(`${mine.id}.jws`);
    expect((await one.text()).trim()).toBe(mine.jws);
    await integrateLog();
    const all = await callRoute(receiptsRoute, { url: "/api/account/receipts", headers: { cookie: buyerCookie } });
    const bundleText = await all.text();
    const bundle = JSON.parse(bundleText);
    expect(bundle).toMatchObject({ format: "guildhall-receipts", v: 1 });
    expect(bundle.receipts).toContain(mine.jws);
    expect(bundle.logProofs[checkoutId]).toMatchObject({ status: "integrated", thing: { kind: "order" } });
    // The whole file, offline: every receipt's signature, and each against the log proof the file carries.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-receipts-"));
    fs.writeFileSync(path.join(dir, "all.json"), bundleText);
    fs.writeFileSync(path.join(dir, "keys.json"), JSON.stringify(await receiptKeys()));
    const checked = await verifier([
      "--receipt",
      path.join(dir, "all.json"),
      "--keys",
      path.join(dir, "keys.json"),
      "--log-key",
      (await getLogSigner()).verifierKey,
      "--json",
    ]);
    expect(checked.stderr).toBe("");
    expect(JSON.parse(checked.stdout).log.checked).toHaveLength(bundle.receipts.length);
    fs.rmSync(dir, { recursive: true, force: true });

    const strangerCookie = await sessionCookieFor(w.stranger.id);
    const refused = await callRoute(receiptRoute, {
      url: `/api/account/receipts/${mine.id}`,
      params: { id: mine.id },
      headers: { cookie: strangerCookie },
    });
    expect(refused.status).toBe(404);
    const theirs = await callRoute(receiptsRoute, {
      url: "/api/account/receipts",
      headers: { cookie: strangerCookie },
    });
    expect((await theirs.json()).receipts).toEqual([]);
    const signedOut = await callRoute(receiptRoute, {
      url: `/api/account/receipts/${mine.id}`,
      params: { id: mine.id },
    });
    expect(signedOut.status).toBe(401);
  });

  it("refuses a buyer token of another client or a bad one, writing nothing; an anonymous sale has no subject", async () => {
    const before = await rowCounts();
    for (const token of [w.buyerTokenElsewhere, "not-a-token", w.apiToken]) {
      const res = await openCheckout({ buyerAccessToken: token });
      expect(res.status).toBe(422);
      expect((await res.json()).error.reason).toBe("BUYER_TOKEN_INVALID");
    }
    expect(await rowCounts()).toEqual(before);

    const anonymous = await (await openCheckout({})).json();
    await completeSimulatedCheckout({ orderId: anonymous.id, cardNumber: "4242424242424242" });
    // The outbox issues it without anyone asking.
    await drainOutbox();
    const row = await db().receipt.findUniqueOrThrow({ where: { orderId: anonymous.id } });
    expect(row.buyerUserId).toBeNull();
    expect(verifyReceipt(row.jws, await receiptKeys()).sub).toBeUndefined();
  });

  it("a license purchase yields a receipt for the theater admin who bought it", async () => {
    const { plan } = await seedPlan({ termDays: 30 });
    const bought = await startLicensePurchase({
      theaterOrgId: w.theater.org.id,
      planId: plan.id,
      actor: { type: "user", id: w.theater.admin.id },
    });
    await completeSimulatedCheckout({ orderId: bought.checkoutId, cardNumber: "4242424242424242" });
    const [receipt] = await listReceiptsOfUser(w.theater.admin.id);
    expect(receipt.claims).toMatchObject({
      kind: "license",
      item: { licenseId: bought.licenseId },
      price: { amountMinor: 120000, currency: "EUR" },
      sub: receiptSubjectFor({ theaterOrgId: w.theater.org.id, userId: w.theater.admin.id }),
    });
  });
});
