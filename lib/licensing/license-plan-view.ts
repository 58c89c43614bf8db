import "server-only";
import type { LicensePlan } from "@/lib/generated/prisma/client";
import { minorUnitsAsNumber } from "@/lib/money/money";

/** A plan as callers and the API see it: the price as a plain integer of minor units. */
export function licensePlanView<T extends Pick<LicensePlan, "priceMinor">>(plan: T) {
  return { ...plan, priceMinor: minorUnitsAsNumber(plan.priceMinor) };
}
