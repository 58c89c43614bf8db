import { apiRoute } from "@/lib/http/api-route";
import { readFormOrJson, respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { userActor } from "@/lib/access/actor";
import { createPayoutBatch } from "@/lib/payouts/create-payout-batch";

export const POST = apiRoute(async (req) => {
  const { session } = await requireAccess({ role: "FINANCE" });
  const body = await readFormOrJson(req);
  const batch = await createPayoutBatch({
    actor: userActor(session.userId),
    currency: String(body.currency ?? ""),
    periodStart: body.periodStart ? String(body.periodStart) : undefined,
    periodEnd: body.periodEnd ? String(body.periodEnd) : undefined,
  });
  return respond(req, batch, `/finance/batches/${batch.id}`, 201);
});
