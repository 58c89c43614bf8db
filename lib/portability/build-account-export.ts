import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { listReceiptsOfUser } from "@/lib/payments/receipts/list-receipts-of-user";
import {
  ACCOUNT_EXPORT_FORMAT,
  accountExportSchema,
  type AccountExport,
} from "@/lib/portability/account-export-schema";

import { iso, isoOrNull } from "@/lib/portability/export-values";
import { readGovernanceRecords } from "@/lib/portability/read-account-governance-records";
import { readPurchases } from "@/lib/portability/read-account-purchases";
import { readFundings } from "@/lib/portability/read-account-fundings";
import { readAuditEntries } from "@/lib/portability/read-account-audit-entries";
import { base64url } from "jose";
import { sequenceIfPending } from "@/lib/audit/sequence-audit-events";

/**
 * Everything Guildhall holds about a person, as the published JSON Schema
 * describes it (accountExportSchema parses the result, so nothing leaves that
 * the schema does not name). Read in one repeatable-read transaction: one
 * consistent snapshot across every domain's tables, which is why this room
 * reads them directly rather than through each domain's list operations
 * (docs/EXPORTS.md). Receipts are issued first, outside it, so a paid order
 * whose receipt the outbox has not made yet is in the export too, and the
 * audit events committed so far get their places in the chain.
 */
export async function buildAccountExport(userId: string): Promise<AccountExport> {
  const receipts = await listReceiptsOfUser(userId);
  // The acts of the last moments get their places (and log indexes) before the snapshot begins: sequencing inside
  // it could see an old head of the chain (sequenceAuditEvents runs only in read committed transactions).
  await sequenceIfPending({});
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
  // One after another: the queries of an interactive transaction share one connection.
  const roles = await tx.userRole.findMany({ where: { userId }, orderBy: { role: "asc" } });
  const memberships = await tx.membership.findMany({
    where: { userId },
    include: { org: true },
    orderBy: { createdAt: "asc" },
  });
  const invitations = await tx.invitation.findMany({
    where: { OR: [{ email: user.email }, { acceptedById: userId }] },
    orderBy: { createdAt: "asc" },
  });
  const passkeys = await tx.passkey.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  const sessions = await tx.session.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  const grants = await tx.oidcGrant.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  const tokens = await tx.oidcToken.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  const appTokens = await tx.appAccountToken.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  const apiTokens = await tx.theaterApiToken.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
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
      publicKey: base64url.encode(p.publicKey),
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
