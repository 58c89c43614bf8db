import { apiRoute } from "@/lib/http/api-route";
import { federationTypes } from "@/lib/federation/federation-constants";
import { federationAnswer, jwtAnswer } from "@/lib/federation/federation-answer";
import { issueTrustMark } from "@/lib/federation/trust-marks";

/** The trust mark endpoint (§8.6): an admitted-host or licensed-theater trust mark, for a subject that holds one now. */
export const GET = apiRoute(
  async (req) =>
    federationAnswer(async () =>
      jwtAnswer(await issueTrustMark(new URL(req.url).searchParams), federationTypes.trustMark, "no-store"),
    ),
  { crossOrigin: true },
);
