import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { assertPermitted } from "@/lib/access/permission";
import { randomToken, sha256Hex } from "@/lib/crypto/hash";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { secretBytes } from "@/lib/oidc/config";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";

/**
 * Gives a host's client a new secret (shown once); the old one stops working
 * at once. Only for clients of that host that authenticate with a secret,
 * and only by the host's operators.
 */
export async function rotateClientSecret(p: { actor: Actor; hostOrgId: string; clientId: string }) {
  return db().$transaction(async (tx) => {
    await assertPermitted(tx, p.actor, { membership: "HOST_OPERATOR", orgId: p.hostOrgId });
    const client = await tx.oidcClient.findUnique({ where: { id: p.clientId } });
    if (!client || client.hostOrgId !== p.hostOrgId)
      throw new AppError("NOT_FOUND", { userMessage: "No such client." });
    if (!client.secretHash)
      throw new AppError("CONFLICT", { userMessage: "This client does not use a secret.", reason: "NO_SECRET" });
    const secret = randomToken(secretBytes.clientSecret);
    await tx.oidcClient.update({ where: { id: client.id }, data: { secretHash: sha256Hex(secret) } });
    invalidateLocalCaches();
    await appendAuditEvent(tx, {
      actor: p.actor,
      action: "oidc_client.secret_rotated",
      subject: { type: "oidc_client", id: client.id },
      state: { rotatedAt: new Date() },
    });
    return { clientId: client.id, secret };
  });
}
