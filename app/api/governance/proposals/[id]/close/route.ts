import { apiRoute } from "@/lib/http/api-route";
import { proposalIdParams } from "@/app/api/governance/governance-schemas";
import { requireAccess } from "@/lib/auth/require-access";
import { closeProposal } from "@/lib/governance/close-proposal";
import { answer } from "@/lib/http/api-contract";
import { closeProposalResponseSchema } from "@/app/api/governance/proposals/[id]/close/schemas";

/**
 * Closes a vote whose window has passed (the periodic sweep does it too).
 * Any member, committer or org admin may trigger it: the close itself is
 * decided by time and the rule, not by who presses the button.
 */
export const POST = apiRoute(
  async (_req, { params }) => {
    const { actor } = await requireAccess({ anyRole: ["MEMBER", "COMMITTER", "ORG_ADMIN"] });
    const r = await closeProposal({ proposalId: params.id, actor });
    return answer(closeProposalResponseSchema, { ...r, id: r.proposalId });
  },
  { params: proposalIdParams },
);
