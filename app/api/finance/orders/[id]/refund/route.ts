import { apiRoute } from "@/lib/http/api-route";
import { readFormOrJson, respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { refundOrder } from "@/lib/payments/refund-order";
import { responseBody } from "@/lib/http/api-contract";
import { refundRequestSchema, refundResponseSchema, pathParams } from "@/app/api/finance/orders/[id]/refund/schemas";

export const POST = apiRoute(
  async (req, { params }) => {
    const { actor } = await requireAccess({ role: "FINANCE" });
    const body = await readFormOrJson(req);
    const input = refundRequestSchema.parse({
      ...body,
      requestKey: body.requestKey ?? req.headers.get("idempotency-key"),
    });
    const refund = await refundOrder({ orderId: params.id, ...input, actor });
    return respond(
      req,
      responseBody(refundResponseSchema, { ...refund, orderId: params.id }),
      `/finance/orders/${params.id}`,
    );
  },
  { params: pathParams },
);
