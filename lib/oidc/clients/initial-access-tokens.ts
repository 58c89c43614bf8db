import "server-only";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { randomToken, sha256Hex } from "@/lib/crypto/hash";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { assertPermitted } from "@/lib/access/permission";
import { secretBytes } from "@/lib/oidc/config";

/**
 * An org admin issues an initial access token for RFC 7591 dynamic
 * registration, for one host (clients registered with it belong to that host
 * and are approved, since an admin authorized them in advance). Shown once,
 * stored as its hash, valid until it expires or is revoked.
 */
export async function issueInitialAccessToken(p: { actor: Actor; hostOrgId: string | null; ttlDays: number }) {
  return db().$transaction(async (tx) => {
    await assertPermitted(tx, p.actor, { role: "ORG_ADMIN" });
    if (p.hostOrgId) {
      const org = await tx.organization.findUnique({ where: { id: p.hostOrgId }, select: { kind: true } });
      if (org?.kind !== "HOST") throw new AppError("NOT_FOUND", { userMessage: "No such host." });
    }
    const token = randomToken(secretBytes.initialAccessToken);
    const row = await tx.oidcInitialAccessToken.create({
      data: {
        id: newId("iat"),
        tokenHash: sha256Hex(token),
        hostOrgId: p.hostOrgId,
        createdById: p.actor.id,
        expiresAt: new Date(Date.now() + p.ttlDays * 86_400_000),
      },
      select: { id: true, hostOrgId: true, expiresAt: true, createdAt: true },
    });
    await appendAuditEvent(tx, {
      actor: p.actor,
      action: "oidc_initial_access_token.issued",
      subject: { type: "oidc_initial_access_token", id: row.id },
      state: row,
      data: { hostOrgId: p.hostOrgId, expiresAt: row.expiresAt },
    });
    return { ...row, token };
  });
}

/** An org admin revokes an initial access token; revoking one already revoked changes nothing. */
export async function revokeInitialAccessToken(p: { actor: Actor; id: string }) {
  return db().$transaction(async (tx) => {
    await assertPermitted(tx, p.actor, { role: "ORG_ADMIN" });
    const row = await tx.oidcInitialAccessToken.findUnique({ where: { id: p.id } });
    if (!row) throw new AppError("NOT_FOUND", { userMessage: "No such token." });
    if (row.revokedAt) return;
    const revokedAt = new Date();
    await tx.oidcInitialAccessToken.update({ where: { id: row.id }, data: { revokedAt } });
    await appendAuditEvent(tx, {
      actor: p.actor,
      action: "oidc_initial_access_token.revoked",
      subject: { type: "oidc_initial_access_token", id: row.id },
      state: { revokedAt },
    });
  });
}

export async function listInitialAccessTokens() {
  return db().oidcInitialAccessToken.findMany({
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, hostOrgId: true, expiresAt: true, revokedAt: true, lastUsedAt: true, createdAt: true },
  });
}
