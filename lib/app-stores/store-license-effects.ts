import "server-only";
import { z } from "zod";
import { isAppError } from "@/lib/errors/app-error";
import { defineEffect } from "@/lib/outbox/define-effect";
import { suspendLicense } from "@/lib/licensing/suspend-license";
import { reinstateLicense } from "@/lib/licensing/reinstate-license";

const payload = z.object({ licenseId: z.string().min(1), reason: z.string().min(1).max(500) });

/**
 * A store took a license's money back (a refund) or its access away (a
 * revocation): the license is suspended, its certificates held in the CRL,
 * as finance would after a chargeback. An outbox effect, enqueued in the
 * transaction that records the refund, because changing a license's standing
 * re-signs CRLs in a transaction of its own. A license no longer active
 * (already suspended, revoked) is left as it is.
 */
export const suspendStoreLicenseEffect = defineEffect({
  kind: "app-stores.suspend-license",
  schema: payload,
  async handle({ licenseId, reason }) {
    await ignoringStandingConflict(() =>
      suspendLicense({ licenseId, reason, actor: { type: "system", id: "app-stores" } }),
    );
  },
});

/** The store gave the money back to the org (a reversed refund): the suspension is lifted. */
export const reinstateStoreLicenseEffect = defineEffect({
  kind: "app-stores.reinstate-license",
  schema: payload,
  async handle({ licenseId, reason }) {
    await ignoringStandingConflict(() =>
      reinstateLicense({ licenseId, reason, actor: { type: "system", id: "app-stores" } }),
    );
  },
});

async function ignoringStandingConflict(change: () => Promise<unknown>): Promise<void> {
  try {
    await change();
  } catch (e) {
    if (isAppError(e) && e.code === "CONFLICT") return;
    throw e;
  }
}
