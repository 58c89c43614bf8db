import "server-only";
import type { JSONWebKeySet } from "jose";
import { db, type Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { randomToken, sha256Hex } from "@/lib/crypto/hash";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import type { Prisma } from "@/lib/generated/prisma/client";
import { canonicalSha256 } from "@/lib/portability/canonical-sha256";
import type { TheaterBackupBody } from "@/lib/portability/theater-backup-schema";
import { verifyTheaterBackup } from "@/lib/portability/verify-theater-backup";
import { decodeJwt } from "jose";
import { importedStopReason } from "@/lib/webhook-subscriptions/imported-stop";

const date = (s: string) => new Date(s);
const dateOrNull = (s: string | null) => (s ? new Date(s) : null);
const json = (v: unknown) => v as Prisma.InputJsonValue;

/**
 * Brings a theater from another Guildhall's signed backup into this one: all
 * of it or nothing. Every signature is checked first (verifyTheaterBackup),
 * then one transaction refuses a target that already holds any of the
 * backup's records (the theater by id or slug, a license, certificate, order
 * or receipt id) and writes the theater, its members (an existing account of
 * the same address is linked, else one is made, to sign in by email code),
 * plans (archived: offered by the origin, not here), licenses, certificates
 * and documents, orders, ticket sales, receipts, refunds, adjustments, API
 * tokens (metadata only, revoked: secrets never travel, the admin makes new
 * ones), webhook subscriptions (stopped; one active at the origin until the
 * admin resumes it once its receiver trusts this Guildhall's webhook keys:
 * lib/webhook-subscriptions/imported-stop.ts), the
 * verified document itself (TheaterImport: payout statements, ledger
 * balances and the origin's CA chain stay as they came, not merged into this
 * ledger) and a `theater.imported` event naming the origin and digest.
 */
export async function importTheaterBackup(input: { file: unknown; trustedExportKeys: JSONWebKeySet; actor: Actor }) {
  const backup = await verifyTheaterBackup(input.file, input.trustedExportKeys);
  const signature = (input.file as { signature: string }).signature;
  const digest = canonicalSha256(backup);
  return db().$transaction(
    async (tx) => {
      await assertTargetHoldsNone(tx, backup);
      const userIds = await importMembers(tx, backup);
      await importLicensing(tx, backup);
      await importMoney(tx, backup);
      await importSettings(tx, backup, userIds);
      await tx.theaterImport.create({
        data: {
          id: newId("imp"),
          theaterOrgId: backup.theater.id,
          originIssuer: backup.origin.issuer,
          digest,
          signature,
          document: json(backup),
          importedById: input.actor.type === "user" ? input.actor.id : null,
        },
      });
      await appendAuditEvent(tx, {
        actor: input.actor,
        action: "theater.imported",
        subject: { type: "organization", id: backup.theater.id },
        state: { origin: backup.origin.issuer, digest },
        data: {
          origin: backup.origin.issuer,
          exportedAt: backup.origin.exportedAt,
          digest,
          licenses: backup.licenses.length,
          orders: backup.orders.length,
        },
      });
      return { theaterOrgId: backup.theater.id, slug: backup.theater.slug, digest, members: userIds.size };
    },
    { timeout: 120_000 },
  );
}

async function assertTargetHoldsNone(tx: Tx, b: TheaterBackupBody) {
  const certificateIds = b.licenses.flatMap((l) => l.certificates.map((c) => c.id));
  const clashes = [
    ["theater", await tx.organization.findFirst({ where: { OR: [{ id: b.theater.id }, { slug: b.theater.slug }] } })],
    ["license", await tx.license.findFirst({ where: { id: { in: b.licenses.map((l) => l.id) } } })],
    ["certificate", await tx.licenseCertificate.findFirst({ where: { id: { in: certificateIds } } })],
    ["order", await tx.paymentOrder.findFirst({ where: { id: { in: b.orders.map((o) => o.id) } } })],
    ["refund", await tx.refundRequest.findFirst({ where: { id: { in: b.refunds.map((r) => r.id) } } })],
  ] as const;
  for (const [what, row] of clashes)
    if (row)
      throw new AppError("CONFLICT", {
        userMessage: `This Guildhall already holds the backup's ${what} ${(row as { id: string }).id}: import into a Guildhall that does not hold this theater.`,
        reason: "TARGET_NOT_EMPTY",
      });
}

/** Members by address: an account of the same address here is theirs; else one is made (same id when free). */
async function importMembers(tx: Tx, b: TheaterBackupBody) {
  const userIds = new Map<string, string>();
  await tx.organization.create({
    data: {
      id: b.theater.id,
      slug: b.theater.slug,
      name: b.theater.name,
      kind: "THEATER",
      status: b.theater.status as "ACTIVE" | "PENDING" | "SUSPENDED",
      createdAt: date(b.theater.createdAt),
    },
  });
  for (const m of b.members) {
    const email = m.email.toLowerCase();
    let user = await tx.user.findUnique({ where: { email } });
    if (!user) {
      const idTaken = await tx.user.findUnique({ where: { id: m.userId }, select: { id: true } });
      user = await tx.user.create({ data: { id: idTaken ? newId("usr") : m.userId, email, name: m.name } });
    }
    userIds.set(m.userId, user.id);
    await tx.membership.create({
      data: { orgId: b.theater.id, userId: user.id, role: m.role as "THEATER_ADMIN", createdAt: date(m.createdAt) },
    });
  }
  return userIds;
}

async function importLicensing(tx: Tx, b: TheaterBackupBody) {
  for (const l of b.licenses) {
    const plan = await tx.licensePlan.findUnique({ where: { id: l.plan.id }, select: { id: true } });
    if (!plan)
      await tx.licensePlan.create({
        data: {
          id: l.plan.id,
          name: l.plan.name,
          termDays: l.plan.termDays,
          priceMinor: BigInt(l.plan.priceMinor),
          currency: l.plan.currency,
          entitlements: json(l.plan.entitlements),
          createdById: "import",
          archivedAt: new Date(),
        },
      });
    await tx.license.create({
      data: {
        id: l.id,
        theaterOrgId: b.theater.id,
        planId: l.plan.id,
        status: l.status as "ACTIVE",
        entitlements: json(l.entitlements),
        termDays: l.termDays,
        validFrom: dateOrNull(l.validFrom),
        validUntil: dateOrNull(l.validUntil),
        statusReason: l.statusReason,
        createdById: l.createdById,
        createdAt: date(l.createdAt),
      },
    });
    await tx.licenseOrder.createMany({
      data: l.orders.map((o) => ({
        orderId: o.orderId,
        licenseId: l.id,
        kind: o.kind,
        paidAt: date(o.paidAt),
        validUntil: date(o.validUntil),
        appliedAt: date(o.appliedAt),
      })),
    });
    await tx.licenseCertificate.createMany({
      data: l.certificates.map((c) => ({
        ...c,
        licenseId: l.id,
        notBefore: date(c.notBefore),
        notAfter: date(c.notAfter),
        status: c.status as "GOOD",
        revokedAt: dateOrNull(c.revokedAt),
        supersededAt: dateOrNull(c.supersededAt),
        createdAt: date(c.createdAt),
      })),
    });
  }
}

async function importMoney(tx: Tx, b: TheaterBackupBody) {
  await tx.paymentOrder.createMany({
    data: b.orders.map(({ receipt: _receipt, ...o }) => ({
      ...o,
      theaterOrgId: b.theater.id,
      lineItems: json(o.lineItems),
      fulfilment: json(o.fulfilment),
      amountMinor: BigInt(o.amountMinor),
      feeMinor: BigInt(o.feeMinor),
      refundedMinor: BigInt(o.refundedMinor),
      disputedMinor: BigInt(o.disputedMinor),
      successPath: "/",
      cancelPath: "/",
      createdAt: date(o.createdAt),
      paidAt: dateOrNull(o.paidAt),
    })),
  });
  await tx.receipt.createMany({
    data: b.orders.flatMap((o) =>
      o.receipt
        ? [
            {
              id: receiptIdOf(o.receipt),
              orderId: o.id,
              theaterOrgId: b.theater.id,
              kind: o.fulfilmentKind,
              jws: o.receipt,
              issuedAt: o.paidAt ? date(o.paidAt) : new Date(),
            },
          ]
        : [],
    ),
  });
  await tx.ticketSale.createMany({
    data: b.ticketSales.map((s) => ({
      ...s,
      theaterOrgId: b.theater.id,
      amountMinor: BigInt(s.amountMinor),
      fulfilledAt: date(s.fulfilledAt),
    })),
  });
  await tx.refundRequest.createMany({
    data: b.refunds.map((r) => ({
      ...r,
      requestKey: `import:${r.id}`,
      amountMinor: BigInt(r.amountMinor),
      createdAt: date(r.createdAt),
      decidedAt: dateOrNull(r.decidedAt),
    })),
  });
  await tx.paymentAdjustment.createMany({
    data: b.adjustments.map((a) => ({
      ...a,
      amountMinor: BigInt(a.amountMinor),
      createdAt: date(a.createdAt),
      closedAt: dateOrNull(a.closedAt),
    })),
  });
}

/** The receipt's own id (its jti), read from the payload the import has already verified. */
function receiptIdOf(jws: string): string {
  return String(decodeJwt(jws).jti);
}

async function importSettings(tx: Tx, b: TheaterBackupBody, userIds: Map<string, string>) {
  const importedAt = new Date();
  await tx.theaterApiToken.createMany({
    data: b.apiTokens.map((t) => ({
      id: t.id,
      orgId: b.theater.id,
      userId: userIds.get(t.userId) ?? t.userId,
      name: t.name,
      // The token itself never travels; a random hash that no token matches keeps the row's shape.
      tokenHash: sha256Hex(randomToken(32)),
      tokenPrefix: t.tokenPrefix,
      createdAt: date(t.createdAt),
      expiresAt: dateOrNull(t.expiresAt),
      lastUsedAt: dateOrNull(t.lastUsedAt),
      revokedAt: t.revokedAt ? date(t.revokedAt) : importedAt,
    })),
  });
  await tx.webhookSubscription.createMany({
    data: b.settings.webhooks.map((w) => ({
      id: w.id,
      orgId: b.theater.id,
      orgKind: "THEATER",
      url: w.url,
      eventTypes: w.eventTypes,
      status: "disabled",
      // Active at the origin: stopped by this import, which its admin may undo. Stopped there: it stays so.
      disabledReason:
        w.status === "active"
          ? importedStopReason(b.origin.issuer)
          : `stopped at ${b.origin.issuer} before its backup: subscribe the URL anew`,
      createdById: "import",
      createdAt: date(w.createdAt),
      disabledAt: importedAt,
    })),
  });
}
