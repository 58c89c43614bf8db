import { apiRoute } from "@/lib/http/api-route";
import { getEntityConfigurationJwt } from "@/lib/federation/entity-configuration";
import { federationTypes } from "@/lib/federation/federation-constants";
import { jwtAnswer } from "@/lib/federation/federation-answer";

/** The trust anchor's Entity Configuration (OpenID Federation 1.0 §9): a signed entity statement about itself. */
export const GET = apiRoute(
  async () => jwtAnswer(await getEntityConfigurationJwt(), federationTypes.entityStatement, "public, max-age=60"),
  { crossOrigin: true },
);
