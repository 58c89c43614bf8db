import { apiRoute } from "@/lib/http/api-route";
import { federationTypes } from "@/lib/federation/federation-constants";
import { federationAnswer, jwtAnswer } from "@/lib/federation/federation-answer";
import { parseResolveRequest, resolveEntity } from "@/lib/federation/resolve-entity";

/** The resolve endpoint (§8.3): an admitted host's verified chain and resolved metadata, signed. */
export const GET = apiRoute(
  async (req) =>
    federationAnswer(async () =>
      jwtAnswer(
        await resolveEntity(parseResolveRequest(new URL(req.url).searchParams)),
        federationTypes.resolveResponse,
        "no-store",
      ),
    ),
  { crossOrigin: true },
);
