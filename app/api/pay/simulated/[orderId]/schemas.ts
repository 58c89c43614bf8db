import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { paymentsFailureReasons } from "@/lib/payments/failure-reasons";

export const simulatedPaymentFormSchema = z.object({ card: z.string().trim().min(1).max(40) });

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const pathParams = z.object({ orderId: z.string() });

export const simulatedPaymentOperation = defineOperation({
  method: "POST",
  path: "/api/pay/simulated/{orderId}",
  operationId: "paySimulatedCheckout",
  summary: "The simulated checkout's form posts here (development and tests)",
  description:
    "Answers with a redirect, like a hosted checkout: to the order's success page, or back to the form with `declined=1` or `error=` and the refusal's message.",
  auth: "public",
  request: {
    params: pathParams,
    body: simulatedPaymentFormSchema,
    bodyTypes: ["application/x-www-form-urlencoded"],
  },
  responses: { 303: { description: "Where the buyer goes next" } },
  reasons: [paymentsFailureReasons],
});
