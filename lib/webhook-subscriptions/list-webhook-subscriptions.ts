import "server-only";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import { eventTypesFor } from "@/lib/webhooks/webhook-event-types";
import { loadManagedOrg } from "@/lib/webhook-subscriptions/load-managed-org";

/** Deliveries shown per subscription on its page: the newest first. */
const DELIVERIES_SHOWN = 25;

/**
 * The webhooks page of an organization, for its managers: the event types it
 * may subscribe to, its subscriptions, and each one's newest deliveries with
 * every attempt (the delivery log).
 */
export async function listWebhookSubscriptions({ slug, actor: by }: { slug: string; actor: Actor }) {
  const org = await loadManagedOrg({ slug, actor: by });
  const subscriptions = await db().webhookSubscription.findMany({
    where: { orgId: org.id },
    orderBy: { createdAt: "desc" },
    include: {
      deliveries: {
        orderBy: { createdAt: "desc" },
        take: DELIVERIES_SHOWN,
        include: {
          event: { select: { type: true, occurredAt: true } },
          log: { orderBy: { attemptedAt: "desc" }, take: 10 },
        },
      },
    },
  });
  return {
    org: { id: org.id, name: org.name, slug: org.slug, kind: org.kind },
    eventTypes: eventTypesFor(org.kind),
    subscriptions,
  };
}
