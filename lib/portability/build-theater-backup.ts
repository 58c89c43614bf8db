import "server-only";
import crypto from "node:crypto";
import { CompactSign } from "jose";
import { db, type Tx } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { assertTheaterAdmin, type TheaterActor } from "@/lib/licensing/license-actor";
import { issueReceipt } from "@/lib/payments/receipts/issue-receipt";
import { canonicalLogJson } from "@/lib/transparency/build-log-entry";
import {
  THEATER_BACKUP_FORMAT,
  THEATER_BACKUP_TYP,
  THEATER_BACKUP_VERSION,
  theaterBackupBodySchema,
  theaterBackupFileSchema,
  type TheaterBackupBody,
  type TheaterBackupFile,
} from "@/lib/portability/theater-backup-schema";

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => d?.toISOString() ?? null;
const num = (n: bigint) => minorUnitsAsNumber(n);

/** Hex SHA-256 of the RFC 8785 canonical JSON of a backup's body: what its signature covers. */
export function theaterBackupDigest(body: unknown): string {
  return crypto.createHash("sha256").update(canonicalLogJson(body)).digest("hex");
}

/**
 * A theater's signed backup, for its admin (signed in, or the management
 * client's API token of that theater). Paid orders get their receipts first;
 * then everything is read in one repeatable-read transaction (one consistent
 * snapshot), parsed by the published schema, and signed with the export key.
 * The download is recorded in the audit history (who took the theater's
 * records, and which digest).
 */
export async function buildTheaterBackup(input: {
  theaterOrgId: string;
  actor: TheaterActor;
}): Promise<TheaterBackupFile> {
  await db().$transaction((tx) => assertTheaterAdmin(tx, input.actor, input.theaterOrgId));
  const paidWithout = await db().paymentOrder.findMany({
    where: {
      theaterOrgId: input.theaterOrgId,
      status: "paid",
      NOT: { id: { in: await receiptOrderIds(input.theaterOrgId) } },
    },
    select: { id: true },
  });
  for (const order of paidWithout) await issueReceipt(order.id);
  const key = await getActiveSigningKey("export");
  const [exportKeys, licenseKeys, receiptKeys] = await Promise.all([
    getPublicJwks(["export"]),
    getPublicJwks(["license"]),
    getPublicJwks(["receipt"]),
  ]);
  const exportedAt = new Date().toISOString();
  const records = await db().$transaction((tx) => readTheaterRecords(tx, input.theaterOrgId), {
    isolationLevel: "RepeatableRead",
  });
  const backup: TheaterBackupBody = theaterBackupBodySchema.parse({
    format: THEATER_BACKUP_FORMAT,
    v: THEATER_BACKUP_VERSION,
    $schema: `${env().publicUrl}/schemas/theater-backup-v1.json`,
    origin: { issuer: env().publicUrl, exportedAt },
    keys: { export: exportKeys, license: licenseKeys, receipt: receiptKeys },
    ...records,
  });
  const digest = theaterBackupDigest(backup);
  const claims = { digest, theater: backup.theater.id, issuer: backup.origin.issuer, exportedAt };
  const signature = await new CompactSign(new TextEncoder().encode(canonicalLogJson(claims)))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: THEATER_BACKUP_TYP })
    .sign(key.privateKey);
  await db().$transaction((tx) =>
    appendAuditEvent(tx, {
      actor: { type: "user", id: input.actor.id },
      action: "theater.backup_exported",
      subject: { type: "organization", id: input.theaterOrgId },
      state: { digest },
      data: { digest, via: input.actor.token ? "api_token" : "session" },
    }),
  );
  return theaterBackupFileSchema.parse({ backup, signature });
}

async function receiptOrderIds(theaterOrgId: string) {
  return (await db().receipt.findMany({ where: { theaterOrgId }, select: { orderId: true } })).map((r) => r.orderId);
}

async function readTheaterRecords(tx: Tx, theaterOrgId: string) {
  const theater = await tx.organization.findUnique({ where: { id: theaterOrgId } });
  if (theater?.kind !== "THEATER")
    throw new AppError("NOT_FOUND", { userMessage: "No such theater.", reason: "THEATER_NOT_FOUND" });
  const [memberships, licenses, orders, receipts, sales, tokens, webhooks] = await Promise.all([
    tx.membership.findMany({ where: { orgId: theaterOrgId }, include: { user: true }, orderBy: { createdAt: "asc" } }),
    tx.license.findMany({
      where: { theaterOrgId },
      include: { plan: true, orders: { orderBy: { paidAt: "asc" } }, certificates: { orderBy: { createdAt: "asc" } } },
      orderBy: { createdAt: "asc" },
    }),
    tx.paymentOrder.findMany({ where: { theaterOrgId }, orderBy: { createdAt: "asc" } }),
    tx.receipt.findMany({ where: { theaterOrgId } }),
    tx.ticketSale.findMany({ where: { theaterOrgId }, orderBy: { fulfilledAt: "asc" } }),
    tx.theaterApiToken.findMany({ where: { orgId: theaterOrgId }, orderBy: { createdAt: "asc" } }),
    tx.webhookSubscription.findMany({ where: { orgId: theaterOrgId }, orderBy: { createdAt: "asc" } }),
  ]);
  const orderIds = orders.map((o) => o.id);
  const receiptOf = new Map(receipts.map((r) => [r.orderId, r.jws]));
  return {
    certificateAuthorities: await readCaChain(tx, [
      ...new Set(licenses.flatMap((l) => l.certificates.map((c) => c.issuerId))),
    ]),
    theater: {
      id: theater.id,
      slug: theater.slug,
      name: theater.name,
      status: theater.status,
      createdAt: iso(theater.createdAt),
    },
    members: memberships.map((m) => ({
      userId: m.userId,
      email: m.user.email,
      name: m.user.name,
      role: m.role,
      createdAt: iso(m.createdAt),
    })),
    licenses: licenses.map((l) => ({
      id: l.id,
      plan: {
        id: l.plan.id,
        name: l.plan.name,
        termDays: l.plan.termDays,
        priceMinor: num(l.plan.priceMinor),
        currency: l.plan.currency,
        entitlements: l.plan.entitlements as Record<string, unknown>,
      },
      status: l.status,
      entitlements: l.entitlements as Record<string, unknown>,
      termDays: l.termDays,
      validFrom: isoOrNull(l.validFrom),
      validUntil: isoOrNull(l.validUntil),
      statusReason: l.statusReason,
      createdById: l.createdById,
      createdAt: iso(l.createdAt),
      orders: l.orders.map((o) => ({
        orderId: o.orderId,
        kind: o.kind,
        paidAt: iso(o.paidAt),
        validUntil: iso(o.validUntil),
        appliedAt: iso(o.appliedAt),
      })),
      certificates: l.certificates.map((c) => ({
        id: c.id,
        issuerId: c.issuerId,
        serialHex: c.serialHex,
        keyAlgorithm: c.keyAlgorithm,
        keySha256: c.keySha256,
        certificatePem: c.certificatePem,
        licenseDocument: c.licenseDocument,
        notBefore: iso(c.notBefore),
        notAfter: iso(c.notAfter),
        status: c.status,
        revokedAt: isoOrNull(c.revokedAt),
        revocationReason: c.revocationReason,
        supersededAt: isoOrNull(c.supersededAt),
        createdAt: iso(c.createdAt),
      })),
    })),
    orders: orders.map((o) => ({
      id: o.id,
      productKind: o.productKind,
      description: o.description,
      lineItems: o.lineItems,
      amountMinor: num(o.amountMinor),
      currency: o.currency,
      fulfilmentKind: o.fulfilmentKind,
      fulfilment: o.fulfilment,
      status: o.status,
      provider: o.provider,
      providerPaymentRef: o.providerPaymentRef,
      feeMinor: num(o.feeMinor),
      refundedMinor: num(o.refundedMinor),
      disputedMinor: num(o.disputedMinor),
      saleEntryId: o.saleEntryId,
      policyVersionId: o.policyVersionId,
      createdByType: o.createdByType,
      createdAt: iso(o.createdAt),
      paidAt: isoOrNull(o.paidAt),
      receipt: receiptOf.get(o.id) ?? null,
    })),
    ticketSales: sales.map((s) => ({
      orderId: s.orderId,
      showId: s.showId,
      externalRef: s.externalRef,
      quantity: s.quantity,
      amountMinor: num(s.amountMinor),
      currency: s.currency,
      clientId: s.clientId,
      fulfilledAt: iso(s.fulfilledAt),
    })),
    ...(await readMoneyRecords(tx, theaterOrgId, orderIds)),
    apiTokens: tokens.map((t) => ({
      id: t.id,
      userId: t.userId,
      name: t.name,
      tokenPrefix: t.tokenPrefix,
      createdAt: iso(t.createdAt),
      expiresAt: isoOrNull(t.expiresAt),
      lastUsedAt: isoOrNull(t.lastUsedAt),
      revokedAt: isoOrNull(t.revokedAt),
    })),
    settings: {
      webhooks: webhooks.map((w) => ({
        id: w.id,
        url: w.url,
        eventTypes: w.eventTypes,
        status: w.status,
        createdAt: iso(w.createdAt),
      })),
    },
  };
}

/** The issuing CAs of the theater's certificates and their parents up to the root: the chain to check them. */
async function readCaChain(tx: Tx, issuerIds: string[]) {
  const found = new Map<string, Awaited<ReturnType<typeof tx.certificateAuthority.findMany>>[number]>();
  let next = issuerIds;
  while (next.length > 0) {
    const rows = await tx.certificateAuthority.findMany({ where: { id: { in: next } } });
    for (const r of rows) found.set(r.id, r);
    next = rows.map((r) => r.parentId).filter((id): id is string => id !== null && !found.has(id));
  }
  return [...found.values()]
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map((ca) => ({
      id: ca.id,
      kind: ca.kind,
      subject: ca.subject,
      serialHex: ca.serialHex,
      certificatePem: ca.certificatePem,
      notBefore: iso(ca.notBefore),
      notAfter: iso(ca.notAfter),
      parentId: ca.parentId,
    }));
}

async function readMoneyRecords(tx: Tx, theaterOrgId: string, orderIds: string[]) {
  const [refunds, adjustments, items, accounts] = await Promise.all([
    tx.refundRequest.findMany({ where: { orderId: { in: orderIds } }, orderBy: { createdAt: "asc" } }),
    tx.paymentAdjustment.findMany({ where: { orderId: { in: orderIds } }, orderBy: { createdAt: "asc" } }),
    tx.payoutItem.findMany({ where: { orgId: theaterOrgId }, include: { batch: true }, orderBy: { id: "asc" } }),
    tx.ledgerAccount.findMany({ where: { orgId: theaterOrgId }, orderBy: { id: "asc" } }),
  ]);
  const sums = await tx.ledgerPosting.groupBy({
    by: ["accountId"],
    where: { accountId: { in: accounts.map((a) => a.id) } },
    _sum: { amountMinor: true },
  });
  const balance = new Map(sums.map((s) => [s.accountId, s._sum.amountMinor ?? 0n]));
  return {
    refunds: refunds.map((r) => ({
      id: r.id,
      orderId: r.orderId,
      amountMinor: num(r.amountMinor),
      currency: r.currency,
      reason: r.reason,
      status: r.status,
      requestedById: r.requestedById,
      approvedById: r.approvedById,
      createdAt: iso(r.createdAt),
      decidedAt: isoOrNull(r.decidedAt),
    })),
    adjustments: adjustments.map((a) => ({
      id: a.id,
      orderId: a.orderId,
      kind: a.kind,
      amountMinor: num(a.amountMinor),
      currency: a.currency,
      providerRef: a.providerRef,
      status: a.status,
      journalEntryId: a.journalEntryId,
      reversalEntryId: a.reversalEntryId,
      createdAt: iso(a.createdAt),
      closedAt: isoOrNull(a.closedAt),
    })),
    payoutStatements: items.map((i) => ({
      id: i.id,
      batch: {
        id: i.batch.id,
        status: i.batch.status,
        periodStart: isoOrNull(i.batch.periodStart),
        periodEnd: isoOrNull(i.batch.periodEnd),
      },
      amountMinor: num(i.amountMinor),
      currency: i.currency,
      status: i.status,
      destination: i.destination,
      providerTransferId: i.providerTransferId,
      postedAt: isoOrNull(i.postedAt),
      failedAt: isoOrNull(i.failedAt),
      failureReason: i.failureReason,
    })),
    ledger: accounts.map((a) => ({
      accountId: a.id,
      kind: a.kind,
      currency: a.currency,
      balanceMinor: num(balance.get(a.id) ?? 0n),
    })),
  };
}
