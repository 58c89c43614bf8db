import { apiRoute } from "@/lib/http/api-route";
import { proposalIdParams } from "@/app/api/governance/governance-schemas";
import { requireAccess } from "@/lib/auth/require-access";
import { openProposal } from "@/lib/governance/open-proposal";
import { answer } from "@/lib/http/api-contract";
import { openProposalResponseSchema } from "@/app/api/governance/proposals/[id]/open/schemas";

/** The proposer (or an org admin) opens a draft for voting. */
export const POST = apiRoute(
  async (_req, { params }) => {
    const { actor } = await requireAccess({ anyRole: ["MEMBER", "COMMITTER", "ORG_ADMIN"] });
    const p = await openProposal({ proposalId: params.id, actor });
    return answer(openProposalResponseSchema, p);
  },
  { params: proposalIdParams },
);
