import { z } from "zod";
import { defineOperation, isoDateTime } from "@/lib/http/api-contract";
import { payoutReasons } from "@/app/api/finance/finance-schemas";

export const payeeStatementSchema = z.object({
  org: z.object({ id: z.string(), name: z.string(), slug: z.string(), kind: z.string() }),
  balances: z.array(z.object({ currency: z.string(), kind: z.string(), owedMinor: z.number().int() })),
  items: z.array(
    z.object({
      id: z.string(),
      batchId: z.string(),
      amountMinor: z.number().int(),
      currency: z.string(),
      status: z.string(),
    }),
  ),
  lines: z.array(
    z.object({
      entryId: z.string(),
      kind: z.string(),
      orderId: z.string().nullable(),
      channel: z.string().nullable().meta({
        description: "stripe or simulated (the web), apple (App Store), google (Google Play), funding; null: a payout",
      }),
      occurredAt: isoDateTime,
      amount: z.string(),
      amountMinor: z.number().int(),
      currency: z.string(),
    }),
  ),
});

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const pathParams = z.object({ slug: z.string() });

export const payeeStatementOperation = defineOperation({
  method: "GET",
  path: "/api/orgs/{slug}/payouts/statement",
  operationId: "getPayeeStatement",
  summary: "A payee's statement as CSV, or as JSON with Accept: application/json",
  auth: "session",
  access: "the organization's admins and finance",
  request: { params: pathParams },
  responses: {
    200: { description: "The statement (CSV unless JSON is asked for)", schema: payeeStatementSchema },
  },
  errors: { 404: "No such organization" },
  reasons: payoutReasons,
});
