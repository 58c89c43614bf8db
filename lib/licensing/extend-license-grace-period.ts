import "server-only";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";
import type { Tx } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";

/**
 * A store keeps a subscriber's access through a billing grace period while it
 * retries the payment: the license stays valid until the grace period ends
 * (never shortened here; a later paid renewal extends it from its end as usual).
 * In the caller's transaction. A license that is not active is left alone.
 */
export async function extendLicenseGracePeriod(
  tx: Tx,
  input: { licenseId: string; until: Date; reason: string; actor: Actor },
): Promise<{ extended: boolean }> {
  await tx.$queryRaw`SELECT "id" FROM "License" WHERE "id" = ${input.licenseId} FOR UPDATE`;
  const license = await tx.license.findUnique({ where: { id: input.licenseId } });
  if (license?.status !== "ACTIVE") return { extended: false };
  if (license.validUntil && license.validUntil >= input.until) return { extended: false };
  await tx.license.update({ where: { id: license.id }, data: { validUntil: input.until } });
  invalidateLocalCaches(); // the cached standing (trust mark status); other processes at the trigger's notification
  await appendAuditEvent(tx, {
    actor: input.actor,
    action: "license.grace_period",
    subject: { type: "license", id: license.id },
    state: { status: license.status, validUntil: input.until },
    data: { reason: input.reason, from: license.validUntil?.toISOString() ?? null, until: input.until.toISOString() },
  });
  return { extended: true };
}
