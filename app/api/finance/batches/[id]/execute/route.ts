import { apiRoute } from "@/lib/http/api-route";
import { z } from "zod";
import { readFormOrJson, respond } from "@/lib/http/form-or-json";
import { actReasonSchema } from "@/lib/audit/act-reason";
import { requireAccess } from "@/lib/auth/require-access";
import { userActor } from "@/lib/access/actor";
import { executePayoutBatch } from "@/lib/payouts/execute-payout-batch";

export const POST = apiRoute<{ id: string }>(async (req, { params }) => {
  const { session } = await requireAccess({ role: "FINANCE" });
  // The page asks for a reason (app/confirm-with-reason.tsx); an API caller may give one, kept in the audit.
  const { reason } = z.object({ reason: actReasonSchema.optional() }).parse(await readFormOrJson(req));
  const batch = await executePayoutBatch({ actor: userActor(session.userId), batchId: params.id, reason });
  return respond(req, batch, `/finance/batches/${params.id}`);
});
