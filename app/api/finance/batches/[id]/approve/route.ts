import { apiRoute } from "@/lib/http/api-route";
import { respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { approvePayoutBatch } from "@/lib/payouts/approve-payout-batch";
import { responseBody } from "@/lib/http/api-contract";
import { payoutBatchSchema, batchIdParams } from "@/app/api/finance/finance-schemas";

export const POST = apiRoute(
  async (req, { params }) => {
    const { actor } = await requireAccess({ role: "FINANCE" });
    const batch = await approvePayoutBatch({ actor, batchId: params.id });
    return respond(req, responseBody(payoutBatchSchema, batch), `/finance/batches/${params.id}`);
  },
  { params: batchIdParams },
);
