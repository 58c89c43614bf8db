import { jsonNoStore, oauthRoute } from "@/lib/oidc/http/oauth-route";
import { readClientMetadataBody } from "@/lib/oidc/http/read-client-metadata-body";
import { registerClientDynamically } from "@/lib/oidc/clients/register-client-dynamically";

/** RFC 7591 dynamic client registration; the bearer token is an admin-issued initial access token. */
export const POST = oauthRoute(
  async (req) => {
    const header = req.headers.get("authorization");
    const token = header && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
    return jsonNoStore(await registerClientDynamically(token, () => readClientMetadataBody(req)), 201);
  },
  { challenge: "Bearer" },
);
