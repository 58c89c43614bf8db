import "server-only";
import type { Tx } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";

/**
 * Ends every active subscription of an organization that may no longer
 * receive events (a host removed by vote), with the reason, each audited as
 * its manager's stop would be: no new deliveries, and those still pending are
 * not sent (lib/webhooks/deliver-webhook.ts skips a stopped subscription). A
 * re-admitted host subscribes again. In the caller's transaction; returns how
 * many it ended.
 */
export async function endOrgWebhookSubscriptions(
  tx: Tx,
  { actor, ...p }: { actor: Actor } & { orgId: string; reason: string },
): Promise<number> {
  const active = await tx.webhookSubscription.findMany({
    where: { orgId: p.orgId, status: "active" },
    select: { id: true },
  });
  if (active.length === 0) return 0;
  await tx.webhookSubscription.updateMany({
    where: { id: { in: active.map((s) => s.id) }, status: "active" },
    data: { status: "disabled", disabledAt: new Date(), disabledReason: p.reason },
  });
  for (const s of active)
    await appendAuditEvent(tx, {
      actor,
      action: "webhook_subscription.disabled",
      subject: { type: "webhook_subscription", id: s.id },
      state: { orgId: p.orgId, status: "disabled" },
      data: { orgId: p.orgId, reason: p.reason },
    });
  return active.length;
}
