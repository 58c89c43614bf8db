import { apiRoute } from "@/lib/http/api-route";
import { federationTypes } from "@/lib/federation/federation-constants";
import { FederationError } from "@/lib/federation/federation-error";
import { federationAnswer, jwtAnswer } from "@/lib/federation/federation-answer";
import { signTrustMarkStatus } from "@/lib/federation/trust-marks";

const MAX_BODY_CHARS = 16 * 1024;

/** The trust mark status endpoint (§8.4): POST trust_mark=<JWT> (form-encoded) → a signed status response. */
export const POST = apiRoute(
  async (req) =>
    federationAnswer(async () => {
      if (!(req.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded"))
        throw new FederationError(
          "invalid_request",
          "Send trust_mark form-encoded (application/x-www-form-urlencoded).",
        );
      const body = await req.text();
      if (body.length > MAX_BODY_CHARS) throw new FederationError("invalid_request", "The request is too large.");
      const trustMark = new URLSearchParams(body).get("trust_mark");
      if (!trustMark) throw new FederationError("invalid_request", "trust_mark is required.");
      return jwtAnswer(await signTrustMarkStatus(trustMark), federationTypes.trustMarkStatusResponse, "no-store");
    }),
  { crossOrigin: true },
);
