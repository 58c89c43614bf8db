import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { iso, isoOrNull } from "@/lib/portability/export-values";
import { readTheaterCaChain } from "@/lib/portability/read-theater-ca-chain";
import { readTheaterMoneyRecords } from "@/lib/portability/read-theater-money-records";

/** A theater's records for its backup, in the backup body's shape; run in the caller's snapshot transaction. */
export async function readTheaterRecords(tx: Tx, theaterOrgId: string) {
  const theater = await tx.organization.findUnique({ where: { id: theaterOrgId } });
  if (theater?.kind !== "THEATER")
    throw new AppError("NOT_FOUND", { userMessage: "No such theater.", reason: "THEATER_NOT_FOUND" });
  // One after another: the queries of an interactive transaction share one connection.
  const memberships = await tx.membership.findMany({
    where: { orgId: theaterOrgId },
    include: { user: true },
    orderBy: { createdAt: "asc" },
  });
  // A license's plan included, its orders and certificates read on their own: Prisma reads the relations of
  // one include side by side, which on this one connection queued three queries at once.
  const licenseRows = await tx.license.findMany({
    where: { theaterOrgId },
    include: { plan: true },
    orderBy: { createdAt: "asc" },
  });
  const licenseIds = licenseRows.map((l) => l.id);
  const licenseOrders = await tx.licenseOrder.findMany({
    where: { licenseId: { in: licenseIds } },
    orderBy: { paidAt: "asc" },
  });
  const certificates = await tx.licenseCertificate.findMany({
    where: { licenseId: { in: licenseIds } },
    orderBy: { createdAt: "asc" },
  });
  const byLicense = <T extends { licenseId: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const list = map.get(row.licenseId);
      if (list) list.push(row);
      else map.set(row.licenseId, [row]);
    }
    return map;
  };
  const ordersOf = byLicense(licenseOrders);
  const certificatesOf = byLicense(certificates);
  const licenses = licenseRows.map((l) => ({
    ...l,
    orders: ordersOf.get(l.id) ?? [],
    certificates: certificatesOf.get(l.id) ?? [],
  }));
  const orders = await tx.paymentOrder.findMany({ where: { theaterOrgId }, orderBy: { createdAt: "asc" } });
  const receipts = await tx.receipt.findMany({ where: { theaterOrgId } });
  const sales = await tx.ticketSale.findMany({ where: { theaterOrgId }, orderBy: { fulfilledAt: "asc" } });
  const tokens = await tx.theaterApiToken.findMany({ where: { orgId: theaterOrgId }, orderBy: { createdAt: "asc" } });
  const webhooks = await tx.webhookSubscription.findMany({
    where: { orgId: theaterOrgId },
    orderBy: { createdAt: "asc" },
  });
  const orderIds = orders.map((o) => o.id);
  const receiptOf = new Map(receipts.map((r) => [r.orderId, r.jws]));
  return {
    certificateAuthorities: await readTheaterCaChain(tx, [
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
        priceMinor: minorUnitsAsNumber(l.plan.priceMinor),
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
      amountMinor: minorUnitsAsNumber(o.amountMinor),
      currency: o.currency,
      fulfilmentKind: o.fulfilmentKind,
      fulfilment: o.fulfilment,
      status: o.status,
      provider: o.provider,
      providerPaymentRef: o.providerPaymentRef,
      feeMinor: minorUnitsAsNumber(o.feeMinor),
      refundedMinor: minorUnitsAsNumber(o.refundedMinor),
      disputedMinor: minorUnitsAsNumber(o.disputedMinor),
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
      amountMinor: minorUnitsAsNumber(s.amountMinor),
      currency: s.currency,
      clientId: s.clientId,
      fulfilledAt: iso(s.fulfilledAt),
    })),
    ...(await readTheaterMoneyRecords(tx, theaterOrgId, orderIds)),
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
