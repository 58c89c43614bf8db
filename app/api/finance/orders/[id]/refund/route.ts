import { z } from "zod";
import { apiRoute } from "@/lib/http/api-route";
import { readFormOrJson, respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { refundOrder } from "@/lib/payments/refund-order";

const refundSchema = z.object({ amountMinor: z.coerce.number().int().positive() });

export const POST = apiRoute<{ id: string }>(async (req, { params }) => {
  const { session } = await requireAccess({ role: "FINANCE" });
  const { amountMinor } = refundSchema.parse(await readFormOrJson(req));
  const result = await refundOrder(params.id, amountMinor, { type: "user", id: session.userId });
  return respond(req, result.adjustment, "/finance/orders");
});
