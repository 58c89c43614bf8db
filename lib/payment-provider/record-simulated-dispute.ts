import "server-only";
import { createSimulatedObjectOnce } from "@/lib/payment-provider/simulated-object-store";

/** Records a dispute against a simulated charge, once per charge. */
export async function recordSimulatedDispute({
  chargeId,
  amountMinor,
  currency,
}: {
  chargeId: string;
  amountMinor: number;
  currency: string;
}) {
  return createSimulatedObjectOnce(
    "dispute",
    `dispute:${chargeId}`,
    { amountMinor, currency, sourceRef: chargeId },
    "sim_dp",
  );
}
