import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { splitPolicyKinds } from "@/lib/splits/split-policy-schema";

/**
 * The pre-agreed starting split, version 1 per product kind in EUR and USD,
 * made active by the demo seed on an empty database so that a fresh machine
 * can sell at once. Every later version needs two finance approvals or a vote.
 */
export const defaultSplitTerms = {
  LICENSE_SALE: {
    theaterBps: 0,
    developersFundBps: 6000,
    hostsBps: 2000,
    orgBps: 2000,
    orgFixedMinor: 0,
    developersFundFixedMinor: 0,
    hostRule: "equal",
  },
  TICKET_SALE: {
    theaterBps: 8500,
    developersFundBps: 500,
    hostsBps: 500,
    orgBps: 500,
    orgFixedMinor: 10,
    developersFundFixedMinor: 0,
    hostRule: "equal",
  },
  // Funding keeps a release line's hosts running: all of it to the hosts that run the line, weighed by the
  // usage they reported (equal shares when nobody reported).
  LINE_FUNDING: {
    theaterBps: 0,
    developersFundBps: 0,
    hostsBps: 10000,
    orgBps: 0,
    orgFixedMinor: 0,
    developersFundFixedMinor: 0,
    hostRule: "usage",
  },
} as const;

export async function seedDefaultSplitPolicies(tx: Tx): Promise<void> {
  for (const productKind of splitPolicyKinds) {
    for (const currency of ["EUR", "USD"]) {
      const id = newId("spl");
      const terms = defaultSplitTerms[productKind];
      await tx.splitPolicy.create({
        data: {
          id,
          productKind,
          currency,
          version: 1,
          ...terms,
          status: "active",
          activatedAt: new Date(),
          activatedVia: "seed",
          createdById: "seed",
          note: "Pre-agreed starting split",
        },
      });
      await appendAuditEvent(tx, {
        actor: { type: "system", id: "seed" },
        action: "split_policy.activated",
        subject: { type: "split_policy", id },
        state: { productKind, currency, ...terms },
        data: { productKind, currency, version: 1, via: "seed" },
      });
    }
  }
}
