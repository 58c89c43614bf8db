import "server-only";
import { db, type Tx } from "@/lib/db/client";
import type { CredentialRevoker } from "@/lib/access/credential-revokers";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { randomToken, sha256Hex } from "@/lib/crypto/hash";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { assertTheaterAdmin } from "@/lib/licensing/license-actor";
import type { UserActor } from "@/lib/access/actor";

/**
 * API tokens for the management client (`guildhall-theater`). A theater
 * admin makes one in the portal; it is shown once and stored as its SHA-256.
 * It acts as its maker, for that one theater and only on the licensing API,
 * and stops working when revoked, expired, when its maker is disabled, or when
 * the maker is no longer the theater's admin (checked on every use, see
 * assertTheaterAdmin).
 */
const TOKEN_PREFIX = "ght_";
const DAY_MS = 86_400_000;

export async function createTheaterApiToken(input: {
  orgId: string;
  name: string;
  ttlDays?: number;
  actor: UserActor;
}) {
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  return db().$transaction(async (tx) => {
    await assertTheaterAdmin(tx, { type: "user", id: input.actor.id }, input.orgId);
    const id = newId("tat");
    const expiresAt = input.ttlDays ? new Date(Date.now() + input.ttlDays * DAY_MS) : null;
    await tx.theaterApiToken.create({
      data: {
        id,
        orgId: input.orgId,
        userId: input.actor.id,
        name: input.name,
        tokenHash: sha256Hex(token),
        tokenPrefix: token.slice(0, 10),
        expiresAt,
      },
    });
    await appendAuditEvent(tx, {
      actor: { type: "user", id: input.actor.id },
      action: "theater_api_token.created",
      subject: { type: "organization", id: input.orgId },
      state: { id, name: input.name, expiresAt },
      data: { tokenId: id, name: input.name },
    });
    return { id, token, name: input.name, expiresAt };
  });
}

export async function listTheaterApiTokens(input: { orgId: string; actor: UserActor }) {
  await assertTheaterAdmin(db(), input.actor, input.orgId);
  return db().theaterApiToken.findMany({
    where: { orgId: input.orgId, revokedAt: null },
    select: {
      id: true,
      name: true,
      tokenPrefix: true,
      createdAt: true,
      expiresAt: true,
      lastUsedAt: true,
      userId: true,
    },
    orderBy: { createdAt: "desc" },
  });
}

/** Revokes a token at once; `reason` (typed by the admin to confirm) goes into the audit event. */
export async function revokeTheaterApiToken(input: { tokenId: string; reason?: string; actor: UserActor }) {
  return db().$transaction(async (tx) => {
    const row = await tx.theaterApiToken.findUnique({ where: { id: input.tokenId } });
    if (!row) throw new AppError("NOT_FOUND", { reason: "TOKEN_NOT_FOUND", userMessage: "No such token." });
    await assertTheaterAdmin(tx, { type: "user", id: input.actor.id }, row.orgId);
    if (row.revokedAt) return;
    await tx.theaterApiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    await appendAuditEvent(tx, {
      actor: { type: "user", id: input.actor.id },
      action: "theater_api_token.revoked",
      subject: { type: "organization", id: row.orgId },
      state: { id: row.id, revoked: true },
      data: { tokenId: row.id, ...(input.reason ? { reason: input.reason } : {}) },
    });
  });
}

/** The actor a bearer token stands for, or UNAUTHENTICATED. */
export async function authenticateTheaterApiToken(token: string): Promise<UserActor> {
  const refuse = () =>
    new AppError("UNAUTHENTICATED", {
      reason: "BAD_API_TOKEN",
      userMessage: "The API token is unknown, expired or revoked.",
    });
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) throw refuse();
  const row = await db().theaterApiToken.findUnique({ where: { tokenHash: sha256Hex(token) } });
  const maker = row && (await db().user.findUnique({ where: { id: row.userId }, select: { disabledAt: true } }));
  const now = new Date();
  // A disabled maker's token is revoked when they are disabled (theaterApiTokensRevoker); the check here also
  // refuses one whose maker was disabled some other way (by SQL, or before that revoker existed).
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || !maker || maker.disabledAt) throw refuse();
  // lastUsedAt is informational; a minute's precision spares a write per request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db().theaterApiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { type: "user", id: row.userId, token: { id: row.id, orgId: row.orgId } };
}

/** A disabled user's theater API tokens are revoked (lib/access/credential-revokers.ts). */
export const theaterApiTokensRevoker: CredentialRevoker = {
  kind: "theaterApiTokens",
  async revoke(tx: Tx, userId: string) {
    const { count } = await tx.theaterApiToken.updateMany({
      where: { userId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    return count;
  },
};
