import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { openProposal } from "@/lib/governance/open-proposal";

/** The proposer (or an org admin) opens a draft for voting. */
export const POST = apiRoute<{ id: string }>(async (_req, { params }) => {
  const { session } = await requireAccess({ anyRole: ["MEMBER", "COMMITTER", "ORG_ADMIN"] });
  const p = await openProposal(params.id, session.userId);
  return Response.json({ id: p.id, status: p.status, digest: p.digest, closesAt: p.closesAt });
});
