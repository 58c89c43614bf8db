import { responseBody } from "@/lib/http/api-contract";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { authenticateApiClient } from "@/lib/payments/authenticate-api-client";
import { createTicketCheckout } from "@/lib/payments/create-ticket-checkout";
import { getCheckoutStatus } from "@/lib/payments/get-checkout-status";
import { apiErrorWithChallenge } from "@/lib/payments/api-error-with-challenge";
import { checkoutResponseSchema } from "@/app/api/v1/checkouts/schemas";

const SCOPE = "tickets:write";

/** Opens a ticket checkout for a host backend or app (client credentials, Idempotency-Key). */
export const POST = apiRoute(
  async (req, { request }) => {
    try {
      const caller = await authenticateApiClient(req, SCOPE);
      const body = await readJson(req);
      const { checkoutId } = await createTicketCheckout({
        body,
        clientId: caller.clientId,
        idempotencyKey: req.headers.get("idempotency-key"),
      });
      const status = await getCheckoutStatus(checkoutId, { type: "client", id: caller.clientId });
      return Response.json(responseBody(checkoutResponseSchema, status), {
        status: 201,
        headers: { "cache-control": "no-store", location: `/api/v1/checkouts/${checkoutId}` },
      });
    } catch (e) {
      return apiErrorWithChallenge(e, request, SCOPE);
    }
  },
  { crossOrigin: true },
);
