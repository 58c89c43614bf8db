import { apiRoute } from "@/lib/http/api-route";
import { readFormOrJson, respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { createPayoutBatch } from "@/lib/payouts/create-payout-batch";

export const POST = apiRoute(async (req) => {
  const { session } = await requireAccess({ role: "FINANCE" });
  const body = await readFormOrJson(req);
  const batch = await createPayoutBatch(
    {
      currency: String(body.currency ?? ""),
      periodStart: body.periodStart ? String(body.periodStart) : undefined,
      periodEnd: body.periodEnd ? String(body.periodEnd) : undefined,
    },
    { type: "user", id: session.userId },
  );
  return respond(req, batch, `/finance/batches/${batch.id}`, 201);
});
