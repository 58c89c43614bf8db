import { apiRoute } from "@/lib/http/api-route";
import { registerAppAccountTokenForCaller } from "@/lib/app-stores/register-app-account-token";
import { apiErrorWithChallenge } from "@/lib/payments/api-error-with-challenge";
import { answer } from "@/lib/http/api-contract";
import { appAccountTokenResponseSchema } from "@/app/api/v1/app-account-token/schemas";

/** The app account token a signed-in app sets on its App Store purchases (docs/APPSTORE.md). */
export const POST = apiRoute(
  async (req, { request }) => {
    try {
      const result = await registerAppAccountTokenForCaller(req);
      return answer(appAccountTokenResponseSchema, result, { headers: { "cache-control": "no-store" } });
    } catch (e) {
      return apiErrorWithChallenge(e, request);
    }
  },
  { crossOrigin: true },
);
