import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { buildReceiptBundle } from "@/lib/payments/receipts/build-receipt-bundle";
import { responseBody } from "@/lib/http/api-contract";
import { receiptBundleSchema } from "@/app/api/account/receipts/schemas";

/** All of the signed-in person's receipts, as one downloadable file (docs/RECEIPTS.md). */
export const GET = apiRoute(async () => {
  const { session } = await requireAccess("signed-in");
  const bundle = responseBody(receiptBundleSchema, await buildReceiptBundle(session.userId));
  return new Response(`${JSON.stringify(bundle, null, 2)}\n`, {
    headers: {
      "content-type": "application/json",
      "content-disposition": 'attachment; filename="guildhall-receipts.json"',
      "cache-control": "no-store",
    },
  });
});
