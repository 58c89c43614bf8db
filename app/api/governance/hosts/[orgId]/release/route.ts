import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { declareHostRelease } from "@/lib/governance/declare-host-release";
import { authenticateHostClient } from "@/lib/federation/authenticate-host-client";
import { apiErrorWithChallenge } from "@/lib/payments/api-error-with-challenge";
import { answer, parseBody } from "@/lib/http/api-contract";
import {
  declareReleaseRequestSchema,
  declareReleaseResponseSchema,
  pathParams,
} from "@/app/api/governance/hosts/[orgId]/release/schemas";

const SCOPE = "release:declare";

/**
 * A host declares the release it runs. A host's deploy script calls with the
 * host's own credentials (a Bearer or DPoP access token of the host's client carrying
 * release:declare: its federation credentials, private_key_jwt with its
 * admitted keys); a person does it signed in as an operator of that host
 * organization (HOST_OPERATOR). Credentials of another host are refused.
 */
export const PUT = apiRoute(
  async (req, { params, request }) => {
    try {
      return await declareRelease(req, params.orgId);
    } catch (e) {
      return apiErrorWithChallenge(e, request, SCOPE);
    }
  },
  { params: pathParams },
);

async function declareRelease(req: Request, orgId: string): Promise<Response> {
  const params = { orgId };
  const authorization = req.headers.get("authorization");
  const actor = authorization
    ? { type: "client" as const, id: (await authenticateHostClient(req, SCOPE, params.orgId)).clientId }
    : (await requireAccess({ membership: "HOST_OPERATOR", orgId: params.orgId })).actor;
  const { releaseId } = await parseBody(declareReleaseRequestSchema, req);
  const r = await declareHostRelease({ hostOrgId: params.orgId, releaseId, actor });
  return answer(declareReleaseResponseSchema, { ...r.declaration, manifestSeq: r.manifestSeq });
}
