import "server-only";
import type { Tx } from "@/lib/db/client";
import { raiseFinanceAlert } from "@/lib/finance-alerts/raise-finance-alert";
import { channelLabel } from "@/lib/payment-provider/payment-channels";
import type { StoreName } from "@/lib/app-stores/store-transaction";

/**
 * A subscription the store will renew into a product Guildhall has not mapped (Apple's renewal info names
 * another `autoRenewProductId` after a downgrade or crossgrade; Google's line item a `deferredItemReplacement`):
 * the renewal that bills it would be refused as an unknown product, unrecorded and, at Google, not
 * acknowledged (refunded after three days). Nothing is billed yet, so the notification itself is recorded as
 * usual; finance is told now (once per subscription and product), while there is time to map the product
 * before that renewal. Answers the products flagged.
 */
export async function flagUnmappedRenewalProducts(
  tx: Tx,
  input: { store: StoreName; subscriptionId: string; productIds: string[]; renewsAt: Date | null },
): Promise<string[]> {
  const flagged: string[] = [];
  for (const productId of new Set(input.productIds)) {
    const mapped = await tx.storeProduct.findUnique({
      where: { store_productId: { store: input.store, productId } },
      select: { productId: true },
    });
    if (mapped) continue;
    flagged.push(productId);
    const when = input.renewsAt ? `at its renewal on ${input.renewsAt.toISOString()}` : "at its next renewal";
    await raiseFinanceAlert(tx, {
      key: `store-unmapped-renewal:${input.store}:${input.subscriptionId}:${productId}`,
      kind: "store_unmapped_product",
      message:
        `A subscription of ${channelLabel(input.store)} (${input.subscriptionId}) changes to the product ` +
        `${productId} ${when}, and that product is not mapped: the renewal would be refused (UNKNOWN_PRODUCT) ` +
        `and its payment not recorded. Map it before then: npm run cli -- appstore product add --store ` +
        `${input.store} --product-id ${productId} …`,
    });
  }
  return flagged;
}
