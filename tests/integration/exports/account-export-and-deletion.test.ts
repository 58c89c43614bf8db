// The route harness first: it sets up the request scope Next's modules expect before they load.
import "next-test-api-route-handler";
import { beforeAll, describe, expect, it } from "vitest";
import Ajv2020 from "ajv/dist/2020";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { updateProfile } from "@/lib/auth/update-profile";
import { createSession } from "@/lib/auth/sessions";
import { createCheckout } from "@/lib/payments/create-checkout";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { getReceiptKeys } from "@/lib/payments/receipts/get-receipt-keys";
import { buildAccountExport } from "@/lib/portability/build-account-export";
import { deleteAccount, deletedEmailOf } from "@/lib/portability/delete-account";
import { verifyStoredAuditChain } from "@/lib/audit/verify-stored-audit-chain";
import { verifyLogHistory } from "@/lib/transparency/verify-log-history";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { verifyProposal } from "@/lib/governance/verify-proposal";
import { integrateLog } from "@/lib/transparency/integrate-log";
import { limits } from "@/lib/config/limits";
import { verifyReceipt, type Jwk } from "@/tools/receipt-verify/verify-receipt";
import { publishedJsonSchema } from "@/app/schemas/registry";
import * as exportRoute from "@/app/api/account/export/route";
import * as schemaRoute from "@/app/schemas/[name]/route";
import { callRoute, rowCounts, sessionCookieFor } from "../../support/route-harness";
import { seedOrg, seedUser } from "../../support/factories";
import {
  seedActiveSplitPolicy,
  seedPaymentsWorld,
  ticketCheckoutInput,
  seedReleaseLineRunBy,
} from "../../support/payments-factories";
import { userActor } from "@/lib/access/actor";
import { startFunding } from "@/lib/funding/start-funding";
import { startFundingSchema } from "@/lib/funding/funding-input";
import { completeSimulatedFunding } from "@/lib/payments/complete-simulated-funding";
import { openRelease, seedVoter, vote, type Voter } from "../governance/helpers";

let person: Voter;
let proposer: Voter;
let proposalId: string;
let orderId: string;
let theaterId: string;
let fundingId: string;

beforeAll(async () => {
  const world = await seedPaymentsWorld();
  theaterId = world.theater.org.id;
  [person, proposer] = [await seedVoter(["MEMBER"]), await seedVoter(["MEMBER"])];
  await updateProfile({ userId: person.user.id, name: "Alice Secretname" });
  await db().membership.create({ data: { orgId: theaterId, userId: person.user.id, role: "THEATER_ADMIN" } });
  await createSession({ userId: person.user.id, authMethod: "passkey" });
  const { client } = await import("@/lib/oidc/clients/create-client-from-cli").then((m) =>
    m.createClientFromCli({
      name: "Box office",
      redirectUris: ["https://box.example/cb"],
      grants: ["authorization_code"],
      scopes: ["openid"],
      postLogoutRedirectUris: [],
    }),
  );
  await db().oidcGrant.create({
    data: { id: newId("grt"), userId: person.user.id, clientId: client.id, scopes: ["openid"] },
  });
  const p = await openRelease(proposer);
  proposalId = p.id;
  await vote(person, proposalId, 1, "Ship it.");
  await vote(proposer, proposalId, 1);
  const { checkoutId } = await createCheckout({ ...ticketCheckoutInput(theaterId), buyerUserId: person.user.id });
  await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" });
  orderId = checkoutId;
  // A monthly funding of a line, paid on the simulated provider's page, named publicly.
  await seedActiveSplitPolicy("LINE_FUNDING", "EUR");
  const line = await seedReleaseLineRunBy([world.hostA]);
  const form = { releaseLineId: line.id, amount: "20.00", currency: "EUR", interval: "month", requestKey: newId("rk") };
  ({ fundingId } = await startFunding({
    ...startFundingSchema.parse({ ...form, publicName: "Alice" }),
    actor: userActor(person.user.id),
  }));
  await completeSimulatedFunding({ funderUserId: person.user.id, fundingId, cardNumber: "4242424242424242" });
  await integrateLog();
});

describe("a person's data export", () => {
  it("holds everything about them, matches the published schema, and holds no secret", async () => {
    const data = await buildAccountExport(person.user.id);
    const schema = publishedJsonSchema("account-export-v1.json");
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(schema as object);
    expect(validate(JSON.parse(JSON.stringify(data))), JSON.stringify(validate.errors)).toBe(true);
    expect(data.profile).toMatchObject({ id: person.user.id, email: person.user.email, name: "Alice Secretname" });
    expect(data.passkeys).toHaveLength(1);
    expect(data.passkeys[0].publicKey).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(data.sessions).toHaveLength(1);
    expect(data.consents[0].client.name).toBe("Box office");
    expect(data.memberships[0]).toMatchObject({ org: { id: theaterId }, role: "THEATER_ADMIN" });
    expect(data.roles.map((r) => r.role)).toEqual(["MEMBER"]);
    expect(data.ballots[0]).toMatchObject({ proposal: { id: proposalId }, choice: 1, justification: "Ship it." });
    expect(data.ballots[0].signature.length).toBeGreaterThan(40);
    expect(data.purchases.orders.map((o) => o.id)).toContain(orderId);
    expect(data.fundings).toEqual([
      expect.objectContaining({
        id: fundingId,
        target: expect.objectContaining({ kind: "release_line", name: expect.stringMatching(/^line-/) }),
        amountMinor: 2000,
        currency: "EUR",
        interval: "month",
        status: "active",
        namedPublicly: true,
        publicName: "Alice",
        paidMinor: 2000,
        refundedMinor: 0,
      }),
    ]);
    const receipt = verifyReceipt(data.purchases.receipts[0], (await getReceiptKeys()) as { keys: Jwk[] });
    expect(receipt.order).toBe(orderId);
    const renamed = data.auditEntries.find((e) => e.action === "user.renamed");
    expect(renamed?.openings.map((o) => o.value)).toContain(JSON.stringify("Alice Secretname"));
    expect(data.auditEntries.some((e) => e.action === "ballot.cast")).toBe(true);
    // No secret: the session's and the passkey's stored hashes never appear.
    const text = JSON.stringify(data);
    const session = await db().session.findFirstOrThrow({ where: { userId: person.user.id } });
    expect(text).not.toContain(session.tokenHash);
    expect(text).not.toContain("tokenHash");
  });

  it("is served to the signed-in person only, with its schema published", async () => {
    const mine = await callRoute(exportRoute, {
      url: "/api/account/export",
      headers: { cookie: await sessionCookieFor(person.user.id) },
    });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-disposition")).toContain("attachment");
    expect((await mine.json()).profile.id).toBe(person.user.id);
    const { user: other } = await seedUser();
    const theirs = await callRoute(exportRoute, {
      url: "/api/account/export",
      headers: { cookie: await sessionCookieFor(other.id) },
    });
    const theirText = await theirs.text();
    expect(JSON.parse(theirText).profile.id).toBe(other.id);
    expect(theirText).not.toContain(person.user.id);
    expect((await callRoute(exportRoute, { url: "/api/account/export" })).status).toBe(401);
    const schema = await callRoute(schemaRoute, {
      url: "/schemas/account-export-v1.json",
      params: { name: "account-export-v1.json" },
    });
    expect(schema.headers.get("content-type")).toContain("application/schema+json");
    expect((await schema.json()).$id).toBe("/schemas/account-export-v1.json");
    const missing = await callRoute(schemaRoute, { url: "/schemas/nope.json", params: { name: "nope.json" } });
    expect(missing.status).toBe(404);
  });
});

describe("deleting an account", () => {
  it("refuses a missing reason and the last admin of a theater, changing nothing", async () => {
    const lonely = await seedOrg({ kind: "THEATER" });
    const before = await rowCounts();
    await expect(deleteAccount({ userId: person.user.id, reason: "no" })).rejects.toThrow(/at least 5 characters/);
    await expect(deleteAccount({ userId: lonely.admin.id, reason: "I am leaving the theater." })).rejects.toMatchObject(
      { code: "CONFLICT", reason: "LAST_MEMBER_ADMIN" },
    );
    await expect(deleteAccount({ userId: "usr_nobody", reason: "Nobody is here." })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const after = await rowCounts();
    // Integrating the log before the refusal may add entries for events already committed; nothing else moves.
    for (const table of ["LogEntry", "LogTile", "LogCheckpoint", "LogOpening"]) {
      delete after[table];
      delete before[table];
    }
    expect(after).toEqual(before);
  });

  it("erases personal data while the audit chain, the log, the ledger, the vote and the receipt stay verifiable", async () => {
    const email = person.user.email;
    const { erased } = await deleteAccount({ userId: person.user.id, reason: "Moving to the fork." });
    expect(erased).toMatchObject({ passkeys: 1, consents: 1, memberships: 1, roles: 1, fundingNames: 1 });
    // The funding stays (a money record); the name shown on the line's page goes.
    expect(await db().funding.findUniqueOrThrow({ where: { id: fundingId } })).toMatchObject({ publicName: null });

    const user = await db().user.findUniqueOrThrow({ where: { id: person.user.id } });
    expect(user).toMatchObject({ email: deletedEmailOf(person.user.id), name: null });
    expect(user.deletedAt).not.toBeNull();
    expect(await db().passkey.count({ where: { userId: person.user.id } })).toBe(0);
    expect(await db().session.count({ where: { userId: person.user.id } })).toBe(0);
    expect(await db().oidcGrant.count({ where: { userId: person.user.id } })).toBe(0);
    expect(await db().membership.count({ where: { userId: person.user.id } })).toBe(0);
    expect(await db().mailMessage.count({ where: { to: email } })).toBe(0);
    // Only the deletion event's own reason stays openable; no earlier commitment about them opens any more.
    const deletion = await db().auditPlacement.findFirstOrThrow({
      where: { event: { action: "user.deleted", subjectId: person.user.id } },
    });
    const openings = await db().logOpening.findMany({ where: { ownerUserId: person.user.id } });
    expect(openings.every((o) => o.eventSeq === deletion.seq)).toBe(true);
    expect(await db().logOpening.count({ where: { value: JSON.stringify("Alice Secretname") } })).toBe(0);
    expect(await db().logOpening.count({ where: { value: JSON.stringify(email) } })).toBe(0);
    const entry = await db().logEntry.findUniqueOrThrow({ where: { index: deletion.seq - 1n } });
    expect(entry.body).not.toContain("Moving to the fork");

    expect((await verifyStoredAuditChain()).ok).toBe(true);
    expect(await verifyLogHistory()).toMatchObject({ ok: true });
    expect((await checkLedger()).ok).toBe(true);
    const verdict = await verifyProposal(proposalId);
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    const receipt = await db().receipt.findUniqueOrThrow({ where: { orderId } });
    expect(verifyReceipt(receipt.jws, (await getReceiptKeys()) as { keys: Jwk[] }).order).toBe(orderId);

    await expect(buildAccountExport(person.user.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteAccount({ userId: person.user.id, reason: "Deleting again." })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("erases a person's openings however many events wait to be integrated", async () => {
    const { user } = await seedUser({ name: "Bob Secretname" });
    await updateProfile({ userId: user.id, name: "Bob Renamed" });
    // More than two integration rounds' worth of other acts wait, then the person's rename.
    await db().$executeRaw`
      INSERT INTO "AuditEvent" ("id", "occurredAt", "actorType", "actorId", "action", "subjectType", "subjectId",
        "stateDigest", "data", "requestId")
      SELECT 'evt_backlog_' || g, now(), 'system', 'test', 'license.activated', 'license', 'lic_backlog_' || g,
        repeat('0', 64), NULL, NULL
      FROM generate_series(1, ${2 * limits.log.integrationBatch + 100}) AS g`;
    await updateProfile({ userId: user.id, name: "Bob Secondname" });
    await deleteAccount({ userId: user.id, reason: "Leaving for good." });
    for (const name of ["Bob Renamed", "Bob Secondname"])
      expect(await db().logOpening.count({ where: { value: JSON.stringify(name) } }), name).toBe(0);
    const deletion = await db().auditPlacement.findFirstOrThrow({
      where: { event: { action: "user.deleted", subjectId: user.id } },
    });
    const openings = await db().logOpening.findMany({ where: { ownerUserId: user.id } });
    expect(openings.every((o) => o.eventSeq === deletion.seq)).toBe(true);
    expect(await verifyLogHistory()).toMatchObject({ ok: true });
  });
});
