import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { sequenceIfPending } from "@/lib/audit/sequence-audit-events";
import { sequencedSeq } from "@/lib/audit/audit-event-to-record";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { listReceiptsOfUser } from "@/lib/payments/receipts/list-receipts-of-user";
import {
  ACCOUNT_EXPORT_FORMAT,
  accountExportSchema,
  type AccountExport,
} from "@/lib/portability/account-export-schema";

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => d?.toISOString() ?? null;
const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

/**
 * Everything Guildhall holds about a person, as the published JSON Schema
 * describes it (accountExportSchema parses the result, so nothing leaves that
 * the schema does not name). Read in one repeatable-read transaction: one
 * consistent snapshot across every domain's tables, which is why this room
 * reads them directly rather than through each domain's list operations
 * (docs/EXPORTS.md). Receipts are issued first, outside it, so a paid order
 * whose receipt the outbox has not made yet is in the export too.
 */
export async function buildAccountExport(userId: string): Promise<AccountExport> {
  const receipts = await listReceiptsOfUser(userId);
  const parts = await db().$transaction((tx) => readPersonalRecords(tx, userId), { isolationLevel: "RepeatableRead" });
  return accountExportSchema.parse({
    format: ACCOUNT_EXPORT_FORMAT,
    v: 1,
    $schema: `${env().publicUrl}/schemas/account-export-v1.json`,
    issuer: env().publicUrl,
    exportedAt: new Date().toISOString(),
    ...parts,
    purchases: { ...parts.purchases, receipts: receipts.map((r) => r.jws) },
  });
}

async function readPersonalRecords(tx: Tx, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user || user.deletedAt)
    throw new AppError("NOT_FOUND", { userMessage: "No such account.", reason: "ACCOUNT_NOT_FOUND" });
  const [roles, memberships, invitations, passkeys, sessions, grants, tokens, appTokens, apiTokens] = await Promise.all(
    [
      tx.userRole.findMany({ where: { userId }, orderBy: { role: "asc" } }),
      tx.membership.findMany({ where: { userId }, include: { org: true }, orderBy: { createdAt: "asc" } }),
      tx.invitation.findMany({
        where: { OR: [{ email: user.email }, { acceptedById: userId }] },
        orderBy: { createdAt: "asc" },
      }),
      tx.passkey.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }),
      tx.session.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }),
      tx.oidcGrant.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }),
      tx.oidcToken.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }),
      tx.appAccountToken.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }),
      tx.theaterApiToken.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }),
    ],
  );
  const clients = await tx.oidcClient.findMany({
    where: { id: { in: grants.map((g) => g.clientId) } },
    select: { id: true, name: true },
  });
  const clientName = new Map(clients.map((c) => [c.id, c.name]));
  return {
    profile: {
      id: user.id,
      email: user.email,
      name: user.name,
      emailVerifiedAt: isoOrNull(user.emailVerifiedAt),
      createdAt: iso(user.createdAt),
      lastLoginAt: isoOrNull(user.lastLoginAt),
      disabledAt: isoOrNull(user.disabledAt),
    },
    roles: roles.map((r) => ({ role: r.role, grantedAt: iso(r.grantedAt), grantedBy: r.grantedBy })),
    memberships: memberships.map((m) => ({
      org: { id: m.org.id, slug: m.org.slug, name: m.org.name, kind: m.org.kind },
      role: m.role,
      createdAt: iso(m.createdAt),
    })),
    invitations: invitations.map((i) => ({
      id: i.id,
      orgId: i.orgId,
      role: i.role,
      createdAt: iso(i.createdAt),
      acceptedAt: isoOrNull(i.acceptedAt),
      revokedAt: isoOrNull(i.revokedAt),
      expiresAt: iso(i.expiresAt),
    })),
    passkeys: passkeys.map((p) => ({
      id: p.id,
      name: p.name,
      credentialId: p.credentialId,
      publicKey: b64u(p.publicKey),
      counter: Number(p.counter),
      transports: p.transports,
      deviceType: p.deviceType,
      backedUp: p.backedUp,
      createdAt: iso(p.createdAt),
      lastUsedAt: isoOrNull(p.lastUsedAt),
    })),
    sessions: sessions.map((s) => ({
      id: s.id,
      authMethod: s.authMethod,
      authTime: iso(s.authTime),
      createdAt: iso(s.createdAt),
      lastSeenAt: iso(s.lastSeenAt),
      expiresAt: iso(s.expiresAt),
      userAgent: s.userAgent,
      ipAddress: s.ipAddress,
    })),
    consents: grants.map((g) => ({
      id: g.id,
      client: { id: g.clientId, name: clientName.get(g.clientId) ?? null },
      scopes: g.scopes,
      createdAt: iso(g.createdAt),
      updatedAt: iso(g.updatedAt),
      revokedAt: isoOrNull(g.revokedAt),
    })),
    tokens: tokens.map((t) => ({
      id: t.id,
      kind: t.kind,
      clientId: t.clientId,
      scopes: t.scopes,
      createdAt: iso(t.createdAt),
      expiresAt: iso(t.expiresAt),
      revokedAt: isoOrNull(t.revokedAt),
    })),
    appAccountTokens: appTokens.map((a) => ({ token: a.token, clientId: a.clientId, createdAt: iso(a.createdAt) })),
    theaterApiTokens: apiTokens.map((t) => ({
      id: t.id,
      orgId: t.orgId,
      name: t.name,
      tokenPrefix: t.tokenPrefix,
      createdAt: iso(t.createdAt),
      expiresAt: isoOrNull(t.expiresAt),
      lastUsedAt: isoOrNull(t.lastUsedAt),
      revokedAt: isoOrNull(t.revokedAt),
    })),
    ...(await readGovernanceRecords(tx, userId)),
    purchases: await readPurchases(tx, userId),
    fundings: await readFundings(tx, userId),
    mail: (await tx.mailMessage.findMany({ where: { to: user.email }, orderBy: { createdAt: "asc" } })).map((m) => ({
      id: m.id,
      template: m.template,
      createdAt: iso(m.createdAt),
      sentAt: isoOrNull(m.sentAt),
      contentKept: m.sealedContent !== null,
    })),
    auditEntries: await readAuditEntries(tx, userId, [
      ...passkeys.map((p) => p.id),
      ...sessions.map((s) => s.id),
      ...grants.map((g) => g.id),
    ]),
  };
}

async function readGovernanceRecords(tx: Tx, userId: string) {
  const [ballots, proposals] = await Promise.all([
    tx.ballot.findMany({
      where: { voterId: userId },
      include: { proposal: { select: { id: true, title: true, kind: true } } },
      orderBy: { castAt: "asc" },
    }),
    tx.proposal.findMany({ where: { createdById: userId }, orderBy: { createdAt: "asc" } }),
  ]);
  return {
    ballots: ballots.map((b) => ({
      id: b.id,
      proposal: b.proposal,
      choice: b.choice,
      justification: b.justification,
      justificationHash: b.justificationHash,
      castAt: iso(b.castAt),
      proposalDigest: b.proposalDigest,
      challenge: b.challenge,
      credentialId: b.credentialId,
      publicKey: b64u(b.publicKey),
      authenticatorData: b64u(b.authenticatorData),
      clientDataJSON: b64u(b.clientDataJSON),
      signature: b64u(b.signature),
      signCount: Number(b.signCount),
    })),
    proposals: proposals.map((p) => ({
      id: p.id,
      title: p.title,
      kind: p.kind,
      status: p.status,
      createdAt: iso(p.createdAt),
    })),
  };
}

async function readPurchases(tx: Tx, userId: string) {
  const [orders, storeTransactions] = await Promise.all([
    tx.paymentOrder.findMany({
      where: { OR: [{ buyerUserId: userId }, { createdByType: "user", createdById: userId }] },
      orderBy: { createdAt: "asc" },
    }),
    tx.storeTransaction.findMany({ where: { userId }, orderBy: { purchasedAt: "asc" } }),
  ]);
  return {
    receipts: [] as string[],
    orders: orders.map((o) => ({
      id: o.id,
      productKind: o.productKind,
      theaterOrgId: o.theaterOrgId,
      description: o.description,
      amountMinor: minorUnitsAsNumber(o.amountMinor),
      currency: o.currency,
      status: o.status,
      refundedMinor: minorUnitsAsNumber(o.refundedMinor),
      createdAt: iso(o.createdAt),
      paidAt: isoOrNull(o.paidAt),
    })),
    storeTransactions: storeTransactions.map((t) => ({
      store: t.store,
      transactionId: t.transactionId,
      productId: t.productId,
      orderId: t.orderId,
      status: t.status,
      purchasedAt: iso(t.purchasedAt),
      expiresAt: isoOrNull(t.expiresAt),
    })),
  };
}

/** Every release line or host the person funds or funded (all of them: listOwnFundings shows a page's worth). */
async function readFundings(tx: Tx, userId: string) {
  const fundings = await tx.funding.findMany({
    where: { funderUserId: userId },
    orderBy: { createdAt: "asc" },
    include: { payments: { select: { amountMinor: true, refundedMinor: true, disputedMinor: true } } },
  });
  const [lines, hosts] = await Promise.all([
    tx.releaseLine.findMany({
      where: { id: { in: fundings.flatMap((f) => (f.releaseLineId ? [f.releaseLineId] : [])) } },
      select: { id: true, name: true },
    }),
    tx.organization.findMany({
      where: { id: { in: fundings.flatMap((f) => (f.hostOrgId ? [f.hostOrgId] : [])) } },
      select: { id: true, name: true },
    }),
  ]);
  const nameOf = new Map([...lines, ...hosts].map((x) => [x.id, x.name]));
  const sum = (values: bigint[]) => minorUnitsAsNumber(values.reduce((a, b) => a + b, 0n));
  return fundings.map((f) => {
    const targetId = f.releaseLineId ?? f.hostOrgId ?? "";
    return {
      id: f.id,
      target: {
        kind: f.releaseLineId ? ("release_line" as const) : ("host" as const),
        id: targetId,
        name: nameOf.get(targetId) ?? null,
      },
      interval: f.interval,
      amountMinor: minorUnitsAsNumber(f.amountMinor),
      currency: f.currency,
      provider: f.provider,
      status: f.status,
      namedPublicly: f.publicName !== null,
      publicName: f.publicName,
      paidMinor: sum(f.payments.map((p) => p.amountMinor)),
      refundedMinor: sum(f.payments.map((p) => p.refundedMinor + p.disputedMinor)),
      paidThrough: isoOrNull(f.paidThrough),
      createdAt: iso(f.createdAt),
      canceledAt: isoOrNull(f.canceledAt),
      cancelReason: f.cancelReason,
    };
  });
}

/**
 * The audit events about the person: those they did, those whose subject is
 * them or one of their passkeys, sessions or consents, and those whose log
 * entry commits to something of theirs, each with the openings of those
 * commitments (the salt and the value), so they can show anyone what the
 * public entry says about them.
 */
async function readAuditEntries(tx: Tx, userId: string, ownedSubjectIds: string[]) {
  const openings = await tx.logOpening.findMany({ where: { ownerUserId: userId } });
  const mine = { OR: [{ actorId: userId }, { subjectId: { in: [userId, ...ownedSubjectIds] } }] };
  // Acts of the last moments get their places (and log indexes) first.
  await sequenceIfPending(mine, tx);
  const events = await tx.auditEvent.findMany({
    where: { OR: [...mine.OR, { seq: { in: [...new Set(openings.map((o) => o.eventSeq))] } }] },
    orderBy: { seq: "asc" },
  });
  const ownedIds = new Set([userId, ...ownedSubjectIds]);
  return events.map((e) => {
    const asActor = e.actorId === userId;
    const asSubject = ownedIds.has(e.subjectId);
    const seq = sequencedSeq(e);
    return {
      seq: seq.toString(),
      logIndex: Number(seq - 1n),
      id: e.id,
      occurredAt: iso(e.occurredAt),
      action: e.action,
      role: asActor && asSubject ? ("both" as const) : asActor ? ("actor" as const) : ("subject" as const),
      actor: { type: e.actorType, id: e.actorId },
      subject: { type: e.subjectType, id: e.subjectId },
      data: e.data ?? null,
      openings: openings
        .filter((o) => o.eventSeq === seq)
        .map((o) => ({ path: o.path, salt: b64u(o.salt), value: o.value })),
    };
  });
}
