import "server-only";
import { db } from "@/lib/db/client";
import type { PaymentProvider } from "@/lib/payment-provider/provider";
import { ProviderRefusal } from "@/lib/payment-provider/provider";
import { minorUnitsAsNumber } from "@/lib/money/money";

/** A simulated charge's details: its fee is the simulated fee and it settles in its own currency. */
export const simulatedPaymentDetails: PaymentProvider["getPaymentDetails"] = async (paymentRef) => {
  const charge = await db().simulatedProviderObject.findUnique({ where: { id: paymentRef } });
  if (charge?.kind !== "charge") throw new ProviderRefusal(`no simulated charge ${paymentRef}`, "resource_missing");
  return {
    chargeId: charge.id,
    feeMinor: minorUnitsAsNumber(charge.feeMinor),
    paidAt: charge.createdAt,
    orderId: charge.sourceRef,
    settlement: {
      currency: charge.currency,
      amountMinor: minorUnitsAsNumber(charge.amountMinor),
      feeMinor: minorUnitsAsNumber(charge.feeMinor),
    },
  };
};
