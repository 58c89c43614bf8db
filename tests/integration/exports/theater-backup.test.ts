// The route harness first: it sets up the request scope Next's modules expect before they load.
import "next-test-api-route-handler";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CompactSign, exportJWK, generateKeyPair, type JSONWebKeySet } from "jose";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { db } from "@/lib/db/client";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { startLicensePurchase } from "@/lib/licensing/start-license-purchase";
import { issueLicenseCertificate } from "@/lib/licensing/issue-license-certificate";
import { createTheaterApiToken } from "@/lib/licensing/theater-api-tokens";
import { createCheckout } from "@/lib/payments/create-checkout";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { refundOrder } from "@/lib/payments/refund-order";
import { seedDefaultSplitPolicies } from "@/lib/splits/seed-default-split-policies";
import { canonicalLogJson } from "@/lib/transparency/build-log-entry";
import { theaterBackupDigest } from "@/lib/portability/build-theater-backup";
import { importTheaterBackup } from "@/lib/portability/import-theater-backup";
import { verifyTheaterBackup } from "@/lib/portability/verify-theater-backup";
import type { TheaterBackupFile } from "@/lib/portability/theater-backup-schema";
import * as backupRoute from "@/app/api/licensing/theaters/[orgId]/backup/route";
import { callRoute, rowCounts, sessionCookieFor } from "../../support/route-harness";
import { seedOrg, seedUser } from "../../support/factories";
import { createDatabase, dropDatabase, throwawayName } from "../../support/postgres-admin";
import { ticketCheckoutInput } from "../../support/payments-factories";
import { runCli } from "../orgs/cli-harness";
import Ajv2020 from "ajv/dist/2020";
import { publishedJsonSchema } from "@/app/schemas/registry";
import { makeCsr, seedPlan, setupCa } from "../licensing/helpers";

const system = { type: "system" as const, id: "test" };
let theater: Awaited<ReturnType<typeof seedOrg>>;
let token: string;
let file: TheaterBackupFile;
let exportKeys: JSONWebKeySet;

// A CA, a paid license with a certificate, a paid and refunded sale: over a minute on a loaded machine.
beforeAll(async () => {
  await setupCa();
  await db().$transaction((tx) => seedDefaultSplitPolicies(tx));
  theater = await seedOrg({ kind: "THEATER" });
  const admin = { type: "user" as const, id: theater.admin.id };
  const { plan } = await seedPlan({ termDays: 30 });
  const bought = await startLicensePurchase({ theaterOrgId: theater.org.id, planId: plan.id, actor: admin });
  await completeSimulatedCheckout(bought.checkoutId, "4242424242424242");
  await issueLicenseCertificate({
    licenseId: bought.licenseId,
    csrPem: (await makeCsr("Ed25519")).csrPem,
    actor: admin,
  });
  const { checkoutId } = await createCheckout(ticketCheckoutInput(theater.org.id));
  await completeSimulatedCheckout(checkoutId, "4242424242424242");
  const { user: finance } = await seedUser({ roles: ["FINANCE"] });
  await refundOrder({
    actor: { type: "user", id: finance.id },
    orderId: checkoutId,
    amountMinor: 1000,
    reason: "Seat was broken.",
    requestKey: "r1",
  });
  token = (await createTheaterApiToken({ orgId: theater.org.id, name: "backup robot", actor: admin })).token;
}, 180_000);

describe("a theater's signed backup", () => {
  it("is downloaded by its admin, by session or by the management client's token, and verifies", async () => {
    const res = await callRoute(backupRoute, {
      url: `/api/licensing/theaters/${theater.org.id}/backup`,
      params: { orgId: theater.org.id },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain(`${theater.org.slug}-backup-`);
    file = await res.json();
    exportKeys = (await getPublicJwks(["export"])) as JSONWebKeySet;
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(
      publishedJsonSchema("theater-backup-v1.json") as object,
    );
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
    const body = await verifyTheaterBackup(file, exportKeys);
    expect(body.theater).toMatchObject({ id: theater.org.id, slug: theater.org.slug });
    expect(body.members).toEqual([expect.objectContaining({ userId: theater.admin.id, role: "THEATER_ADMIN" })]);
    expect(body.licenses[0].certificates).toHaveLength(1);
    expect(body.certificateAuthorities.map((ca) => ca.kind).sort()).toEqual(["intermediate", "root"]);
    expect(body.orders).toHaveLength(2);
    expect(body.orders.every((o) => o.receipt !== null)).toBe(true);
    expect(body.ticketSales).toHaveLength(1);
    expect(body.refunds[0]).toMatchObject({ amountMinor: 1000, reason: "Seat was broken." });
    expect(body.adjustments[0]).toMatchObject({ kind: "refund", amountMinor: 1000 });
    expect(body.ledger.find((a) => a.kind === "theater_payable")?.balanceMinor).toBeLessThan(0);
    expect(body.apiTokens[0]).toMatchObject({ name: "backup robot" });
    expect(JSON.stringify(file)).not.toContain(token);
    expect(JSON.stringify(file)).not.toContain("tokenHash");

    const bySession = await callRoute(backupRoute, {
      url: `/api/licensing/theaters/${theater.org.id}/backup`,
      params: { orgId: theater.org.id },
      headers: { cookie: await sessionCookieFor(theater.admin.id) },
    });
    expect(bySession.status).toBe(200);
  });

  it("is refused to anyone but the theater's admin", async () => {
    const other = await seedOrg({ kind: "THEATER" });
    const otherToken = (
      await createTheaterApiToken({ orgId: other.org.id, name: "x", actor: { type: "user", id: other.admin.id } })
    ).token;
    const { user: stranger } = await seedUser();
    for (const headers of <Record<string, string>[]>[
      { authorization: `Bearer ${otherToken}` },
      { cookie: await sessionCookieFor(other.admin.id) },
      { cookie: await sessionCookieFor(stranger.id) },
    ]) {
      const res = await callRoute(backupRoute, {
        url: `/api/licensing/theaters/${theater.org.id}/backup`,
        params: { orgId: theater.org.id },
        headers,
      });
      expect(res.status).toBe(403);
    }
    const signedOut = await callRoute(backupRoute, {
      url: `/api/licensing/theaters/${theater.org.id}/backup`,
      params: { orgId: theater.org.id },
    });
    expect(signedOut.status).toBe(401);
  });

  it("refuses a changed byte, an unknown key, a newer version, a bad inner signature and a non-empty target, writing nothing", async () => {
    const before = await rowCounts();
    const copy = () => JSON.parse(JSON.stringify(file)) as TheaterBackupFile;
    const refusal = (f: unknown, keys: JSONWebKeySet = exportKeys) =>
      importTheaterBackup({ file: f, trustedExportKeys: keys, actor: system }).then(
        () => null,
        (e: { reason?: string; userMessage?: string }) => e,
      );

    const tampered = copy();
    tampered.backup.orders[0].amountMinor += 1;
    expect(await refusal(tampered)).toMatchObject({ reason: "BACKUP_TAMPERED" });

    const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const ours = { keys: [{ ...(await exportJWK(publicKey)), kid: "ours", alg: "EdDSA", use: "sig" }] };
    expect(await refusal(file, ours)).toMatchObject({ reason: "BACKUP_UNKNOWN_KEY" });

    const newer = copy() as unknown as { backup: { v: number } };
    newer.backup.v = 2;
    expect(await refusal(newer)).toMatchObject({ reason: "BACKUP_VERSION_UNSUPPORTED" });

    // A body re-signed by a key the importer trusts still fails on the inner signatures it vouches for.
    const resign = async (f: TheaterBackupFile) => {
      f.backup.keys.export = ours;
      const claims = {
        digest: theaterBackupDigest(f.backup),
        theater: f.backup.theater.id,
        issuer: f.backup.origin.issuer,
        exportedAt: f.backup.origin.exportedAt,
      };
      f.signature = await new CompactSign(new TextEncoder().encode(canonicalLogJson(claims)))
        .setProtectedHeader({ alg: "EdDSA", kid: "ours", typ: "guildhall-theater-backup+jws" })
        .sign(privateKey);
      return f;
    };
    const badDocument = copy();
    const doc = badDocument.backup.licenses[0].certificates[0].licenseDocument.split(".");
    const claims = JSON.parse(Buffer.from(doc[1], "base64url").toString());
    claims.license.entitlements.seats = 100_000;
    doc[1] = Buffer.from(JSON.stringify(claims)).toString("base64url");
    badDocument.backup.licenses[0].certificates[0].licenseDocument = doc.join(".");
    const refusedDoc = await refusal(await resign(badDocument), ours);
    expect(refusedDoc).toMatchObject({ reason: "BACKUP_LICENSE_DOCUMENT_INVALID" });
    expect(refusedDoc?.userMessage).toContain(`licenses ${file.backup.licenses[0].id}`);
    const badReceipt = copy();
    badReceipt.backup.orders[1].receipt = badReceipt.backup.orders[0].receipt;
    expect(await refusal(await resign(badReceipt), ours)).toMatchObject({ reason: "BACKUP_RECEIPT_INVALID" });

    // This Guildhall holds the theater already.
    expect(await refusal(file)).toMatchObject({ reason: "TARGET_NOT_EMPTY" });
    expect(await rowCounts()).toEqual(before);
  });
});

describe("importing into another Guildhall", () => {
  const engine = process.env.TEST_DB ?? "pglite";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-import-"));
  let target: Record<string, string | undefined>;
  let dropName: string | undefined;
  afterAll(async () => {
    if (dropName) await dropDatabase(dropName);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("imports the theater with `cli theater import`, every record, all at once", { timeout: 240_000 }, async () => {
    if (engine === "postgres") {
      dropName = throwawayName("gh_import");
      target = { DATABASE_URL: await createDatabase(dropName, inject("templateDatabase")), DATA_DIR: dir };
    } else {
      fs.cpSync(path.join(inject("templateDatabase"), "pglite"), path.join(dir, "pglite"), { recursive: true });
      target = { DATABASE_URL: undefined, DATA_DIR: dir };
    }
    fs.writeFileSync(path.join(dir, "backup.json"), JSON.stringify(file));
    fs.writeFileSync(path.join(dir, "keys.json"), JSON.stringify(exportKeys));
    const env = { ...target, SEED_DEMO: "0", PUBLIC_URL: "http://fork.localhost:3998" };
    const result = await runCli(
      ["theater", "import", path.join(dir, "backup.json"), "--origin-keys", path.join(dir, "keys.json"), "--json"],
      env,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ theaterOrgId: theater.org.id, members: 1 });

    const counts = await countInTarget(engine, target, theater.org.id);
    expect(counts).toEqual({
      orgs: 1,
      licenses: 1,
      certificates: 1,
      orders: 2,
      receipts: 2,
      sales: 1,
      refunds: 1,
      imports: 1,
    });
  });
});

/** Row counts of the imported theater in the target database, read after the CLI has exited. */
async function countInTarget(engine: string, target: Record<string, string | undefined>, orgId: string) {
  const sql = `SELECT
    (SELECT count(*) FROM "Organization" WHERE id = $1)::int AS orgs,
    (SELECT count(*) FROM "License" WHERE "theaterOrgId" = $1)::int AS licenses,
    (SELECT count(*) FROM "LicenseCertificate" c JOIN "License" l ON l.id = c."licenseId" WHERE l."theaterOrgId" = $1)::int AS certificates,
    (SELECT count(*) FROM "PaymentOrder" WHERE "theaterOrgId" = $1)::int AS orders,
    (SELECT count(*) FROM "Receipt" WHERE "theaterOrgId" = $1)::int AS receipts,
    (SELECT count(*) FROM "TicketSale" WHERE "theaterOrgId" = $1)::int AS sales,
    (SELECT count(*) FROM "RefundRequest" r JOIN "PaymentOrder" o ON o.id = r."orderId" WHERE o."theaterOrgId" = $1)::int AS refunds,
    (SELECT count(*) FROM "TheaterImport" WHERE "theaterOrgId" = $1)::int AS imports`;
  if (engine === "postgres") {
    const client = new pg.Client({ connectionString: target.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query(sql, [orgId])).rows[0];
    } finally {
      await client.end();
    }
  }
  const lite = new PGlite(path.join(String(target.DATA_DIR), "pglite"));
  try {
    return (await lite.query(sql, [orgId])).rows[0];
  } finally {
    await lite.close();
  }
}
