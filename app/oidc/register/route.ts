import { jsonNoStore, oauthRoute } from "@/lib/oidc/http/oauth-route";
import { InvalidClientMetadata } from "@/lib/oidc/errors";
import { readJson } from "@/lib/http/read-json";
import { isMalformedInput } from "@/lib/http/untrusted-text";
import { registerClientDynamically } from "@/lib/oidc/clients/register-client-dynamically";

/** RFC 7591 dynamic client registration; the bearer token is an admin-issued initial access token. */
export const POST = oauthRoute(
  async (req) => {
    const header = req.headers.get("authorization");
    const token = header && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (e) {
      if (!isMalformedInput(e)) throw e;
      throw new InvalidClientMetadata(e.userMessage);
    }
    return jsonNoStore(await registerClientDynamically(token, body), 201);
  },
  { challenge: "Bearer" },
);
