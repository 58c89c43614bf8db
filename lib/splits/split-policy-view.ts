import "server-only";
import type { SplitPolicy } from "@/lib/generated/prisma/client";
import { minorUnitsAsNumber } from "@/lib/money/money";

/** A split-policy version as callers and the API see it: the fixed fees as plain integers of minor units. */
export function splitPolicyView<T extends Pick<SplitPolicy, "orgFixedMinor" | "developersFundFixedMinor">>(policy: T) {
  return {
    ...policy,
    orgFixedMinor: minorUnitsAsNumber(policy.orgFixedMinor),
    developersFundFixedMinor: minorUnitsAsNumber(policy.developersFundFixedMinor),
  };
}
