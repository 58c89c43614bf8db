import { apiRoute } from "@/lib/http/api-route";
import { getServiceConfiguration } from "@/lib/governance/federation/publish-service-configuration";
import { serviceConfigurationResponse } from "./service-configuration-response";

/**
 * The stable URL of the current signed service configuration: a compact JWS
 * (ES256, `typ: guildhall-service-configuration+jws`) signed with the trust
 * anchor's key, published in /.well-known/openid-federation and in DNS.
 */
export const GET = apiRoute(async () => serviceConfigurationResponse(await getServiceConfiguration(), "no-cache"), {
  crossOrigin: true,
});
