import { apiRoute } from "@/lib/http/api-route";
import { answer, parseQuery } from "@/lib/http/api-contract";
import { findLogReceipt } from "@/lib/transparency/find-log-receipt";
import { receiptRequestSchema, receiptResponseSchema } from "@/app/api/log/schemas";

/**
 * Public: the log entry of a handed-out thing (`kind`: license, certificate, ballot, tally, release_manifest,
 * payout_item, payout_batch, order, split_policy, oidc_client) with its inclusion proof once integrated. It answers only
 * what the public log already shows; a thing the log does not record is a 404 (NOT_LOGGED).
 */
export const GET = apiRoute(
  async (req) => {
    const q = parseQuery(receiptRequestSchema, req);
    const receipt = await findLogReceipt(q);
    return answer(receiptResponseSchema, receipt, {
      // Awaiting integration changes within a second; an integrated receipt against the latest checkpoint too.
      headers: { "cache-control": "public, max-age=1", "access-control-allow-origin": "*" },
    });
  },
  { crossOrigin: true },
);
