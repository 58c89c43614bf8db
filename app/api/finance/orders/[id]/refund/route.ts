import { z } from "zod";
import { apiRoute } from "@/lib/http/api-route";
import { readFormOrJson, respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { userActor } from "@/lib/access/actor";
import { refundOrder } from "@/lib/payments/refund-order";

const refundSchema = z.object({
  amountMinor: z.coerce.number().int().positive(),
  reason: z.string().trim().min(3, "Say why the money goes back.").max(500),
  // The submission's key: a form carries one made when it was rendered; an API caller sends its own.
  requestKey: z.string().min(8).max(100),
});

export const POST = apiRoute<{ id: string }>(async (req, { params }) => {
  const { session } = await requireAccess({ role: "FINANCE" });
  const body = await readFormOrJson(req);
  const input = refundSchema.parse({ ...body, requestKey: body.requestKey ?? req.headers.get("idempotency-key") });
  const refund = await refundOrder({ orderId: params.id, ...input, actor: userActor(session.userId) });
  return respond(req, refund, `/finance/orders/${params.id}`);
});
