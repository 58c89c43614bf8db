import { apiRoute } from "@/lib/http/api-route";
import { federationTypes } from "@/lib/federation/federation-constants";
import { federationAnswer, jwtAnswer } from "@/lib/federation/federation-answer";
import { getSubordinateStatementJwt, parseFetchRequest } from "@/lib/federation/subordinate-statement";

/** The fetch endpoint (§8.1): the anchor's Subordinate Statement about an admitted host. */
export const GET = apiRoute(
  async (req) =>
    federationAnswer(async () => {
      const { sub } = parseFetchRequest(new URL(req.url).searchParams);
      return jwtAnswer(await getSubordinateStatementJwt(sub), federationTypes.entityStatement);
    }),
  { crossOrigin: true },
);
