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
import { canonicalSha256 } from "@/lib/portability/canonical-sha256";
import { importTheaterBackup } from "@/lib/portability/import-theater-backup";
import { verifyTheaterBackup } from "@/lib/portability/verify-theater-backup";
import { parseTheaterBackupText } from "@/lib/portability/parse-theater-backup-text";
import type { TheaterBackupFile } from "@/lib/portability/theater-backup-schema";
import * as backupRoute from "@/app/api/licensing/theaters/[orgId]/backup/route";
import { callRoute, rowCounts, sessionCookieFor } from "../../support/route-harness";
import { type PageComponent, renderPage } from "../../support/page-harness";
import { seedOrg, seedUser } from "../../support/factories";
import { createTestDatabase, dropDatabase, throwawayName } from "../../support/postgres-admin";
import { ticketCheckoutInput } from "../../support/payments-factories";
import { runCli } from "../orgs/cli-harness";
import Ajv2020 from "ajv/dist/2020";
import { publishedJsonSchema } from "@/app/schemas/registry";
import { makeCsr, seedActiveLicense, seedPlan, setupCa } from "../licensing/helpers";
import { expectForkMtlsHostTrustsOrigin, originTheaterClients } from "./fork-mtls-host";
import { revokeLicense } from "@/lib/licensing/revoke-license";
import crypto from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { createClientFromCli } from "@/lib/oidc/clients/create-client-from-cli";
import { createPayoutBatch } from "@/lib/payouts/create-payout-batch";
import { exportOrgArchive } from "@/lib/portability/export-org-archive";
import { importOrgArchive } from "@/lib/portability/import-org-archive";
import { orgArchiveDigest } from "@/lib/portability/org-archive-files";
import { ORG_ARCHIVE_TABLES, type OrgArchiveManifest } from "@/lib/portability/org-archive-format";
import { openRelease, seedVoter, vote, type Voter } from "../governance/helpers";
import { closeDb } from "@/lib/db/close-db";
import { limits } from "@/lib/config/limits";
import { resetEnvForTests } from "@/lib/config/env";
import { relyingParty } from "@/lib/auth/relying-party";
import { newId } from "@/lib/ids";
import { importedStopReason } from "@/lib/webhook-subscriptions/imported-stop";
import { verifyOrgArchive } from "@/lib/portability/verify-org-archive";
import { verifyOrgArchiveFile } from "@/lib/portability/org-archive-checks/verify-file";
import { latestMigration } from "@/lib/portability/org-archive-files";
import { SoftAuthenticator } from "../../support/soft-authenticator";
import { listForkOrigins, originOfLogEntry, originOfRecord } from "@/lib/portability/list-fork-origins";
import http from "node:http";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { issueReceipt } from "@/lib/payments/receipts/issue-receipt";
import { decodeReceipt } from "@/lib/payments/receipts/decode-receipt";
import { proveInclusion } from "@/lib/transparency/prove";
import { findLogVerifierKey } from "@/lib/transparency/log-signer";
import { tileFile } from "@/lib/transparency/http/serve-log-files";
import { publicFileResponse } from "@/lib/http/serve-public-file-like-next";
import OrderPage from "@/app/finance/orders/[id]/page";
import PayoutBatchPage from "@/app/finance/batches/[id]/page";
import PayoutItemPage from "@/app/finance/batches/[id]/items/[itemId]/page";
import SplitPoliciesPage from "@/app/finance/policies/page";
import AuditEventPage from "@/app/admin/audit/[seq]/page";
import LogPage from "@/app/log/page";
import ReleasesPage from "@/app/governance/releases/page";
import ConnectedAppsPage from "@/app/account/apps/page";
import OwnFundingPage from "@/app/account/funding/page";
import LineFundingPage from "@/app/funding/[line]/page";
import RulesPage from "@/app/governance/rules/page";
import WebhooksPage from "@/app/orgs/[slug]/webhooks/page";
import { recordConsent } from "@/lib/oidc/grants/record-consent";
import { updateGovernanceRule } from "@/lib/governance/update-governance-rule";
import { defaultRules } from "@/lib/governance/proposal-kinds";

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
  await completeSimulatedCheckout({ orderId: bought.checkoutId, cardNumber: "4242424242424242" });
  await issueLicenseCertificate({
    licenseId: bought.licenseId,
    csrPem: (await makeCsr("Ed25519")).csrPem,
    actor: admin,
  });
  const { checkoutId } = await createCheckout(ticketCheckoutInput(theater.org.id));
  await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" });
  const { user: finance } = await seedUser({ roles: ["FINANCE"] });
  await refundOrder({
    actor: { type: "user", id: finance.id },
    orderId: checkoutId,
    amountMinor: 1000,
    reason: "Seat was broken.",
    requestKey: "r1",
  });
  token = (await createTheaterApiToken({ orgId: theater.org.id, name: "backup robot", actor: admin })).token;
  // Its webhook subscriptions: one active, one its admin stopped.
  for (const status of ["active", "disabled"] as const)
    await db().webhookSubscription.create({
      data: {
        id: newId("whs"),
        orgId: theater.org.id,
        orgKind: "THEATER",
        url: `https://box.example/${status}`,
        eventTypes: ["license.renewed"],
        status,
        createdById: theater.admin.id,
        ...(status === "disabled" ? { disabledAt: new Date(), disabledReason: "Moved to another receiver." } : {}),
      },
    });
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
      publishedJsonSchema("theater-backup-v2.json") as object,
    );
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
    expect(file.backup.v).toBe(2);
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

  it("refuses a changed byte, an unknown key, a newer version, a bad inner signature, a cut file and a non-empty target, writing nothing", async () => {
    const before = await rowCounts();
    const copy = () => JSON.parse(JSON.stringify(file)) as TheaterBackupFile;
    const refusal = (f: unknown, keys: JSONWebKeySet = exportKeys) =>
      importTheaterBackup({ file: f, trustedExportKeys: keys, actor: system }).then(
        () => null,
        (e: { reason?: string; userMessage?: string }) => e,
      );

    // An amount changed: the order's record hash names it.
    const tampered = copy();
    const paid = tampered.backup.orders[1];
    paid.amountMinor += 1;
    expect(await refusal(tampered)).toMatchObject({
      reason: "BACKUP_TAMPERED",
      userMessage: `backup.orders[1] (id ${paid.id}): its bytes differ from the backup's record hash: the file was changed`,
    });
    // The same records in another order are another body: the signature covers their order too.
    const reordered = copy();
    reordered.backup.orders.reverse();
    const [first, second] = file.backup.orders;
    expect(await refusal(reordered)).toMatchObject({
      reason: "BACKUP_TAMPERED",
      userMessage: `backup.orders[0] (id ${second.id}): it is the backup's orders[1], out of place; backup.orders[1] (id ${first.id}): it is the backup's orders[0], out of place: the file was changed`,
    });

    const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const ours = { keys: [{ ...(await exportJWK(publicKey)), kid: "ours", alg: "EdDSA", use: "sig" }] };
    expect(await refusal(file, ours)).toMatchObject({ reason: "BACKUP_UNKNOWN_KEY" });

    const newer = copy() as unknown as { backup: { v: number } };
    newer.backup.v = 3;
    expect(await refusal(newer)).toMatchObject({ reason: "BACKUP_VERSION_UNSUPPORTED" });

    // A body re-signed by a key the importer trusts still fails on the inner signatures it vouches for.
    const resign = (f: TheaterBackupFile) => resignBackup(f, ours, privateKey);
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

    // A copy cut short: refused at reading, naming the file, before anything is checked or written.
    const cut = path.join(os.tmpdir(), `${throwawayName("cut")}.json`);
    const whole = JSON.stringify(file);
    fs.writeFileSync(cut, whole.slice(0, whole.length >> 1));
    try {
      const truncated = await Promise.resolve()
        .then(() =>
          importTheaterBackup({
            file: parseTheaterBackupText(fs.readFileSync(cut, "utf8"), cut),
            trustedExportKeys: exportKeys,
            actor: system,
          }),
        )
        .then(
          () => null,
          (e: { reason?: string; userMessage?: string }) => e,
        );
      expect(truncated).toMatchObject({ reason: "BACKUP_NOT_A_BACKUP" });
      expect(truncated?.userMessage).toContain(cut);
    } finally {
      fs.rmSync(cut, { force: true });
    }

    // This Guildhall holds the theater already.
    expect(await refusal(file)).toMatchObject({ reason: "TARGET_NOT_EMPTY" });
    expect(await rowCounts()).toEqual(before);
  });

  it("names the record a changed byte is in, in every section, or the entry of the record hashes, writing nothing", async () => {
    const before = await rowCounts();
    const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const ours = { keys: [{ ...(await exportJWK(publicKey)), kid: "ours", alg: "EdDSA", use: "sig" }] };
    // The fixture pays no payout batch: one statement, re-signed by a key the importer is told to trust, so that
    // every section holds a record.
    const base = JSON.parse(JSON.stringify(file)) as TheaterBackupFile;
    expect(base.backup.payoutStatements).toEqual([]);
    base.backup.payoutStatements.push({
      id: "poi_statement",
      batch: { id: "pob_batch", status: "posted", periodStart: null, periodEnd: null },
      amountMinor: 4200,
      currency: "EUR",
      status: "posted",
      destination: "acct_theater",
      providerTransferId: "tr_1",
      postedAt: base.backup.origin.exportedAt,
      failedAt: null,
      failureReason: null,
    });
    await resignBackup(base, ours, privateKey);
    await expect(verifyTheaterBackup(base, ours)).resolves.toMatchObject({ v: 2 });
    const text = JSON.stringify(base);
    const refusal = (f: unknown) =>
      importTheaterBackup({ file: f, trustedExportKeys: ours, actor: system }).then(
        () => null,
        (e: { reason?: string; userMessage?: string }) => e,
      );
    // One byte of the file's text changed (checked as such), in the last record of the section.
    const changeOneByte = (edit: (f: TheaterBackupFile) => void) => {
      const changed = JSON.parse(text) as TheaterBackupFile;
      edit(changed);
      const after = JSON.stringify(changed);
      expect(after.length).toBe(text.length);
      expect([...after].filter((c, i) => c !== text[i])).toHaveLength(1);
      return changed;
    };

    // Each section, as a person looks its records up: the key field, and whether it is one record or a list.
    const sections: [string, string | null, "one" | "list", (b: TheaterBackupFile["backup"]) => object[]][] = [
      ["origin", "issuer", "one", (b) => [b.origin]],
      ["keys", null, "one", (b) => [b.keys]],
      ["certificateAuthorities", "id", "list", (b) => b.certificateAuthorities],
      ["theater", "id", "one", (b) => [b.theater]],
      ["members", "userId", "list", (b) => b.members],
      ["licenses", "id", "list", (b) => b.licenses],
      ["orders", "id", "list", (b) => b.orders],
      ["ticketSales", "orderId", "list", (b) => b.ticketSales],
      ["refunds", "id", "list", (b) => b.refunds],
      ["adjustments", "id", "list", (b) => b.adjustments],
      ["payoutStatements", "id", "list", (b) => b.payoutStatements],
      ["ledger", "accountId", "list", (b) => b.ledger],
      ["apiTokens", "id", "list", (b) => b.apiTokens],
      ["settings.webhooks", "id", "list", (b) => b.settings.webhooks],
    ];
    expect(sections.map(([name]) => name)).toEqual(Object.keys(base.recordHashes));
    for (const [section, keyField, kind, records] of sections) {
      const last = records(base.backup).length - 1;
      expect(last, section).toBeGreaterThanOrEqual(0);
      const record = records(base.backup)[last] as Record<string, unknown>;
      const changed = changeOneByte((f) => changeLastCharOfFirstString(records(f.backup)[last], keyField));
      const name = kind === "one" ? section : `${section}[${last}]`;
      const key = keyField ? ` (${keyField} ${record[keyField]})` : "";
      expect(await refusal(changed), section).toMatchObject({
        reason: "BACKUP_TAMPERED",
        userMessage: `backup.${name}${key}: its bytes differ from the backup's record hash: the file was changed`,
      });
    }
    // A record's key changed: named as the file has it and as the backup had it.
    const order = base.backup.orders[0];
    const renamed = changeOneByte((f) => {
      f.backup.orders[0].id = `${order.id.slice(0, -1)}${order.id.endsWith("x") ? "y" : "x"}`;
    });
    expect((await refusal(renamed))?.userMessage).toBe(
      `backup.orders[0] (id ${renamed.backup.orders[0].id}): its bytes differ from the backup's record hash; the backup's is ${order.id}: the file was changed`,
    );
    // A record taken out.
    const cut = JSON.parse(text) as TheaterBackupFile;
    cut.backup.refunds.pop();
    expect((await refusal(cut))?.userMessage).toBe(
      `backup.refunds: the backup's record refunds[0] (id ${base.backup.refunds[0].id}) is missing: the file was changed`,
    );

    // A byte of the record-hash list changed, in a hash and in a key: named as the list's entry.
    const sale = base.backup.ticketSales[0];
    const badHash = changeOneByte((f) => {
      const entry = f.recordHashes.ticketSales[0];
      entry.sha256 = `${entry.sha256.slice(0, -1)}${entry.sha256.endsWith("0") ? "1" : "0"}`;
    });
    const badKey = changeOneByte((f) => {
      const entry = f.recordHashes.ticketSales[0];
      entry.key = `${String(entry.key).slice(0, -1)}${String(entry.key).endsWith("x") ? "y" : "x"}`;
    });
    for (const changed of [badHash, badKey])
      expect(await refusal(changed)).toMatchObject({
        reason: "BACKUP_TAMPERED",
        userMessage: `recordHashes.ticketSales[0] (orderId ${sale.orderId}): it is not the backup's record hash, which the signature covers: the file was changed`,
      });
    // Outside every record: the body's digest alone tells.
    const schemaChanged = changeOneByte((f) => {
      f.backup.$schema = `${f.backup.$schema.slice(0, -1)}J`;
    });
    expect((await refusal(schemaChanged))?.userMessage).toBe(
      "backup.$schema: it differs from what the signature covers: the file was changed",
    );
    expect(await rowCounts()).toEqual(before);
  });

  it("still reads a version 1 backup, whose changed byte names only the file where no inner signature does", async () => {
    const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const ours = { keys: [{ ...(await exportJWK(publicKey)), kid: "ours", alg: "EdDSA", use: "sig" }] };
    const { recordHashes: _hashes, ...rest } = JSON.parse(JSON.stringify(file)) as TheaterBackupFile;
    const v1 = {
      ...rest,
      backup: { ...rest.backup, v: 1, $schema: rest.backup.$schema.replace("-v2.json", "-v1.json") },
    };
    v1.backup.keys.export = ours;
    const claims = {
      digest: canonicalSha256(v1.backup),
      theater: v1.backup.theater.id,
      issuer: v1.backup.origin.issuer,
      exportedAt: v1.backup.origin.exportedAt,
    };
    v1.signature = await signBackupClaims(claims, privateKey);
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(
      publishedJsonSchema("theater-backup-v1.json") as object,
    );
    expect(validate(v1), JSON.stringify(validate.errors)).toBe(true);
    await expect(verifyTheaterBackup(v1, ours)).resolves.toMatchObject({ v: 1 });
    const changed = JSON.parse(JSON.stringify(v1));
    changed.backup.ticketSales[0].showId += "x";
    await expect(verifyTheaterBackup(changed, ours)).rejects.toMatchObject({
      reason: "BACKUP_TAMPERED",
      userMessage: "backup: its content differs from what was signed: the file was changed",
    });
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
      target = { DATABASE_URL: await createTestDatabase(dropName, inject("templateDatabase")), DATA_DIR: dir };
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

    // The subscription active at the origin comes stopped until its admin resumes it; the one stopped there stays so.
    const origin = file.backup.origin.issuer;
    expect(
      await queryTarget(
        engine,
        target,
        `SELECT url, status, "disabledReason" FROM "WebhookSubscription" WHERE "orgId" = $1 ORDER BY url`,
        [theater.org.id],
      ),
    ).toEqual([
      { url: "https://box.example/active", status: "disabled", disabledReason: importedStopReason(origin) },
      {
        url: "https://box.example/disabled",
        status: "disabled",
        disabledReason: `stopped at ${origin} before its backup: subscribe the URL anew`,
      },
    ]);

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
  return (await queryTarget(engine, target, sql, [orgId]))[0];
}

/** Rows of a query on the target database (Postgres, or the CLI's PGlite directory), read after the CLI has exited. */
async function queryTarget(
  engine: string,
  target: Record<string, string | undefined>,
  sql: string,
  params: unknown[],
): Promise<Record<string, unknown>[]> {
  if (engine === "postgres") {
    const client = new pg.Client({ connectionString: target.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  }
  const lite = new PGlite(path.join(String(target.DATA_DIR), "pglite"));
  try {
    return (await lite.query<Record<string, unknown>>(sql, params)).rows;
  } finally {
    await lite.close();
  }
}

// The whole org (issue 15): Postgres only, as it reads and writes the same tables through the same SQL on both engines.
describe.runIf((process.env.TEST_DB ?? "pglite") === "postgres")("the whole org, forked", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-org-"));
  const archive = path.join(dir, "archive");
  const keysFile = path.join(dir, "keys.json");
  let forkName: string;
  let fork: Record<string, string | undefined>;
  let proposalId: string;
  let voterB: Voter;
  let exported: Awaited<ReturnType<typeof exportOrgArchive>>;
  let originClients: Awaited<ReturnType<typeof originTheaterClients>>;
  let originReceipt: string;
  let officerId: string;
  let lineName: string;

  beforeAll(async () => {
    const voterA = await seedVoter(["MEMBER"]);
    voterB = await seedVoter(["MEMBER"]);
    proposalId = (await openRelease(voterA)).id;
    await vote(voterA, proposalId, 1, "Ship it.");
    await vote(voterB, proposalId, -1, "Not yet: the host crashes.");
    await createClientFromCli({
      name: "Box office",
      redirectUris: ["https://box.example/cb"],
      grants: ["authorization_code"],
      scopes: ["openid"],
      postLogoutRedirectUris: [],
    });
    // A second theater's certificate, revoked at the origin: the fork's hosts must keep refusing it.
    const revoked = await seedActiveLicense();
    const admin = { type: "user" as const, id: revoked.admin.id };
    await issueLicenseCertificate({
      licenseId: revoked.license.id,
      csrPem: (await makeCsr("P-256")).csrPem,
      actor: admin,
    });
    await revokeLicense({ licenseId: revoked.license.id, reason: "Fraudulent purchase.", actor: system });
    for (const c of await db().licenseCertificate.findMany({ where: { status: { in: ["GOOD", "REVOKED"] } } })) {
      fs.writeFileSync(path.join(dir, `${c.status}.pem`), c.certificatePem);
      fs.writeFileSync(path.join(dir, `${c.status}.jws`), c.licenseDocument);
    }
    originClients = await originTheaterClients();
    // A finance officer and org admin of the origin, who signs in at the fork to read its pages.
    const { user: finance } = await seedUser({ roles: ["FINANCE", "ORG_ADMIN"] });
    officerId = finance.id;
    await createPayoutBatch({ actor: { type: "user", id: finance.id }, currency: "EUR" });
    // What the officer holds at the origin on the pages of settings and pledges: a consent to the box office, a
    // monthly funding of the release line, a rule they customized; and the theater's webhook subscription.
    const boxOffice = await db().oidcClient.findFirstOrThrow({ where: { name: "Box office" } });
    await db().$transaction((tx) =>
      recordConsent(tx, { userId: finance.id, clientId: boxOffice.id, scopes: ["openid"] }),
    );
    const line = await db().releaseLine.findFirstOrThrow();
    lineName = line.name;
    await db().funding.create({
      data: {
        id: newId("fnd"),
        releaseLineId: line.id,
        funderUserId: finance.id,
        publicName: "A patron of the origin",
        interval: "month",
        amountMinor: 500n,
        currency: "EUR",
        provider: "simulated",
        status: "active",
      },
    });
    await updateGovernanceRule({
      kind: "code_of_conduct",
      rule: { ...defaultRules.code_of_conduct, minWindowHours: 96 },
      actor: { type: "user", id: finance.id },
    });
    await db().webhookSubscription.create({
      data: {
        id: newId("whs"),
        orgId: theater.org.id,
        orgKind: "THEATER",
        url: "https://box.example/hooks",
        eventTypes: ["license.renewed"],
        createdById: theater.admin.id,
      },
    });
    // A ticket buyer's receipt, signed at the origin: it must still verify against the fork.
    const sold = await db().paymentOrder.findFirstOrThrow({ where: { status: "paid", productKind: "TICKET_SALE" } });
    originReceipt = (await issueReceipt(sold.id))?.jws ?? "";
    exported = await exportOrgArchive({ dir: archive, actor: system });
    fs.writeFileSync(keysFile, JSON.stringify(await getPublicJwks(["export"])));
  }, 120_000);
  afterAll(async () => {
    if (forkName) await dropDatabase(forkName);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the archive to spoil. */
  const variant = (name: string) => {
    const to = path.join(dir, name);
    fs.cpSync(archive, to, { recursive: true });
    return to;
  };
  const manifestOf = (at: string) => JSON.parse(fs.readFileSync(path.join(at, "manifest.json"), "utf8"));
  const refusal = (at: string, keys: JSONWebKeySet = JSON.parse(fs.readFileSync(keysFile, "utf8"))) =>
    importOrgArchive({ dir: at, trustedExportKeys: keys, actor: system }).then(
      () => null,
      (e: { reason?: string; userMessage?: string }) => e,
    );
  type ManifestFile = { manifest: { origin: { issuer: string; exportedAt: string } }; signature: string };
  let signer: Promise<{ ours: JSONWebKeySet; resign: (at: string, file: ManifestFile) => Promise<void> }> | undefined;
  /** A key of our own the importer is then told to trust (`ours`), and `resign`, which signs a changed manifest with it. */
  const ourSigner = () => {
    signer ??= (async () => {
      const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
      const ours = { keys: [{ ...(await exportJWK(publicKey)), kid: "ours", alg: "EdDSA", use: "sig" }] };
      const resign = async (at: string, file: ManifestFile) => {
        const claims = {
          digest: orgArchiveDigest(file.manifest),
          issuer: file.manifest.origin.issuer,
          exportedAt: file.manifest.origin.exportedAt,
        };
        file.signature = await new CompactSign(new TextEncoder().encode(canonicalLogJson(claims)))
          .setProtectedHeader({ alg: "EdDSA", kid: "ours", typ: "guildhall-org-archive+jws" })
          .sign(privateKey);
        fs.writeFileSync(path.join(at, "manifest.json"), JSON.stringify(file));
      };
      return { ours, resign };
    })();
    return signer;
  };
  const forkCounts = () =>
    withForkDb(fork, (c) =>
      c.query(`SELECT (SELECT count(*) FROM "User")::int AS users, (SELECT count(*) FROM "AuditEvent")::int AS events,
        (SELECT count(*) FROM "LedgerPosting")::int AS postings, (SELECT count(*) FROM "SigningKey")::int AS keys`),
    ).then((r) => r.rows[0]);

  it("writes NDJSON per table and a manifest signed by the export key, with no secret", () => {
    const { manifest } = manifestOf(archive);
    expect(manifest).toMatchObject({ format: "guildhall-org-archive", v: 2, log: { size: exported.logSize } });
    const sha256 = (b: Buffer | string) => crypto.createHash("sha256").update(b).digest("hex");
    for (const f of manifest.files) {
      const bytes = fs.readFileSync(path.join(archive, f.name));
      expect(sha256(bytes), f.name).toBe(f.sha256);
      const records = bytes.toString().split("\n").filter(Boolean);
      expect(records, f.name).toHaveLength(f.records);
      // Beside it, each record's SHA-256 on a line of its own, in the records' order.
      const hashes = fs.readFileSync(path.join(archive, f.name.replace(".ndjson", ".record-hashes")));
      expect(sha256(hashes), f.name).toBe(f.recordHashes.sha256);
      expect(hashes.toString(), f.name).toBe(records.map((r) => `${sha256(r)}\n`).join(""));
    }
    const all = fs
      .readdirSync(archive)
      .map((f) => fs.readFileSync(path.join(archive, f), "utf8"))
      .join("\n");
    for (const secret of ["privateSealed", "secretHash", "tokenHash", "codeHash"]) expect(all).not.toContain(secret);
    // Every table is either in the archive (a file, or inside another's records: the audit events' places) or
    // named with the reason it stays.
    const companions = ORG_ARCHIVE_TABLES.filter((t) => t.companion).length;
    expect(Object.keys(manifest.notExported).length + manifest.files.length + companions).toBe(
      Object.keys(Prisma.ModelName).length,
    );
    // Each audit event travels with its place in the chain, and without its transaction id.
    const events = fs.readFileSync(path.join(archive, "audit-events.ndjson"), "utf8").split("\n").filter(Boolean);
    const first = JSON.parse(events[0]);
    expect(first).toMatchObject({ seq: "1", prevHash: "0".repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(first).not.toHaveProperty("xact");
  });

  it("refuses a changed byte, a cut file, an unknown key, a newer version, another schema, a bad ballot and a non-empty target, writing nothing", async () => {
    const before = await rowCounts();
    const changed = variant("changed");
    const users = path.join(changed, "users.ndjson");
    const text = fs.readFileSync(users, "utf8");
    fs.writeFileSync(users, text.replace("@", "#"));
    const byte = await refusal(changed);
    const changedUser = text.split("\n").findIndex((l) => l.includes("@"));
    expect(byte).toMatchObject({
      reason: "ARCHIVE_TAMPERED",
      userMessage: `users.ndjson: record ${changedUser + 1} (id ${JSON.parse(text.split("\n")[changedUser]).id}): its bytes differ from the archive's record hash`,
    });

    const cut = variant("cut");
    const postings = path.join(cut, "ledger-postings.ndjson");
    const postingLines = fs.readFileSync(postings, "utf8").split("\n");
    fs.writeFileSync(postings, postingLines.slice(1).join("\n"));
    const cutRefused = await refusal(cut);
    expect(cutRefused).toMatchObject({
      reason: "ARCHIVE_TAMPERED",
      userMessage: `ledger-postings.ndjson: the archive's record 1 is missing: record 1 (id ${JSON.parse(postingLines[1]).id}) is the archive's record 2`,
    });

    // The same records, the same bytes and count, in another order.
    const reordered = variant("reordered");
    const events = path.join(reordered, "audit-events.ndjson");
    const [firstEvent, secondEvent, ...laterEvents] = fs.readFileSync(events, "utf8").split("\n");
    fs.writeFileSync(events, [secondEvent, firstEvent, ...laterEvents].join("\n"));
    const reorderedRefused = await refusal(reordered);
    expect(reorderedRefused).toMatchObject({
      reason: "ARCHIVE_TAMPERED",
      userMessage: `audit-events.ndjson: record 1 (id ${JSON.parse(secondEvent).id}) is out of place: it is the archive's record 2`,
    });

    // The manifest itself, one byte changed (a record count) and not signed again.
    const counted = variant("counted");
    const listed = manifestOf(counted);
    listed.manifest.files[0].records += 1;
    fs.writeFileSync(path.join(counted, "manifest.json"), JSON.stringify(listed));
    const countRefused = await refusal(counted);
    expect(countRefused).toMatchObject({ reason: "ARCHIVE_TAMPERED" });
    expect(countRefused?.userMessage).toContain("manifest");

    const { ours, resign } = await ourSigner();
    expect(await refusal(archive, ours)).toMatchObject({ reason: "ARCHIVE_UNKNOWN_KEY" });

    const newer = variant("newer");
    const m = manifestOf(newer);
    m.manifest.v = 3;
    fs.writeFileSync(path.join(newer, "manifest.json"), JSON.stringify(m));
    expect(await refusal(newer)).toMatchObject({ reason: "ARCHIVE_VERSION_UNSUPPORTED" });
    // Version 1 had no record hashes: refused, saying so, rather than read with less checked.
    m.manifest.v = 1;
    fs.writeFileSync(path.join(newer, "manifest.json"), JSON.stringify(m));
    const older = await refusal(newer);
    expect(older).toMatchObject({ reason: "ARCHIVE_VERSION_UNSUPPORTED" });
    expect(older?.userMessage).toContain("format version 1, whose files carry no record hashes");

    // Re-hashed and re-signed by a key the importer trusts, a changed ballot still fails its passkey signature.
    const forged = variant("forged");
    const ballots = path.join(forged, "ballots.ndjson");
    const lines = fs.readFileSync(ballots, "utf8").split("\n");
    const ballot = JSON.parse(lines[0]);
    ballot.choice = -ballot.choice;
    lines[0] = JSON.stringify(ballot);
    fs.writeFileSync(ballots, lines.join("\n"));
    const f = manifestOf(forged);
    const entry = f.manifest.files.find((x: { name: string }) => x.name === "ballots.ndjson");
    const bytes = fs.readFileSync(ballots);
    const hash = (b: Buffer | string) => crypto.createHash("sha256").update(b).digest("hex");
    const ballotHashes = path.join(forged, "ballots.record-hashes");
    const recordHashes = fs.readFileSync(ballotHashes, "utf8").split("\n");
    recordHashes[0] = hash(lines[0]);
    fs.writeFileSync(ballotHashes, recordHashes.join("\n"));
    Object.assign(entry, {
      bytes: bytes.length,
      sha256: hash(bytes),
      recordHashes: { bytes: fs.statSync(ballotHashes).size, sha256: hash(fs.readFileSync(ballotHashes)) },
    });
    await resign(forged, f);
    const bad = await refusal(forged, ours);
    expect(bad).toMatchObject({ reason: "ARCHIVE_INCONSISTENT" });
    expect(bad?.userMessage).toContain(`ballots.ndjson: ballot ${ballot.id}`);

    // Signed by a trusted key, but from a Guildhall at another database schema.
    const otherSchema = variant("other-schema");
    const o = manifestOf(otherSchema);
    o.manifest.schemaMigration = "20991231000000_from_the_future";
    await resign(otherSchema, o);
    expect(await refusal(otherSchema, ours)).toMatchObject({ reason: "ARCHIVE_SCHEMA_MISMATCH" });

    // A sound archive, but this database holds an org already.
    expect(await refusal(archive)).toMatchObject({ reason: "TARGET_NOT_EMPTY" });
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses one byte changed in a record of any data file, naming the file and the record, writing nothing", async () => {
    const before = await rowCounts();
    const { manifest } = manifestOf(archive);
    const spoiled = variant("one-byte");
    const sha256 = (b: string) => crypto.createHash("sha256").update(b).digest("hex");
    // Each file as the verifier checks it in the archive's stream (verify-file.ts, what names the record; the
    // refusals above and below go through the whole import), so 61 kinds cost 61 files' checks, not 61 archives'.
    const fileRefusal = (listed: OrgArchiveManifest["files"][number]) =>
      verifyOrgArchiveFile(spoiled, listed).then(
        () => null,
        (e: { reason?: string; userMessage?: string }) => e,
      );
    const fromOrigin: string[] = [];
    const filled: string[] = [];
    for (const listed of manifest.files as OrgArchiveManifest["files"]) {
      const file = path.join(spoiled, listed.name);
      if (listed.records > 0) {
        const original = fs.readFileSync(file, "utf8");
        const lines = original.split("\n");
        const n = Math.ceil(listed.records / 2);
        // A letter or digit after the record's key, from the middle of record n on, made another: one byte, the
        // record still JSON with the same key (a digit of a timestamp or an amount, a letter of an id or a hash, …).
        // Letters count too: a record of ids alone (a proposal's roster) may hold no digit after its key.
        const line = lines[n - 1];
        const row = JSON.parse(line);
        const keyColumn =
          "id" in row ? "id" : (ORG_ARCHIVE_TABLES.find((t) => t.file === listed.name)?.orderBy[0] ?? "");
        const keyEnd = line.indexOf(JSON.stringify(row[keyColumn])) + JSON.stringify(row[keyColumn]).length;
        const places = [...line.matchAll(/[0-9A-Za-z]/g)].map((d) => d.index).filter((i) => i >= keyEnd);
        const at = places.find((i) => i >= line.length / 2) ?? places[0];
        expect(at, `${listed.name} record ${n} has a letter or digit after its key`).toBeDefined();
        lines[n - 1] = line.slice(0, at) + otherAlphanumeric(line[at]) + line.slice(at + 1);
        fs.writeFileSync(file, lines.join("\n"));
        const refused = await fileRefusal(listed);
        expect(refused, listed.name).toMatchObject({ reason: "ARCHIVE_TAMPERED" });
        expect(refused?.userMessage, listed.name).toContain(
          `${listed.name}: record ${n.toLocaleString("en-US")} (${keyColumn} ${row[keyColumn]}`,
        );
        expect(refused?.userMessage, listed.name).toMatch(/\): its bytes differ from the archive's record hash$/);
        fs.writeFileSync(file, original);
        fromOrigin.push(listed.name);
      } else {
        // A kind the seeded origin has none of (disputes, app-store products, …): the file given one record, as
        // its record hashes and the manifest's entry say, then one byte of it changed. What is checked is the
        // archive's bytes, whatever a record holds.
        const id = `rec_${listed.name.replace(".ndjson", "")}`;
        const record = `{"id":"${id}","createdAt":"2026-12-06T10:00:00"}`;
        const hashes = path.join(spoiled, listed.name.replace(".ndjson", ".record-hashes"));
        fs.writeFileSync(hashes, `${sha256(record)}\n`);
        fs.writeFileSync(file, `${record.replace("10:00", "11:00")}\n`);
        const refused = await fileRefusal({
          ...listed,
          records: 1,
          bytes: record.length + 1,
          sha256: sha256(`${record}\n`),
          recordHashes: { bytes: 65, sha256: sha256(`${sha256(record)}\n`) },
        });
        expect(refused, listed.name).toMatchObject({
          reason: "ARCHIVE_TAMPERED",
          userMessage: `${listed.name}: record 1 (id ${id}): its bytes differ from the archive's record hash`,
        });
        fs.writeFileSync(file, "");
        fs.writeFileSync(hashes, "");
        filled.push(listed.name);
      }
    }
    expect([...fromOrigin, ...filled].sort()).toEqual(ORG_ARCHIVE_TABLES.map((t) => t.file).sort());
    // The ones the seeded origin fills with its own records (39 of the 61 kinds) include those the issue names.
    expect(fromOrigin).toEqual(
      expect.arrayContaining(
        ["users", "passkeys", "organizations", "memberships", "audit-events", "log-entries", "log-tiles"]
          .concat(["log-openings", "signing-keys", "proposals", "ballots", "release-lines", "journal-entries"])
          .concat(["ledger-postings", "payment-orders", "licenses", "license-certificates", "oidc-clients"])
          .map((k) => `${k}.ndjson`),
      ),
    );
    // Through the whole import too, for one of them: refused before anything is written.
    const postings = path.join(spoiled, "ledger-postings.ndjson");
    const postingsText = fs.readFileSync(postings, "utf8");
    fs.writeFileSync(
      postings,
      postingsText.replace(/"amountMinor":"-?(\d)/, (m, d) => m.slice(0, -1) + ((Number(d) + 1) % 10)),
    );
    expect((await refusal(spoiled))?.userMessage).toMatch(
      /^ledger-postings\.ndjson: record 1 \(id [^)]+\): its bytes differ from the archive's record hash$/,
    );
    fs.writeFileSync(postings, postingsText);

    // Cut at a record's end, cut inside one, a record added at the end and one in the middle.
    const events = path.join(spoiled, "audit-events.ndjson");
    const text = fs.readFileSync(events, "utf8");
    const lines = text.split("\n").slice(0, -1);
    const total = lines.length;
    const count = (n: number) => n.toLocaleString("en-US");
    const refusedWith = async (content: string) => {
      fs.writeFileSync(events, content);
      const refused = await refusal(spoiled);
      expect(refused).toMatchObject({ reason: "ARCHIVE_TAMPERED" });
      return refused?.userMessage;
    };
    expect(await refusedWith(`${lines.slice(0, -2).join("\n")}\n`)).toBe(
      `audit-events.ndjson: it ends after record ${count(total - 2)} of ${count(total)}: the file was cut short`,
    );
    expect(await refusedWith(text.slice(0, text.length - 40))).toBe(
      `audit-events.ndjson: it ends inside record ${count(total)} of ${count(total)}: the file was cut short`,
    );
    const added = JSON.stringify({ ...JSON.parse(lines[0]), id: "evt_added" });
    expect(await refusedWith(`${text}${added}\n`)).toBe(
      `audit-events.ndjson: record ${count(total + 1)} (id evt_added) is not in the archive, whose file ends after record ${count(total)}: it was added`,
    );
    expect(await refusedWith([lines[0], added, ...lines.slice(1), ""].join("\n"))).toBe(
      "audit-events.ndjson: record 2 (id evt_added) is not in the archive: it was added before the archive's record 2",
    );
    fs.writeFileSync(events, text);
    // The record hashes themselves changed: named as such, not blamed on the records.
    const hashes = path.join(spoiled, "audit-events.record-hashes");
    const hashText = fs.readFileSync(hashes, "utf8");
    fs.writeFileSync(hashes, `${hashText[0] === "0" ? "1" : "0"}${hashText.slice(1)}`);
    expect(await refusal(spoiled)).toMatchObject({
      reason: "ARCHIVE_TAMPERED",
      userMessage: "audit-events.record-hashes: its SHA-256 is not the manifest's: the file was changed",
    });
    expect(await rowCounts()).toEqual(before);
  });

  // A dozen CLI processes, about a minute on a loaded machine: `npm run test:fork`, not `npm test`, whose time is spent.
  it.runIf(process.env.TEST_FORK === "1")(
    "imports into an empty Guildhall with `cli org import`, which then passes audit verify, ledger check and governance verify",
    { timeout: 600_000 },
    async () => {
      forkName = throwawayName("gh_fork");
      fork = {
        DATABASE_URL: await createTestDatabase(forkName, inject("templateDatabase")),
        DATA_DIR: dir,
        SEED_DEMO: "0",
        PUBLIC_URL: "http://fork.localhost:3997",
      };
      const spoiled = variant("spoiled");
      const postings = path.join(spoiled, "ledger-postings.ndjson");
      fs.writeFileSync(postings, fs.readFileSync(postings, "utf8").replace("-", "+"));
      const spoiledImport = await runCli(["org", "import", spoiled, "--origin-keys", keysFile], fork);
      expect(spoiledImport.code).toBe(1);
      expect(spoiledImport.stderr).toContain("ledger-postings.ndjson");
      expect(await forkCounts()).toEqual({ users: 0, events: 0, postings: 0, keys: 0 });

      const imported = await runCli(["org", "import", archive, "--origin-keys", keysFile, "--json"], fork);
      expect(imported.stderr).toBe("");
      expect(imported.code).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ digest: exported.digest, originLogSize: exported.logSize });
      const audit = await runCli(["audit", "verify"], fork);
      expect(audit.stdout).toContain("audit chain OK");
      expect(audit.stdout).toContain("transparency log OK");
      expect(audit.code).toBe(0);
      const ledger = await runCli(["ledger", "check"], fork);
      expect(ledger.code, ledger.stdout + ledger.stderr).toBe(0);
      const governance = await runCli(["governance", "verify", proposalId], fork);
      expect(governance.code, governance.stdout + governance.stderr).toBe(0);

      // The vote the origin left open continues at the fork: a member adds a passkey there and votes again; the
      // proposal's ballots from both sides verify (each for the relying party of where it was cast), a ballot
      // tampered with at the fork does not, and the fork's own archive carries them all to a fork of the fork.
      const backToOrigin = await actAs(fork);
      let forkBallotId: string;
      try {
        const rp = relyingParty();
        expect(rp.origin).toBe("http://fork.localhost:3997");
        const authenticator = new SoftAuthenticator(rp.origin);
        const credential = authenticator.createCredential(rp.rpID);
        await db().passkey.create({
          data: {
            id: newId("pk"),
            userId: voterB.user.id,
            credentialId: credential.id.toString("base64url"),
            publicKey: new Uint8Array(authenticator.coseKey(credential)),
            deviceType: "singleDevice",
            name: "added at the fork",
            // Settled: a passkey younger than the hold signs no ballot beside the account's older one (the
            // origin's passkey here), so a planted one cannot replace a ballot at once (require-settled-passkey.ts).
            createdAt: new Date(Date.now() - limits.auth.newPasskeyBallotHoldMs - 60_000),
          },
        });
        forkBallotId = (await vote({ user: voterB.user, authenticator }, proposalId, 1, "The crash is fixed.")).ballot
          .id;
        // The fork's pages tell the origin's records from its own: the proposal and the two ballots cast before the
        // fork came from the origin, the ballot cast here did not; log entries below the origin's size are its.
        const forks = await listForkOrigins();
        expect(forks.map((f) => f.host)).toEqual(["localhost:3999"]);
        const proposal = await db().proposal.findUniqueOrThrow({ where: { id: proposalId } });
        expect(originOfRecord(forks, proposal.openedAt)?.issuer).toBe("http://localhost:3999");
        const ballots = await db().ballot.findMany({ where: { proposalId }, orderBy: { castAt: "asc" } });
        expect(ballots.map((b) => originOfRecord(forks, b.castAt)?.host ?? "here")).toEqual([
          "localhost:3999",
          "localhost:3999",
          "here",
        ]);
        expect(originOfLogEntry(forks, exported.logSize - 1)?.host).toBe("localhost:3999");
        expect(originOfLogEntry(forks, exported.logSize)).toBeNull();
      } finally {
        await backToOrigin();
      }
      const bothSides = await runCli(["governance", "verify", proposalId, "--json"], fork);
      expect(bothSides.code, bothSides.stdout + bothSides.stderr).toBe(0);
      const verdict = JSON.parse(bothSides.stdout);
      expect(verdict.ballots).toHaveLength(3);
      expect(verdict.ballots.every((b: { valid: boolean }) => b.valid)).toBe(true);
      expect(verdict.recomputed.tally.binding.plus + verdict.recomputed.tally.nonBinding.plus).toBe(2);
      await withForkDb(fork, (c) => c.query(`UPDATE "Ballot" SET choice = -1 WHERE id = $1`, [forkBallotId]));
      const tampered = await runCli(["governance", "verify", proposalId], fork);
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toContain(`${forkBallotId}`);
      expect(tampered.stdout).toContain("VERIFICATION FAILED");
      await withForkDb(fork, (c) => c.query(`UPDATE "Ballot" SET choice = 1 WHERE id = $1`, [forkBallotId]));

      // The fork's log opens with the origin's entries, its first checkpoint has the origin's root, and its
      // next entry is the fork's opening, naming the origin's checkpoint.
      const { manifest } = manifestOf(archive);
      const log = await withForkDb(fork, async (c) => ({
        first: (
          await c.query(
            `SELECT size::int, encode("rootHash", 'hex') AS root FROM "LogCheckpoint" ORDER BY size LIMIT 1`,
          )
        ).rows[0],
        opening: (await c.query(`SELECT body FROM "LogEntry" WHERE index = $1`, [manifest.log.size])).rows[0].body,
      }));
      expect(log.first).toEqual({ size: manifest.log.size, root: manifest.log.rootHash });
      expect(JSON.parse(log.opening)).toMatchObject({ action: "org.forked" });
      expect(log.opening).toContain(manifest.log.rootHash);

      // Offline, with the fork's published material only: the origin's receipt verifies (the fork publishes the
      // origin's receipt key as a predecessor, and its log holds the receipt's entry), and log-verify checks the
      // fork's whole log and that it opens from the origin's checkpoint, the fork's first own entry naming it.
      await expectForkVerifiesOffline(fork, {
        receipt: originReceipt,
        originCheckpoint: manifest.log.checkpoint,
        originKey: manifest.log.verifierKey,
        dir,
      });

      // A host trusting the fork's roots (its own and its origin's, as predecessors) accepts the origin's
      // certificate and license document, and refuses the one the origin revoked.
      const ca = await runCli(["ca", "init", "--root-key-out", path.join(dir, "fork-root.key")], fork);
      expect(ca.code, ca.stderr).toBe(0);
      const good = await runCli(
        ["licenses", "verify", path.join(dir, "GOOD.jws"), "--cert", path.join(dir, "GOOD.pem"), "--json"],
        fork,
      );
      expect(JSON.parse(good.stdout), good.stderr).toMatchObject({ valid: true, code: "VALID" });
      const refused = await runCli(
        ["licenses", "verify", path.join(dir, "REVOKED.jws"), "--cert", path.join(dir, "REVOKED.pem"), "--json"],
        fork,
      );
      expect(JSON.parse(refused.stdout)).toMatchObject({ valid: false, code: "REVOKED" });
      // So does the example mTLS host given only the fork's trust material, after the origin's CRLs have ended.
      const backFromFork = await actAs(fork);
      try {
        await expectForkMtlsHostTrustsOrigin(originClients);
      } finally {
        await backFromFork();
      }

      // Exported again, the fork gives the origin's records, apart from what the fork added or retired.
      const forkArchive = path.join(dir, "fork-archive");
      const reexport = await runCli(["org", "export", forkArchive], fork);
      expect(reexport.code, reexport.stderr).toBe(0);
      const changedAtFork = new Set([
        "audit-events.ndjson",
        "log-entries.ndjson",
        "log-tiles.ndjson",
        "log-openings.ndjson",
        "signing-keys.ndjson",
        "fork-origins.ndjson",
        // The fork's own relying party, from its import on, recorded when a ballot was first prepared there.
        "relying-party-periods.ndjson",
        "certificate-authorities.ndjson",
        "certificate-revocation-lists.ndjson",
        "theater-api-tokens.ndjson",
        "oidc-clients.ndjson",
        "webhook-subscriptions.ndjson",
        "invitations.ndjson",
        // The member's passkey added at the fork and the ballot cast there.
        "passkeys.ndjson",
        "ballots.ndjson",
      ]);
      const forkManifest = manifestOf(forkArchive).manifest;
      for (const file of manifest.files)
        if (!changedAtFork.has(file.name))
          expect(forkManifest.files.find((x: { name: string }) => x.name === file.name).sha256, file.name).toBe(
            file.sha256,
          );
      // Its ballots verify for a fork of the fork: the origin's before the fork's import, the fork's after.
      const targetMigration = await db().$transaction((tx) => latestMigration(tx));
      const forkKeys = await withForkDb(fork, (c) =>
        c.query(`SELECT "publicJwk" FROM "SigningKey" WHERE purpose = 'export'`),
      ).then((r) => ({ keys: r.rows.map((k) => k.publicJwk) }));
      const again = await verifyOrgArchive({ dir: forkArchive, trustedExportKeys: forkKeys, targetMigration });
      expect(again.manifest.origin.rpOrigin).toBe("http://fork.localhost:3997");
      const originEvents = fs.readFileSync(path.join(archive, "audit-events.ndjson"), "utf8");
      expect(fs.readFileSync(path.join(forkArchive, "audit-events.ndjson"), "utf8").startsWith(originEvents)).toBe(
        true,
      );

      // The fork's detail pages say which records came from the origin, and not of the fork's own (read after the
      // fork's export, as signing in there records the officer's sign-in time on their account).
      await expectForkDetailPagesMarkOrigin(fork, {
        originLogSize: manifest.log.size,
        officerId,
        lineName,
        theaterAdminId: theater.admin.id,
        theaterSlug: theater.org.slug,
      });
    },
  );
});

/** Points this process's database and public URL at another Guildhall until the answered function is called. */
async function actAs(target: Record<string, string | undefined>): Promise<() => Promise<void>> {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, PUBLIC_URL: process.env.PUBLIC_URL };
  await closeDb();
  Object.assign(process.env, { DATABASE_URL: target.DATABASE_URL, PUBLIC_URL: target.PUBLIC_URL });
  resetEnvForTests();
  return async () => {
    await closeDb();
    Object.assign(process.env, saved);
    resetEnvForTests();
  };
}

async function withForkDb<T>(target: Record<string, string | undefined>, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: target.DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const runTool = (tool: string, args: string[]) =>
  promisify(execFile)(process.execPath, [`tools/${tool}/bin.mjs`, ...args], { cwd: process.cwd() }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

/**
 * The offline verifiers against a fork, given nothing but what the fork publishes (its receipt keys, its log
 * key, its log's checkpoint and tiles, served here from the fork's database as `/log/…` serves them) and what
 * the origin published before the fork (its log key and checkpoint).
 */
async function expectForkVerifiesOffline(
  target: Record<string, string | undefined>,
  origin: { receipt: string; originCheckpoint: string; originKey: string; dir: string },
) {
  const back = await actAs(target);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fork.invalid");
    const answer = url.pathname.startsWith("/log/tile/")
      ? Promise.resolve(tileFile(url.pathname.slice("/log/tile/".length).split("/"))).then(publicFileResponse)
      : url.pathname === "/log/checkpoint"
        ? db()
            .logCheckpoint.findFirstOrThrow({ orderBy: { size: "desc" } })
            .then((c) => new Response(c.note))
        : Promise.resolve(new Response("not here", { status: 404 }));
    answer.then(async (r) => {
      res.writeHead(r.status);
      res.end(Buffer.from(await r.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const log = `http://127.0.0.1:${(server.address() as { port: number }).port}/log`;
    const file = (name: string, content: string) => {
      fs.writeFileSync(path.join(origin.dir, name), content);
      return path.join(origin.dir, name);
    };
    const forkKey = file("fork-log.vkey", String(await findLogVerifierKey()));
    const keys = await getPublicJwks(["receipt"]);
    const claims = decodeReceipt(origin.receipt);
    const receipt = file("origin-receipt.jws", origin.receipt);
    const proof = file("fork-proof.json", JSON.stringify(await proveInclusion(claims.log.index)));
    const forkKeys = file("fork-receipt-keys.json", JSON.stringify(keys));
    const verified = await runTool("receipt-verify", [
      "--receipt",
      receipt,
      "--keys",
      forkKeys,
      "--log-key",
      forkKey,
      "--proof",
      proof,
      "--json",
    ]);
    expect(verified.stderr).toBe("");
    expect(JSON.parse(verified.stdout).log.checked).toEqual([expect.objectContaining({ order: claims.order })]);
    // Without the origin's key among them (a fork that published only its own), the same receipt is refused.
    const kid = JSON.parse(Buffer.from(origin.receipt.split(".")[0], "base64url").toString()).kid;
    const ownOnly = file("fork-own-keys.json", JSON.stringify({ keys: keys.keys.filter((k) => k.kid !== kid) }));
    const refused = await runTool("receipt-verify", ["--receipt", receipt, "--keys", ownOnly]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("unknown key");

    const whole = await runTool("log-verify", ["log", "--log", log, "--key", forkKey, "--json"]);
    expect(whole.stderr).toBe("");
    const originCheckpoint = file("origin-checkpoint.txt", origin.originCheckpoint);
    const originKey = file("origin-log.vkey", origin.originKey);
    const forked = await runTool("log-verify", [
      "fork",
      "--log",
      log,
      "--key",
      forkKey,
      "--origin-key",
      originKey,
      "--origin-checkpoint",
      originCheckpoint,
      "--json",
    ]);
    expect(forked.stderr).toBe("");
    const verdict = JSON.parse(forked.stdout);
    const origSize = Number(origin.originCheckpoint.split("\n")[1]);
    expect(verdict.origin).toMatchObject({ issuer: "http://localhost:3999", size: origSize });
    expect(verdict.forkedAt.index).toBe(origSize);
    expect(verdict.fork.size).toBeGreaterThan(origSize);
    // The origin's checkpoint is not the fork's to sign: given as the origin's under the fork's key, it is refused.
    const wrongKey = await runTool("log-verify", [
      "fork",
      "--log",
      log,
      "--key",
      forkKey,
      "--origin-key",
      forkKey,
      "--origin-checkpoint",
      originCheckpoint,
    ]);
    expect(wrongKey.code).toBe(1);
  } finally {
    server.close();
    await back();
  }
}

async function expectForkDetailPagesMarkOrigin(
  target: Record<string, string | undefined>,
  origin: { originLogSize: number; officerId: string; lineName: string; theaterAdminId: string; theaterSlug: string },
) {
  const back = await actAs(target);
  try {
    // A member of the origin signs in at the fork (a session is the fork's own: never exported).
    const cookie = await sessionCookieFor(origin.officerId);
    // Each page rendered as Next would for a request signed in at the fork; one that does not render says why,
    // in the assertion's message.
    const render = async (page: PageComponent, request: Parameters<typeof renderPage>[1], as = cookie) => {
      const outcome = await renderPage(page, request, as);
      if (outcome.status === 200) return outcome.html;
      return `render failed (${outcome.status})${"error" in outcome ? `: ${String(outcome.error)}` : ""}`;
    };
    const params = (value: Record<string, string>) => ({ params: value });
    const marked = (html: string) => html.includes('data-testid="from-origin"');
    // Whether a page marks a record as the origin's, with the page's text when it is not as expected.
    const expectMarked = (html: string, page: string, want = true) =>
      expect(
        marked(html),
        `${page}: ${html
          .replace(/<[^>]+>/g, " ")
          .replace(/\s+/g, " ")
          .slice(0, 1500)}`,
      ).toBe(want);
    // The part of a page from an element with the test id (or tag) to its end: a mark elsewhere on the page (the
    // order's own, a source line's) must not stand in for the one checked.
    const part = (html: string, start: string, end: string) => {
      const from = html.indexOf(start);
      expect(from, `${start} in the page`).toBeGreaterThanOrEqual(0);
      return html.slice(from, html.indexOf(end, from));
    };
    // The refunded ticket sale: the order and its refund line each marked.
    const refunded = await db().refundRequest.findFirstOrThrow({ where: { orderId: { not: null } } });
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: refunded.orderId ?? "" } });
    const orderHtml = await render(OrderPage, params({ id: order.id }));
    expect(orderHtml).toContain(order.id);
    expect(orderHtml).toContain('data-testid="fork-notice"');
    expectMarked(part(orderHtml, 'data-testid="order-summary"', "</dl>"), "order");
    expectMarked(part(orderHtml, 'data-testid="refund-line"', "</tr>"), "the order's refund line");
    const batch = await db().payoutBatch.findFirstOrThrow();
    expectMarked(await render(PayoutBatchPage, params({ id: batch.id })), "payout batch");
    // A payout item's page: the item itself, in its heading, besides its source lines.
    const item = await db().payoutItem.findFirstOrThrow({ where: { batchId: batch.id } });
    const itemHtml = await render(PayoutItemPage, params({ id: batch.id, itemId: item.id }));
    expectMarked(part(itemHtml, "<h1", "</h1>"), "payout item");
    // The split policies in force, each version made at the origin.
    const policies = await render(SplitPoliciesPage, {});
    expect(policies).toContain('data-testid="fork-notice"');
    expectMarked(part(policies, 'data-testid="policies"', "</table>"), "split policies");
    const releases = await render(ReleasesPage, {});
    expect(releases).toContain('data-testid="fork-notice"');
    expectMarked(releases, "releases");
    // The audit event and log entry of the origin's, and the fork's own opening event after them.
    expectMarked(await render(AuditEventPage, params({ seq: "1" })), "audit event 1");
    const own = await render(AuditEventPage, params({ seq: String(origin.originLogSize + 1) }));
    expect(own).toContain("org.forked");
    expectMarked(own, "the fork's own audit event", false);
    const entry = (index: number) =>
      render(LogPage, { searchParams: { entry: String(index) } }).then((html) =>
        html.slice(html.indexOf('data-testid="entry-detail"'), html.indexOf('aria-labelledby="recent-heading"')),
      );
    expectMarked(await entry(origin.originLogSize - 1), "the origin's last log entry");
    expectMarked(await entry(origin.originLogSize), "the fork's first log entry", false);
    // The log's list of entries, at the fork's start: the origin's last entry marked, the fork's first not.
    const recent = await render(LogPage, { searchParams: { before: String(origin.originLogSize + 1) } });
    const row = (index: number) => part(recent, `href="/log?entry=${index}"`, "</tr>");
    expectMarked(row(origin.originLogSize - 1), "the origin's last entry in the list");
    expectMarked(row(origin.originLogSize), "the fork's first entry in the list", false);

    // Settings and pledges made at the origin: the officer's connected app, own funding and customized rule, the
    // line's funder, and the theater's webhook subscription (its admin's page).
    const apps = await render(ConnectedAppsPage, {});
    expect(apps).toContain('data-testid="fork-notice"');
    expectMarked(part(apps, 'data-testid="connected-apps"', "</ul>"), "connected app");
    const ownFunding = await render(OwnFundingPage, {});
    expect(ownFunding).toContain('data-testid="fork-notice"');
    expectMarked(part(ownFunding, 'data-testid="own-fundings"', "</table>"), "own funding");
    const funders = await render(LineFundingPage, params({ line: origin.lineName }));
    expect(funders).toContain('data-testid="fork-notice"');
    expectMarked(part(funders, 'data-testid="line-funders"', "</table>"), "line's funder");
    const rules = await render(RulesPage, {});
    expect(rules).toContain('data-testid="rules-origin"');
    // The customized rule is marked, and only it: the defaults were never the origin's records.
    expect(rules.split('data-testid="from-origin"')).toHaveLength(2);
    expectMarked(part(rules, "Code of conduct change", "</h2>"), "customized rule");
    const theaterAdmin = await sessionCookieFor(origin.theaterAdminId);
    const hooks = await render(WebhooksPage, params({ slug: origin.theaterSlug }), theaterAdmin);
    expect(hooks).toContain('data-testid="fork-notice"');
    expectMarked(part(hooks, 'data-testid="subscription-', "</h2>"), "webhook subscription");
    // Active at the origin, it came stopped until its manager resumes it, which the page offers.
    expect(part(hooks, 'data-testid="subscription-status"', "</p>")).toContain(
      "imported from the origin, stopped until a manager resumes it once its receiver trusts this Guildhall&#x27;s webhook keys",
    );
    expect(hooks).toContain('data-testid="resume-whs_');
  } finally {
    await back();
  }
}

/** Gives a backup our own export key and signs it again as the origin's export would (version 2). */
async function resignBackup(f: TheaterBackupFile, ours: JSONWebKeySet, privateKey: CryptoKey) {
  f.backup.keys.export = ours as TheaterBackupFile["backup"]["keys"]["export"];
  f.recordHashes = Object.fromEntries(
    Object.entries(f.recordHashes).map(([section]) => [
      section,
      (section === "settings.webhooks"
        ? f.backup.settings.webhooks
        : ([] as object[]).concat(f.backup[section as keyof TheaterBackupFile["backup"]] as object)
      ).map((record) => ({ key: keyOf(record), sha256: sha256Canonical(record) })),
    ]),
  ) as TheaterBackupFile["recordHashes"];
  const claims = {
    digest: canonicalSha256(f.backup),
    recordHashes: sha256Canonical(f.recordHashes),
    theater: f.backup.theater.id,
    issuer: f.backup.origin.issuer,
    exportedAt: f.backup.origin.exportedAt,
  };
  f.signature = await signBackupClaims(claims, privateKey);
  return f;
}

const sha256Canonical = (value: unknown) => crypto.createHash("sha256").update(canonicalLogJson(value)).digest("hex");

/** A record's key as the export lists it: the first of its id-like fields, or none (the keys). */
function keyOf(record: object): string | null {
  const r = record as Record<string, unknown>;
  for (const field of ["id", "userId", "orderId", "accountId", "issuer"])
    if (typeof r[field] === "string") return r[field];
  return null;
}

/** Changes the last character of the record's first non-empty string (depth first), not its key's: one byte. */
function changeLastCharOfFirstString(record: object, keyField: string | null): void {
  const walk = (value: unknown, isTop: boolean): boolean => {
    if (typeof value !== "object" || value === null) return false;
    const members = value as Record<string, unknown>;
    for (const k of Object.keys(members)) {
      const v = members[k];
      if (typeof v === "string" && v.length > 0 && !(isTop && k === keyField)) {
        members[k] = `${v.slice(0, -1)}${v.endsWith("x") ? "y" : "x"}`;
        return true;
      }
      if (walk(v, false)) return true;
    }
    return false;
  };
  if (!walk(record, true)) throw new Error("the record holds no string to change");
}

/** Another letter or digit in the same class: a digit one up (9 to 0), a letter one on (z to a, Z to A). */
function otherAlphanumeric(c: string): string {
  if (c >= "0" && c <= "9") return String((Number(c) + 1) % 10);
  if (c === "z") return "a";
  if (c === "Z") return "A";
  return String.fromCharCode(c.charCodeAt(0) + 1);
}

/** A theater backup's signature over its claims, made with a key of the test's own (published as "ours"). */
function signBackupClaims(claims: object, privateKey: Parameters<CompactSign["sign"]>[0]): Promise<string> {
  return new CompactSign(new TextEncoder().encode(canonicalLogJson(claims)))
    .setProtectedHeader({ alg: "EdDSA", kid: "ours", typ: "guildhall-theater-backup+jws" })
    .sign(privateKey);
}
