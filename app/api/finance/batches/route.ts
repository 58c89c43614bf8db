import { apiRoute } from "@/lib/http/api-route";
import { respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { createPayoutBatch } from "@/lib/payouts/create-payout-batch";
import { parseFormOrJsonBody, responseBody } from "@/lib/http/api-contract";
import { payoutBatchSchema } from "@/app/api/finance/finance-schemas";
import { createBatchRequestSchema } from "@/app/api/finance/batches/schemas";

export const POST = apiRoute(async (req) => {
  const { actor } = await requireAccess({ role: "FINANCE" });
  const input = await parseFormOrJsonBody(createBatchRequestSchema, req);
  const batch = await createPayoutBatch({ ...input, actor });
  return respond(req, responseBody(payoutBatchSchema, batch), `/finance/batches/${batch.id}`, 201);
});
