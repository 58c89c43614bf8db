import { defineOperation } from "@/lib/http/api-contract";
import {
  formOrJson,
  payeeConnectRequestSchema,
  payeeConnectResponseSchema,
  payoutReasons,
} from "@/app/api/finance/finance-schemas";

export const connectFundOperation = defineOperation({
  method: "POST",
  path: "/api/finance/payees/connect",
  operationId: "connectDevelopersFundAccount",
  summary: "Connect the developers' fund's payout account (theaters and hosts connect their own)",
  auth: "session",
  access: "FINANCE",
  request: { body: payeeConnectRequestSchema, bodyTypes: formOrJson },
  responses: {
    200: { description: "The payee account", schema: payeeConnectResponseSchema },
    303: { description: "A browser's form post: to the onboarding page, or back to the page" },
  },
  reasons: payoutReasons,
});
