import "server-only";
import { z } from "zod";
import { defineEffect } from "@/lib/outbox/define-effect";

/**
 * Apple's upgrade credit, as Apple reports it: on an upgrade the App Store notifies the new product's
 * purchase (DID_CHANGE_RENEWAL_PREF, UPGRADE), and revokes the old transaction as upgraded with the unused
 * part refunded (`isUpgraded`, `revocationDate`, `revocationPercentage`), which only the transaction history
 * shows. So the notification enqueues this effect, which reads the customer's history after the commit
 * (retried until Apple answers) and records the credit as the old transaction's partial refund
 * (reconcileAppleTransactionHistory, once per transaction): the ledger and the split match what Apple pays.
 */
export const recordAppleUpgradeCreditEffect = defineEffect({
  kind: "app-stores.apple-upgrade-credit",
  schema: z.object({ originalTransactionId: z.string().min(1) }),
  async handle({ originalTransactionId }) {
    // Imported when the effect runs: it loads Apple's library, a quarter second of CPU for each process that
    // installs the composition root (which lists this effect) and never talks to Apple.
    const { reconcileAppleTransactionHistory } = await import("@/lib/app-stores/reconcile-apple");
    await reconcileAppleTransactionHistory(originalTransactionId);
  },
});
