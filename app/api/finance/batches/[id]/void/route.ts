import { apiRoute } from "@/lib/http/api-route";
import { respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { userActor } from "@/lib/access/actor";
import { voidPayoutBatch } from "@/lib/payouts/void-payout-batch";
import { responseBody } from "@/lib/http/api-contract";
import { payoutBatchSchema, batchIdParams } from "@/app/api/finance/finance-schemas";

export const POST = apiRoute(
  async (req, { params }) => {
    const { session } = await requireAccess({ role: "FINANCE" });
    const batch = await voidPayoutBatch({ actor: userActor(session.userId), batchId: params.id });
    return respond(req, responseBody(payoutBatchSchema, batch), `/finance/batches/${params.id}`);
  },
  { params: batchIdParams },
);
