import { responseBody } from "@/lib/http/api-contract";
import { apiRoute } from "@/lib/http/api-route";
import { authenticateApiClient } from "@/lib/payments/authenticate-api-client";
import { getCheckoutStatus } from "@/lib/payments/get-checkout-status";
import { apiErrorWithChallenge } from "@/lib/payments/api-error-with-challenge";
import { checkoutResponseSchema, checkoutIdParams } from "@/app/api/v1/checkouts/schemas";

const SCOPE = "tickets:write";

/** A checkout's status, for the client that opened it (others get 404). */
export const GET = apiRoute(
  async (req, { params, request }) => {
    try {
      const caller = await authenticateApiClient(req, SCOPE);
      return Response.json(
        responseBody(
          checkoutResponseSchema,
          await getCheckoutStatus(params.id, { type: "client", id: caller.clientId }),
        ),
        { headers: { "cache-control": "no-store" } },
      );
    } catch (e) {
      return apiErrorWithChallenge(e, request, SCOPE);
    }
  },
  { crossOrigin: true, params: checkoutIdParams },
);
