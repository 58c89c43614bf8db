import { apiRoute } from "@/lib/http/api-route";
import { findLogReceipt } from "@/lib/transparency/find-log-receipt";
import { receiptRequestSchema, receiptResponseSchema } from "@/app/api/log/schemas";

/**
 * Public: the log entry of a handed-out thing (`kind`: license, certificate, ballot, tally, release_manifest,
 * payout_item, payout_batch, order, split_policy, oidc_client) with its inclusion proof once integrated. It answers only
 * what the public log already shows; a thing the log does not record is a 404 (NOT_LOGGED).
 */
export const GET = apiRoute(
  async (req) => {
    const q = receiptRequestSchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    const receipt = await findLogReceipt(q);
    return Response.json(receiptResponseSchema.parse(receipt), {
      // Awaiting integration changes within a second; an integrated receipt against the latest checkpoint too.
      headers: { "cache-control": "public, max-age=1", "access-control-allow-origin": "*" },
    });
  },
  { crossOrigin: true },
);
