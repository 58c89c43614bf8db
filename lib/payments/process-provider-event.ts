import "server-only";
import { db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors/app-error";
import { log } from "@/lib/log";
import type { ProviderEvent } from "@/lib/payment-provider/provider";
import { webhookHandlers } from "@/lib/payments/webhook-handlers/index";
import type { HandlerResult } from "@/lib/payments/webhook-handlers/types";

export type EventProcessing = {
  duplicate: boolean;
  outcome: HandlerResult["outcome"] | "unhandled_type";
  note?: string;
};

async function alreadyRecorded(event: ProviderEvent): Promise<boolean> {
  const row = await db().paymentEvent.findUnique({
    where: { provider_eventId: { provider: event.provider, eventId: event.id } },
    select: { eventId: true },
  });
  return row !== null;
}

/**
 * Acts on a verified provider event at most once. The event id is inserted
 * under its unique key in the transaction that acts, so a duplicate delivered
 * at the same time waits and then finds it. An expected refusal (an AppError:
 * unknown order, nothing left to refund) is recorded as ignored and answered
 * 2xx, since retrying cannot change it; a RetryLaterError or an unexpected
 * failure rolls everything back, records nothing and is answered 5xx, so the
 * provider retries.
 */
export async function processProviderEvent(event: ProviderEvent): Promise<EventProcessing> {
  if (await alreadyRecorded(event)) return { duplicate: true, outcome: "ignored", note: "duplicate" };
  const handler = webhookHandlers[event.type];
  const record = (outcome: EventProcessing["outcome"], note?: string) => ({
    provider: event.provider,
    eventId: event.id,
    type: event.type,
    outcome,
    note: note?.slice(0, 500) ?? null,
  });
  try {
    const context = handler ? await handler.prepare(event) : undefined;
    return await db().$transaction(async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO "PaymentEvent" ("provider", "eventId", "type", "outcome") VALUES (${event.provider}, ${event.id}, ${event.type}, 'pending')
        ON CONFLICT DO NOTHING`;
      if (inserted === 0) return { duplicate: true, outcome: "ignored" as const, note: "duplicate" };
      if (!handler) {
        await tx.paymentEvent.update({
          where: { provider_eventId: { provider: event.provider, eventId: event.id } },
          data: record("unhandled_type"),
        });
        return { duplicate: false, outcome: "unhandled_type" as const };
      }
      const result = await handler.handle(tx, event, context);
      await tx.paymentEvent.update({
        where: { provider_eventId: { provider: event.provider, eventId: event.id } },
        data: record(result.outcome, result.note),
      });
      return { duplicate: false, ...result };
    });
  } catch (e) {
    if (!isAppError(e) || e.statusCode >= 500) throw e;
    log.info({ eventId: event.id, type: event.type, code: e.code, reason: e.reason }, "provider event refused");
    await db().paymentEvent.createMany({
      data: [record("ignored", `${e.code}${e.reason ? ` ${e.reason}` : ""}: ${e.message}`)],
      skipDuplicates: true,
    });
    return { duplicate: false, outcome: "ignored", note: e.reason ?? e.code };
  }
}
