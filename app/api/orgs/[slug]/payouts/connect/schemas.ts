import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import {
  formOrJson,
  payeeConnectRequestSchema,
  payeeConnectResponseSchema,
  payoutReasons,
} from "@/app/api/finance/finance-schemas";

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const pathParams = z.object({ slug: z.string() });

export const connectPayeeOperation = defineOperation({
  method: "POST",
  path: "/api/orgs/{slug}/payouts/connect",
  operationId: "connectPayeeAccount",
  summary: "Connect the account an organization's payouts go to (Stripe Connect onboarding)",
  auth: "session",
  access: "a theater's admin or a host's operator",
  request: { params: pathParams, body: payeeConnectRequestSchema, bodyTypes: formOrJson },
  responses: {
    200: { description: "The payee account", schema: payeeConnectResponseSchema },
    303: { description: "A browser's form post: to the onboarding page, or back to the page" },
  },
  errors: { 404: "No such organization" },
  reasons: payoutReasons,
});
