import { apiRoute } from "@/lib/http/api-route";
import { getReceiptKeys } from "@/lib/payments/receipts/get-receipt-keys";

/** Public: the keys that sign purchase receipts (JWKS), for anyone checking a receipt (docs/RECEIPTS.md). */
export const GET = apiRoute(
  async () => Response.json(await getReceiptKeys(), { headers: { "cache-control": "public, max-age=300" } }),
  { crossOrigin: true },
);
