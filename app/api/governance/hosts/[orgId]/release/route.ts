import { z } from "zod";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { declareHostRelease } from "@/lib/governance/declare-host-release";

const bodySchema = z.object({ releaseId: z.string().min(3).max(64) });

/**
 * A host declares the release it runs. Authenticated as a signed-in operator
 * of that host organization (HOST_OPERATOR); API tokens for hosts are not part
 * of the foundation, so a host's deploy script signs in as its operator.
 */
export const PUT = apiRoute<{ orgId: string }>(async (req, { params }) => {
  const { session } = await requireAccess({ membership: "HOST_OPERATOR", orgId: params.orgId });
  const { releaseId } = bodySchema.parse(await readJson(req));
  const r = await declareHostRelease({ hostOrgId: params.orgId, releaseId, actorId: session.userId });
  return Response.json({
    hostOrgId: r.declaration.hostOrgId,
    releaseLineId: r.declaration.releaseLineId,
    releaseId: r.declaration.releaseId,
    manifestSeq: r.manifestSeq,
  });
});
