import "server-only";
import type { Tx } from "@/lib/db/client";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import { sidOf } from "@/lib/oidc/logout/sid";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";
import { backchannelLogoutEffect } from "@/lib/oidc/logout/deliver-backchannel-logout";

/**
 * When a Guildhall session ends, tells every client that signed the user in
 * during it and registered a back-channel logout URI (OIDC Back-Channel
 * Logout 1.0), through the outbox so a slow or down host delays nothing and
 * is retried. The session's access tokens are revoked; refresh tokens issued
 * for offline access outlive the session by design. For the auth domain's
 * sign-out too: call it in the transaction that ends the session.
 */
export async function enqueueBackchannelLogouts(tx: Tx, p: { sessionId: string; userId: string }): Promise<number> {
  const sid = sidOf(p.sessionId);
  // One after another: the queries of an interactive transaction share one connection.
  const tokens = await tx.oidcToken.findMany({ where: { sid }, select: { clientId: true }, distinct: ["clientId"] });
  const codes = await tx.oidcAuthorizationCode.findMany({
    where: { sid },
    select: { clientId: true },
    distinct: ["clientId"],
  });
  await tx.oidcToken.updateMany({ where: { sid, kind: "access", revokedAt: null }, data: { revokedAt: new Date() } });
  invalidateLocalCaches();
  const clientIds = [...new Set([...tokens, ...codes].map((t) => t.clientId))];
  const clients = await tx.oidcClient.findMany({
    where: { id: { in: clientIds }, backchannelLogoutUri: { not: null }, status: "approved" },
    select: { id: true },
  });
  for (const c of clients)
    await enqueueEffect(tx, backchannelLogoutEffect, { clientId: c.id, userId: p.userId, sid }, `bcl:${sid}:${c.id}`);
  return clients.length;
}
