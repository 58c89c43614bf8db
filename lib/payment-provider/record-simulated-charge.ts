import "server-only";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { ProviderRefusal } from "@/lib/payment-provider/provider";
import { simulatedFeeMinor } from "@/lib/payment-provider/simulated-fee";

/**
 * Records the charge of a simulated card payment on an open session (the test page calls this). One charge
 * per order, whatever the session: a replay answers the first. An expired session takes no payment, as at
 * Stripe; the session row is locked so that expiring it and paying it are one after the other.
 */
export async function recordSimulatedCharge({
  sessionId,
  orderId,
  amountMinor,
  currency,
}: {
  sessionId: string;
  orderId: string;
  amountMinor: number;
  currency: string;
}) {
  const idempotencyKey = `charge:${orderId}`;
  return db().$transaction(async (tx) => {
    const [session] = await tx.$queryRaw<{ expiresAt: Date | null }[]>`
      SELECT "expiresAt" FROM "SimulatedProviderObject"
      WHERE "id" = ${sessionId} AND "kind" = 'session' AND "sourceRef" = ${orderId} FOR UPDATE`;
    const charged = await tx.simulatedProviderObject.findUnique({ where: { idempotencyKey } });
    if (charged) return charged;
    if (!session) throw new ProviderRefusal(`no simulated checkout session ${sessionId}`, "resource_missing");
    if (!session.expiresAt || session.expiresAt <= new Date())
      throw new ProviderRefusal(`checkout session ${sessionId} is expired`, "checkout_session_expired");
    return tx.simulatedProviderObject.create({
      data: {
        id: newId("sim_ch"),
        kind: "charge",
        idempotencyKey,
        amountMinor,
        currency,
        feeMinor: simulatedFeeMinor(amountMinor),
        sourceRef: orderId,
      },
    });
  });
}
