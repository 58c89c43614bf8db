import { apiRoute } from "@/lib/http/api-route";
import { registerAppAccountTokenForBearer } from "@/lib/app-stores/register-app-account-token";

/** The app account token a signed-in app sets on its App Store purchases (docs/APPSTORE.md). */
export const POST = apiRoute(
  async (req) => {
    const result = await registerAppAccountTokenForBearer(req.headers.get("authorization"));
    return Response.json(result, { headers: { "cache-control": "no-store" } });
  },
  { crossOrigin: true },
);
