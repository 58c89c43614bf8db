import { apiRoute } from "@/lib/http/api-route";
import { respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { executePayoutBatch } from "@/lib/payouts/execute-payout-batch";
import { parseFormOrJsonBody, responseBody } from "@/lib/http/api-contract";
import { payoutBatchSchema, batchIdParams } from "@/app/api/finance/finance-schemas";
import { executeBatchRequestSchema } from "@/app/api/finance/batches/[id]/execute/schemas";

export const POST = apiRoute(
  async (req, { params }) => {
    const { actor } = await requireAccess({ role: "FINANCE" });
    const { reason } = await parseFormOrJsonBody(executeBatchRequestSchema, req);
    const batch = await executePayoutBatch({ actor, batchId: params.id, reason });
    return respond(req, responseBody(payoutBatchSchema, batch), `/finance/batches/${params.id}`);
  },
  { params: batchIdParams },
);
