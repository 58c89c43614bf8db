import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { authenticateApiClient } from "@/lib/payments/authenticate-api-client";
import { findClientHost } from "@/lib/oidc/clients/set-federation-host-client";

/**
 * A host calling a machine API with its own credentials: an access token
 * (Bearer, or DPoP with its proof: authenticateApiClient) from the
 * client-credentials grant of one of the host's clients
 * (normally its federation credentials, private_key_jwt with its admitted
 * keys), carrying the API's scope, for the host the request is about. A
 * token of another host, or of a client of no host, is FORBIDDEN
 * (WRONG_HOST), so one host never acts for another.
 */
export async function authenticateHostClient(
  req: { method: string; url: string; headers: Pick<Headers, "get"> },
  scope: string,
  hostOrgId: string,
): Promise<{ clientId: string }> {
  const { clientId } = await authenticateApiClient(req, scope);
  if ((await findClientHost(clientId)) !== hostOrgId)
    throw new AppError("FORBIDDEN", {
      userMessage: "These credentials belong to another host.",
      reason: "WRONG_HOST",
    });
  return { clientId };
}
